import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Real processes for integration tests (fleettui export, Prometheus, Debian's libvirt exporter):
/// output to files in a temp dir, stopped by pid (SIGTERM, then SIGKILL) when the test ends.
final class Child: @unchecked Sendable {
    let name: String
    let process: SpawnedProcess
    let stdoutPath: String
    let stderrPath: String

    init(_ name: String, _ executable: String, _ args: [String], dir: String) throws {
        self.name = name
        stdoutPath = dir + "/\(name).out"
        stderrPath = dir + "/\(name).err"
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process = try SpawnedProcess(executable, args, stdout: .file(stdoutPath), stderr: .file(stderrPath))
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    func stop() { process.stop(grace: 5) }

    deinit { stop() }
}

enum Ports {
    /// A free loopback port in 19100-19899 (checked by binding it).
    static func free() -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 19100...19899)
            if isFree(port) { return port }
        }
        return 0
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

struct TestFailure: Error, CustomStringConvertible { let description: String }

enum Paths {
    /// The `fleettui` binary next to the test bundle (swift build puts them in one directory).
    static func fleettui() throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("fleettui").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/fleettui"
        if FileManager.default.isExecutableFile(atPath: fallback) { return fallback }
        throw TestFailure(description: "fleettui binary not found next to \(CommandLine.arguments[0]); run swift build first")
    }

    static func tempDir(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "export-\(tag)-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func which(_ cmd: String) throws -> String {
        for d in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"] where FileManager.default.isExecutableFile(atPath: "\(d)/\(cmd)") {
            return "\(d)/\(cmd)"
        }
        throw TestFailure(description: "\(cmd) is not installed (scripts/deps test installs it)")
    }
}

/// Polls `check` until it returns a value or `timeout` passes.
func eventually<T>(_ what: String, timeout: Double, every: Double = 0.25, _ check: () throws -> T?) throws -> T {
    let deadline = Date(timeIntervalSinceNow: timeout)
    var lastError: Error?
    while Date() < deadline {
        do { if let v = try check() { return v } } catch { lastError = error }
        usleep(UInt32(every * 1_000_000))
    }
    throw TestFailure(description: "timed out after \(timeout) s waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? ""))
}
