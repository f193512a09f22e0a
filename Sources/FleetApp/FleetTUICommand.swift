import ArgumentParser
import Foundation

/// The `fleettui` command line; Sources/FleetTUI/main.swift runs it.
public struct FleetTUICommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "fleettui",
        abstract: "virt-top meets virt-viewer: every domain on many libvirt hosts, and any guest's console as text.",
        version: "0.1.0",
        subcommands: [MonitorCommand.self, ConsoleCommand.self, ScreenCommand.self, RenderCommand.self, ExportCommand.self, FontExportCommand.self,
                      BenchUICommand.self],
        defaultSubcommand: MonitorCommand.self
    )

    /// Runs the command line; a CommandFailure is printed here and nowhere else (one line, its exit status),
    /// everything else is ArgumentParser's (usage errors, --help, exit codes).
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            failure.exit()
        } catch {
            exit(withError: error)
        }
    }
}
