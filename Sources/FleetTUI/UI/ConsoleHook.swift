import FleetCore

/// The monitor's `c`/`v` key hands the terminal to the console view (Sources/FleetTUI/Console, owned by the
/// console work) and gets it back on detach.
enum ConsoleHook {
    /// Whether this build has a console view to attach to.
    static var available: Bool { false }

    /// Attaches to the domain's console; returns when the user detaches. Errors are shown in the status line.
    static func attach(row: DomainRow, host: HostConfig, terminal: Terminal) throws {
        throw ConsoleUnavailable()
    }

    struct ConsoleUnavailable: Error, CustomStringConvertible {
        var description: String { "Console view is not available in this build yet" }
    }
}
