/// One line of the domain table: a host's group row (index into snapshot.hosts) or a domain (index into
/// FleetTable.rows: the snapshot's domains, then the tombstones).
public enum TableLine: Hashable, Sendable {
    case host(Int)
    case domain(Int)
}

/// The table's row order, derived from a snapshot, the sort, the filter and the grouping.
/// Recomputed only when one of those changes — never per keypress or per frame.
public struct FleetTable: Sendable {
    public private(set) var snapshot: FleetSnapshot = .empty
    /// The snapshot's domains followed by tombstones: domains that vanished from an answering host in the
    /// last refreshes, kept briefly (htop's habit) so the user sees them go.
    public private(set) var rows: [DomainRow] = []
    /// How many refreshes a vanished domain stays listed.
    public static let tombstoneGenerations: UInt64 = 2
    private var tombstones: [(row: DomainRow, until: UInt64)] = []
    public private(set) var lines: [TableLine] = []
    /// Bumps whenever `lines` is rebuilt; views cache positions against it.
    public private(set) var version = 0
    /// Domains matching the filter (before grouping adds host lines).
    public private(set) var matchCount = 0
    /// Per host id, totals over all its domains.
    public private(set) var hostSummaries: [String: HostSummary] = [:]
    /// Widest domain / host name (display columns), for the flexible columns.
    public private(set) var longestName = 0
    public private(set) var longestHost = 0

    private var ranks = RowRanks([])
    private var haystacks: [RowFilter.Haystack] = []
    private var matched: [Int] = []
    private var sorted: [Int] = []
    private var generation: UInt64? = nil
    private var sort: SortSpec? = nil
    private var filter: RowFilter? = nil
    private var grouped: Bool? = nil

    public init() {}

    /// Brings `lines` up to date; does only the work the changed inputs need.
    public mutating func update(snapshot new: FleetSnapshot, sort newSort: SortSpec, filter newFilter: RowFilter, grouped newGrouped: Bool) {
        var dirtyFilter = false, dirtySort = false, dirtyGroup = false
        if generation != new.generation {
            // Most refreshes list the same domains under the same names in the same order: then the
            // string work (name ranks, filter haystacks, widths) of the last snapshot still holds.
            let sameDomains = FleetTable.sameIdentities(snapshot.domains, new.domains)
            let hadTombstones = !tombstones.isEmpty
            updateTombstones(old: snapshot, new: new, sameDomains: sameDomains)
            let newRows = tombstones.isEmpty ? new.domains : new.domains + tombstones.map(\.row)
            // Without tombstones before or now, rows are the snapshots' domains: the answer is the same.
            let sameIdentities = !hadTombstones && tombstones.isEmpty ? sameDomains : FleetTable.sameIdentities(rows, newRows)
            snapshot = new
            rows = newRows
            generation = new.generation
            var sums = FleetTable.hostSums(new.domains)
            var ln = longestName, lh = longestHost
            if !sameIdentities {
                ranks = RowRanks(newRows)
                haystacks = newRows.map(RowFilter.haystack(for:))
                ln = 0; lh = 0
                for row in newRows {
                    ln = max(ln, displayWidth(Sanitize.forTerminal(row.sample.name)))
                    lh = max(lh, displayWidth(Sanitize.forTerminal(row.hostName)))
                }
            }
            for h in new.hosts {
                if let mem = h.memoryKiB, mem > 0, var s = sums[h.config.id] {
                    s.overcommit = Double(s.memCommittedKiB) / Double(mem)
                    sums[h.config.id] = s
                }
                lh = max(lh, displayWidth(Sanitize.forTerminal(h.config.name)))
            }
            hostSummaries = sums
            longestName = ln; longestHost = lh
            dirtyFilter = true
        }
        if dirtyFilter || filter != newFilter { filter = newFilter; dirtyFilter = true }
        if dirtyFilter {
            matched = newFilter.matching(haystacks, rows: rows)
            matchCount = matched.count
            dirtySort = true
        }
        if dirtySort || sort != newSort {
            sort = newSort
            ranks.prepare(for: newSort.column, rows: rows)
            sorted = RowSorter.sort(matched, rows: rows, ranks: ranks, by: newSort)
            dirtyGroup = true
        }
        if dirtyGroup || grouped != newGrouped {
            grouped = newGrouped
            lines = newGrouped ? groupedLines(filterActive: !newFilter.isEmpty) : sorted.map(TableLine.domain)
            version &+= 1
        }
    }

    /// Is row `i` a tombstone (a domain that is gone)?
    public func isTombstone(_ i: Int) -> Bool { i >= snapshot.domains.count }

    /// Domains of the old snapshot missing from the new one become tombstones, unless their host is gone
    /// from the snapshot or down (a down host's rows stay, marked stale, by the collector's choice).
    private mutating func updateTombstones(old: FleetSnapshot, new: FleetSnapshot, sameDomains: Bool) {
        tombstones.removeAll { $0.until < new.generation }
        guard !sameDomains, !old.domains.isEmpty else { return }
        let present = Set(new.domains.map(\.sample.key))
        tombstones.removeAll { present.contains($0.row.sample.key) }
        let answering = Set(new.hosts.filter { $0.state != .down }.map(\.config.id))
        for row in old.domains where !present.contains(row.sample.key) && answering.contains(row.sample.key.hostID) {
            tombstones.append((row, new.generation + FleetTable.tombstoneGenerations - 1))
        }
    }

    /// Same domains, names and hosts in the same order? Compared in place (copying a row out of the array
    /// costs more than the comparison).
    private static func sameIdentities(_ a: [DomainRow], _ b: [DomainRow]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                for i in 0..<x.count {
                    if x[i].sample.key != y[i].sample.key || x[i].sample.name != y[i].sample.name
                        || x[i].hostName != y[i].hostName { return false }
                }
                return true
            }
        }
    }

    /// Totals per host, summed without a dictionary update per row: a row of the same host as the one
    /// before (a snapshot lists each host's domains together) costs no lookup at all.
    static func hostSums(_ domains: [DomainRow]) -> [String: HostSummary] {
        var slot: [String: Int] = [:]
        var hosts: [String] = []
        var acc: [HostSummary.Accumulator] = []
        domains.withUnsafeBufferPointer { d in
            guard let base = d.baseAddress else { return }
            var lastHost = "", last = -1
            for i in 0..<d.count {
                let row = base + i
                if last < 0 || row.pointee.sample.key.hostID != lastHost {
                    lastHost = row.pointee.sample.key.hostID
                    if let s = slot[lastHost] { last = s } else {
                        last = acc.count
                        slot[lastHost] = last; hosts.append(lastHost); acc.append(HostSummary.Accumulator())
                    }
                }
                acc[last].add(row)
            }
        }
        var sums: [String: HostSummary] = [:]
        sums.reserveCapacity(hosts.count)
        for (i, h) in hosts.enumerated() { var s = HostSummary(); acc[i].merge(into: &s); sums[h] = s }
        return sums
    }

    private func groupedLines(filterActive: Bool) -> [TableLine] {
        var byHost: [String: [Int]] = [:]
        for i in sorted { byHost[rows[i].sample.key.hostID, default: []].append(i) }
        var out: [TableLine] = []
        out.reserveCapacity(sorted.count + snapshot.hosts.count)
        var seen = Set<String>()
        for (h, host) in snapshot.hosts.enumerated() {
            let id = host.config.id
            seen.insert(id)
            let members = byHost[id] ?? []
            if filterActive && members.isEmpty { continue }
            out.append(.host(h))
            out.append(contentsOf: members.map(TableLine.domain))
        }
        // Domains of a host the snapshot does not list (should not happen): keep them visible.
        for i in sorted where !seen.contains(rows[i].sample.key.hostID) { out.append(.domain(i)) }
        return out
    }

    /// Position of a domain's line, if shown.
    public func position(of key: DomainKey) -> Int? {
        let domains = rows
        return lines.firstIndex { if case .domain(let i) = $0 { return domains[i].sample.key == key }; return false }
    }

    /// Position of a host's group line, if shown.
    public func position(ofHost id: String) -> Int? {
        let hosts = snapshot.hosts
        return lines.firstIndex { if case .host(let i) = $0 { return hosts[i].config.id == id }; return false }
    }

    public func domain(at line: Int) -> DomainRow? {
        guard lines.indices.contains(line), case .domain(let i) = lines[line] else { return nil }
        return rows[i]
    }
}

@inline(__always) func displayWidth(_ s: String) -> Int {
    isPlainASCII(s) ? s.utf8.count : DisplayWidth.of(s)
}
