import ArgumentParser
import FleetCore
import Foundation

/// virt-top's batch flags, plus machine-readable output. Batch mode is on with -b, --stream, --script,
/// --csv or --json; what goes where:
///   -b / --stream    the plain-text table on stdout, every delay (unless --json or --csv - take stdout)
///   --csv FILE       CSV to FILE ('-' = stdout), with or without the table
///   --json           JSON lines on stdout (with --csv FILE: both)
///   --script         no table: only what --csv / --json write (virt-top's script mode)
/// --json and --csv - together are a usage error (both on stdout).
struct BatchOptions: ParsableArguments {
    @Flag(name: [.customShort("b"), .customLong("batch")], help: "Batch mode: no curses and no tty needed; print the domains as a plain-text table every delay (CSV or JSON instead when --csv - or --json take stdout).")
    var batchMode = false
    @Flag(name: .long, help: "The same as -b (virt-top's stream mode): all output to stdout, no user interface.")
    var stream = false
    @Flag(name: .long, help: "Script mode (virt-top's): no table, no user interface; only what --csv or --json write.")
    var script = false
    @Option(name: [.customShort("n"), .customLong("iterations")], help: ArgumentHelp("Batch mode: print N refreshes, then exit (default: until interrupted or --end-time).", valueName: "N"))
    var iterations: Int?
    @Option(name: [.customShort("d"), .long], help: ArgumentHelp("Delay between refreshes, seconds (at least 0.1).", valueName: "SECS"))
    var delay: Double = 3
    @Option(name: .long, help: ArgumentHelp("Batch output as CSV: a header, then one row per domain per refresh, to FILE ('-' = stdout). With -b the table still goes to stdout.", valueName: "FILE"))
    var csv: String?
    @Flag(name: .long, help: "Batch output as JSON lines on stdout: one object per domain per refresh (with --csv FILE, both).")
    var json = false
    @Option(name: .long, help: ArgumentHelp("Exit at this time: 'YYYY-MM-DD HH:MM:SS', 'HH:MM:SS' (today), '+HH:MM:SS' or '+SECONDS' (from now). Monitor and batch mode.", valueName: "TIME"))
    var endTime: String?

    /// --end-time from now (call once, at the start; validate() has checked the form).
    func endDate(now: Date = Date()) -> Date? { endTime.flatMap { try? EndTime.parse($0, now: now) } }

    var enabled: Bool { batchMode || stream || script || csv != nil || json }
    /// The plain-text table goes to stdout (not when CSV or JSON lines have it).
    var printsText: Bool { (batchMode || stream) && !script && !json && csv != "-" }

    func validate() throws {
        guard delay >= 0.1, delay.isFinite else { throw ValidationError("-d/--delay must be at least 0.1 seconds") }
        if let n = iterations, n < 1 { throw ValidationError("-n/--iterations must be at least 1") }
        if script && (batchMode || stream) { throw ValidationError("--script prints no table and -b/--stream print one: choose one") }
        if script && csv == nil && !json { throw ValidationError("--script prints nothing by itself: add --csv FILE or --json") }
        if json && csv == "-" {
            throw ValidationError("--json and --csv - would both write to stdout: send the CSV to a file (--csv FILE), or drop one")
        }
        if let e = endTime {
            do { _ = try EndTime.parse(e, now: Date()) } catch { throw ValidationError("\(error)") }
        }
    }
}
