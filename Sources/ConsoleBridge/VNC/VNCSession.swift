import ConsoleCore
import CVNCClient
import FleetCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How to reach a display and what to accept from it.
public struct VNCSessionConfiguration: Sendable {
    public var endpoint: VNCEndpoint
    /// Seconds to wait for the TCP/UNIX connect and for each step of the RFB handshake.
    public var connectTimeout: Double = 10
    /// A server that stops in the middle of a message for this long is dropped (an idle server that
    /// sends nothing between messages is fine).
    public var readTimeout: Double = 15
    public var security: VNCSecurityPolicy = .default
    /// Asked on the session thread when the server wants a VNC password; nil = none given (fails).
    public var password: (@Sendable () -> VNCPassword?)?
    /// The host name TLS (X509) certificates are checked against.
    public var tlsServerName: String?
    /// Prefer compressed encodings (for tunnels over slow links); raw is cheapest on loopback.
    public var compress: Bool = false
    /// The encodings asked for, most wanted first (libvncclient's names). Tunnels (`compress`): tight (never JPEG) or
    /// zlib. TCP: hextile first, as a display over TCP may be across a network or behind a forwarded port (the Xen
    /// test host's PV framebuffer: a raw 800x600 picture took 3-20 s through its emulated dom0's network, hextile under
    /// a second); lossless and cheap, a server without it sends raw. A local socket or descriptor: raw, the cheapest.
    public var encodings: String {
        if compress { return "tight zlib hextile copyrect raw" }
        if case .tcp = endpoint { return "hextile copyrect raw" }
        return "raw copyrect hextile"
    }
    /// Where the frame-sized buffers come from and go back to (the screen sampler's looks: FramePool); nil: each
    /// session allocates its own.
    public var framePool: FramePool?

    public init(endpoint: VNCEndpoint) { self.endpoint = endpoint }
}

/// What a session reports (on its own thread). Keep handlers short: wake the UI and return.
public enum VNCSessionEvent: Sendable {
    case connected(width: Int, height: Int, name: String)
    /// New pixels: take them with `takeUpdate()`.
    case frame
    /// The session ended: nil when `close()` asked for it.
    case closed(VNCError?)
}

/// One connection to a VNC server through libvncclient, on its own thread.
///
/// The session thread alone touches the rfbClient: it connects, runs the handshake, waits on the socket
/// (checking libvncclient's already-buffered bytes first), decodes messages and sends the input the UI
/// queued. After every complete framebuffer update it copies the changed pixels into a Swift buffer
/// under a lock; the UI takes a consistent copy with `takeUpdate()`.
public final class VNCSession: @unchecked Sendable {   // owns the rfbClient (C pointer), touched by its session thread only
    public let configuration: VNCSessionConfiguration
    private let onEvent: @Sendable (VNCSessionEvent) -> Void
    private let log = VNCLog()

    /// What the session thread and the UI share: only reachable under the lock.
    private struct Shared {
        var pixels: [UInt32] = []
        var width = 0, height = 0
        var dirty: [VNCRect] = []
        var resized = false
        /// Which pixels came since the framebuffer was (re)allocated or a whole picture was last asked for. A first
        /// update may carry only pseudo-rectangles (QEMU: its extended-key and desktop-size acks) and the next ones
        /// only a blinking cursor, the picture following many seconds later from a slow server (qemu-xen in an
        /// emulated dom0): until every pixel came there is no picture, not a black one.
        var coverage = FrameCoverage(width: 0, height: 0)
        /// Whether the framebuffer as allocated has had a whole picture (until then nothing is published).
        var whole = false
        /// Whole pictures since connecting (a resize, or a full update asked for, starts another).
        var wholePictures = 0
        var generation = 0
        var takenGeneration = -1
        var pendingInput: [InputEvent] = []
        var stopRequested = false
        var liveSocket: Int32 = -1
        var name = ""
        var finished = false
    }
    private let shared = Mutex(Shared())
    private let done = DispatchSemaphore(value: 0)
    /// A pipe that wakes the session thread's poll() when input is queued or close() is called (-1: none).
    private let wakeRead: Int32, wakeWrite: Int32

    // Session thread only.
    private var client: UnsafeMutablePointer<rfbClient>?
    /// Bytes of libvncclient's framebuffer as allocated (a pooled buffer may be larger than the picture).
    private var framebufferBytes = 0
    private var frameDirty = VNCRect(x: 0, y: 0, width: 0, height: 0)
    private var frameDirtyRects: [VNCRect] = []
    private var refusedSize: (Int, Int)?
    private var passwordAsked = false
    /// QEMU's extended key event acknowledgement came (a pseudo-rectangle: see `noteDirty`).
    private var qemuKeyAckSeen = false
    private var encodings: UnsafeMutablePointer<CChar>?

    private enum InputEvent: Sendable {
        case key(UInt32, Bool)
        case pointer(Int, Int, Int)
        case refresh
    }

    public init(configuration: VNCSessionConfiguration, onEvent: @escaping @Sendable (VNCSessionEvent) -> Void) {
        self.configuration = configuration
        self.onEvent = onEvent
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 { for fd in fds { SocketConnector.setNonBlocking(fd) } } else { fds = [-1, -1] }
        wakeRead = fds[0]; wakeWrite = fds[1]
    }

    deinit {
        if wakeRead >= 0 { Glibc.close(wakeRead) }
        if wakeWrite >= 0 { Glibc.close(wakeWrite) }
    }

    // MARK: - UI side

    /// Starts the session thread (connect, handshake, then the message loop).
    public func start() {
        VNCLogRouter.installSilently()
        // A write to a server that went away must be an error, not SIGPIPE killing the process.
        signal(SIGPIPE, SIG_IGN)
        let thread = Thread { [self] in self.run() }
        thread.name = "vnc-session"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the session to end; returns at once. The session reports `.closed(nil)`.
    public func close() {
        shared.withLock { $0.stopRequested = true }
        wake()
        // The loop sends what is queued and stops; a thread stuck in a blocking write to a stalled server
        // (libvncclient waits forever there) is freed by shutting the socket down.
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            shared.withLock { s in
                if !s.finished, s.liveSocket >= 0 { shutdown(s.liveSocket, Int32(SHUT_RDWR)) }
            }
        }
    }

    /// Waits until the session thread has finished (after close() or an error).
    @discardableResult
    public func waitUntilFinished(timeout: Double) -> Bool {
        done.wait(timeout: .now() + timeout) == .success && { done.signal(); return true }()
    }

    public var isFinished: Bool { shared.withLock { $0.finished } }

    /// The server's desktop name, sanitised for the terminal.
    public var desktopName: String { shared.withLock { $0.name } }

    public var size: (width: Int, height: Int) { shared.withLock { ($0.width, $0.height) } }

    /// Queues a key press or release (X11 keysym); sent by the session thread in order.
    public func sendKey(_ keysym: UInt32, down: Bool) { enqueue([.key(keysym, down)]) }

    /// Queues several key events at once (a combination, a paste) so they are sent back to back.
    public func send(_ strokes: [KeyStroke]) {
        if !strokes.isEmpty { enqueue(strokes.map { .key($0.keysym, $0.down) }) }
    }

    /// Queues a pointer event (button mask bit 0 = left).
    public func sendPointer(x: Int, y: Int, buttons: Int) { enqueue([.pointer(x, y, buttons)]) }

    /// Asks the server for a complete picture again.
    public func requestFullUpdate() { enqueue([.refresh]) }

    /// The current picture and what changed since the previous call; nil when nothing did.
    public func takeUpdate() -> VNCFrameUpdate? {
        shared.withLock { s in
            guard s.width > 0, s.height > 0, s.whole, s.generation != s.takenGeneration || s.resized else { return nil }
            let u = VNCFrameUpdate(width: s.width, height: s.height, pixels: s.pixels,
                                   dirty: s.resized ? [VNCRect(x: 0, y: 0, width: s.width, height: s.height)] : s.dirty,
                                   resized: s.resized, generation: s.generation, wholePictures: s.wholePictures)
            s.dirty.removeAll(keepingCapacity: true)
            s.resized = false
            s.takenGeneration = s.generation
            return u
        }
    }

    /// Drops the session's copy of the picture (a finished session's whose last update was taken): the pixels taken
    /// are then the taker's alone, to reuse (FramePool) instead of copying. The session lives on a while after it
    /// finished (its thread, close()'s watchdog), and with it the copy otherwise.
    public func releasePicture() {
        shared.withLock { s in
            s.pixels = []
            s.width = 0
            s.height = 0
        }
    }

    /// The last few (sanitised) libvncclient log lines, for troubleshooting.
    public var recentLog: [String] { log.recent }

    /// The key events queued that were never sent, taken out of the session (for the next one: KeyBacklog). A
    /// session sends nothing while libvncclient reads an update; when that read fails (a slow update timing out),
    /// the keys typed meanwhile are still here.
    public func takeUnsentKeys() -> [KeyStroke] {
        shared.withLock { s in
            let keys = s.pendingInput.compactMap { e -> KeyStroke? in
                if case .key(let sym, let down) = e { return KeyStroke(sym, down: down) }
                return nil
            }
            s.pendingInput.removeAll()
            return keys
        }
    }

    private func enqueue(_ events: [InputEvent]) {
        shared.withLock { $0.pendingInput += events }
        wake()
    }

    private func wake() {
        guard wakeWrite >= 0 else { return }
        var b: UInt8 = 1
        _ = Glibc.write(wakeWrite, &b, 1)
    }

    // MARK: - Session thread

    private enum Phase { case connecting, handshake, running }
    private var phase = Phase.connecting

    private func run() {
        VNCLogRouter.attach(log)
        var outcome: VNCError?
        do {
            try connectAndLoop()
        } catch {
            outcome = error
        }
        teardown()
        VNCLogRouter.detach()
        let byUs = shared.withLock { s in
            s.finished = true
            return s.stopRequested
        }
        onEvent(.closed(byUs ? nil : (outcome ?? .serverClosed)))
        done.signal()
    }

    private func connectAndLoop() throws(VNCError) {
        let fd = try SocketConnector.open(configuration.endpoint, timeout: configuration.connectTimeout)
        guard let cl = rfbGetClient(8, 3, 4) else {
            Glibc.close(fd)
            throw .protocolError("cannot allocate a VNC client")
        }
        client = cl
        cl.pointee.sock = fd
        let stop = shared.withLock { s in
            s.liveSocket = fd
            return s.stopRequested
        }
        if stop { throw .cancelled }
        configure(cl)

        phase = .handshake
        guard InitialiseRFBConnection(cl) != 0 else { throw classify() }
        if let violation = configuration.security.violation(scheme: cl.pointee.authScheme, subScheme: cl.pointee.subAuthScheme) {
            throw violation
        }
        phase = .running   // from here on a failure is a broken or closed session, not a failed handshake
        let name = cl.pointee.desktopName.map { String(cString: $0) } ?? ""
        cl.pointee.width = Int32(cl.pointee.si.framebufferWidth)
        cl.pointee.height = Int32(cl.pointee.si.framebufferHeight)
        guard cl.pointee.MallocFrameBuffer(cl) != 0 else { throw classify() }
        guard SetFormatAndEncodings(cl) != 0 else { throw classify() }
        cl.pointee.updateRect.x = 0
        cl.pointee.updateRect.y = 0
        cl.pointee.updateRect.w = cl.pointee.width
        cl.pointee.updateRect.h = cl.pointee.height
        guard SendFramebufferUpdateRequest(cl, 0, 0, cl.pointee.width, cl.pointee.height, 0) != 0 else { throw classify() }
        cl.pointee.readTimeout = UInt32(max(1, configuration.readTimeout.rounded(.up)))

        let cleanName = Sanitize.oneLine(name, limit: VNCLimits.maxDesktopNameCharacters)
        shared.withLock { $0.name = cleanName }
        onEvent(.connected(width: Int(cl.pointee.width), height: Int(cl.pointee.height), name: cleanName))
        try loop(cl, fd: fd)
    }

    private func configure(_ cl: UnsafeMutablePointer<rfbClient>) {
        // Pixels as native 0x00RRGGBB words.
        cl.pointee.format.redShift = 16
        cl.pointee.format.greenShift = 8
        cl.pointee.format.blueShift = 0
        cl.pointee.connectTimeout = UInt32(max(1, configuration.connectTimeout.rounded(.up)))
        cl.pointee.readTimeout = UInt32(max(1, configuration.connectTimeout.rounded(.up)))
        cl.pointee.canHandleNewFBSize = 1
        cl.pointee.appData.shareDesktop = -1
        // Text recognition needs exact pixels: no lossy JPEG, ever.
        cl.pointee.appData.enableJPEG = 0
        cl.pointee.appData.useRemoteCursor = 0
        // No ZRLE: libvncclient's decoder garbles QEMU's ZRLE tiles in this pixel format (whole 64x64 tiles
        // and stray pixels wrong: found by the console over an ssh tunnel). Tight without JPEG is lossless.
        encodings = strdup(configuration.encodings)
        cl.pointee.appData.encodingsString = UnsafePointer(encodings)
        cl.pointee.appData.compressLevel = configuration.compress ? 6 : 1
        if let host = tlsHost {
            free(cl.pointee.serverHost)
            cl.pointee.serverHost = strdup(host)
        }
        let schemes = configuration.security.offeredSchemes
        schemes.withUnsafeBufferPointer { SetClientAuthSchemes(cl, $0.baseAddress, Int32($0.count)) }

        rfbClientSetClientData(cl, nil, Unmanaged.passUnretained(self).toOpaque())
        cl.pointee.MallocFrameBuffer = { cl in
            guard let cl, let s = VNCSession.owner(of: cl) else { return 0 }
            return s.allocateFramebuffer(cl) ? -1 : 0
        }
        cl.pointee.GotFrameBufferUpdate = { cl, x, y, w, h in
            guard let cl, let s = VNCSession.owner(of: cl) else { return }
            s.noteDirty(cl, VNCRect(x: Int(x), y: Int(y), width: Int(w), height: Int(h)))
        }
        cl.pointee.FinishedFrameBufferUpdate = { cl in
            guard let cl, let s = VNCSession.owner(of: cl) else { return }
            s.publishFrame(cl)
        }
        cl.pointee.GetPassword = { cl in
            guard let cl, let s = VNCSession.owner(of: cl) else { return nil }
            return s.providePassword()
        }
        cl.pointee.GetCredential = { cl, type in
            guard let cl, let s = VNCSession.owner(of: cl) else { return nil }
            return s.provideCredential(type: type)
        }
    }

    private var tlsHost: String? {
        if let n = configuration.tlsServerName { return n }
        if case .tcp(let host, _) = configuration.endpoint { return host }
        return nil
    }

    private static func owner(of cl: UnsafeMutablePointer<rfbClient>) -> VNCSession? {
        guard let p = rfbClientGetClientData(cl, nil) else { return nil }
        return Unmanaged<VNCSession>.fromOpaque(p).takeUnretainedValue()
    }

    private func loop(_ cl: UnsafeMutablePointer<rfbClient>, fd: Int32) throws(VNCError) {
        while true {
            let (stop, input) = shared.withLock { s in
                defer { s.pendingInput.removeAll(keepingCapacity: true) }
                return (s.stopRequested, s.pendingInput)
            }
            for (i, event) in input.enumerated() {
                let ok: Bool
                switch event {
                case .key(let sym, let down): ok = SendKeyEvent(cl, sym, down ? -1 : 0) != 0
                case .pointer(let x, let y, let b): ok = SendPointerEvent(cl, Int32(x), Int32(y), Int32(b)) != 0
                case .refresh:
                    ok = SendFramebufferUpdateRequest(cl, 0, 0, cl.pointee.width, cl.pointee.height, 0) != 0
                    // Its answer is one more whole picture once all of it came (a picture still coming goes on).
                    if ok { shared.withLock { s in if s.coverage.isComplete { s.coverage = FrameCoverage(width: s.width, height: s.height) } } }
                }
                if !ok {
                    // What was not sent stays queued, first (takeUnsentKeys). The failed one may be half written.
                    shared.withLock { s in s.pendingInput.insert(contentsOf: input[(i + 1)...], at: 0) }
                    throw classify()
                }
            }
            // Input queued before close() is still sent (a paste, the backspaces of a test).
            if stop { return }
            // libvncclient may already hold the next message in its buffer: poll() would not see it.
            if cl.pointee.buffered == 0 {
                var pfds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
                let n = poll(&pfds, nfds_t(wakeRead >= 0 ? 2 : 1), wakeRead >= 0 ? -1 : 50)
                if n < 0 && errno != EINTR { throw .protocolError("poll: \(errnoText())") }
                if pfds[1].revents != 0 { drainWake() }
                if pfds[0].revents == 0 { continue }
            }
            guard HandleRFBServerMessage(cl) != 0 else {
                if shared.withLock({ $0.stopRequested }) { return }
                throw classify()
            }
        }
    }

    private func drainWake() {
        var buf = [UInt8](repeating: 0, count: 64)
        while Glibc.read(wakeRead, &buf, buf.count) > 0 {}
    }

    private func teardown() {
        guard let cl = client else { return }
        let fb = cl.pointee.frameBuffer
        shared.withLock { $0.liveSocket = -1 }   // closed below; close() must not shut down a reused descriptor
        rfbClientCleanup(cl)       // closes the socket, frees the client, not the framebuffer
        releaseFramebuffer(fb)
        free(encodings)
        encodings = nil
        client = nil
    }

    // MARK: - Callbacks (session thread)

    private func allocateFramebuffer(_ cl: UnsafeMutablePointer<rfbClient>) -> Bool {
        let w = Int(cl.pointee.width), h = Int(cl.pointee.height)
        releaseFramebuffer(cl.pointee.frameBuffer)
        cl.pointee.frameBuffer = nil
        guard w >= 0, h >= 0, w <= VNCLimits.maxWidth, h <= VNCLimits.maxHeight, w * h * 4 <= VNCLimits.maxBytes else {
            refusedSize = (w, h)
            return false
        }
        let mem: UnsafeMutableRawPointer
        if let pool = configuration.framePool, let b = pool.takeRaw(bytes: max(1, w * h) * 4) {
            (mem, framebufferBytes) = b
        } else if let m = calloc(max(1, w * h), 4) {
            (mem, framebufferBytes) = (m, max(1, w * h) * 4)
        } else {
            refusedSize = (w, h)
            return false
        }
        cl.pointee.frameBuffer = mem.assumingMemoryBound(to: UInt8.self)
        let pixels = configuration.framePool?.takePixels(count: w * h) ?? [UInt32](repeating: 0, count: w * h)
        shared.withLock { s in
            s.width = w; s.height = h
            s.pixels = pixels
            s.dirty.removeAll()
            s.resized = true
            s.coverage = FrameCoverage(width: w, height: h)
            s.whole = false
        }
        frameDirtyRects.removeAll()
        return true
    }

    private func releaseFramebuffer(_ fb: UnsafeMutablePointer<UInt8>?) {
        guard let fb else { return }
        if let pool = configuration.framePool { pool.give(raw: UnsafeMutableRawPointer(fb), bytes: framebufferBytes) } else { free(fb) }
        framebufferBytes = 0
    }

    private func noteDirty(_ cl: UnsafeMutablePointer<rfbClient>, _ r: VNCRect) {
        // QEMU acknowledges the extended key event encoding with a pseudo-rectangle the size of the screen, and
        // libvncclient (0.9.14) reports it as pixels received: it turns on the client-to-server QEMU message as it
        // reads that rectangle, then calls GotFrameBufferUpdate. Counted, it made the zeroed framebuffer a whole
        // (black) picture the moment a session started: against qemu-xen's PV framebuffer, whose real picture came
        // seconds later through the emulated dom0's network, the sampler and `screen` saw a blank screen.
        if !qemuKeyAckSeen && SupportsClient2Server(cl, Int32(rfbQemuEvent)) != 0 {
            qemuKeyAckSeen = true
            return
        }
        frameDirtyRects.append(r)
    }

    private func publishFrame(_ cl: UnsafeMutablePointer<rfbClient>) {
        guard let fb = cl.pointee.frameBuffer else { return }
        let w = Int(cl.pointee.width), h = Int(cl.pointee.height)
        let rects = frameDirtyRects.map { $0.clipped(width: w, height: h) }.filter { !$0.isEmpty }
        frameDirtyRects.removeAll(keepingCapacity: true)
        let src = UnsafeRawPointer(fb).assumingMemoryBound(to: UInt32.self)
        shared.withLock { s in
            guard s.width == w, s.height == h, s.pixels.count == w * h else { return }
            s.pixels.withUnsafeMutableBufferPointer { dst in
                for r in rects {
                    for row in r.y..<(r.y + r.height) {
                        let off = row * w + r.x
                        (dst.baseAddress! + off).update(from: src + off, count: r.width)
                    }
                }
            }
            s.dirty += rects
            if s.dirty.count > 256 { s.dirty = [s.dirty.reduce(VNCRect(x: 0, y: 0, width: 0, height: 0)) { $0.union($1) }] }
            s.generation += 1
            if !s.coverage.isComplete {
                for r in rects { s.coverage.add(r) }
                if s.coverage.isComplete { s.wholePictures += 1; s.whole = true }
            }
        }
        if !rects.isEmpty { onEvent(.frame) }
    }

    private func providePassword() -> UnsafeMutablePointer<CChar>? {
        passwordAsked = true
        guard let provider = configuration.password, let secret = provider(), !secret.isEmpty else { return nil }
        return secret.mallocCString()
    }

    private func provideCredential(type: Int32) -> UnsafeMutablePointer<rfbCredential>? {
        // Only X509 (a CA file to check the server against); username/password VeNCrypt types are not offered.
        guard type == rfbCredentialTypeX509, let ca = configuration.security.tlsCACertFile,
              let cred = calloc(1, MemoryLayout<rfbCredential>.size)?.assumingMemoryBound(to: rfbCredential.self) else { return nil }
        cred.pointee.x509Credential.x509CACertFile = strdup(ca)
        return cred
    }

    // MARK: - Errors

    /// Turns "libvncclient said FALSE" into one clear error, from the phase and what it logged.
    private func classify() -> VNCError {
        if shared.withLock({ $0.stopRequested }) { return .cancelled }
        if let (w, h) = refusedSize { return .framebufferTooLarge(width: w, height: h) }
        let last = log.recent.last ?? "no details"
        if log.last(containing: ["timed out"]) != nil {
            return .timeout(phase == .handshake ? "the server stopped answering during the handshake"
                                                : "the server stalled in the middle of a message")
        }
        if phase == .handshake {
            if log.last(containing: ["reading password failed"]) != nil {
                return .authFailed("the server wants a VNC password and none was given")
            }
            if let l = log.last(containing: ["unknown authentication scheme"]) {
                let offered = l.split(separator: ":").last.map { $0.split(separator: ",").compactMap { UInt32($0.trimmingCharacters(in: .whitespaces)) } } ?? []
                let names = offered.map { RFBSecurity.name($0) }.joined(separator: ", ")
                let allowed = configuration.security.offeredSchemes.map { RFBSecurity.name($0) }.joined(separator: ", ")
                return .authNotAllowed("server offers \(names.isEmpty ? "nothing usable" : names); allowed: \(allowed)")
            }
            if let l = log.last(containing: ["authentication failed", "connection failed"]) {
                let reason = l.components(separatedBy: "failed").last?.trimmingCharacters(in: CharacterSet(charactersIn: ":- ")) ?? ""
                if passwordAsked || l.lowercased().contains("authentication") {
                    return .authFailed(reason.isEmpty ? "wrong password" : reason)
                }
                return .protocolError("server refused the connection: \(reason.isEmpty ? l : reason)")
            }
            if log.last(containing: ["not a valid vnc server"]) != nil {
                return .protocolError("not a VNC server (bad greeting)")
            }
            if log.last(containing: ["closed connection"]) != nil {
                return passwordAsked ? .authFailed("server closed the connection after the password")
                                     : .protocolError("server closed the connection during the handshake")
            }
            return .protocolError(last)
        }
        if log.last(containing: ["closed connection", "connection reset", "broken pipe"]) != nil { return .serverClosed }
        if log.last(containing: ["read (", "write"]) != nil { return .serverClosed }
        return .protocolError(last)
    }
}
