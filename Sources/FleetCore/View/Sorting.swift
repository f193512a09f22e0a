/// Which column the table is sorted by, and in which direction.
public struct SortSpec: Hashable, Sendable {
    public var column: DomainColumn
    public var descending: Bool
    public init(column: DomainColumn, descending: Bool? = nil) {
        self.column = column; self.descending = descending ?? column.defaultDescending
    }
    /// virt-top's default: %CPU, busiest first.
    public static let `default` = SortSpec(column: .cpu, descending: true)
}

/// Sorting that never makes equal rows jump: every tie is broken by host, then name, then UUID.
/// Text columns sort through ranks computed once per snapshot, so a re-sort is a sort of numbers.
public struct RowRanks: Sendable {
    /// Position of each row when ordered by (host, name, uuid): the tie-breaker of every sort.
    public private(set) var byHost: [Int32]
    /// Position of each row when ordered by (name, host, uuid); computed when first sorted by name.
    public private(set) var byName: [Int32]?
    /// Position of each row when ordered by (uuid, host); computed when first sorted by uuid.
    public private(set) var byUUID: [Int32]?

    public init(_ rows: [DomainRow]) {
        byHost = RowRanks.ranks(rows) { a, b in
            if let c = compareUTF8(a.hostName, b.hostName) { return c }
            if let c = compareUTF8(a.sample.name, b.sample.name) { return c }
            return a.sample.key < b.sample.key
        }
    }

    /// Computes the ranks a sort by `column` needs, if not yet done.
    public mutating func prepare(for column: DomainColumn, rows: [DomainRow]) {
        if column == .name && byName == nil {
            byName = RowRanks.ranks(rows) { a, b in
                if let c = compareUTF8(a.sample.name, b.sample.name) { return c }
                if let c = compareUTF8(a.hostName, b.hostName) { return c }
                return a.sample.key < b.sample.key
            }
        }
        if column == .uuid && byUUID == nil {
            byUUID = RowRanks.ranks(rows) { a, b in
                if let c = compareUTF8(a.sample.key.uuid, b.sample.key.uuid) { return c }
                return a.sample.key.hostID.utf8.lexicographicallyPrecedes(b.sample.key.hostID.utf8)
            }
        }
    }

    private static func ranks(_ rows: [DomainRow], _ less: (DomainRow, DomainRow) -> Bool) -> [Int32] {
        let order = rows.indices.sorted { less(rows[$0], rows[$1]) }
        var rank = [Int32](repeating: 0, count: rows.count)
        for (pos, i) in order.enumerated() { rank[i] = Int32(pos) }
        return rank
    }
}

/// nil when equal; byte order (fast, locale-free, deterministic).
@inline(__always) func compareUTF8(_ a: String, _ b: String) -> Bool? {
    if a == b { return nil }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}

public enum RowSorter {
    /// Orders `indices` (into `rows`) by `spec`. Unknown values go last in either direction.
    public static func sort(_ indices: [Int], rows: [DomainRow], ranks inRanks: RowRanks, by spec: SortSpec) -> [Int] {
        var ranks = inRanks
        ranks.prepare(for: spec.column, rows: rows)
        // One unsigned key per row that already says direction and "unknown last", then the tie: 16-byte
        // entries and a two-compare predicate (the sort is most of a new snapshot's cost at 10,000 rows).
        struct Entry { var key: UInt64; var tie: Int32; var index: Int32 }
        let tie = ranks.byHost
        let desc = spec.descending
        var entries: [Entry] = []
        entries.reserveCapacity(indices.count)
        switch spec.column {
        case .host, .name, .uuid:
            let r = spec.column == .host ? ranks.byHost : spec.column == .name ? ranks.byName! : ranks.byUUID!
            for i in indices { entries.append(Entry(key: orderKey(Double(r[i]), descending: desc), tie: tie[i], index: Int32(i))) }
        default:
            let column = spec.column
            rows.withUnsafeBufferPointer { rows in
                for i in indices {
                    let v = column.number(for: rows[i])
                    let key = v.map { $0.isNaN ? UInt64.max : orderKey(column.sortKey($0), descending: desc) } ?? .max
                    entries.append(Entry(key: key, tie: tie[i], index: Int32(i)))
                }
            }
        }
        entries.sort { a, b in a.key != b.key ? a.key < b.key : a.tie < b.tie }
        return entries.map { Int($0.index) }
    }

    /// `v` as an unsigned number in the same order (descending: the reverse order); never UInt64.max,
    /// which is left for unknown values, last in either direction. -0 and +0 are one key.
    @inline(__always) static func orderKey(_ v: Double, descending: Bool) -> UInt64 {
        let bits = (v + 0.0).bitPattern
        let up = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        return descending ? ~up : up
    }
}

extension DomainColumn {
    /// The value a row sorts by: near the precision the column is shown with, so that rows the user
    /// sees as equal (3.1 and 3.1) keep their tie-broken order instead of swapping on every refresh
    /// over noise in the third decimal. Percentages: 0.1; sizes and rates (shown as 2-3 digits and a
    /// unit): steps of about 3 %; counts, states and CPU time: exact.
    @inline(__always) func sortKey(_ v: Double) -> Double {
        switch self {
        case .cpu, .memPercent:
            return (v * 10).rounded()
        case .mem, .rd, .wr, .rdrq, .wrrq, .rx, .tx:
            guard v.isFinite, v > 0 else { return v }
            // v = significand * 2^exponent, significand in [1, 2): 16 steps per power of two, monotonic.
            return Double(v.exponent) * 64 + (v.significand * 16).rounded()
        default:
            return v
        }
    }
}
