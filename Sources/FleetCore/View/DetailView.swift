/// Enter on a domain: every stat, per disk and per NIC, sparklines of recent CPU, memory and IO, and what the
/// domain XML says about its graphics console, disks and NICs.
enum DetailView {
    static func draw(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, history: FleetHistory, context c: RenderContext) {
        let p = c.palette, L = c.layout
        buf.fill(x: 0, y: L.tableHeaderY, width: L.width, height: 1, style: p.tableHeader)
        guard let key = state.detailKey, let row = table.rows.first(where: { $0.sample.key == key }) else {
            buf.put(" DOMAIN DETAIL", x: 0, y: L.tableHeaderY, style: p.tableHeader)
            buf.put("The domain is gone (Esc returns)", x: 1, y: L.bodyY, style: p.warning)
            return
        }
        buf.put(" DOMAIN " + Sanitize.forTerminal(row.sample.name) + " on " + Sanitize.forTerminal(row.hostName)
                + (row.stale ? "  (STALE: host not answering)" : ""), x: 0, y: L.tableHeaderY, style: p.tableHeader)
        let lines = self.lines(row, history: history[key], width: L.width - 2, context: c)
        ListViews.drawLines(lines, into: &buf, scroll: state.listScroll, context: c)
    }

    static func lines(_ row: DomainRow, history: DomainHistory?, width: Int, context c: RenderContext) -> [[Span]] {
        let p = c.palette, s = row.sample, r = row.rates
        var out: [[Span]] = []
        func kv(_ pairs: [(String, String)], style: CellStyle? = nil) {
            var spans: [Span] = []
            for (k, v) in pairs { spans += [Span(k + " ", p.label), Span(v + "   ", style ?? p.value)] }
            out.append(spans)
        }
        kv([("State", DomainColumn.stateText(s.state) + (s.stateReason != 0 ? " (reason \(s.stateReason))" : "")),
            ("Virt", DomainColumn.virtText(s)), ("ID", s.id.map(String.init) ?? "-"), ("Host", Sanitize.forTerminal(row.hostName))])
        kv([("UUID", Sanitize.forTerminal(s.key.uuid))])
        out.append([])
        if let screen = row.screen { out += screenLines(screen, width: width, context: c); out.append([]) }
        kv([("CPU", Units.percent(s.state.isActive ? r.cpuPercent : nil) + "% of host"),
            ("per vCPU", Units.percent(r.cpuPercentPerVCPU) + "%"),
            ("vCPUs", (s.vcpus.map(String.init) ?? "-") + "/" + (s.maxVcpus.map(String.init) ?? "-")),
            ("time", Units.cpuTime(nanoseconds: s.cpuTimeNs)),
            ("user", Units.cpuTime(nanoseconds: s.cpuUserNs)), ("sys", Units.cpuTime(nanoseconds: s.cpuSystemNs))])
        kv([("Memory", Units.kib(s.memCurrentKiB)), ("max", Units.kib(s.memMaximumKiB)), ("rss", Units.kib(s.memRSSKiB)),
            ("used", Units.kib(s.memUsedKiB)), ("of host", Units.percent(row.memPercent) + "%")])
        kv([("Disk rd", Units.rate(r.rdBytesPerSec) + "/s"), ("wr", Units.rate(r.wrBytesPerSec) + "/s"),
            ("rd req", Units.count(r.rdReqsPerSec) + "/s"), ("wr req", Units.count(r.wrReqsPerSec) + "/s")])
        kv([("Net rx", Units.rate(r.rxBytesPerSec) + "/s"), ("tx", Units.rate(r.txBytesPerSec) + "/s"),
            ("rx pkt", Units.count(r.rxPktsPerSec) + "/s"), ("tx pkt", Units.count(r.txPktsPerSec) + "/s"),
            ("errs", Units.count(r.netErrsPerSec) + "/s"), ("drops", Units.count(r.netDropsPerSec) + "/s")])
        out.append([])

        // Sparklines: label (9) + chart + latest value.
        let chartWidth = max(8, min(DomainHistory.capacity, width - 28))
        func spark(_ label: String, _ ring: DomainHistory.Ring?, _ style: CellStyle, ceiling: Double? = nil, format: (Double?) -> String) {
            let values = ring?.values ?? []
            let chart = Sparkline.render(values, width: chartWidth, glyphs: c.glyphs, ceiling: ceiling)
            let peak = values.compactMap { $0 }.max()
            out.append([Span(align(label, width: 9, right: false), p.label), Span(chart, style),
                        Span(" " + format(values.last ?? nil), p.value), Span(" max " + format(peak), p.inactive)])
        }
        out.append([Span("Recent (one column per refresh, newest right)", p.title)])
        spark("CPU %", history?.cpu, p.graphCPU, format: { Units.percent($0) })
        spark("Memory", history?.mem, p.graphMem, format: { Units.bytes($0) })
        spark("Disk IO", history?.diskIO, p.graphIO, format: { Units.rate($0) + "/s" })
        spark("Net IO", history?.netIO, p.graphNet, format: { Units.rate($0) + "/s" })
        out.append([])

        let d = row.description
        out.append([Span("Disks", p.title)])
        if s.disks.isEmpty && (d?.disks.isEmpty ?? true) { out.append([Span("  none", p.inactive)]) }
        var seenDisks = Set<String>()
        for dev in s.disks {
            seenDisks.insert(dev.name)
            let info = d?.disks.first { $0.target == dev.name }
            let dr = r.perDisk[dev.name]
            out.append([Span("  " + align(Sanitize.forTerminal(dev.name), width: 6, right: false), p.value),
                        Span(" rd " + Units.rate(dr?.rdBytesPerSec) + "/s wr " + Units.rate(dr?.wrBytesPerSec) + "/s"
                             + " req " + Units.count(dr?.rdReqsPerSec) + "/" + Units.count(dr?.wrReqsPerSec)
                             + " alloc " + Units.bytes(dev.allocation) + "/" + Units.bytes(dev.capacity), p.base),
                        Span(diskText(info, fallback: dev.path), p.inactive)])
        }
        for info in d?.disks ?? [] where !seenDisks.contains(info.target) {
            out.append([Span("  " + align(Sanitize.forTerminal(info.target), width: 6, right: false), p.value),
                        Span(" (no counters)", p.inactive), Span(diskText(info, fallback: nil), p.inactive)])
        }
        out.append([Span("Network interfaces", p.title)])
        if s.nics.isEmpty && (d?.nics.isEmpty ?? true) { out.append([Span("  none", p.inactive)]) }
        var seenNICs = Set<String>()
        for dev in s.nics {
            seenNICs.insert(dev.name)
            let info = d?.nics.first { $0.target == dev.name }
            let nr = r.perNIC[dev.name]
            out.append([Span("  " + align(Sanitize.forTerminal(dev.name), width: 6, right: false), p.value),
                        Span(" rx " + Units.rate(nr?.rxBytesPerSec) + "/s tx " + Units.rate(nr?.txBytesPerSec) + "/s"
                             + " pkt " + Units.count(nr?.rxPktsPerSec) + "/" + Units.count(nr?.txPktsPerSec)
                             + " errs " + ListViews.counter(dev.rxErrs, dev.txErrs) + " drops " + ListViews.counter(dev.rxDrop, dev.txDrop), p.base),
                        Span(nicText(info, fallback: dev.path), p.inactive)])
        }
        for info in d?.nics ?? [] where info.target == nil || !seenNICs.contains(info.target!) {
            out.append([Span("  " + align(Sanitize.forTerminal(info.target ?? "-"), width: 6, right: false), p.value),
                        Span(" (no counters)", p.inactive), Span(nicText(info, fallback: nil), p.inactive)])
        }
        out.append([Span("Graphics console", p.title)])
        if let g = d?.graphics, !g.isEmpty {
            for gi in g { out.append([Span("  " + graphicsText(gi), p.base)]) }
            out.append([Span("  press c to view the console as text", p.inactive)])
        } else {
            out.append([Span(d == nil ? "  (domain XML not read yet)" : "  none", p.inactive)])
        }
        if let d {
            out.append([Span("Domain XML", p.title)])
            kv([("  type", d.domainType.map { Sanitize.forTerminal($0) } ?? "-"), ("os", d.osType.map { Sanitize.forTerminal($0) } ?? "-")])
        }
        return out
    }

    static func diskText(_ d: DiskInfo?, fallback: String?) -> String {
        guard let d else { return fallback.map { "  " + Sanitize.forTerminal($0) } ?? "" }
        let parts = [d.bus, d.device, d.source ?? fallback].compactMap { $0 }.map { Sanitize.forTerminal($0) }
        return parts.isEmpty ? "" : "  " + parts.joined(separator: " ")
    }

    static func nicText(_ n: NICInfo?, fallback: String?) -> String {
        guard let n else { return fallback.map { "  " + Sanitize.forTerminal($0) } ?? "" }
        let parts = [n.mac, n.model, n.source.map { "on " + $0 }].compactMap { $0 }.map { Sanitize.forTerminal($0) }
        return parts.isEmpty ? "" : "  " + parts.joined(separator: " ")
    }

    /// Type, where it listens, whether a password is set — never the password.
    static func graphicsText(_ g: GraphicsInfo) -> String {
        var s = Sanitize.forTerminal(g.type)
        if let sock = g.socket { s += " unix:" + Sanitize.forTerminal(sock) }
        else {
            let listen = g.listen.map { Sanitize.forTerminal($0) } ?? "127.0.0.1"
            if let port = g.port, port > 0 { s += " " + listen + ":" + String(port) }
            else { s += " " + listen + (g.autoport ? " (autoport, not started)" : " (no port)") }
        }
        if g.passwordSet { s += ", password set" }
        return s
    }
}

/// h, ? or F1: every key.
extension DetailView {
    /// Preview lines at most (the bottom of the guest's screen).
    static let previewLines = 12

    /// The screen state, when it was seen and last changed, and the bottom of the guest's screen as text.
    static func screenLines(_ screen: DomainScreen, width: Int, context c: RenderContext) -> [[Span]] {
        let p = c.palette
        var head: [Span] = [Span("Screen ", p.label), Span(screen.state.name, p.screen(screen.state.severity)),
                            Span(" (\(screen.state.severity))", p.inactive)]
        if let now = c.now {
            head += [Span("   seen ", p.label), Span(Units.seconds(max(0, now.timeIntervalSince(screen.seenAt)).rounded()) + " ago", p.value),
                     Span("   unchanged ", p.label), Span(Units.seconds(screen.secondsSinceChange(at: now).rounded()), p.value)]
        }
        head += [Span("   via ", p.label), Span(Sanitize.oneLine(screen.route, limit: 60), p.inactive)]
        var out: [[Span]] = [head]
        let bar = c.glyphs.separator
        switch screen.observation {
        case .text(let t):
            let shown = t.trimmedLines.suffix(previewLines)
            if shown.count < t.trimmedLines.count {
                out.append([Span("  \(bar) ", p.border), Span("(\(t.trimmedLines.count - shown.count) lines above)", p.inactive)])
            }
            for l in shown { out.append([Span("  \(bar) ", p.border), Span(Sanitize.forTerminal(l), p.base)]) }
        case .blank: out.append([Span("  \(bar) ", p.border), Span("(blank screen)", p.inactive)])
        case .picture(let w, let h): out.append([Span("  \(bar) ", p.border), Span("(picture \(w)x\(h): not text; c shows it)", p.inactive)])
        case .unreachable(let why), .locked(let why):
            out.append([Span("  \(bar) ", p.border), Span(Sanitize.oneLine(why), p.warning)])
        }
        return out
    }
}

enum HelpView {
    static var keys: [(String, String)] { MonitorKeys.help }

    static func draw(into buf: inout CellBuffer, state: MonitorState, context c: RenderContext) {
        let p = c.palette, L = c.layout
        buf.fill(x: 0, y: L.tableHeaderY, width: L.width, height: 1, style: p.tableHeader)
        buf.put(" HELP - FleetTUI keys (virt-top and htop habits)", x: 0, y: L.tableHeaderY, style: p.tableHeader)
        var lines: [[Span]] = []
        for (k, v) in keys {
            if v.isEmpty { lines.append([Span(k, p.title)]) }
            else { lines.append([Span("  " + align(k, width: 15, right: false), p.prompt), Span(" " + v, p.base)]) }
        }
        ListViews.drawLines(lines, into: &buf, scroll: state.listScroll, context: c)
    }
}

/// F / F6: pick the sort column from a list.
enum SortMenuView {
    static func draw(into buf: inout CellBuffer, highlighted: Int, current: SortSpec, context c: RenderContext) {
        let p = c.palette, L = c.layout
        let all = DomainColumn.allCases
        let w = 24, h = min(all.count + 2, L.bodyHeight + 1)
        let x0 = max(0, (L.width - w) / 2), y0 = L.tableHeaderY
        buf.fill(x: x0, y: y0, width: w, height: h, style: p.status)
        buf.put(" Sort by (Enter, Esc)", x: x0, y: y0, style: p.keyHint, maxWidth: w)
        let rows = h - 2
        let top = max(0, min(highlighted - rows + 1, all.count - rows))
        for (n, col) in all.dropFirst(top).prefix(max(0, rows)).enumerated() {
            let i = top + n
            let mark = col == current.column ? (current.descending ? c.glyphs.sortDescending : c.glyphs.sortAscending) : " "
            let text = " " + mark + " " + align(col.title, width: 6, right: false) + " " + col.rawValue
            buf.put(align(text, width: w, right: false), x: x0, y: y0 + 1 + n, style: i == highlighted ? p.selected : p.status, maxWidth: w)
        }
    }
}
