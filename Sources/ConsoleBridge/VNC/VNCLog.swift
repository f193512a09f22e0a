import CVNCShims
import FleetCore
import Foundation
import Synchronization

/// libvncclient logs through two global variadic hooks; the C shim formats each line and calls one
/// sink. Lines are routed to the session running on the calling thread (each session has its own
/// thread), kept in a small ring for error messages, and never reach stdout/stderr. With
/// FLEETTUI_VNC_LOG=FILE they are also appended to FILE for troubleshooting (libvncclient never logs
/// passwords).
final class VNCLog: Sendable {
    private let lines = Mutex<[String]>([])
    private static let keep = 40

    func append(_ line: String) {
        lines.withLock { l in
            l.append(line)
            if l.count > Self.keep { l.removeFirst(l.count - Self.keep) }
        }
    }

    var recent: [String] { lines.withLock { $0 } }

    /// The most recent line containing any of the fragments (case-insensitive).
    func last(containing fragments: [String]) -> String? {
        recent.last { line in
            let l = line.lowercased()
            return fragments.contains { l.contains($0) }
        }
    }

    func clear() { lines.withLock { $0.removeAll() } }
}

/// Routes libvncclient's process-wide log hooks to the session of the current thread.
enum VNCLogRouter {
    private struct Table {
        var logs: [UInt: VNCLog] = [:]
        var installed = false
    }
    private static let table = Mutex(Table())
    private static let file: FileHandle? = {
        guard let path = ProcessInfo.processInfo.environment["FLEETTUI_VNC_LOG"], !path.isEmpty else { return nil }
        return OutputFile.open(path, append: true, permissions: 0o600)
    }()

    /// Attaches `log` to the calling thread (the session thread) until `detach()`.
    static func attach(_ log: VNCLog) {
        installSilently()
        table.withLock { $0.logs[UInt(pthread_self())] = log }
    }

    static func detach() {
        table.withLock { $0.logs[UInt(pthread_self())] = nil }
    }

    /// Makes sure the hooks are redirected even before any session exists (a stray library log line
    /// must not land on a curses screen).
    static func installSilently() {
        table.withLock { t in
            guard !t.installed else { return }
            fleet_vnc_set_log_sink { isError, cLine in
                guard let cLine else { return }
                VNCLogRouter.deliver(isError: isError != 0, line: String(cString: cLine))
            }
            t.installed = true
        }
    }

    private static func deliver(isError: Bool, line: String) {
        let clean = Sanitize.oneLine(line)
        let log = table.withLock { $0.logs[UInt(pthread_self())] }
        log?.append(clean)
        if let file {
            file.write(Data("\(isError ? "E" : "I") \(clean)\n".utf8))
        }
    }
}
