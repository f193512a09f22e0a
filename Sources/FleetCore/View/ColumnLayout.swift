/// Where each column of the domain table goes for a given terminal width.
public struct ColumnLayout: Hashable, Sendable {
    public struct Slot: Hashable, Sendable {
        public var column: DomainColumn
        public var x: Int
        public var width: Int
    }
    public var slots: [Slot]
    /// Columns left out because the terminal is too narrow.
    public var dropped: [DomainColumn]
    /// The stats groups the columns on screen need.
    public var groups: StatGroups { DomainColumn.statGroups(slots.map(\.column)) }

    /// The table starts after a one-column gutter (stale/tombstone marks) and puts one space between columns.
    public static let gutter = 1

    /// Fits `columns` into `width`: drops the lowest-priority columns (rightmost first on ties) until the minimum
    /// widths fit, then gives what is left to NAME and HOST up to what their longest value needs.
    public static func fit(_ columns: [DomainColumn], width: Int, longestName: Int = 0, longestHost: Int = 0) -> ColumnLayout {
        var kept = columns
        var dropped: [DomainColumn] = []
        func needed(_ cols: [DomainColumn]) -> Int {
            gutter + cols.reduce(0) { $0 + $1.width } + max(0, cols.count - 1)
        }
        while kept.count > 1 && needed(kept) > width {
            var victim = kept.count - 1
            for (i, c) in kept.enumerated().reversed() where c.priority < kept[victim].priority { victim = i }
            dropped.append(kept.remove(at: victim))
        }
        var widths = kept.map(\.width)
        var spare = width - needed(kept)
        // NAME first, then HOST, each up to its longest value (and the column's cap).
        for (col, longest) in [(DomainColumn.name, longestName), (.host, longestHost)] {
            guard let i = kept.firstIndex(of: col), spare > 0 else { continue }
            let want = min(col.maxWidth, max(longest, col.width)) - widths[i]
            let add = max(0, min(spare, want))
            widths[i] += add; spare -= add
        }
        if kept.count == 1 { widths[0] = max(1, width - gutter) }
        var x = gutter
        var slots: [Slot] = []
        for (c, w) in zip(kept, widths) {
            slots.append(Slot(column: c, x: x, width: w))
            x += w + 1
        }
        return ColumnLayout(slots: slots, dropped: dropped)
    }

    /// The column under screen column `x` (for header clicks).
    public func column(atX x: Int) -> DomainColumn? {
        slots.first { x >= $0.x && x < $0.x + $0.width + 1 }?.column
    }
}
