import ArgumentParser
import FleetCore
import Foundation

/// The default command: the curses monitor, or batch output with -b (--stream, --script, --csv, --json).
struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "monitor", abstract: "Watch every domain of the fleet (the default command).")
    @OptionGroup(title: "Hosts") var connection: ConnectionOptions
    @OptionGroup(title: "Batch output") var batch: BatchOptions      // Batch/BatchOptions.swift: -b -n -d --csv --json …
    @OptionGroup(title: "Display") var ui: UIOptions                  // UI/UIOptions.swift: -o --columns -1…-4 --theme …
    @OptionGroup(title: "Colours") var colours: ColourOptions

    func validate() throws {
        if batch.enabled, ui.initialView != nil {
            throw ValidationError("-1, -2, -3 and -4 choose the monitor's first view; batch output lists domains")
        }
    }

    func run() throws {
        // Batch output never reads config.toml: a script's output must not change with the monitor's W.
        // -o/--columns were checked by UIOptions.validate() before any host is opened; in batch mode the first
        // reading already asks only for the stats of the columns printed.
        let output = BatchOutput(sort: try ui.sortSpec() ?? .default, columns: try ui.columnList(),
                                 blockInRequests: ui.blockInBytes == false)
        let columns = batch.enabled ? output.collectedColumns : nil
        // Only the interactive monitor falls back to the demo fleet (labelled in its title) when no hypervisor answers.
        let fleet = try FleetSourceFactory.make(connection, delay: batch.delay,
                                                demand: columns.map { FleetDemand(everyDomain: DomainColumn.statGroups($0)) },
                                                demoFallback: !batch.enabled)
        if batch.enabled {
            var runner = BatchRunner(source: fleet, options: batch, columns: columns, output: output)
            let level = colours.stdoutLevel
            if batch.printsText && level != .none {
                runner.textStyles = ThemeStyles(theme: try ThemeLoader.load(ui.theme ?? "dark").theme)
                runner.textLevel = level
            }
            throw ExitCode(try runner.run())                                     // Batch/BatchRunner.swift
        }
        var app = MonitorApp(source: fleet, options: ui, colours: colours.setting, delay: batch.delay,
                             endTime: batch.endDate())                          // UI/MonitorApp.swift
        app.lookAtScreens = connection.source == nil
        try app.run()
    }
}
