import Foundation

/// What a frame needs besides the state and the table: size, styles, glyphs, and the clock (passed in so
/// drawing stays a pure function, tested by comparing text).
public struct RenderContext: Sendable {
    public var layout: ScreenLayout
    public var palette: ThemeStyles
    public var glyphs: Glyphs
    /// Wall-clock time of the snapshot, already formatted ("03:45:12").
    public var refreshedAt: String
    /// Seconds since the snapshot was taken (to flag a stalled collector).
    public var snapshotAge: Double
    /// Now, for "unchanged for 3m" (nil: ages are not shown; tests pass a fixed date).
    public var now: Date?

    public init(width: Int, height: Int, palette: ThemeStyles, glyphs: Glyphs, refreshedAt: String = "--:--:--", snapshotAge: Double = 0) {
        self.layout = ScreenLayout(width: width, height: height)
        self.palette = palette; self.glyphs = glyphs; self.refreshedAt = refreshedAt; self.snapshotAge = snapshotAge
    }
}

/// A run of text in one style.
public struct Span: Sendable {
    public var text: String
    public var style: CellStyle
    public init(_ text: String, _ style: CellStyle) { self.text = text; self.style = style }
}

extension CellBuffer {
    /// Draws spans left to right from x, clipped at x+maxWidth; returns the next free column.
    @discardableResult
    mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int) -> Int {
        var col = x
        let end = x + maxWidth
        for s in spans where col < end {
            col += put(s.text, x: col, y: y, style: s.style, maxWidth: end - col)
        }
        return col
    }
}

/// The whole screen as a pure function of (state, table, history, context).
public enum MonitorScreen {
    public static func render(_ state: MonitorState, table: FleetTable, history: FleetHistory, context c: RenderContext) -> CellBuffer {
        let L = c.layout
        var buf = CellBuffer(width: L.width, height: L.height, style: c.palette.base)
        if L.tooSmall {
            let msg = "Terminal too small (\(L.width)x\(L.height)); need \(ScreenLayout.minWidth)x\(ScreenLayout.minHeight)"
            let lines = wrap(msg, width: max(1, L.width))
            for (i, line) in lines.enumerated() where i < L.height {
                buf.put(line, x: 0, y: i, style: c.palette.warning)
            }
            return buf
        }
        HeaderView.draw(into: &buf, snapshot: table.snapshot, summaries: table.hostSummaries, state: state, context: c)
        switch state.view {
        case .domains: DomainTableView.draw(into: &buf, state: state, table: table, context: c)
        case .hosts: ListViews.drawHosts(into: &buf, state: state, table: table, context: c)
        case .pcpus: ListViews.drawPCPUs(into: &buf, state: state, table: table, context: c)
        case .network: ListViews.drawNetwork(into: &buf, state: state, table: table, context: c)
        case .block: ListViews.drawBlock(into: &buf, state: state, table: table, context: c)
        case .detail: DetailView.draw(into: &buf, state: state, table: table, history: history, context: c)
        case .help: HelpView.draw(into: &buf, state: state, context: c)
        case .screens: ScreensView.draw(into: &buf, state: state, table: table, context: c)
        }
        if let m = state.sortMenu { SortMenuView.draw(into: &buf, highlighted: m, current: state.sort, context: c) }
        StatusLine.draw(into: &buf, state: state, table: table, context: c)
        return buf
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= width { line += " " + word } else {
                out.append(line); line = String(word)
            }
            while line.count > width { out.append(String(line.prefix(width))); line = String(line.dropFirst(width)) }
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}

/// Header: fleet label, delay and refresh time; host and domain counts, guest CPU and memory; then the hosts,
/// down and slow ones first so they are seen at a glance.
enum HeaderView {
    static func draw(into buf: inout CellBuffer, snapshot: FleetSnapshot, summaries: [String: HostSummary], state: MonitorState, context c: RenderContext) {
        let p = c.palette, W = c.layout.width
        // Line 0: title, label | delay, last refresh.
        var left: [Span] = [Span("FleetTUI", p.title)]
        if let label = snapshot.label, !label.isEmpty { left += [Span(" - ", p.label), Span(Sanitize.oneLine(label, limit: 60), p.title)] }
        var right: [Span] = [Span("delay ", p.label), Span(Units.seconds(state.delay), p.value),
                             Span("  updated ", p.label), Span(snapshot.generation == 0 ? "never" : c.refreshedAt, p.value)]
        let late = snapshot.generation > 0 && c.snapshotAge > max(10, state.delay * 3)
        if late { right.append(Span(" (\(Units.seconds(c.snapshotAge.rounded())) ago)", p.warning)) }
        var rightWidth = right.reduce(0) { $0 + displayWidth($1.text) }
        let leftWidth = left.reduce(0) { $0 + displayWidth($1.text) }
        if leftWidth + 1 + rightWidth > W {
            // Narrow: drop the words, keep the numbers.
            right.removeAll { $0.text == "delay " }
            if let i = right.firstIndex(where: { $0.text == "  updated " }) { right[i].text = " " }
            rightWidth = right.reduce(0) { $0 + displayWidth($1.text) }
        }
        let leftEnd = buf.put(left, x: 0, y: 0, maxWidth: max(0, W - rightWidth - 1))
        if leftEnd + 1 + rightWidth <= W { buf.put(right, x: W - rightWidth, y: 0, maxWidth: rightWidth) }

        // Line 1: hosts up/down, domains by state, guest CPU, memory committed vs physical.
        var up = 0, down = 0, slow = 0
        for h in snapshot.hosts {
            switch h.state { case .up: up += 1; case .down: down += 1; case .slow, .connecting: slow += 1 }
        }
        var byState: [DomainState: Int] = [:]
        var cpu = 0.0, committed: UInt64 = 0
        for s in summaries.values {
            for (k, v) in s.domainsByState { byState[k, default: 0] += v }
            cpu += s.guestCPUPercent; committed += s.memCommittedKiB
        }
        let physical = snapshot.hosts.compactMap(\.memoryKiB).reduce(0, +)
        var l1: [Span] = [Span("Hosts ", p.label), Span("\(up) up", up > 0 ? p.hostUp : p.value)]
        var trimmable = 0...0   // the per-state breakdown, dropped first when the line does not fit
        if down > 0 { l1 += [Span(", ", p.label), Span("\(down) down", p.hostDown)] }
        if slow > 0 { l1 += [Span(", ", p.label), Span("\(slow) slow", p.hostSlow)] }
        l1 += [Span("  Domains ", p.label), Span("\(snapshot.domains.count)", p.value)]
        let order: [DomainState] = [.running, .blocked, .paused, .pmsuspended, .shutdown, .crashed, .shutoff, .nostate]
        var parts: [Span] = []
        for s in order { if let n = byState[s], n > 0 {
            if !parts.isEmpty { parts.append(Span(", ", p.label)) }
            parts.append(Span("\(n) \(DomainColumn.stateText(s))", p.state(s)))
        } }
        if !parts.isEmpty {
            trimmable = l1.count...(l1.count + parts.count + 1)
            l1 += [Span(" (", p.label)] + parts + [Span(")", p.label)]
        }
        l1 += [Span("  CPU ", p.label), Span(Units.percent(cpu) + "%", p.value)]
        l1 += [Span("  Mem ", p.label), Span(Units.kib(committed), p.value), Span("/", p.label),
               Span(physical > 0 ? Units.kib(physical) : "?", p.value)]
        if physical > 0 {
            let pct = Double(committed) / Double(physical) * 100
            l1.append(Span(" (\(Int(pct.rounded()))%)", pct > 100 ? p.warning : p.label))
        }
        if l1.reduce(0, { $0 + displayWidth($1.text) }) > W && trimmable.count > 1 { l1.removeSubrange(trimmable) }
        buf.put(l1, x: 0, y: 1, maxWidth: W)

        // Line 2: hosts, trouble first, the worst first (down, then slow or still connecting), else in fleet order.
        var l2: [Span] = []
        let trouble = snapshot.hosts.enumerated().filter { $0.element.state != .up }
            .sorted { (a, b) in
                let (sa, sb) = (a.element.state == .down ? 0 : 1, b.element.state == .down ? 0 : 1)
                return sa != sb ? sa < sb : a.offset < b.offset
            }.map(\.element)
        let fine = snapshot.hosts.filter { $0.state == .up }
        for h in trouble {
            let why = h.lastError.map { ": " + Sanitize.oneLine($0, limit: 50) } ?? ""
            l2 += [Span(c.glyphs.hostDown + " " + Sanitize.forTerminal(h.config.name) + " " + h.state.rawValue.uppercased() + why, p.host(h.state)),
                   Span("  ", p.base)]
        }
        for h in fine { l2 += [Span(c.glyphs.hostUp, p.hostUp), Span(" " + Sanitize.forTerminal(h.config.name) + "  ", p.base)] }
        if snapshot.hosts.isEmpty { l2 = [Span(snapshot.generation == 0 ? "Connecting..." : "No hosts", p.inactive)] }
        let used = l2.reduce(0) { $0 + displayWidth($1.text) }
        if used > W {
            // Show how many did not fit rather than a silent cut.
            buf.put(l2, x: 0, y: 2, maxWidth: W - 8)
            buf.put(" +more ", x: W - 7, y: 2, style: p.label)
        } else {
            buf.put(l2, x: 0, y: 2, maxWidth: W)
        }
    }
}

/// The bottom line: the prompt being typed, a message, or key hints and the sort/filter status.
enum StatusLine {
    static func draw(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, W = c.layout.width, y = c.layout.statusY
        buf.fill(x: 0, y: y, width: W, height: 1, style: p.status)
        switch state.prompt {
        case .filter?:
            let n = buf.put([Span("Filter: ", p.keyHint), Span(Sanitize.forTerminal(state.filter.text) + "_", p.status)], x: 0, y: y, maxWidth: W)
            let info = "  \(table.matchCount) match  Enter keep  Esc clear"
            buf.put(info, x: n, y: y, style: p.status, maxWidth: W - n)
            return
        case .delay(let text)?:
            buf.put([Span("Change delay from \(Units.seconds(state.delay)) to: ", p.keyHint), Span(text + "_", p.status)], x: 0, y: y, maxWidth: W)
            return
        case nil: break
        }
        if let m = state.message {
            buf.put(m, x: 0, y: y, style: p.status, maxWidth: W)
            return
        }
        let hints: [(String, String)]
        switch state.view {
        case .domains: hints = [("F1", "Help"), ("Enter", "Detail"), ("/", "Filter"), ("F", "Sort"), ("g", "Group"),
                                ("1-5", "Views"), ("c", "Console"), ("d", "Delay"), ("W", "Save"), ("q", "Quit")]
        case .detail: hints = [("Esc", "Back"), ("c", "Console"), ("Up/Dn", "Scroll"), ("q", "Quit")]
        case .screens: hints = [("Arrows", "Move"), ("Enter", "Console"), ("/", "Filter"), ("Esc", "Domains"), ("q", "Quit")]
        case .help: hints = [("Esc", "Back"), ("q", "Quit")]
        default: hints = [("0/Esc", "Domains"), ("1", "pCPUs"), ("2", "Net"), ("3", "Block"), ("4", "Hosts"), ("/", "Filter"), ("q", "Quit")]
        }
        var spans: [Span] = []
        for (k, v) in hints { spans += [Span(k, p.keyHint), Span(" " + v + "  ", p.status)] }
        // Right side: sort, filter, counts.
        let arrow = state.sort.descending ? c.glyphs.sortDescending : c.glyphs.sortAscending
        var right = "\(state.sort.column.title)\(arrow)"
        if state.grouped { right += " grouped" }
        if !state.filter.isEmpty { right += " /\(Sanitize.forTerminal(state.filter.text)) \(table.matchCount)/\(table.snapshot.domains.count)" }
        let rw = displayWidth(right)
        let leftMax = max(0, W - rw - 1)
        buf.put(spans, x: 0, y: y, maxWidth: leftMax)
        if rw < W { buf.put(right, x: W - rw, y: y, style: p.status) }
    }
}
