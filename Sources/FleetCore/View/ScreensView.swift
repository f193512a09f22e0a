/// The screens view (`5` or `S`): many guests' screens side by side, as text — each tile the last lines of one
/// guest's screen, cropped to the tile, under its host, name and screen state. The table's filter and sort
/// apply; arrows move, Enter attaches the console.
public enum ScreenTiles {
    /// Tiles are about this wide (text columns, border included) and at least this high.
    public static let preferredWidth = 44
    public static let minHeight = 7

    /// Where the tiles go: `columns` x `rows` tiles visible, each `width` x `height` cells.
    public struct Grid: Hashable, Sendable {
        public var columns: Int, rows: Int, width: Int, height: Int
        public var perPage: Int { columns * rows }
    }

    public static func grid(_ layout: ScreenLayout) -> Grid {
        let body = max(1, layout.bodyHeight + 1)   // the table header line is free in this view
        let columns = max(1, layout.width / preferredWidth)
        let rows = max(1, body / max(minHeight, min(14, body / 3)))
        return Grid(columns: columns, rows: rows, width: layout.width / columns, height: body / rows)
    }

    /// Rows of the table (indices into `table.rows`) that have a screen, in the table's order.
    public static func rows(_ table: FleetTable) -> [Int] {
        var out: [Int] = []
        for line in table.lines {
            if case .domain(let i) = line, table.rows[i].screen != nil, !table.isTombstone(i) { out.append(i) }
        }
        return out
    }

    /// The tile of the selection (or 0).
    public static func selectedIndex(_ state: MonitorState, tiles: [Int], table: FleetTable) -> Int {
        guard let k = state.selectedDomain else { return 0 }
        return tiles.firstIndex { table.rows[$0].sample.key == k } ?? 0
    }

    /// The first tile row shown, keeping `selected` visible.
    static func firstRow(scroll: Int, selected: Int, grid: Grid, count: Int) -> Int {
        let selRow = selected / grid.columns
        let totalRows = (count + grid.columns - 1) / grid.columns
        var top = max(0, min(scroll, max(0, totalRows - grid.rows)))
        if selRow < top { top = selRow }
        if selRow >= top + grid.rows { top = selRow - grid.rows + 1 }
        return top
    }

    /// The domains whose tiles are on screen: the sampler looks at them more often while the view is open.
    public static func visibleKeys(_ state: MonitorState, table: FleetTable, layout: ScreenLayout) -> [DomainKey] {
        let tiles = rows(table)
        guard !tiles.isEmpty else { return [] }
        let g = grid(layout)
        let top = firstRow(scroll: state.listScroll, selected: selectedIndex(state, tiles: tiles, table: table), grid: g, count: tiles.count)
        return tiles.dropFirst(top * g.columns).prefix(g.perPage).map { table.rows[$0].sample.key }
    }
}

enum ScreensView {
    static func draw(into buf: inout CellBuffer, state: MonitorState, table: FleetTable, context c: RenderContext) {
        let p = c.palette, L = c.layout
        let tiles = ScreenTiles.rows(table)
        let y0 = L.tableHeaderY
        guard !tiles.isEmpty else {
            buf.fill(x: 0, y: y0, width: L.width, height: 1, style: p.tableHeader)
            buf.put(" SCREENS", x: 0, y: y0, style: p.tableHeader)
            let msg = table.snapshot.generation == 0 ? "Waiting for the first refresh..."
                : !state.filter.isEmpty ? "No screen matches '\(Sanitize.forTerminal(state.filter.text))' (Esc clears the filter)"
                : "No screens yet: running domains with a VNC display are being looked at"
            buf.put(msg, x: 1, y: L.bodyY, style: p.inactive, maxWidth: L.width - 1)
            return
        }
        let g = ScreenTiles.grid(L)
        let selected = ScreenTiles.selectedIndex(state, tiles: tiles, table: table)
        let top = ScreenTiles.firstRow(scroll: state.listScroll, selected: selected, grid: g, count: tiles.count)
        for (n, i) in tiles.dropFirst(top * g.columns).prefix(g.perPage).enumerated() {
            let x = (n % g.columns) * g.width, y = y0 + (n / g.columns) * g.height
            drawTile(into: &buf, row: table.rows[i], x: x, y: y, width: g.width, height: g.height,
                     selected: top * g.columns + n == selected, context: c)
        }
    }

    /// Header line (name, host, state; the selection highlighted), then the screen's last lines.
    static func drawTile(into buf: inout CellBuffer, row: DomainRow, x: Int, y: Int, width: Int, height: Int,
                         selected: Bool, context c: RenderContext) {
        guard let screen = row.screen, width >= 4, height >= 2 else { return }
        let p = c.palette
        let inner = width - 1   // a column between tiles
        let head = selected ? p.selected : p.tableHeader
        buf.fill(x: x, y: y, width: inner, height: 1, style: head)
        let stateText = " " + screen.state.name + " "
        let sw = displayWidth(stateText)
        let title = " " + Sanitize.forTerminal(row.sample.name) + " @" + Sanitize.forTerminal(row.hostName)
        buf.put(c.glyphs.truncate(title, to: max(1, inner - sw)), x: x, y: y, style: head)
        var stateStyle = p.screen(screen.state.severity)
        stateStyle.bg = head.bg; stateStyle.reverse = stateStyle.reverse || head.reverse
        if inner > sw { buf.put(stateText, x: x + inner - sw, y: y, style: selected ? head : stateStyle) }

        let bodyLines = height - 1
        var lines: [(String, CellStyle)] = []
        switch screen.observation {
        case .text(let t):
            // The bottom of the screen: where prompts, questions and the newest messages are.
            lines = t.trimmedLines.suffix(bodyLines).map { (Sanitize.forTerminal($0), p.base) }
        case .blank: lines = [("(blank screen)", p.inactive)]
        case .picture(let w, let h): lines = [("(picture \(w)x\(h): not text)", p.inactive)]
        case .unreachable(let why): lines = [("(unreachable)", p.warning), (Sanitize.oneLine(why), p.inactive)]
        case .locked(let why): lines = [("(locked)", p.label), (Sanitize.oneLine(why), p.inactive)]
        }
        for (k, (text, style)) in lines.prefix(bodyLines).enumerated() {
            buf.put(text, x: x, y: y + 1 + k, style: style, maxWidth: inner)
        }
    }
}
