import ArgumentParser
import FleetCore
import Foundation

/// Why a command could not do its job, as the user sees it: one line on stderr (`fleettui: LINE`; a fleet whose
/// hosts all failed gives one line per host) and the exit status (1 unless said otherwise). Every command throws
/// this; `FleetTUICommand.main` alone prints it. Bad flags stay ArgumentParser's (usage, status 64).
struct CommandFailure: Error, CustomStringConvertible {
    let lines: [String]
    let exitCode: Int32

    init(_ line: String, exitCode: Int32 = 1) { self.init(lines: [line], exitCode: exitCode) }

    init(lines: [String], exitCode: Int32 = 1) {
        self.lines = lines.map { Sanitize.oneLine($0, limit: 500) }
        self.exitCode = exitCode
    }

    /// `error` in words (a CommandFailure passes through; `context` goes in front: "screen: …").
    init(_ error: any Error, context: String? = nil) {
        if let f = error as? CommandFailure {
            self.init(lines: f.lines.map { line in context.map { "\($0): \(line)" } ?? line }, exitCode: f.exitCode)
        } else {
            let text = String(describing: error)
            self.init(context.map { "\($0): \(text)" } ?? text)
        }
    }

    var description: String { lines.joined(separator: "; ") }

    /// Exactly what goes to stderr.
    var message: String { lines.map { "fleettui: \($0)\n" }.joined() }

    /// Prints the failure and ends the process with its status.
    func exit() -> Never {
        FileHandle.standardError.write(Data(message.utf8))
        Foundation.exit(exitCode)
    }
}
