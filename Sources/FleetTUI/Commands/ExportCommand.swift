import ArgumentParser

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Serve the fleet's stats as Prometheus metrics.")
    @OptionGroup var connection: ConnectionOptions
    func run() throws { throw ValidationError("export: not built yet") }
}
