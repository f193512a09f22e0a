import ConsoleCore
import FleetCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One ssh connection per remote host, shared by every tunnel to its displays (the console's and the screen
/// sampler's): OpenSSH's connection sharing. A master (`ssh -M -S SOCKET -N host`) authenticates once; each
/// tunnel is `ssh -S SOCKET -W ADDR:PORT host` (or `nc -U PATH` there, for a UNIX-socket display): a new channel
/// in the master — no new TCP connection, key exchange or authentication. A master that cannot start is
/// remembered for `retryAfter` seconds with ssh's own error line, so a host without keys costs one failed ssh,
/// not one per display. BatchMode: never a prompt. FLEETTUI_SSH overrides the ssh program (a wrapper, in tests).
public final class SSHMultiplexer: Sendable {
    private struct State {
        var masters: [SSHTarget: SSHMaster] = [:]
        var counter = 0
        var closed = false
    }
    private let state = Mutex(State())
    /// Seconds a failed master is not tried again.
    public let retryAfter: Double
    /// The ssh program (FLEETTUI_SSH, else `ssh` on the PATH).
    public let program: String

    /// The process's multiplexer: the console and the screen sampler of one process share its masters, which
    /// are asked to exit when the process exits normally.
    public static let shared: SSHMultiplexer = {
        let m = SSHMultiplexer()
        atexit { SSHMultiplexer.shared.closeAll() }
        return m
    }()

    public init(retryAfter: Double = 30, program: String? = nil) {
        self.retryAfter = retryAfter
        self.program = program ?? SSHStream.program
    }

    deinit { closeAll() }

    /// A stream to a display through the host's shared connection; blocks while the master starts.
    public func open(_ route: DisplayRoute, timeout: Double) throws(VNCError) -> SSHStream {
        let via: SSHTarget
        var tail: [String]
        switch route {
        case .sshTCP(let v, let host, let port):
            via = v
            tail = ["-W", host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)", "--", v.host]
        case .sshUnix(let v, let path):
            via = v
            tail = ["--", v.host, "nc", "-U", "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"]
        default:
            throw .tunnelFailed("not an ssh route: \(route)")
        }
        let master = try self.master(for: via, timeout: timeout)
        tail = ["-S", master.socket, "-o", "ControlMaster=no"] + SSHMultiplexer.options(via, timeout: timeout) + tail
        let stream = try SSHStream.start(program: program, arguments: tail, label: route.description)
        stream.master = master
        return stream
    }

    /// Stops every master (their tunnels end with them).
    public func closeAll() {
        let all = state.withLock { s -> [SSHMaster] in
            s.closed = true
            defer { s.masters.removeAll() }
            return Array(s.masters.values)
        }
        for m in all { m.stop() }
    }

    /// Masters running now (tests: one per host, however many displays).
    public var masterCount: Int {
        state.withLock { Array($0.masters.values) }.filter(\.isRunning).count
    }

    static func options(_ via: SSHTarget, timeout: Double) -> [String] {
        var a = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=\(max(1, Int(timeout.rounded(.up))))", "-e", "none", "-T"]
        if let p = via.port { a += ["-p", String(p)] }
        if let u = via.user { a += ["-l", u] }
        if let k = via.keyfile { a += ["-i", k] }
        return a
    }

    private func master(for via: SSHTarget, timeout: Double) throws(VNCError) -> SSHMaster {
        let retry = retryAfter
        let (m, replaced) = try state.withLock { s throws(VNCError) -> (SSHMaster, SSHMaster?) in
            if s.closed { throw .cancelled }
            if let existing = s.masters[via], existing.usable(retryAfter: retry) { return (existing, nil) }
            s.counter += 1
            let m = SSHMaster(socket: "/tmp/fleettui-ssh-\(getpid())-\(s.counter)", program: program)
            let old = s.masters.updateValue(m, forKey: via)
            return (m, old)
        }
        replaced?.stop()
        try m.ensureStarted(via: via, timeout: timeout)
        return m
    }
}

/// One master connection. Every tunnel opener calls `ensureStarted`: the first starts it, the others wait for it.
/// The master goes to the background once authenticated (`-f -N`) and lingers `persist` seconds after its last
/// tunnel (ControlPersist): a process that exits or is killed leaves no ssh behind for longer than that.
final class SSHMaster: Sendable {
    let socket: String
    let log: String
    let program: String
    static let persist = 60
    private enum Phase: Sendable { case new, starting, up, failed(String, at: Double) }
    private struct State {
        var phase = Phase.new
        var via: SSHTarget?
        var waiters = 0
    }
    private let state = Mutex(State())
    private let started = DispatchSemaphore(value: 0)

    init(socket: String, program: String) {
        self.socket = socket
        self.program = program
        log = socket + ".log"
    }

    /// The master answers on its control socket.
    var isRunning: Bool { Self.socketAnswers(socket) }

    func usable(retryAfter: Double) -> Bool {
        let phase = state.withLock { $0.phase }
        switch phase {
        case .new, .starting: return true
        case .up: return isRunning
        case .failed(_, let at): return Monotonic.now() - at < retryAfter
        }
    }

    func ensureStarted(via: SSHTarget, timeout: Double) throws(VNCError) {
        enum Next { case start, wait, up, failed(String) }
        let next = state.withLock { s -> Next in
            switch s.phase {
            case .new: s.phase = .starting; s.via = via; return .start
            case .starting: s.waiters += 1; return .wait
            case .up: return .up
            case .failed(let why, _): return .failed(why)
            }
        }
        switch next {
        case .up: return
        case .failed(let why): throw .tunnelFailed(why)
        case .wait:
            started.wait()
            if case .failed(let why, _) = state.withLock({ $0.phase }) { throw .tunnelFailed(why) }
            return
        case .start:
            let outcome = start(via: via, timeout: timeout)
            let waiters = state.withLock { s -> Int in
                s.phase = outcome.map { .failed($0, at: Monotonic.now()) } ?? .up
                defer { s.waiters = 0 }
                return s.waiters
            }
            for _ in 0..<waiters { started.signal() }
            if let why = outcome { throw .tunnelFailed(why) }
        }
    }

    /// nil when the master is up; else why not (ssh's own last line).
    private func start(via: SSHTarget, timeout: Double) -> String? {
        unlink(socket)
        unlink(log)
        let p = Process()
        let args = ["-M", "-S", socket, "-f", "-N", "-o", "ControlPersist=\(Self.persist)", "-o", "ServerAliveInterval=15",
                    "-o", "ServerAliveCountMax=3", "-E", log] + SSHMultiplexer.options(via, timeout: timeout) + ["--", via.host]
        p.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        p.arguments = program.contains("/") ? args : [program] + args
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return "cannot run \(program): \(error.localizedDescription)" }
        // ssh -f returns once authenticated (the master lives on in the background), or fails.
        let end = Monotonic.now() + timeout + 2
        while p.isRunning && Monotonic.now() < end { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            return "ssh \(Sanitize.oneLine(via.host)): no connection within \(Int(timeout.rounded(.up))) s"
        }
        if p.terminationStatus == 0 {
            for _ in 0..<100 where !Self.socketAnswers(socket) { usleep(10_000) }
            if Self.socketAnswers(socket) { unlink(log); return nil }
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        unlink(log)
        let last = text.split(whereSeparator: \.isNewline).last.map { Sanitize.oneLine(String($0)) } ?? ""
        return last.isEmpty ? "ssh exited with status \(p.terminationStatus)" : last
    }

    static func socketAnswers(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFSOCK else { return false }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes); $0[bytes.count] = 0 }
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    /// Asks the master to exit (`ssh -O exit`); it would otherwise end by itself `persist` seconds after its
    /// last tunnel.
    func stop() {
        guard let via = state.withLock({ $0.via }), Self.socketAnswers(socket) else { unlink(socket); return }
        let p = Process()
        let args = ["-S", socket, "-O", "exit"] + SSHMultiplexer.options(via, timeout: 2) + ["--", via.host]
        p.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        p.arguments = program.contains("/") ? args : [program] + args
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        if (try? p.run()) != nil {
            let end = Monotonic.now() + 3
            while p.isRunning && Monotonic.now() < end { usleep(10_000) }
            if p.isRunning { p.terminate() }
        }
        unlink(socket)
    }
}

/// A stdio stream through ssh: ssh's stdin/stdout is one end of a socketpair, the VNC session gets the other.
public final class SSHStream: Sendable {
    private let process = Process()
    private let stderrPipe = Pipe()
    private let errorText = Mutex(Data())
    private let masterBox = Mutex<SSHMaster?>(nil)
    public let label: String
    /// The local end, for the VNC session (which owns it from then on).
    public let fd: Int32

    /// The master this stream rides on, if any (kept alive with it).
    var master: SSHMaster? {
        get { masterBox.withLock { $0 } }
        set { masterBox.withLock { $0 = newValue } }
    }

    public static var program: String {
        ProcessInfo.processInfo.environment["FLEETTUI_SSH"].flatMap { $0.isEmpty ? nil : $0 } ?? "ssh"
    }

    private init(label: String, fd: Int32) { self.label = label; self.fd = fd }

    /// Runs `program` (ssh) with `arguments` on a socketpair.
    public static func start(program: String = SSHStream.program, arguments: [String], label: String) throws(VNCError) -> SSHStream {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else {
            throw .tunnelFailed("socketpair: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(pair[0], F_SETFD, FD_CLOEXEC)
        let s = SSHStream(label: label, fd: pair[0])
        s.process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        s.process.arguments = program.contains("/") ? arguments : [program] + arguments
        let child = FileHandle(fileDescriptor: pair[1], closeOnDealloc: false)
        s.process.standardInput = child
        s.process.standardOutput = child
        s.process.standardError = s.stderrPipe
        s.stderrPipe.fileHandleForReading.readabilityHandler = { [weak s] h in
            let d = h.availableData
            guard let s, !d.isEmpty else { return }
            s.errorText.withLock { if $0.count < 8192 { $0.append(d) } }
        }
        do { try s.process.run() } catch {
            Glibc.close(pair[0]); Glibc.close(pair[1])
            throw .tunnelFailed("cannot run \(program): \(error.localizedDescription)")
        }
        Glibc.close(pair[1])
        return s
    }

    /// ssh's own last error line, once it has exited (e.g. "Permission denied (publickey)").
    public var failure: String? {
        guard !process.isRunning else { return nil }
        let text = errorText.withLock { String(decoding: $0, as: UTF8.self) }
        let last = text.split(whereSeparator: \.isNewline).last.map { Sanitize.oneLine(String($0)) } ?? ""
        return last.isEmpty ? "ssh exited with status \(process.terminationStatus)" : last
    }

    public func close() {
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { process.terminate() }
    }

    deinit { close() }
}
