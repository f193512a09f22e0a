import Foundation
import FleetCore
import NIOCore
import NIOPosix
import NIOHTTP1
import Synchronization

/// The HTTP side of `fleettui export`: SwiftNIO's HTTP/1.1 server pipeline serving `/metrics`
/// from a `MetricsBody` (never from libvirt), and a small index page at `/`.
public final class MetricsServer: Sendable {
    public struct ListenError: Error, CustomStringConvertible {
        public let description: String
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: Channel
    /// The address actually bound (the port is filled in when 0 was asked for).
    public let boundHost: String
    public let boundPort: Int

    /// Binds and starts serving; throws `ListenError` with one clear line when the address is bad or taken.
    public init(host: String, port: Int, body: MetricsBody, threads: Int = 1) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(body: body))
                }
            }
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw ListenError(description: "cannot listen on \(Self.display(host, port)): \(Self.reason(error))")
        }
        self.group = group
        self.boundHost = host
        self.boundPort = channel.localAddress?.port ?? port
    }

    public var url: String { "http://\(Self.display(boundHost, boundPort))/metrics" }

    /// Blocks until the server is closed (by `stop()` or a fatal channel error).
    public func wait() throws { try channel.closeFuture.wait() }

    /// Idempotent, from any thread but an event loop's (a second call must not wait on a loop
    /// that the first one already shut down).
    public func stop() {
        // The first caller only.
        guard stopped.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        _ = try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    private let stopped = Atomic(false)

    static func display(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func reason(_ error: Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case EADDRINUSE: return "address already in use"
            case EADDRNOTAVAIL: return "address not available on this machine"
            case EACCES: return "permission denied"
            default: return String(cString: strerror(io.errnoCode))
            }
        }
        if error is SocketAddressError { return "not a valid address or resolvable host name" }
        return String(describing: error).replacingOccurrences(of: "\n", with: " ")
    }
}

/// One connection's request handler. Responses are built from an already rendered buffer, so a
/// scrape costs a lock and a write, whatever the fleet's size.
private final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let body: MetricsBody
    private var head: HTTPRequestHead?

    init(body: MetricsBody) { self.body = body }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let h = head else { return }
            head = nil
            respond(context: context, to: h)
        }
    }

    private func respond(context: ChannelHandlerContext, to request: HTTPRequestHead) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let status: HTTPResponseStatus
        let contentType: String
        var buffer: ByteBuffer
        if request.method != .GET && request.method != .HEAD {
            (status, contentType, buffer) = (.methodNotAllowed, "text/plain; charset=utf-8", context.channel.allocator.buffer(string: "only GET and HEAD\n"))
        } else if path == "/metrics" {
            (status, contentType, buffer) = (.ok, PrometheusTextWriter.contentType, body.current())
        } else if path == "/" {
            (status, contentType, buffer) = (.ok, "text/html; charset=utf-8", context.channel.allocator.buffer(string: MetricsBody.indexPage))
        } else {
            (status, contentType, buffer) = (.notFound, "text/plain; charset=utf-8", context.channel.allocator.buffer(string: "not found; try /metrics\n"))
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(buffer.readableBytes))
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        } else {
            buffer.clear()
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
