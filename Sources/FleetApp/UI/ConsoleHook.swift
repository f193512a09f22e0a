import FleetCore

/// The monitor's `c`/`v` key hands the terminal to the console view (Sources/FleetTUI/Console, owned by the
/// console work) and gets it back when the user detaches (Ctrl+]).
enum ConsoleHook {
    static var available: Bool { true }

    enum Result { case detached, failed(String), interrupted }

    /// Attaches to the domain's console by UUID on its host's URI; returns on detach.
    static func attach(row: DomainRow, host: HostConfig, terminal: TerminalIO, palette: ThemeStyles) -> Result {
        switch ConsoleScreen.attach(terminal: terminal, target: ConsoleTarget(uri: host.uri, domain: row.sample.key.uuid),
                                    palette: palette) {
        case .detached: return .detached
        case .failed(let line): return .failed(line)
        case .interrupted: return .interrupted
        }
    }
}
