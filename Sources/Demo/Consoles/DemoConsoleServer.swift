import CVNCServer
import CVNCServerShims
import DemoCore
import FleetCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One demo guest's VNC display: its screen (`DemoGuestConsole`), the UNIX socket it is served on, and, once a
/// viewer connects, the libvncserver screen and framebuffer. Touched by the server thread only.
final class HostedDisplay {
    let name: String
    let socketPath: String
    var console: DemoGuestConsole
    var lockFD: Int32 = -1
    var listenFD: Int32 = -1
    var screen: UnsafeMutablePointer<rfbScreenInfo>?
    var pixels: UnsafeMutablePointer<UInt32>?

    init(name: String, socketPath: String, console: DemoGuestConsole) {
        self.name = name; self.socketPath = socketPath; self.console = console
    }

    var lockPath: String { socketPath + ".lock" }
}

/// Serves the demo guests' displays with libvncserver, each on its own UNIX socket (never a TCP port: the
/// machine's real guests own 5900 and up), all from one thread that sleeps in poll() until a viewer sends
/// something or a console has something to draw (a boot printing).
///
/// Several fleettui processes may show the demo at once (the monitor, `console --demo`, `screen --demo`): the
/// first to lock a display's `NAME.sock.lock` (flock, released when the process ends) serves it, the others are
/// its viewers like any client; a process that finds a display unserved (its server exited) takes it over
/// within a second.
final class DemoConsoleServer: @unchecked Sendable {   // the displays (libvncserver screens) are the server thread's alone
    private let displays: [HostedDisplay]
    private let state = Mutex(State())
    private let wakeRead: Int32, wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)

    private struct State { var stopped = false; var started = false }

    init(displays: [HostedDisplay]) {
        self.displays = displays
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC); _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        } else {
            fds = [-1, -1]
        }
        wakeRead = fds[0]; wakeWrite = fds[1]
    }

    var names: [String] { displays.map(\.name) }

    func start() {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        // The first claim now, so the sockets are there when the demo's hosts are handed out.
        for d in displays { claim(d) }
        let t = Thread { [self] in run(); finished.signal() }
        t.name = "demo-consoles"
        t.stackSize = 1 << 20
        t.start()
    }

    /// Stops serving (closes every connection and socket); waits for the thread.
    func stop() {
        let wasRunning = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return s.started && !s.stopped
        }
        guard wasRunning else { return }
        wake()
        _ = finished.wait(timeout: .now() + 5)
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func wake() {
        var b: UInt8 = 1
        if wakeWrite >= 0 { _ = Glibc.write(wakeWrite, &b, 1) }
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    // MARK: - the server thread

    private func run() {
        fleet_vncserver_silence()
        var nextClaim = Self.now() + 1
        while !isStopped {
            var now = Self.now()
            if now >= nextClaim, displays.contains(where: { $0.listenFD < 0 }) {
                for d in displays where d.listenFD < 0 { claim(d) }
                nextClaim = now + 1
            }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            var listeners: [(Int, HostedDisplay)] = []
            // Displays another process serves are tried again every second; when all are ours, nothing wakes the
            // thread but a viewer or a console with something to draw.
            var deadline = displays.contains { $0.listenFD < 0 } ? nextClaim : now + 3600
            for d in displays where d.listenFD >= 0 {
                listeners.append((fds.count, d))
                fds.append(pollfd(fd: d.listenFD, events: Int16(POLLIN), revents: 0))
                for fd in clientSockets(d) { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
                if let w = d.console.wakeAt { deadline = min(deadline, w) }
            }
            let ms = Int32(max(0, min(3_600_000, (deadline - now) * 1000)).rounded(.up))
            _ = poll(&fds, nfds_t(fds.count), ms)
            var sink = [UInt8](repeating: 0, count: 64)
            while wakeRead >= 0 && Glibc.read(wakeRead, &sink, sink.count) > 0 {}
            if isStopped { break }
            for (i, d) in listeners where fds[i].revents & Int16(POLLIN) != 0 { accept(d) }
            now = Self.now()
            for d in displays where d.listenFD >= 0 {
                if let s = d.screen { rfbProcessEvents(s, 0) }      // viewers' messages: keys reach the console here
                d.console.advance(to: now)
                if let s = d.screen, draw(d) { rfbProcessEvents(s, 0) }   // send what changed
            }
        }
        for d in displays { release(d) }
    }

    /// Takes the display if no other process serves it: its lock, then a fresh socket in place of a stale one.
    private func claim(_ d: HostedDisplay) {
        let lock = open(d.lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else { return }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { close(lock); return }
        unlink(d.socketPath)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { close(lock); return }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = Array(d.socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: addr.sun_path) else { close(fd); close(lock); return }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
            raw[path.count] = 0
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
        guard ok, listen(fd, 16) == 0 else { close(fd); close(lock); return }
        d.lockFD = lock
        d.listenFD = fd
    }

    private func accept(_ d: HostedDisplay) {
        while true {
            let fd = Glibc.accept(d.listenFD, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            guard let s = ensureScreen(d), rfbNewClient(s, fd) != nil else { close(fd); continue }
        }
    }

    /// The libvncserver screen, made when the first viewer connects (a display nobody looks at costs no
    /// framebuffer).
    private func ensureScreen(_ d: HostedDisplay) -> UnsafeMutablePointer<rfbScreenInfo>? {
        if let s = d.screen { return s }
        let w = d.console.width, h = d.console.height
        guard let s = rfbGetScreen(nil, nil, Int32(w), Int32(h), 8, 3, 4) else { return nil }
        let px = UnsafeMutablePointer<UInt32>.allocate(capacity: w * h)
        px.initialize(repeating: 0, count: w * h)
        s.pointee.frameBuffer = UnsafeMutableRawPointer(px).assumingMemoryBound(to: CChar.self)
        // Pixels are 0x00RRGGBB words, as DemoGuestConsole draws them.
        s.pointee.serverFormat.redShift = 16
        s.pointee.serverFormat.greenShift = 8
        s.pointee.serverFormat.blueShift = 0
        s.pointee.autoPort = 0
        s.pointee.port = 0          // no TCP listener: connections come from our UNIX socket
        s.pointee.ipv6port = 0
        s.pointee.alwaysShared = 1  // the console and the screens sampler may watch at once
        s.pointee.cursor = nil      // no pointer drawn into the picture
        s.pointee.deferUpdateTime = 0
        s.pointee.desktopName = UnsafePointer(strdup("\(d.name) (FleetTUI demo)"))
        s.pointee.screenData = Unmanaged.passUnretained(d).toOpaque()
        s.pointee.kbdAddEvent = { down, keysym, client in
            guard let data = client?.pointee.screen?.pointee.screenData else { return }
            let display = Unmanaged<HostedDisplay>.fromOpaque(data).takeUnretainedValue()
            display.console.key(UInt32(keysym), down: down != 0, now: DemoConsoleServer.now())
        }
        fleet_vncserver_init(UnsafeMutableRawPointer(s))
        d.screen = s
        d.pixels = px
        d.console.redrawAll()
        _ = draw(d)
        return s
    }

    /// Draws what changed into the framebuffer and tells libvncserver; false when nothing did.
    private func draw(_ d: HostedDisplay) -> Bool {
        guard let s = d.screen, let px = d.pixels, d.console.hasChanges else { return false }
        let w = d.console.width
        guard let r = d.console.draw(into: UnsafeMutableBufferPointer(start: px, count: w * d.console.height), stride: w) else {
            return false
        }
        rfbMarkRectAsModified(s, Int32(r.x), Int32(r.y), Int32(r.maxX), Int32(r.maxY))
        return true
    }

    private func clientSockets(_ d: HostedDisplay) -> [Int32] {
        guard let s = d.screen, let it = rfbGetClientIterator(s) else { return [] }
        defer { rfbReleaseClientIterator(it) }
        var out: [Int32] = []
        while let cl = rfbClientIteratorNext(it) { if cl.pointee.sock >= 0 { out.append(cl.pointee.sock) } }
        return out
    }

    private func release(_ d: HostedDisplay) {
        if let s = d.screen {
            rfbShutdownServer(s, 1)
            rfbScreenCleanup(s)
            d.screen = nil
        }
        d.pixels?.deallocate()
        d.pixels = nil
        if d.listenFD >= 0 { close(d.listenFD); unlink(d.socketPath); d.listenFD = -1 }
        if d.lockFD >= 0 { close(d.lockFD); d.lockFD = -1 }
    }
}
