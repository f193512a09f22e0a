import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Real processes for integration tests (fleettui export, Prometheus, Debian's libvirt exporter):
/// output to files in a temp dir, stopped by pid (SIGTERM, then SIGKILL) when the test ends.
final class Child: Sendable {
    let name: String
    let process: SpawnedProcess
    let stdoutPath: String
    let stderrPath: String

    init(_ name: String, _ executable: String, _ args: [String], dir: String) throws {
        self.name = name
        stdoutPath = dir + "/\(name).out"
        stderrPath = dir + "/\(name).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process = try SpawnedProcess(executable, args, stdout: .file(stdoutPath), stderr: .file(stderrPath))
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    func stop() { process.stop(grace: 5) }

    deinit { stop() }
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
