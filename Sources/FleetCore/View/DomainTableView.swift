/// The domain table: a header row (the sort column marked) and only the visible rows.
enum DomainTableView {
    static func draw(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, L = c.layout
        let layout = ColumnLayout.fit(state.columns, width: L.width, longestName: table.longestName, longestHost: table.longestHost)
        drawHeader(into: &buf, layout: layout, sort: state.sort, y: L.tableHeaderY, context: c)

        if table.lines.isEmpty {
            let msg: String
            if table.snapshot.generation == 0 { msg = "Waiting for the first refresh..." }
            else if !state.filter.isEmpty { msg = "No domain matches '\(Sanitize.forTerminal(state.filter.text))' (Esc clears the filter)" }
            else { msg = "No domains" }
            buf.put(msg, x: 1, y: L.bodyY, style: p.inactive, maxWidth: L.width - 1)
            return
        }
        let end = min(table.lines.count, state.scrollTop + L.bodyHeight)
        guard state.scrollTop < end else { return }
        for line in state.scrollTop..<end {
            let y = L.bodyY + line - state.scrollTop
            let selected = line == state.selectedLine
            switch table.lines[line] {
            case .domain(let i):
                drawDomain(into: &buf, row: table.rows[i], gone: table.isTombstone(i), layout: layout, y: y, selected: selected, context: c)
            case .host(let h):
                let host = table.snapshot.hosts[h]
                drawHost(into: &buf, host: host, summary: table.hostSummaries[host.config.id] ?? HostSummary(),
                         layout: layout, y: y, selected: selected, context: c)
            }
        }
    }

    static func drawHeader(into buf: inout CellBuffer, layout: ColumnLayout, sort: SortSpec, y: Int, context c: RenderContext) {
        let p = c.palette
        buf.fill(x: 0, y: y, width: buf.width, height: 1, style: p.tableHeader)
        for slot in layout.slots {
            let active = slot.column == sort.column
            var title = slot.column.title
            if active { title += sort.descending ? c.glyphs.sortDescending : c.glyphs.sortAscending }
            let text = align(c.glyphs.truncate(title, to: slot.width), width: slot.width, right: slot.column.alignRight)
            buf.put(text, x: slot.x, y: y, style: active ? p.sortHeader : p.tableHeader)
        }
    }

    static func drawDomain(into buf: inout CellBuffer, row: DomainRow, gone: Bool = false, layout: ColumnLayout, y: Int, selected: Bool, context c: RenderContext) {
        let p = c.palette
        let dimmed = row.stale || gone
        let rowStyle = selected ? p.selected : dimmed ? p.stale : p.base
        buf.fill(x: 0, y: y, width: buf.width, height: 1, style: rowStyle)
        if gone { buf.put("x", x: 0, y: y, style: selected ? p.selected : p.warning) }
        else if row.stale { buf.put(c.glyphs.stale, x: 0, y: y, style: selected ? p.selected : p.hostDown) }
        else if !row.held.isEmpty && row.sample.state.isActive
                    && !row.held.isDisjoint(with: layout.groups.subtracting(.state)) {
            // Some value in this row is not from the last refresh (not read yet, or a rate over a long window).
            buf.put("~", x: 0, y: y, style: selected ? p.selected : p.inactive)
        }
        for slot in layout.slots {
            let value = gone && slot.column == .state ? "gone" : slot.column.text(for: row)
            let text = align(c.glyphs.truncate(value, to: slot.width), width: slot.width, right: slot.column.alignRight)
            var style = rowStyle
            if !selected && !dimmed {
                switch slot.column {
                case .state: style = p.state(row.sample.state)
                case .screen: if let s = row.screen { style = p.screen(s.state.severity) }
                case .cpu: style = p.cpu(row.sample.state.isActive ? row.rates.cpuPercent : nil)
                default: break
                }
            }
            buf.put(text, x: slot.x, y: y, style: style)
        }
    }

    /// A group row: the host's totals aligned under the domain columns they sum.
    static func drawHost(into buf: inout CellBuffer, host: HostStatus, summary s: HostSummary, layout: ColumnLayout, y: Int, selected: Bool, context c: RenderContext) {
        let p = c.palette
        let style = selected ? p.selected : p.hostRow
        buf.fill(x: 0, y: y, width: buf.width, height: 1, style: style)
        buf.put(c.glyphs.groupOpen, x: 0, y: y, style: style)
        let count = s.domainsByState.values.reduce(0, +)
        let running = s.domainsByState[.running, default: 0] + s.domainsByState[.blocked, default: 0]
        for slot in layout.slots {
            var text: String? = nil
            var cellStyle = style
            switch slot.column {
            case .host: text = Sanitize.forTerminal(host.config.name)
            case .name: text = "\(count) domains, \(running) running"
            case .state:
                text = host.state == .up ? "up" : host.state.rawValue.uppercased()
                if !selected { cellStyle = p.host(host.state); cellStyle.bg = style.bg }
            case .virt: text = host.hypervisor.map { Sanitize.forTerminal($0) }
            case .vcpu: text = String(s.vcpus)
            case .cpu: text = Units.percent(s.guestCPUPercent)
            case .mem: text = Units.kib(s.memCommittedKiB)
            case .memPercent: text = s.overcommit.map { Units.percent($0 * 100) }
            default: text = nil
            }
            if let text {
                buf.put(align(c.glyphs.truncate(text, to: slot.width), width: slot.width, right: slot.column.alignRight),
                        x: slot.x, y: y, style: cellStyle)
            }
        }
        // Without a HOST column the host's name goes where NAME is.
        if !layout.slots.contains(where: { $0.column == .host }), let nameSlot = layout.slots.first(where: { $0.column == .name }) {
            let text = Sanitize.forTerminal(host.config.name) + " (\(count))"
            buf.put(align(c.glyphs.truncate(text, to: nameSlot.width), width: nameSlot.width, right: false), x: nameSlot.x, y: y, style: style)
        }
    }
}

/// Pads to `width` columns, left- or right-aligned (text is already cut to fit).
@inline(__always) func align(_ s: String, width: Int, right: Bool) -> String {
    let w = displayWidth(s)
    if w >= width { return s }
    let pad = String(repeating: " ", count: width - w)
    return right ? pad + s : s + pad
}
