import Foundation
import FleetCore

/// Batch mode: no curses, no tty. Every `delay` seconds, once every answering host has refreshed,
/// print the fleet (plain text, CSV and/or JSON lines; -o and --columns apply to all three). A host
/// that did not refresh in time is printed with its last values marked stale, never as new ones. The first reading is not printed: rates need two
/// samples, so the first output comes one delay after start (as virt-top), with real rates in it.
///
/// Exit status: 0 every host answered throughout; 3 some host failed (cannot open, dropped out,
/// stopped answering) while others were reported; 1 no host ever answered. One line on stderr per
/// failing host, naming it and the cause.
struct BatchRunner {
    let source: FleetSource
    let options: BatchOptions
    /// `--columns` as printed: only these stats are collected; nil = every column.
    var columns: [DomainColumn]? = nil
    /// Order and fields (-o, --columns).
    let output: BatchOutput
    /// Colours of the text table (nil: none).
    var textStyles: ThemeStyles? = nil
    var textLevel: ColourLevel = .none

    func run() throws -> Int32 {
        let stdout = FileHandle.standardOutput
        var csvOut: FileHandle? = nil
        if let path = options.csv {
            if path == "-" { csvOut = stdout } else {
                guard let h = OutputFile.open(path) else {
                    FileHandle.standardError.write(Data("fleettui: cannot write \(Sanitize.oneLine(path))\n".utf8))
                    source.stop()
                    return 1
                }
                csvOut = h
            }
        }
        let end = options.endDate()
        let updated = DispatchSemaphore(value: 0)
        // Collect what is printed: `--columns name,cpu` never asks a host for block or interface stats.
        source.setDemand(columns.map { FleetDemand(everyDomain: DomainColumn.statGroups($0)) } ?? .everything)
        source.start { updated.signal() }

        var health = HostHealth()
        // First reading (not printed): wait for every host's first attempt.
        _ = waitForRound(after: [:], updated: updated, timeout: max(10, options.delay * 2))
        var snap = source.latest()
        health.observe(snap)
        csvOut?.write(Data(output.csvHeader.utf8))

        // What the previous iteration printed: each host's refresh count, the snapshot, the time label.
        var counts = BatchOutput.refreshCounts(snap)
        var lastGeneration = snap.generation
        var lastLabel = Date.distantPast
        var printed = 0
        let start = Date()
        while options.iterations.map({ printed < $0 }) ?? true {
            let due = start.addingTimeInterval(Double(printed + 1) * options.delay)
            if let end, due > end { break }
            if due > Date() { Thread.sleep(until: due) }
            _ = waitForRound(after: counts, updated: updated, timeout: options.delay + 5)
            snap = source.latest()
            health.observe(snap)
            // Rows of hosts that did not refresh since the last iteration are marked stale; the label is the
            // snapshot's time when there is a new one, else now: never one label twice.
            let (rows, staleHosts) = BatchOutput.markStale(snap, since: counts)
            var label = snap.generation != lastGeneration ? snap.time : Date()
            if label <= lastLabel { label = max(Date(), lastLabel.addingTimeInterval(0.001)) }
            if options.printsText {
                stdout.write(Data(output.text(snap, rows: rows, time: label, staleHosts: staleHosts.count,
                                              styles: textStyles, level: textLevel).utf8))
            }
            if let c = csvOut { c.write(Data(output.csv(rows, time: label).utf8)) }
            if options.json { stdout.write(Data(output.jsonLines(rows, time: label).utf8)) }
            counts = BatchOutput.refreshCounts(snap)
            lastGeneration = snap.generation
            lastLabel = label
            printed += 1
        }
        source.stop()
        if let c = csvOut, c !== stdout { try? c.close() }
        return health.exitStatus(hosts: source.latest().hosts)
    }

    /// Waits until every host that is not down has finished a refresh attempt after `after`
    /// (or the timeout: a hung host must not stop the others from being reported).
    private func waitForRound(after: [String: UInt64], updated: DispatchSemaphore, timeout: Double) -> [String: UInt64] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let snap = source.latest()
            let pending = snap.hosts.filter { h in
                h.refreshCount <= (after[h.config.id] ?? 0) && !(h.state == .down && h.refreshCount > 0)
            }
            if pending.isEmpty || Date() >= deadline {
                return Dictionary(snap.hosts.map { ($0.config.id, $0.refreshCount) }, uniquingKeysWith: { a, _ in a })
            }
            _ = updated.wait(timeout: .now() + min(0.25, max(0.01, deadline.timeIntervalSinceNow)))
        }
    }
}

/// Which hosts failed during the run, reported once per failure on stderr.
struct HostHealth {
    private var failing: Set<String> = []
    private var everFailed: Set<String> = []
    private var everUp: Set<String> = []

    mutating func observe(_ snap: FleetSnapshot) {
        for h in snap.hosts {
            let id = h.config.id
            if h.everConnected { everUp.insert(id) }
            let bad = h.state == .down || (h.state == .connecting && h.refreshCount > 0)
            if bad && !failing.contains(id) {
                failing.insert(id)
                everFailed.insert(id)
                let line = h.everConnected
                    ? "host \(Sanitize.oneLine(h.config.name)): \(h.lastError ?? "connection lost")"
                    : FleetSourceFactory.cannotOpen(h)
                FileHandle.standardError.write(Data("fleettui: \(line)\n".utf8))
            } else if !bad && failing.contains(id) && h.state == .up {
                failing.remove(id)
                FileHandle.standardError.write(Data("fleettui: host \(Sanitize.oneLine(h.config.name)): answering again\n".utf8))
            }
        }
    }

    func exitStatus(hosts: [HostStatus]) -> Int32 {
        let neverAnswered = hosts.filter { !everUp.contains($0.config.id) }
        if !hosts.isEmpty && neverAnswered.count == hosts.count { return 1 }
        return everFailed.isEmpty && neverAnswered.isEmpty ? 0 : 3
    }
}
