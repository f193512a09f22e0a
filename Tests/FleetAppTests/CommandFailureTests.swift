import Foundation
import Testing
@testable import FleetApp

/// Every command fails the same way: one CommandFailure, printed by FleetTUICommand.main as `fleettui: LINE`
/// with its exit status. These run the commands in process and read the failure they throw.
@Suite struct CommandFailureTests {
    private func failure(_ args: [String]) throws -> CommandFailure? {
        var command = try FleetTUICommand.parseAsRoot(args)
        do { try command.run() } catch let f as CommandFailure { return f }
        return nil
    }

    @Test func renderOfAMissingFileIsOneLine() throws {
        let f = try #require(try failure(["render", "/nonexistent/shot.ppm"]))
        #expect(f.message == "fleettui: render: /nonexistent/shot.ppm: cannot read /nonexistent/shot.ppm\n")
        #expect(f.exitCode == 1)
    }

    @Test func anUnknownSourceIsOneLine() throws {
        let f = try #require(try failure(["-b", "--source", "graphite=http://x"]))
        #expect(f.message == "fleettui: unknown --source \"graphite=http://x\" (expected prometheus=URL)\n")
    }

    /// No host of the fleet answers: one line per host, naming it, status 1.
    @Test func aFleetWhoseHostsAllFailGivesOneLineEach() throws {
        let f = try #require(try failure(["-b", "-n", "1", "-c", "test+tcp://127.0.0.1:1/a.xml", "-c", "test+tcp://127.0.0.1:2/b.xml"]))
        #expect(f.lines.count == 2 && f.exitCode == 1)
        #expect(f.lines[0].hasPrefix("cannot open test+tcp://127.0.0.1:1/a.xml: "), "\(f.lines)")
        #expect(f.lines[1].hasPrefix("cannot open test+tcp://127.0.0.1:2/b.xml: "), "\(f.lines)")
        #expect(f.message.split(separator: "\n").allSatisfy { $0.hasPrefix("fleettui: cannot open ") })
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        let f = CommandFailure("render: bad\u{1B}[2Jname\nsecond")
        #expect(!f.message.dropLast().contains("\n") && !f.message.contains("\u{1B}"), "\(f.message)")
        let wrapped = CommandFailure(CommandFailure("no domain x", exitCode: 3), context: "screen")
        #expect(wrapped.message == "fleettui: screen: no domain x\n" && wrapped.exitCode == 3)
    }
}
