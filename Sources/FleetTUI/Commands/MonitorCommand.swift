import ArgumentParser

/// The default command: the curses monitor, or batch output with -b.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "monitor", abstract: "Watch every domain of the fleet (default command).")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        throw ValidationError("monitor: not built yet")
    }
}
