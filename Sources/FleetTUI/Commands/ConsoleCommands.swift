import ArgumentParser

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Attach to a guest's graphical console as text.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Domain name or UUID") var domain: String
    func run() throws { throw ValidationError("console: not built yet") }
}

struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "screen", abstract: "Print a guest's current screen once and exit.")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Domain name or UUID") var domain: String
    func run() throws { throw ValidationError("screen: not built yet") }
}
