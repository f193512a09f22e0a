/// Which screen the monitor shows.
public enum MonitorView: String, Hashable, Sendable {
    case domains, hosts, pcpus, network, block, detail, help, screens
}

/// What the table selection points at: a domain (followed across re-sorts) or a host's group row.
public enum Selection: Hashable, Sendable {
    case domain(DomainKey)
    case host(String)
}

/// A line being typed at the bottom of the screen.
public enum Prompt: Hashable, Sendable {
    case filter                  // incremental: the filter follows every keystroke
    case delay(String)           // seconds, applied on Enter
}

/// What the UI loop must do after a key (the state itself is already updated).
public enum MonitorEffect: Hashable, Sendable {
    case quit
    case setDelay(Double)
    case saveConfig
    case attachConsole(DomainKey)
    case repaint                 // Ctrl+L: redraw everything
}

/// Geometry of the screen: where the header, the table and the status line are.
public struct ScreenLayout: Hashable, Sendable {
    public static let minWidth = 40, minHeight = 10
    public let width: Int, height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public var tooSmall: Bool { width < ScreenLayout.minWidth || height < ScreenLayout.minHeight }
    public var headerHeight: Int { 3 }
    public var tableHeaderY: Int { headerHeight }
    public var bodyY: Int { headerHeight + 1 }
    public var bodyHeight: Int { max(0, height - headerHeight - 2) }
    public var statusY: Int { height - 1 }
}

/// Everything the user has chosen and where they are: pure, changed only by `handle(_:)` and `resolve(_:)`.
/// What persists between frames lives here (ratatui's widget state); the table order lives in FleetTable.
public struct MonitorState: Sendable {
    public var view: MonitorView = .domains
    /// Where Esc returns to from detail/help.
    public var returnView: MonitorView = .domains
    public var sort: SortSpec = .default
    public var filter = RowFilter("")
    public var grouped = false
    public var columns: [DomainColumn] = DomainColumn.defaultSet
    public var delay: Double = 3
    public var selection: Selection?
    /// The selection's line in the table and the first visible line, valid after `resolve`.
    public private(set) var selectedLine = 0
    public var scrollTop = 0
    /// Scroll offset of the list views (hosts, pCPUs, network, block, detail, help).
    public var listScroll = 0
    public var prompt: Prompt?
    /// Open sort menu: the highlighted entry.
    public var sortMenu: Int?
    /// One-line message in the status line until the next key.
    public var message: String?
    public var detailKey: DomainKey?
    /// Set by the app when a console entry point exists; otherwise the key explains why not.
    public var consoleAvailable = false
    /// Why `W` may not write the settings file (virt-top: `--no-init-file` disables it); nil = it may.
    public var saveDisabledReason: String?

    private var resolvedVersion = -1
    private var resolvedSelection: Selection?
    private var resolvedFilter = ""

    public init() {}

    public var sortColumns: [DomainColumn] { columns }

    // MARK: - selection against the current table

    /// Finds the selection's line after the table changed (the selection follows its domain, not its row
    /// number; if the domain vanished, the row at the same position is selected; if the user's new
    /// filter hides it, the first match is) and keeps it visible.
    public mutating func resolve(_ table: FleetTable, layout: ScreenLayout) {
        let count = table.lines.count
        if resolvedVersion != table.version || resolvedSelection != selection || resolvedFilter != filter.text {
            var pos: Int? = nil
            switch selection {
            case .domain(let k)?: pos = table.position(of: k)
            case .host(let h)?: pos = table.position(ofHost: h)
            case nil: pos = nil
            }
            if pos == nil && resolvedFilter != filter.text { pos = 0 }
            resolvedFilter = filter.text
            selectedLine = max(0, min(pos ?? selectedLine, count - 1))
            selection = count > 0 ? selectionAt(selectedLine, table) : nil
            resolvedVersion = table.version
            resolvedSelection = selection
        }
        let page = max(1, layout.bodyHeight)
        if selectedLine < scrollTop { scrollTop = selectedLine }
        if selectedLine >= scrollTop + page { scrollTop = selectedLine - page + 1 }
        scrollTop = max(0, min(scrollTop, max(0, count - page)))
    }

    private func selectionAt(_ line: Int, _ table: FleetTable) -> Selection? {
        guard table.lines.indices.contains(line) else { return nil }
        switch table.lines[line] {
        case .domain(let i): return .domain(table.rows[i].sample.key)
        case .host(let h): return .host(table.snapshot.hosts[h].config.id)
        }
    }

    private mutating func select(line: Int, _ table: FleetTable) {
        guard !table.lines.isEmpty else { return }
        selectedLine = max(0, min(line, table.lines.count - 1))
        selection = selectionAt(selectedLine, table)
        resolvedSelection = selection
        resolvedVersion = table.version
    }

    public var selectedDomain: DomainKey? {
        if case .domain(let k)? = selection { return k }
        return nil
    }

    // MARK: - keys

    /// Applies a key. `table` is the current order (for moving the selection); returns what the loop must do.
    public mutating func handle(_ key: Key, table: FleetTable, layout: ScreenLayout) -> [MonitorEffect] {
        let hadMessage = message != nil
        message = nil
        if let p = prompt { return handlePrompt(p, key) }
        if let m = sortMenu { return handleSortMenu(m, key) }
        if case .mouse(let e) = key { return handleMouse(e, table: table, layout: layout) }

        // Keys that work in every view.
        switch key {
        case .char("q"), .function(10): return [.quit]
        case .char("h"), .char("?"), .function(1):
            if view == .help { view = returnView } else { if view != .detail { returnView = view }; view = .help; listScroll = 0 }
            return []
        case .ctrl("l"), .char(" "): return [.repaint]
        case .char("d"), .char("s"): prompt = .delay(""); return []
        case .char("W"):
            if let why = saveDisabledReason { message = why; return [] }
            return [.saveConfig]
        case .resize: return []
        default: break
        }

        switch view {
        case .help:
            if scrollKey(key, layout: layout) { return [] }
            if key == .escape || key == .left || key == .backspace || key == .enter { view = returnView }
            return []
        case .detail:
            if scrollKey(key, layout: layout) { return [] }
            switch key {
            case .escape, .left, .backspace, .enter: view = returnView
            case .char("c"), .char("v"): return consoleEffect(detailKey)
            default: return viewSwitch(key, hadMessage: hadMessage)
            }
            return []
        case .screens:
            return screensKeys(key, table: table, layout: layout, hadMessage: hadMessage)
        case .hosts, .pcpus, .network, .block:
            if scrollKey(key, layout: layout) { return [] }
            if key == .escape || key == .left { view = .domains; return [] }
            return domainKeys(key, table: table, layout: layout, hadMessage: hadMessage)
        case .domains:
            return domainKeys(key, table: table, layout: layout, hadMessage: hadMessage)
        }
    }

    private mutating func domainKeys(_ key: Key, table: FleetTable, layout: ScreenLayout, hadMessage: Bool) -> [MonitorEffect] {
        let page = max(1, layout.bodyHeight)
        switch key {
        case .up, .char("k"): if view == .domains { select(line: selectedLine - 1, table) }
        case .down, .char("j"): if view == .domains { select(line: selectedLine + 1, table) }
        case .pageUp: select(line: selectedLine - page, table); scrollTop = max(0, scrollTop - page)
        case .pageDown: select(line: selectedLine + page, table); scrollTop += page
        case .home: select(line: 0, table)
        case .end: select(line: table.lines.count - 1, table)
        case .char("P"): setSort(.cpu)
        case .char("M"): setSort(.mem)
        case .char("T"): setSort(.time)
        case .char("N"): setSort(.id)         // virt-top: N sorts by domain ID
        case .char("A"): setSort(.name)       // alphabetical (name)
        case .char("B"): toggleBlockUnit()
        case .char("<"): moveSort(-1)
        case .char(">"): moveSort(+1)
        case .char("R"), .char("I"): sort.descending.toggle()
        case .char("F"), .function(6):
            sortMenu = max(0, DomainColumn.allCases.firstIndex(of: sort.column) ?? 0)
        case .char("g"), .char("t"): grouped.toggle()
        case .char("/"), .char("\\"): prompt = .filter; view = view == .detail ? .domains : view
        case .escape: if !filter.isEmpty { filter = RowFilter("") }
        case .enter:
            if view != .domains { return [] }
            switch selection {
            case .domain(let k)?: detailKey = k; returnView = view; view = .detail; listScroll = 0
            case .host?: view = .hosts; listScroll = 0
            case nil: break
            }
        case .char("c"), .char("v"): return consoleEffect(selectedDomain)
        default: return viewSwitch(key, hadMessage: hadMessage)
        }
        return []
    }

    /// The screens view: arrows move between tiles (the selection is the table's, so it follows back), Enter
    /// attaches the console, Esc goes back to the table; the filter, sort and every other key work as there.
    private mutating func screensKeys(_ key: Key, table: FleetTable, layout: ScreenLayout, hadMessage: Bool) -> [MonitorEffect] {
        let tiles = ScreenTiles.rows(table)
        let grid = ScreenTiles.grid(layout)
        let at = ScreenTiles.selectedIndex(self, tiles: tiles, table: table)
        func go(_ i: Int) {
            guard !tiles.isEmpty else { return }
            let t = max(0, min(tiles.count - 1, i))
            selection = .domain(table.rows[tiles[t]].sample.key)
            // Keep the tile row on screen (the view draws from listScroll, in tile rows).
            let row = t / grid.columns
            if row < listScroll { listScroll = row }
            if row >= listScroll + grid.rows { listScroll = row - grid.rows + 1 }
        }
        switch key {
        case .left: go(at - 1)
        case .right: go(at + 1)
        case .up, .char("k"): go(at - grid.columns)
        case .down, .char("j"): go(at + grid.columns)
        case .pageUp: go(at - grid.perPage)
        case .pageDown: go(at + grid.perPage)
        case .home: go(0)
        case .end: go(tiles.count - 1)
        case .enter, .char("c"), .char("v"):
            return consoleEffect(tiles.isEmpty ? nil : table.rows[tiles[at]].sample.key)
        case .escape:
            if !filter.isEmpty { filter = RowFilter("") } else { view = .domains }
        default:
            // Sorting, grouping, the filter, the other views: as in the table.
            return domainKeys(key, table: table, layout: layout, hadMessage: hadMessage)
        }
        return []
    }

    /// virt-top's 0/1/2/3 (each toggles back to the domain list), plus 4/H for the hosts view and 5/S for the
    /// screens.
    private mutating func viewSwitch(_ key: Key, hadMessage: Bool) -> [MonitorEffect] {
        let target: MonitorView
        switch key {
        case .char("0"): target = .domains
        case .char("1"): target = .pcpus
        case .char("2"): target = .network
        case .char("3"): target = .block
        case .char("4"), .char("H"): target = .hosts
        case .char("5"), .char("S"): target = .screens
        default:
            if case .char(let c) = key, !hadMessage { message = "Unknown key '\(Sanitize.forTerminal(String(c)))' - press h for help" }
            return []
        }
        view = view == target ? .domains : target
        listScroll = 0
        return []
    }

    private mutating func consoleEffect(_ key: DomainKey?) -> [MonitorEffect] {
        guard let key else { message = "Select a domain to view its console"; return [] }
        guard consoleAvailable else { message = "Console view is not available in this build yet"; return [] }
        return [.attachConsole(key)]
    }

    private mutating func scrollKey(_ key: Key, layout: ScreenLayout) -> Bool {
        let page = max(1, layout.bodyHeight)
        switch key {
        case .up, .char("k"): listScroll = max(0, listScroll - 1)
        case .down, .char("j"): listScroll += 1
        case .pageUp: listScroll = max(0, listScroll - page)
        case .pageDown: listScroll += page
        case .home: listScroll = 0
        case .end: listScroll = Int.max / 2
        default: return false
        }
        return true
    }

    public mutating func setSort(_ column: DomainColumn) {
        if sort.column == column { sort.descending.toggle() } else { sort = SortSpec(column: column) }
    }

    /// virt-top's `B`: the block I/O columns in bytes <-> in requests (and the sort follows its column).
    public mutating func toggleBlockUnit() {
        columns = columns.map(\.blockUnitToggled)
        let toggled = sort.column.blockUnitToggled
        if toggled != sort.column { sort = SortSpec(column: toggled, descending: sort.descending) }
        message = columns.contains(.rdrq) || columns.contains(.wrrq) ? "Block I/O in requests per second (B: bytes)"
                                                                       : "Block I/O in bytes per second (B: requests)"
    }

    private mutating func moveSort(_ step: Int) {
        let cols = columns.isEmpty ? DomainColumn.defaultSet : columns
        let i = cols.firstIndex(of: sort.column) ?? 0
        let next = cols[(i + step + cols.count) % cols.count]
        sort = SortSpec(column: next, descending: sort.descending)
    }

    private mutating func handlePrompt(_ p: Prompt, _ key: Key) -> [MonitorEffect] {
        switch p {
        case .filter:
            var text = filter.text
            switch key {
            case .escape: filter = RowFilter(""); prompt = nil; return []
            case .enter, .down, .up, .tab: prompt = nil; return []
            case .backspace, .ctrl("h"): if !text.isEmpty { text.removeLast() }
            case .ctrl("u"): text = ""
            case .char(let c): text.append(c)
            default: return []
            }
            filter = RowFilter(text)
            return []
        case .delay(var text):
            switch key {
            case .escape: prompt = nil
            case .enter:
                prompt = nil
                if text.isEmpty { return [] }
                guard let v = Double(text), v.isFinite, v >= 0.1, v <= 3600 else {
                    message = "Not a delay: '\(Sanitize.forTerminal(text))' (0.1 to 3600 seconds)"; return []
                }
                delay = v
                message = "Refresh every \(Units.seconds(v))"
                return [.setDelay(v)]
            case .backspace, .ctrl("h"): if !text.isEmpty { text.removeLast() }; prompt = .delay(text)
            case .char(let c) where c.isNumber || c == ".": if text.count < 8 { text.append(c) }; prompt = .delay(text)
            default: break
            }
            return []
        }
    }

    private mutating func handleSortMenu(_ m: Int, _ key: Key) -> [MonitorEffect] {
        let all = DomainColumn.allCases
        switch key {
        case .up, .char("k"): sortMenu = max(0, m - 1)
        case .down, .char("j"): sortMenu = min(all.count - 1, m + 1)
        case .home: sortMenu = 0
        case .end: sortMenu = all.count - 1
        case .enter, .char(" "): sort = SortSpec(column: all[m]); sortMenu = nil
        case .char("R"), .char("I"): sort = SortSpec(column: all[m], descending: !all[m].defaultDescending); sortMenu = nil
        case .escape, .char("q"), .char("F"), .function(6): sortMenu = nil
        case .mouse(let e):
            if case .press = e.kind { sortMenu = nil }
        default: break
        }
        return []
    }

    private mutating func handleMouse(_ e: MouseEvent, table: FleetTable, layout: ScreenLayout) -> [MonitorEffect] {
        switch e.kind {
        case .wheelUp:
            if view == .domains { select(line: selectedLine - 3, table) } else { listScroll = max(0, listScroll - 3) }
        case .wheelDown:
            if view == .domains { select(line: selectedLine + 3, table) } else { listScroll += 3 }
        case .press(button: 1):
            guard view == .domains else { return [] }
            if e.y == layout.tableHeaderY {
                let lay = ColumnLayout.fit(columns, width: layout.width, longestName: table.longestName, longestHost: table.longestHost)
                if let c = lay.column(atX: e.x) { setSort(c) }
            } else if e.y >= layout.bodyY && e.y < layout.bodyY + layout.bodyHeight {
                let line = scrollTop + (e.y - layout.bodyY)
                if line < table.lines.count {
                    if line == selectedLine, case .domain(let k)? = selection {
                        // A second click on the selected row opens its detail (double-click without timing).
                        detailKey = k; returnView = .domains; view = .detail; listScroll = 0
                    } else {
                        select(line: line, table)
                    }
                }
            }
        default: break
        }
        return []
    }
}
