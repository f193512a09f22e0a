import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `fleettui` command line; Sources/FleetTUI/main.swift runs it.
public struct FleetTUICommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "fleettui",
        abstract: FleetTUIDocs.abstract,
        version: FleetTUIDocs.version,
        subcommands: [MonitorCommand.self, ConsoleCommand.self, ScreenCommand.self, ScreensCommand.self, WaitCommand.self,
                      RenderCommand.self, ExportCommand.self, FontExportCommand.self,
                      BenchUICommand.self],
        defaultSubcommand: MonitorCommand.self
    )

    /// Runs the command line. What describes `fleettui` as a whole — `--help` with no subcommand, the shell
    /// completions, the JSON dump and the man page — comes from `FleetTUIDocs`, where the monitor's options
    /// sit at the top (it is the default command). A CommandFailure is printed here and nowhere else (one line,
    /// its exit status); everything else is ArgumentParser's (usage errors, --help, exit codes).
    public static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        if let text = FleetTUIDocs.answer(args) {
            FileHandle.standardOutput.write(Data(text.utf8))
            Glibc.exit(0)
        }
        do {
            var command = try parseAsRoot(args)
            try command.run()
        } catch let failure as CommandFailure {
            failure.exit()
        } catch {
            exit(withError: error)
        }
    }
}

/// `fleettui` as its users call it: the monitor's options first, then the subcommands. ArgumentParser generates
/// from this type the top-level `--help`, the bash/zsh/fish completions and the `--experimental-dump-help` JSON
/// the man page is made from. It is never used to parse a command line (a parent's options would swallow its
/// subcommands' options of the same name): FleetTUICommand does that, with `monitor` as its default.
struct FleetTUIDocs: ParsableCommand {
    static let version = "0.1.0"
    static let abstract = "virt-top meets virt-viewer: every domain on many libvirt hosts, and any guest's console as text."

    static let configuration = CommandConfiguration(
        commandName: "fleettui",
        abstract: abstract,
        usage: """
        fleettui [<options>]                   the monitor (batch output with -b, --csv, --json)
        fleettui <subcommand> [<options>] …
        """,
        discussion: "Without a subcommand fleettui runs the monitor: the options below. 'fleettui help <subcommand>' and 'man fleettui' tell the rest.",
        version: version,
        subcommands: FleetTUICommand.configuration.subcommands.filter { $0 != MonitorCommand.self },
        helpNames: [.short, .long]
    )

    @OptionGroup(title: "Hosts") var connection: ConnectionOptions
    @OptionGroup(title: "Batch output") var batch: BatchOptions
    @OptionGroup(title: "Display") var ui: UIOptions
    @OptionGroup(title: "Colours") var colours: ColourOptions

    func run() throws {}

    static let subcommandNames: Set<String> = Set(FleetTUICommand.configuration.subcommands.map { $0._commandName } + ["help"])

    /// What to print instead of running, for the arguments that describe the whole program; nil otherwise.
    static func answer(_ args: [String]) -> String? {
        let firstWord = args.first { !$0.hasPrefix("-") }
        let aboutRoot = firstWord == nil || !subcommandNames.contains(firstWord!)
        if args == ["help"] || (aboutRoot && (args.contains("--help") || args.contains("-h"))) {
            return helpMessage(columns: terminalColumns())
        }
        if args.first == "--generate-completion-script" {
            let shell = args.count > 1 ? CompletionShell(rawValue: args[1]) : CompletionShell.autodetected()
            guard let shell else { return nil }     // ArgumentParser explains the bad value
            return completionScript(for: shell)
        }
        if args == ["--experimental-dump-help"] { return _dumpHelp() + "\n" }
        if args == ["--generate-manual"] { return ManualPage.render(dumpJSON: _dumpHelp()) }
        return nil
    }

    static func terminalColumns() -> Int? {
        var ws = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 else { return nil }
        return Int(ws.ws_col)
    }
}
