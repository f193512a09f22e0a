import Collectors
import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Synchronization

/// How the sampler reaches and reads displays.
public struct ScreenLookOptions: Sendable {
    /// Seconds for everything a look does: route, connect, handshake, first picture. A display that answered the
    /// handshake gets twice this from then for its first picture: a slow display that does answer (qemu-xen's PV
    /// framebuffer in a loaded dom0: its first picture 1-4 s after the handshake, more under load) is waited for; a
    /// display that never answers still costs this at most.
    public var timeout: Double = 5
    /// What the sampler accepts. Password-protected displays are never asked for one: they are `locked`.
    public var security = VNCSecurityPolicy.default
    /// Local hosts whose display has no address (or whose address fails) are tried through libvirt
    /// (virDomainOpenGraphicsFD, a read-write connection); false keeps the sampler on read-only paths only.
    public var graphicsFD = true
    public init() {}
}

/// One look at one domain's display: find the route (TCP, UNIX socket, ssh through the host's shared
/// connection, or libvirt's graphics FD), take one picture, read it. Blocking; runs on a sampler worker.
enum DisplayLook {
    /// The recognition lane: width one (see `read`).
    private static let recognition = Mutex(())

    struct Outcome {
        var observation: ScreenObservation
        var route: String
    }

    static func look(_ t: ScreenTarget, options: ScreenLookOptions, ssh: SSHMultiplexer, table: GlyphTable,
                     hint: inout ScreenReadHint) -> Outcome {
        let start = Monotonic.now()
        let uri = t.hostURI.isEmpty ? (ProcessInfo.processInfo.environment["LIBVIRT_DEFAULT_URI"] ?? "qemu:///system") : t.hostURI
        let route: DisplayRoute
        do {
            route = try DisplayLocator.route(uri: uri, domain: t.domainName, graphics: t.graphics)
        } catch {
            // No address to reach (no port yet, or a loopback display of a remote host without ssh): libvirt's
            // graphics FD is the way on a local host.
            if let o = viaGraphicsFD(t, uri: uri, options: options, table: table, hint: &hint, start: start) { return o }
            return Outcome(observation: .unreachable(error.description), route: "-")
        }
        var config: VNCSessionConfiguration
        var stream: SSHStream?
        switch route {
        case .tcp(let h, let p):
            // Hextile first (VNCSessionConfiguration.encodings for TCP): a text console in a few tens of KB
            // instead of its raw megabytes, which qemu-xen's PV framebuffer could not send within a look.
            config = VNCSessionConfiguration(endpoint: .tcp(host: h, port: p))
        case .unix(let path): config = VNCSessionConfiguration(endpoint: .unix(path: path))
        case .sshTCP, .sshUnix:
            do {
                let s = try ssh.open(route, timeout: options.timeout)
                stream = s
                config = VNCSessionConfiguration(endpoint: .socket(fd: s.fd, label: route.description))
                config.compress = true
            } catch {
                return Outcome(observation: .unreachable(error.description), route: route.description)
            }
        }
        defer { stream?.close() }
        let left = options.timeout - (Monotonic.now() - start)
        let o = read(config, options: options, left: left, table: table, hint: &hint, tunnel: stream)
        if case .unreachable = o, !route.isRemote,
           let viaFD = viaGraphicsFD(t, uri: uri, options: options, table: table, hint: &hint, start: start) {
            return viaFD
        }
        return Outcome(observation: o, route: route.description)
    }

    private static func read(_ base: VNCSessionConfiguration, options: ScreenLookOptions, left: Double, table: GlyphTable,
                             hint: inout ScreenReadHint, tunnel: SSHStream? = nil) -> ScreenObservation {
        guard left > 0.05 else { return .unreachable("no time left for the display (timeout \(options.timeout) s)") }
        var config = base
        config.connectTimeout = left
        config.readTimeout = left
        config.security = options.security
        config.framePool = FramePool.shared
        do {
            var frame = try VNCFrameGrab.grab(config, deadline: left, picture: 2 * options.timeout)
            // One frame read at a time, whatever the number of looks under way (their connections): reading is the
            // CPU-bound part of a look, and a sweep must stay within one core. A frame seen before is not read
            // again (its checksum), so this is mostly the new displays' and the changed screens'.
            let o = recognition.withLock { _ in ScreenObservation.of(frame, table: table, hint: &hint) }
            FramePool.shared.give(pixels: &frame.pixels)
            return o
        } catch {
            switch error {
            case .locked(let why): return .locked(why)
            case .unreachable(let why): return .unreachable(tunnel?.failure.map { "SSH tunnel failed: \($0)" } ?? why)
            }
        }
    }

    private static func viaGraphicsFD(_ t: ScreenTarget, uri: String, options: ScreenLookOptions, table: GlyphTable,
                                      hint: inout ScreenReadHint, start: Double) -> Outcome? {
        guard options.graphicsFD, options.timeout - (Monotonic.now() - start) > 0.5,
              (try? DisplayLocator.parse(uri: uri))?.isLocal == true else { return nil }
        let fd: Int32
        do {
            let c = try Connection.open(uri, readOnly: false)
            defer { c.close() }
            fd = try c.lookupDomain(uuid: t.key.uuid).openGraphicsFD(index: t.graphicsIndex)
        } catch {
            return nil
        }
        let config = VNCSessionConfiguration(endpoint: .socket(fd: fd, label: "libvirt graphics fd"))
        let o = read(config, options: options, left: options.timeout - (Monotonic.now() - start), table: table, hint: &hint)
        return Outcome(observation: o, route: "libvirt")
    }
}

extension DisplayRoute {
    var isRemote: Bool {
        switch self {
        case .sshTCP, .sshUnix: return true
        case .tcp, .unix: return false
        }
    }
}
