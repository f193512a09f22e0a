/// A plain scrolling table for the secondary views: fixed columns, the last flexible one takes the rest.
struct SimpleTable {
    struct Col { var title: String; var width: Int; var right: Bool }
    var cols: [Col]

    /// x positions and widths for a screen width; the flexible (last) column gets what is left.
    func slots(width: Int) -> [(x: Int, w: Int)] {
        var x = 1
        var out: [(x: Int, w: Int)] = []
        for (i, c) in cols.enumerated() {
            let w = i == cols.count - 1 ? max(0, width - x) : c.width
            if x >= width { break }
            out.append((x, min(w, width - x)))
            x += w + 1
        }
        return out
    }

    func drawHeader(into buf: inout CellBuffer, y: Int, context c: RenderContext) {
        buf.fill(x: 0, y: y, width: buf.width, height: 1, style: c.palette.tableHeader)
        for (col, s) in zip(cols, slots(width: buf.width)) {
            buf.put(align(c.glyphs.truncate(col.title, to: s.w), width: s.w, right: col.right), x: s.x, y: y, style: c.palette.tableHeader)
        }
    }

    func drawRow(into buf: inout CellBuffer, y: Int, cells: [Span], context c: RenderContext) {
        for (i, s) in slots(width: buf.width).enumerated() where i < cells.count {
            buf.put(align(c.glyphs.truncate(cells[i].text, to: s.w), width: s.w, right: cols[i].right), x: s.x, y: y, style: cells[i].style)
        }
    }
}

/// Clamps a list view's scroll offset to its content.
func clampedScroll(_ scroll: Int, count: Int, page: Int) -> Int {
    max(0, min(scroll, count - page))
}

/// virt-top's other screens (1 physical CPUs, 2 network interfaces, 3 block devices) and the hosts view.
enum ListViews {
    static func drawHosts(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, L = c.layout
        let t = SimpleTable(cols: [.init(title: "HOST", width: max(8, min(16, table.longestHost)), right: false),
                                   .init(title: "STATE", width: 10, right: false), .init(title: "HYPERV", width: 10, right: false),
                                   .init(title: "CPUS", width: 4, right: true), .init(title: "MEMORY", width: 6, right: true),
                                   .init(title: "DOMS", width: 5, right: true), .init(title: "RUN", width: 5, right: true),
                                   .init(title: "COMMIT", width: 6, right: true), .init(title: "OVERC", width: 5, right: true),
                                   .init(title: "LATENCY", width: 7, right: true), .init(title: "LAST ERROR / URI", width: 0, right: false)])
        t.drawHeader(into: &buf, y: L.tableHeaderY, context: c)
        let hosts = table.snapshot.hosts
        let top = clampedScroll(state.listScroll, count: hosts.count, page: L.bodyHeight)
        for (row, h) in hosts.dropFirst(top).prefix(L.bodyHeight).enumerated() {
            let s = table.hostSummaries[h.config.id] ?? HostSummary()
            let count = s.domainsByState.values.reduce(0, +)
            let running = s.domainsByState[.running, default: 0] + s.domainsByState[.blocked, default: 0]
            let overcommit = h.memoryKiB.flatMap { $0 > 0 ? Double(s.memCommittedKiB) / Double($0) : nil }
            let tail = h.lastError.map { Sanitize.oneLine($0) } ?? Sanitize.forTerminal(h.config.uri)
            t.drawRow(into: &buf, y: L.bodyY + row, cells: [
                Span(Sanitize.forTerminal(h.config.name), p.base), Span(h.state.rawValue, p.host(h.state)),
                Span(h.hypervisor.map { Sanitize.forTerminal([$0, h.hypervisorVersion].compactMap { $0 }.joined(separator: " ")) } ?? "-", p.base), Span(h.cpus.map(String.init) ?? "-", p.base),
                Span(Units.kib(h.memoryKiB), p.base), Span(String(count), p.base), Span(String(running), p.base),
                Span(Units.kib(s.memCommittedKiB), p.base),
                Span(overcommit.map { Units.fixed($0, decimals: 2) + "x" } ?? "-", (overcommit ?? 0) > 1 ? p.warning : p.base),
                Span(Units.seconds(h.refreshLatency), p.base), Span(tail, h.lastError == nil ? p.inactive : p.error),
            ], context: c)
        }
    }

    static func drawPCPUs(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, L = c.layout
        buf.fill(x: 0, y: L.tableHeaderY, width: L.width, height: 1, style: p.tableHeader)
        buf.put(" PHYSICAL CPUS (busy % over the last interval)", x: 0, y: L.tableHeaderY, style: p.tableHeader)
        // Lines: a title per host, then as many CPU meters per line as fit.
        let cellWidth = 22
        let perLine = max(1, (L.width - 1) / cellWidth)
        var lines: [[Span]] = []
        for h in table.snapshot.hosts {
            let cpus = h.pcpuPercent
            lines.append([Span(Sanitize.forTerminal(h.config.name), p.value),
                          Span("  \(h.state.rawValue)  \(h.cpus.map { "\($0) CPUs" } ?? "") \(h.cpuModel.map { Sanitize.oneLine($0, limit: 40) } ?? "")", p.label)])
            guard let cpus, !cpus.isEmpty else {
                lines.append([Span("  physical CPU statistics unavailable", p.inactive)])
                continue
            }
            var i = 0
            while i < cpus.count {
                var spans: [Span] = []
                for j in i..<min(cpus.count, i + perLine) {
                    spans += meter(label: String(j), percent: cpus[j], width: cellWidth - 1, context: c) + [Span(" ", p.base)]
                }
                lines.append(spans)
                i += perLine
            }
        }
        drawLines(lines, into: &buf, scroll: state.listScroll, context: c)
    }

    /// "  3 [||||||     37.5%]" with the bar coloured by load.
    static func meter(label: String, percent: Double, width: Int, context c: RenderContext) -> [Span] {
        let p = c.palette
        let lab = align(label, width: 3, right: true) + " ["
        let value = Units.percent(percent) + "%"
        let inner = max(0, width - displayWidth(lab) - 1)
        let filled = min(inner, Int((min(max(percent, 0), 100) / 100 * Double(inner)).rounded()))
        let barRoom = max(0, inner - value.count)
        let barText = String(repeating: c.glyphs.barFull, count: min(filled, barRoom)) + String(repeating: " ", count: max(0, barRoom - filled))
        return [Span(lab, p.label), Span(barText, p.cpu(percent)), Span(value, p.value), Span("]", p.label)]
    }

    static func drawNetwork(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, L = c.layout
        let t = SimpleTable(cols: [.init(title: "HOST", width: max(6, min(12, table.longestHost)), right: false),
                                   .init(title: "DOMAIN", width: max(10, min(24, table.longestName)), right: false),
                                   .init(title: "IFACE", width: 8, right: false),
                                   .init(title: "RX/s", width: 6, right: true), .init(title: "TX/s", width: 6, right: true),
                                   .init(title: "RXPKT/s", width: 7, right: true), .init(title: "TXPKT/s", width: 7, right: true),
                                   .init(title: "ERRS", width: 6, right: true), .init(title: "DROPS", width: 6, right: true),
                                   .init(title: "MAC / SOURCE", width: 0, right: false)])
        t.drawHeader(into: &buf, y: L.tableHeaderY, context: c)
        let devices = deviceList(table, \.nics)
        if devices.isEmpty { buf.put("No network interfaces", x: 1, y: L.bodyY, style: p.inactive); return }
        let top = clampedScroll(state.listScroll, count: devices.count, page: L.bodyHeight)
        for (n, (d, k)) in devices.dropFirst(top).prefix(L.bodyHeight).enumerated() {
            let row = table.rows[d], dev = row.sample.nics[k]
            let r = row.rates.perNIC[dev.name]
            let style = row.stale ? p.stale : p.base
            let info = row.description?.nics.first { $0.target == dev.name }
            let tail = [info?.mac, info?.source ?? dev.path].compactMap { $0 }.map { Sanitize.forTerminal($0) }.joined(separator: " ")
            t.drawRow(into: &buf, y: L.bodyY + n, cells: [
                Span(Sanitize.forTerminal(row.hostName), style), Span(Sanitize.forTerminal(row.sample.name), style),
                Span(Sanitize.forTerminal(dev.name), style),
                Span(Units.rate(r?.rxBytesPerSec), style), Span(Units.rate(r?.txBytesPerSec), style),
                Span(Units.count(r?.rxPktsPerSec), style), Span(Units.count(r?.txPktsPerSec), style),
                Span(counter(dev.rxErrs, dev.txErrs), style), Span(counter(dev.rxDrop, dev.txDrop), style),
                Span(tail, p.inactive),
            ], context: c)
        }
    }

    static func drawBlock(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, L = c.layout
        let t = SimpleTable(cols: [.init(title: "HOST", width: max(6, min(12, table.longestHost)), right: false),
                                   .init(title: "DOMAIN", width: max(10, min(24, table.longestName)), right: false),
                                   .init(title: "DEV", width: 6, right: false),
                                   .init(title: "RD/s", width: 6, right: true), .init(title: "WR/s", width: 6, right: true),
                                   .init(title: "RDREQ/s", width: 7, right: true), .init(title: "WRREQ/s", width: 7, right: true),
                                   .init(title: "ALLOC", width: 6, right: true), .init(title: "CAP", width: 6, right: true),
                                   .init(title: "SOURCE", width: 0, right: false)])
        t.drawHeader(into: &buf, y: L.tableHeaderY, context: c)
        let devices = deviceList(table, \.disks)
        if devices.isEmpty { buf.put("No block devices", x: 1, y: L.bodyY, style: p.inactive); return }
        let top = clampedScroll(state.listScroll, count: devices.count, page: L.bodyHeight)
        for (n, (d, k)) in devices.dropFirst(top).prefix(L.bodyHeight).enumerated() {
            let row = table.rows[d], dev = row.sample.disks[k]
            let r = row.rates.perDisk[dev.name]
            let style = row.stale ? p.stale : p.base
            let source = row.description?.disks.first { $0.target == dev.name }?.source ?? dev.path
            t.drawRow(into: &buf, y: L.bodyY + n, cells: [
                Span(Sanitize.forTerminal(row.hostName), style), Span(Sanitize.forTerminal(row.sample.name), style),
                Span(Sanitize.forTerminal(dev.name), style),
                Span(Units.rate(r?.rdBytesPerSec), style), Span(Units.rate(r?.wrBytesPerSec), style),
                Span(Units.count(r?.rdReqsPerSec), style), Span(Units.count(r?.wrReqsPerSec), style),
                Span(Units.bytes(dev.allocation), style), Span(Units.bytes(dev.capacity), style),
                Span(source.map { Sanitize.forTerminal($0) } ?? "-", p.inactive),
            ], context: c)
        }
    }

    /// (domain index, device index) for every device of the domains in table order (filter and sort apply).
    static func deviceList(_ table: FleetTable, _ devices: KeyPath<DomainSample, [DeviceCounters]>) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for line in table.lines {
            guard case .domain(let d) = line else { continue }
            let n = table.rows[d].sample[keyPath: devices].count
            for k in 0..<n { out.append((d, k)) }
        }
        return out
    }

    static func counter(_ a: UInt64?, _ b: UInt64?) -> String {
        a == nil && b == nil ? "-" : String((a ?? 0) &+ (b ?? 0))
    }

    /// Draws pre-built lines in the body with the list scroll offset.
    static func drawLines(_ lines: [[Span]], into buf: inout CellBuffer, scroll: Int, context c: RenderContext) {
        let L = c.layout
        let top = clampedScroll(scroll, count: lines.count, page: L.bodyHeight)
        for (n, spans) in lines.dropFirst(top).prefix(L.bodyHeight).enumerated() {
            buf.put(spans, x: 1, y: L.bodyY + n, maxWidth: L.width - 1)
        }
    }
}
