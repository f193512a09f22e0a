import Foundation
import Testing
import TestSupport

/// The harness every process-running test uses (no bed needed).
@Suite struct SpawnTests {
    /// A descriptor the test process holds without close-on-exec (as Foundation's temporary files are while
    /// written) does not reach the child: only stdin, stdout and stderr do.
    @Test func theChildGetsOnlyItsThreeStandardDescriptors() throws {
        let leaky = open("/dev/null", O_RDONLY)     // no O_CLOEXEC
        #expect(leaky > 2)
        defer { close(leaky) }
        let r = try Spawn.run("/bin/sh", ["-c", "cd /proc/$$/fd && echo *"], timeout: 30)
        #expect(r.status == 0, "\(r.err)")
        let fds = Set(r.out.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        #expect(!fds.contains(leaky), "the child inherited fd \(leaky): \(r.out)")
        #expect(fds.isSuperset(of: [0, 1, 2]), "\(r.out)")
    }

    @Test func aWrittenScriptRuns() throws {
        let path = NSTemporaryDirectory() + "spawn-script-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Spawn.writeScript("#!/bin/sh\necho \"ran with $1\"\n", to: path)
        #expect(FileManager.default.isExecutableFile(atPath: path))
        let r = try Spawn.run(path, ["x"], timeout: 30)
        #expect(r.status == 0 && r.out == "ran with x\n", "\(r.status) \(r.out) \(r.err)")
    }
}
