import ArgumentParser
import FleetCore

/// The default command: the curses monitor, or batch output with -b.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "monitor", abstract: "Watch every domain of the fleet (default command).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var batch: BatchOptions      // Batch/BatchOptions.swift: -b -n -d --csv --json
    @OptionGroup var ui: UIOptions            // UI/UIOptions.swift: -o --theme …

    func run() throws {
        // Batch --columns: checked before any host is opened; the first reading already asks only for them.
        var columns: [DomainColumn]? = nil
        if batch.enabled, let list = ui.columns {
            let (cols, unknown) = DomainColumn.parseList(list)
            guard unknown.isEmpty, !cols.isEmpty else {
                throw ValidationError("unknown column(s) \(unknown.map { Sanitize.oneLine($0, limit: 40) }.joined(separator: ", ")) (known: \(DomainColumn.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            columns = cols
        }
        // Only the interactive monitor falls back to the demo fleet (labelled in its title) when no hypervisor answers.
        let fleet = try FleetSourceFactory.make(connection, delay: batch.delay,
                                                demand: columns.map { FleetDemand(everyDomain: DomainColumn.statGroups($0)) },
                                                demoFallback: !batch.enabled)
        if batch.enabled {
            let status = try BatchRunner(source: fleet, options: batch, columns: columns).run()     // Batch/BatchRunner.swift
            throw ExitCode(status)
        }
        try MonitorApp(source: fleet, options: ui, delay: batch.delay).run()      // UI/MonitorApp.swift
    }
}
