import Foundation
#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// Child processes for tests, without Foundation's `Process`.
///
/// `Process.waitUntilExit()` on Linux spins a RunLoop until Foundation's SIGCHLD monitoring notices the
/// exit; with several test threads starting processes at once it can miss it and wait forever, with the
/// child long gone (seen here: the bed's kill-host and a tmux call hung a whole test run). Here each
/// child is started with posix_spawn and reaped with waitpid on its own pid, which cannot miss an exit.
/// Output goes to files, not pipes, so a daemon that inherits it (the tmux server) cannot block a read.
public enum Spawn {
    public struct Result: Sendable {
        /// The exit code, or 128 + signal when the child was killed by a signal (as a shell says).
        public var status: Int32
        public var out: String
        public var err: String
        public var timedOut: Bool
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Where a child's stdout or stderr goes.
    public enum Output: Sendable {
        case capture            // a temp file, read back into the result
        case inherit            // the test's own
        case discard            // /dev/null
        case file(String)       // appended to this file
        case pipe               // a pipe the caller reads (`SpawnedProcess.readLine`)
    }

    /// Runs to completion (killed after `timeout` seconds). stdin is /dev/null unless `input` is given.
    public static func run(_ path: String, _ args: [String], environment: [String: String]? = nil,
                           input: String? = nil, stdout: Output = .capture, stderr: Output = .capture,
                           timeout: Double = 120) throws -> Result {
        let p = try SpawnedProcess(path, args, environment: environment, input: input, stdout: stdout, stderr: stderr)
        let status = p.wait(timeout: timeout)
        if status == nil { p.kill(SIGKILL); _ = p.wait(timeout: nil) }
        return Result(status: p.exitStatus ?? -1, out: p.capturedOut(), err: p.capturedErr(), timedOut: status == nil)
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), which Swift's Glibc module does not
    /// export (a GNU extension): found at run time.
    static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let sym = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("this glibc has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later needed)")
        }
        return unsafeBitCast(sym, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// An ssh that logs how it was run (its arguments, a line per run, appended to `log`) and then runs
    /// /usr/bin/ssh: given to fleettui (FLEETTUI_SSH) or an SSHMultiplexer to see its masters and tunnels.
    public static func writeSSHWrapper(at path: String, log: String) throws {
        try writeScript("#!/bin/sh\necho \"$*\" >> \(log)\nexec /usr/bin/ssh \"$@\"\n", to: path)
    }

    /// Writes an executable script (mode 0755) for a test to run. A child process writes it, never this one:
    /// any child another thread clones while this process holds the file open for writing holds it too, and
    /// running the script fails with ETXTBSY ("Text file busy") until that child has exec'd or ended, even
    /// with close-on-exec (seen in SpawnTests without closefrom: the script of one test busy in another's child).
    public static func writeScript(_ text: String, to path: String) throws {
        let r = try run("/bin/sh", ["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh", path], input: text, timeout: 30)
        guard r.status == 0 else { throw Failure(description: "cannot write \(path): \(r.err)") }
    }
}

/// A child started with posix_spawn. Reaped by `wait`, `isRunning` or `stop`; never by anyone else.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t
    /// The exit status once reaped, and what was read of a `.pipe` stdout but not yet returned as a line.
    private struct State {
        var status: Int32?
        var pipeBuffer: [UInt8] = []
    }
    private let state = Mutex(State())
    private let outFile: String?
    private let errFile: String?
    private let pipeRead: Int32

    public init(_ path: String, _ args: [String], environment: [String: String]? = nil, input: String? = nil,
                stdout: Spawn.Output = .discard, stderr: Spawn.Output = .discard) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var cleanup: [String] = []
        var closeAfter: [Int32] = []

        func tempFile(_ tag: String) -> String {
            NSTemporaryDirectory() + "spawn-\(getpid())-\(UUID().uuidString)-\(tag)"
        }
        // stdin
        if let input {
            let f = tempFile("in")
            _ = FileManager.default.createFile(atPath: f, contents: Data(input.utf8))
            cleanup.append(f)
            posix_spawn_file_actions_addopen(&actions, 0, f, O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        var outPath: String?, errPath: String?, readEnd: Int32 = -1
        func route(_ o: Spawn.Output, fd: Int32, tag: String) throws -> String? {
            switch o {
            case .inherit: return nil
            case .discard: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0); return nil
            case .file(let f): posix_spawn_file_actions_addopen(&actions, fd, f, O_WRONLY | O_CREAT | O_APPEND, 0o644); return nil
            case .capture:
                let f = tempFile(tag)
                posix_spawn_file_actions_addopen(&actions, fd, f, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                return f
            case .pipe:
                // Both ends close-on-exec: a child another thread spawns meanwhile (Foundation's Process too)
                // must not keep our write end, or the reader never sees end of file. dup2 in the child clears
                // the flag on the copy it makes.
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { throw Spawn.Failure(description: "pipe: \(String(cString: strerror(errno)))") }
                for f in fds { _ = fcntl(f, F_SETFD, FD_CLOEXEC) }
                posix_spawn_file_actions_adddup2(&actions, fds[1], fd)
                closeAfter.append(fds[1])
                readEnd = fds[0]
                return nil
            }
        }
        outPath = try route(stdout, fd: 1, tag: "out")
        errPath = try route(stderr, fd: 2, tag: "err")
        // The child gets stdin, stdout and stderr, nothing else. Without this it inherited every descriptor the
        // test process had open without close-on-exec at that moment, from any thread: a script another test was
        // writing stayed open for writing in a long-lived child, and running that script then failed with
        // ETXTBSY ("cannot run …/ssh", ScreenSamplerBedTests, whole-suite run at stop 20).
        guard Spawn.addCloseFrom(&actions, 3) == 0 else { throw Spawn.Failure(description: "posix_spawn_file_actions_addclosefrom_np failed") }

        let argv = ([path] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envStrings = environment.map { env in env.map { "\($0.key)=\($0.value)" } }
        let envp: [UnsafeMutablePointer<CChar>?]? = envStrings.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }

        // A clean signal state, as Foundation's Process gives: the calling thread is often a
        // libdispatch worker that blocks nearly every signal, and a child (and the tmux server and
        // every program it runs) would inherit that mask — no SIGWINCH, no SIGHUP, no SIGINT.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attr, &noSignals)
        posix_spawnattr_setsigdefault(&attr, &allSignals)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var child: pid_t = 0
        let rc: Int32
        if let envp {
            rc = envp.withUnsafeBufferPointer { posix_spawnp(&child, path, &actions, &attr, argv, $0.baseAddress) }
        } else {
            rc = posix_spawnp(&child, path, &actions, &attr, argv, environ)
        }
        closeAfter.forEach { _ = Glibc.close($0) }
        for f in cleanup { try? FileManager.default.removeItem(atPath: f) }
        guard rc == 0 else {
            if readEnd >= 0 { _ = Glibc.close(readEnd) }
            throw Spawn.Failure(description: "cannot run \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        outFile = outPath; errFile = errPath; pipeRead = readEnd
    }

    deinit {
        if pipeRead >= 0 { _ = Glibc.close(pipeRead) }
        for f in [outFile, errFile].compactMap({ $0 }) { try? FileManager.default.removeItem(atPath: f) }
    }

    /// Reaps the child if it has ended; true while it runs.
    public var isRunning: Bool { reap(block: false) == nil }

    /// The exit status once the child has been reaped (128 + signal for a killed child).
    public var exitStatus: Int32? { state.withLock { $0.status } }

    /// Waits for the child to end: its exit status, or nil if `timeout` (seconds) passed first.
    @discardableResult
    public func wait(timeout: Double?) -> Int32? {
        guard let timeout else { return reap(block: true) }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let s = reap(block: false) { return s }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    public func kill(_ signal: Int32 = SIGTERM) {
        if isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// SIGTERM, up to `grace` seconds, then SIGKILL; always reaps.
    public func stop(grace: Double = 5) {
        guard isRunning else { return }
        kill(SIGTERM)
        if wait(timeout: grace) == nil { kill(SIGKILL); _ = wait(timeout: nil) }
    }

    /// The next line of a `.pipe` stdout (without the newline), or nil at end of file.
    public func readLine() -> String? {
        guard pipeRead >= 0 else { return nil }
        while true {
            let line = state.withLock { s -> String? in
                guard let nl = s.pipeBuffer.firstIndex(of: 0x0A) else { return nil }
                defer { s.pipeBuffer.removeSubrange(...nl) }
                return String(decoding: s.pipeBuffer[..<nl], as: UTF8.self)
            }
            if let line { return line }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = Glibc.read(pipeRead, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                return state.withLock { s in
                    guard !s.pipeBuffer.isEmpty else { return nil }
                    defer { s.pipeBuffer = [] }
                    return String(decoding: s.pipeBuffer, as: UTF8.self)
                }
            }
            let got = chunk[..<n]
            state.withLock { $0.pipeBuffer.append(contentsOf: got) }
        }
    }

    /// What a `.capture` stdout / stderr holds so far.
    public func capturedOut() -> String { read(outFile) }
    public func capturedErr() -> String { read(errFile) }

    private func read(_ path: String?) -> String {
        guard let path, let d = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: d, as: UTF8.self)
    }

    /// Under the lock: one thread reaps, the others then see its status.
    private func reap(block: Bool) -> Int32? {
        let pid = pid
        return state.withLock { s in
            if let status = s.status { return status }
            var raw: Int32 = 0
            while true {
                let r = waitpid(pid, &raw, block ? 0 : WNOHANG)
                if r == pid { break }
                if r == 0 { return nil }
                if errno == EINTR { continue }
                s.status = -1          // not our child any more (cannot happen unless someone else reaped it)
                return s.status
            }
            let sig = raw & 0x7F
            s.status = sig == 0 ? (raw >> 8) & 0xFF : 128 + sig
            return s.status
        }
    }
}

/// The names tests used with Foundation's `Process`, so call sites read the same.
extension SpawnedProcess {
    public var processIdentifier: pid_t { pid }
    public var terminationStatus: Int32 { exitStatus ?? -1 }
    public func waitUntilExit() { _ = wait(timeout: nil) }
    public func terminate() { kill(SIGTERM) }
}
