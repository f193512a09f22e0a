import ArgumentParser
import FleetCore

/// The default command: the curses monitor, or batch output with -b.
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "monitor", abstract: "Watch every domain of the fleet (default command).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var batch: BatchOptions      // Batch/BatchOptions.swift: -b -n -d --csv --json
    @OptionGroup var ui: UIOptions            // UI/UIOptions.swift: -o --theme …

    func run() throws {
        let fleet = try FleetSourceFactory.make(connection, delay: batch.delay)   // Fleet/FleetSourceFactory.swift
        if batch.enabled {
            let status = try BatchRunner(source: fleet, options: batch).run()     // Batch/BatchRunner.swift
            throw ExitCode(status)
        }
        try MonitorApp(source: fleet, options: ui, delay: batch.delay).run()      // UI/MonitorApp.swift
    }
}
