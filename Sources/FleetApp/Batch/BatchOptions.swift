import ArgumentParser

/// virt-top's batch flags, plus machine-readable output. (Owned by the collectors work.)
struct BatchOptions: ParsableArguments {
    @Flag(name: [.customShort("b"), .customLong("batch")], help: "Batch mode: no curses and no tty needed; print stats every delay.")
    var batchMode = false
    @Option(name: [.customShort("n"), .customLong("iterations")], help: ArgumentHelp("Batch mode: print N refreshes, then exit (default: until interrupted).", valueName: "N"))
    var iterations: Int?
    @Option(name: [.customShort("d"), .long], help: ArgumentHelp("Delay between refreshes, seconds.", valueName: "SECS"))
    var delay: Double = 3
    @Option(name: .long, help: ArgumentHelp("Batch mode, CSV: a header, then one row per domain per refresh. '-' = stdout.", valueName: "FILE"))
    var csv: String?
    @Flag(name: .long, help: "Batch mode, JSON lines on stdout: one object per domain per refresh.")
    var json = false

    /// --csv and --json imply batch mode.
    var enabled: Bool { batchMode || csv != nil || json }

    mutating func validate() throws {
        guard delay >= 0.1, delay.isFinite else { throw ValidationError("-d/--delay must be at least 0.1 seconds") }
        if let n = iterations, n < 1 { throw ValidationError("-n/--iterations must be at least 1") }
        if json && csv == "-" { throw ValidationError("--json and --csv - both write to stdout: choose one") }
    }
}
