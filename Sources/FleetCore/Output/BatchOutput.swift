import Foundation

/// What batch mode prints for one refresh, as a pure function of the snapshot: which rows (every domain),
/// in which order (`-o`, as the monitor sorts), with which fields (`--columns`), and which rows are stale.
public struct BatchOutput: Sendable {
    public var sort: SortSpec
    /// `--columns`; nil = the defaults (text: `textDefault`; CSV and JSON: every field).
    public var columns: [DomainColumn]?
    /// `--no-block-in-bytes`: the table's block I/O columns (and a sort by them) in requests per second.
    public var blockInRequests = false

    /// virt-top's batch order of columns, FleetTUI's fields: names last, so wide or odd names never
    /// shift the numbers.
    public static let textDefault: [DomainColumn] = [.id, .state, .virt, .cpu, .vcpu, .mem, .memPercent, .rd, .wr,
                                                     .rx, .tx, .time, .host, .name]

    public init(sort: SortSpec = .default, columns: [DomainColumn]? = nil, blockInRequests: Bool = false) {
        self.sort = sort; self.columns = columns; self.blockInRequests = blockInRequests
    }

    /// `--columns` as printed (block I/O in the chosen unit); nil when not given.
    public var chosenColumns: [DomainColumn]? { columns.map { $0.map(unit) } }

    /// What a batch run must collect: the printed columns and the one it sorts by; nil = everything.
    public var collectedColumns: [DomainColumn]? {
        guard let cols = chosenColumns else { return nil }
        let s = unit(sort.column)
        return cols.contains(s) ? cols : cols + [s]
    }

    private func unit(_ c: DomainColumn) -> DomainColumn {
        guard blockInRequests else { return c }
        return c == .rd ? .rdrq : c == .wr ? .wrrq : c
    }

    /// The rows in `sort` order (ties: host, name, UUID, as in the monitor).
    public func ordered(_ rows: [DomainRow]) -> [DomainRow] {
        let spec = SortSpec(column: unit(sort.column), descending: sort.descending)
        return RowSorter.sort(Array(rows.indices), rows: rows, ranks: RowRanks(rows), by: spec).map { rows[$0] }
    }

    /// Every row with `stale` set where its host has not completed a refresh since the previous iteration
    /// (`printedCounts`: each host's refresh count then), and how many hosts that is. A host that did not
    /// answer in time is shown with its last values, marked, never as if they were new.
    public static func markStale(_ snap: FleetSnapshot, since printedCounts: [String: UInt64]) -> (rows: [DomainRow], staleHosts: Set<String>) {
        var stale: Set<String> = []
        for h in snap.hosts where h.refreshCount <= (printedCounts[h.config.id] ?? 0) { stale.insert(h.config.id) }
        guard !stale.isEmpty else { return (snap.domains, stale) }
        var rows = snap.domains
        for i in rows.indices where stale.contains(rows[i].sample.key.hostID) { rows[i].stale = true }
        return (rows, stale)
    }

    /// Each host's refresh count in `snap`.
    public static func refreshCounts(_ snap: FleetSnapshot) -> [String: UInt64] {
        Dictionary(snap.hosts.map { ($0.config.id, $0.refreshCount) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: CSV and JSON lines

    /// The record fields a column stands for in CSV and JSON. `time` (the refresh's timestamp) comes first
    /// and `stale` last whatever the columns.
    public static func fields(of column: DomainColumn) -> [String] {
        switch column {
        case .host: return ["host"]
        case .id: return ["id"]
        case .name: return ["domain"]
        case .uuid: return ["uuid"]
        case .state: return ["state"]
        case .screen: return []   // batch output has no screen sampler: `fleettui screens` prints the screens
        case .virt: return ["kind", "pv_drivers"]
        case .vcpu: return ["vcpus"]
        case .cpu: return ["cpu_pct", "cpu_pct_per_vcpu"]
        case .time: return ["cpu_time_ns"]
        case .mem: return ["mem_kib", "mem_max_kib", "mem_rss_kib", "mem_used_kib"]
        case .memPercent: return ["mem_pct"]
        case .rd: return ["rd_bytes_s"]
        case .wr: return ["wr_bytes_s"]
        case .rdrq: return ["rd_reqs_s"]
        case .wrrq: return ["wr_reqs_s"]
        case .rx: return ["rx_bytes_s", "rx_pkts_s", "net_errs_s", "net_drops_s"]
        case .tx: return ["tx_bytes_s", "tx_pkts_s", "net_errs_s", "net_drops_s"]
        }
    }

    /// Indices into `DomainRecord.columns` of the fields CSV and JSON print.
    public var recordFieldIndices: [Int] {
        guard let columns else { return Array(DomainRecord.columns.indices) }
        var names = ["time"]
        for c in columns.map(unit) { for f in Self.fields(of: c) where !names.contains(f) { names.append(f) } }
        names.append("stale")
        return names.compactMap { DomainRecord.columns.firstIndex(of: $0) }
    }

    public var csvHeader: String { CSV.line(recordFieldIndices.map { DomainRecord.columns[$0] }) }

    public func csv(_ rows: [DomainRow], time: Date) -> String {
        let idx = recordFieldIndices
        return ordered(rows).map { r in
            let v = DomainRecord.values(r, time: time)
            return CSV.line(idx.map { v[$0] })
        }.joined()
    }

    public func jsonLines(_ rows: [DomainRow], time: Date) -> String {
        let idx = recordFieldIndices
        let keys = idx.map { DomainRecord.columns[$0] }
        return ordered(rows).map { r in
            let v = DomainRecord.values(r, time: time)
            return JSONLine.object(keys: keys, values: idx.map { v[$0] })
        }.joined()
    }

    // MARK: plain text

    /// A summary line, the hosts that are not up, the column titles, then one line per domain. Every line
    /// starts with a mark: `!` the row is stale (its host did not answer since the last iteration), else a
    /// space. `styles` colours it (nil: plain text).
    public func text(_ snap: FleetSnapshot, rows: [DomainRow], time: Date, staleHosts: Int,
                     styles: ThemeStyles? = nil, level: ColourLevel = .none) -> String {
        let cols = (columns ?? Self.textDefault).map(unit)
        let sorted = ordered(rows)
        let sgr = SGR(level: styles == nil ? .none : level)
        let up = snap.hosts.filter { $0.state == .up || $0.state == .slow }.count
        let running = rows.filter { $0.sample.state == .running }.count
        var head = "fleettui \(DomainRecord.timestamp(time))  hosts \(snap.hosts.count), \(up) up"
        if let label = snap.label { head += "  [\(Sanitize.oneLine(label, limit: 60))]" }
        head += "  domains \(rows.count), \(running) running"
        var out = sgr.wrap(head, styles?.title)
        if staleHosts > 0 {
            out += sgr.wrap("  STALE: \(staleHosts) of \(snap.hosts.count) hosts did not refresh since the last iteration", styles?.warning)
        }
        out += "\n"
        for h in snap.hosts where h.state != .up {
            var line = "  host \(Sanitize.oneLine(h.config.name)): \(h.state.rawValue)"
            if let e = h.lastError { line += " (\(Sanitize.oneLine(e)))" }
            out += sgr.wrap(line, h.state == .down ? styles?.hostDown : styles?.hostSlow) + "\n"
        }
        // Flexible columns (host, name) are as wide as their longest value: never cut in batch output.
        var widths: [DomainColumn: Int] = [:]
        for c in cols {
            var w = max(c.width, DisplayWidth.of(c.title))
            if c == .host || c == .name || c == .uuid {
                for r in sorted { w = max(w, DisplayWidth.of(c.text(for: r))) }
            }
            widths[c] = w
        }
        func cell(_ text: String, _ c: DomainColumn, last: Bool) -> String {
            if last && !c.alignRight { return text }
            return DisplayWidth.pad(text, to: max(widths[c]!, DisplayWidth.of(text)), alignRight: c.alignRight)
        }
        var title = " "
        for (i, c) in cols.enumerated() {
            title += (i > 0 ? " " : "") + cell(c.title, c, last: i == cols.count - 1)
        }
        out += sgr.wrap(title, styles?.tableHeader) + "\n"
        for r in sorted {
            var line = sgr.wrap(r.stale ? "!" : " ", r.stale ? styles?.hostDown : nil)
            for (i, c) in cols.enumerated() {
                let text = cell(c.text(for: r), c, last: i == cols.count - 1)
                var style: CellStyle? = nil
                if let s = styles {
                    if r.stale { style = s.stale }
                    else if c == .state { style = s.state(r.sample.state) }
                    else if c == .cpu { style = s.cpu(r.sample.state.isActive ? r.rates.cpuPercent : nil) }
                }
                line += (i > 0 ? " " : "") + sgr.wrap(text, style)
            }
            out += line + "\n"
        }
        return out + "\n"
    }
}

/// Select Graphic Rendition sequences for a CellStyle at a colour level (`.none`: no sequences at all).
public struct SGR: Sendable {
    public var level: ColourLevel
    public init(level: ColourLevel) { self.level = level }

    public func wrap(_ text: String, _ style: CellStyle?) -> String {
        guard let style, level != .none, !text.isEmpty else { return text }
        let on = codes(style)
        return on.isEmpty ? text : "\u{1B}[" + on + "m" + text + "\u{1B}[0m"
    }

    public func codes(_ s: CellStyle) -> String {
        var p: [String] = []
        if s.bold { p.append("1") }
        if s.dim { p.append("2") }
        if s.italic { p.append("3") }
        if s.underline { p.append("4") }
        if s.reverse { p.append("7") }
        if let f = colour(s.fg, background: false) { p.append(f) }
        if let b = colour(s.bg, background: true) { p.append(b) }
        return p.joined(separator: ";")
    }

    func colour(_ c: TermColor, background: Bool) -> String? {
        let base = background ? 40 : 30, bright = background ? 100 : 90, ext = background ? 48 : 38
        func basic(_ i: UInt8) -> String { i < 8 ? String(base + Int(i)) : String(bright + Int(i) - 8) }
        switch (c, level) {
        case (.default, _), (_, .none): return nil
        case (.indexed(let n), .trueColour), (.indexed(let n), .xterm256): return n < 16 ? basic(n) : "\(ext);5;\(n)"
        case (.indexed(let n), .ansi16):
            if n < 16 { return basic(n) }
            let (r, g, b) = Palette.rgb(ofIndex: n); return basic(Palette.indexANSI(r, g, b))
        case (.indexed(let n), .ansi8):
            if n < 8 { return basic(n) }
            let (r, g, b) = Palette.rgb(ofIndex: n); return basic(Palette.indexANSI(r, g, b, count: 8))
        case (.rgb(let r, let g, let b), .trueColour): return "\(ext);2;\(r);\(g);\(b)"
        case (.rgb(let r, let g, let b), .xterm256): return "\(ext);5;\(Palette.index256(r, g, b))"
        case (.rgb(let r, let g, let b), .ansi16): return basic(Palette.indexANSI(r, g, b))
        case (.rgb(let r, let g, let b), .ansi8): return basic(Palette.indexANSI(r, g, b, count: 8))
        }
    }
}
