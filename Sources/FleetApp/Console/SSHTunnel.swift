import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Synchronization

/// A stdio tunnel through the user's own ssh (as virt-viewer does): ssh's stdin/stdout is one end of a
/// socketpair, the VNC session gets the other. `ssh -W host:port` needs nothing on the remote side; a UNIX
/// socket display goes through `nc -U` there. FLEETTUI_SSH overrides the ssh program (a wrapper, tests).
final class SSHTunnel: Sendable {
    private let process = Process()
    private let stderrPipe = Pipe()
    private let errorText = Mutex(Data())
    let label: String

    /// Starts ssh; returns the tunnel and the local socket end for the VNC session (owned by the caller).
    static func open(_ route: DisplayRoute) throws(VNCError) -> (tunnel: SSHTunnel, fd: Int32) {
        let args: [String]
        switch route {
        case .sshTCP(let via, let host, let port): args = via.arguments(forward: (host, port))
        case .sshUnix(let via, let path): args = via.arguments(remoteCommand: ["nc", "-U", shellQuote(path)])
        default: throw .tunnelFailed("not an ssh route: \(route)")
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else {
            throw .tunnelFailed("socketpair: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(pair[0], F_SETFD, FD_CLOEXEC)
        let t = SSHTunnel(label: route.description)
        let program = ProcessInfo.processInfo.environment["FLEETTUI_SSH"].flatMap { $0.isEmpty ? nil : $0 } ?? "ssh"
        t.process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        t.process.arguments = program.contains("/") ? args : [program] + args
        let child = FileHandle(fileDescriptor: pair[1], closeOnDealloc: false)
        t.process.standardInput = child
        t.process.standardOutput = child
        t.process.standardError = t.stderrPipe
        t.stderrPipe.fileHandleForReading.readabilityHandler = { [weak t] h in
            let d = h.availableData
            guard let t, !d.isEmpty else { return }
            t.errorText.withLock { if $0.count < 8192 { $0.append(d) } }
        }
        do {
            try t.process.run()
        } catch {
            Glibc.close(pair[0]); Glibc.close(pair[1])
            throw .tunnelFailed("cannot run \(program): \(error.localizedDescription)")
        }
        Glibc.close(pair[1])
        return (t, pair[0])
    }

    private init(label: String) { self.label = label }

    /// ssh's own last error line, if it has exited (e.g. "Permission denied (publickey)").
    var failure: String? {
        guard !process.isRunning else { return nil }
        let text = errorText.withLock { String(decoding: $0, as: UTF8.self) }
        let last = text.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return last.isEmpty ? "ssh exited with status \(process.terminationStatus)" : last
    }

    func close() {
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { process.terminate() }
    }

    deinit { close() }

    private static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
