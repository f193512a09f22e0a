import CVNCShims
import FleetCore
import Foundation

/// libvncclient logs through two global variadic hooks; the C shim formats each line and calls one
/// sink. Lines are routed to the session running on the calling thread (each session has its own
/// thread), kept in a small ring for error messages, and never reach stdout/stderr. With
/// FLEETTUI_VNC_LOG=FILE they are also appended to FILE for troubleshooting (libvncclient never logs
/// passwords).
final class VNCLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private static let keep = 40

    func append(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        lines.append(line)
        if lines.count > Self.keep { lines.removeFirst(lines.count - Self.keep) }
    }

    var recent: [String] {
        lock.lock(); defer { lock.unlock() }
        return lines
    }

    /// The most recent line containing any of the fragments (case-insensitive).
    func last(containing fragments: [String]) -> String? {
        recent.last { line in
            let l = line.lowercased()
            return fragments.contains { l.contains($0) }
        }
    }

    func clear() {
        lock.lock(); defer { lock.unlock() }
        lines.removeAll()
    }
}

/// Routes libvncclient's process-wide log hooks to the session of the current thread.
enum VNCLogRouter {
    private final class Table: @unchecked Sendable {
        let lock = NSLock()
        var logs: [UInt: VNCLog] = [:]
        var installed = false
        let file: FileHandle? = {
            guard let path = ProcessInfo.processInfo.environment["FLEETTUI_VNC_LOG"], !path.isEmpty else { return nil }
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let h = FileHandle(forWritingAtPath: path)
            h?.seekToEndOfFile()
            return h
        }()
    }
    private static let table = Table()

    /// Attaches `log` to the calling thread (the session thread) until `detach()`.
    static func attach(_ log: VNCLog) {
        installSilently()
        let t = table
        t.lock.lock()
        t.logs[UInt(pthread_self())] = log
        t.lock.unlock()
    }

    static func detach() {
        let t = table
        t.lock.lock()
        t.logs[UInt(pthread_self())] = nil
        t.lock.unlock()
    }

    /// Makes sure the hooks are redirected even before any session exists (a stray library log line
    /// must not land on a curses screen).
    static func installSilently() {
        let t = table
        t.lock.lock(); defer { t.lock.unlock() }
        if !t.installed {
            fleet_vnc_set_log_sink { isError, cLine in
                guard let cLine else { return }
                VNCLogRouter.deliver(isError: isError != 0, line: String(cString: cLine))
            }
            t.installed = true
        }
    }

    private static func deliver(isError: Bool, line: String) {
        let clean = Sanitize.oneLine(line)
        let t = table
        t.lock.lock()
        let log = t.logs[UInt(pthread_self())]
        let file = t.file
        t.lock.unlock()
        log?.append(clean)
        if let file {
            file.write(Data("\(isError ? "E" : "I") \(clean)\n".utf8))
        }
    }
}
