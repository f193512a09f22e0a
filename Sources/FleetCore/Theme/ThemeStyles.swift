/// Cell styles for every element, from a theme. Where a theme leaves a background at the terminal default
/// (monochrome, NO_COLOR), highlights fall back to attributes — reverse, bold, dim, underline — so the
/// selection, headers and down hosts stay visible without colour.
public struct ThemeStyles: Sendable, Hashable {
    public var base, title, label, value, tableHeader, sortHeader, selected, hostRow, stale, status, keyHint,
               error, warning, border, inactive, hostUp, hostDown, hostSlow, prompt: CellStyle
    public var running, paused, shutoff, crashed, otherState: CellStyle
    public var cpuLow, cpuMid, cpuHigh: CellStyle
    public var graphCPU, graphMem, graphIO, graphNet: CellStyle
    /// The console's F12 menu (its headings bold) and dialogs (the password prompt).
    public var menu, menuHeading, dialog: CellStyle
    /// Screen states by severity (the SCREEN column, the screens view): the error, warning and running colours;
    /// without colour a critical screen is reversed, a warning underlined.
    public var screenCritical, screenWarning, screenOK: CellStyle

    public init(theme t: Theme) {
        let bg = t[.mainBg]
        func fg(_ r: ThemeRole, bold: Bool = false) -> CellStyle { CellStyle(fg: t[r], bg: bg, bold: bold) }
        func bar(_ f: ThemeRole, _ b: ThemeRole, bold: Bool = false) -> CellStyle {
            CellStyle(fg: t[f], bg: t[b] == .default ? bg : t[b], bold: bold, reverse: t[b] == .default)
        }
        base = fg(.mainFg)
        title = fg(.title, bold: true)
        label = fg(.label)
        value = fg(.value, bold: true)
        tableHeader = bar(.tableHeaderFg, .tableHeaderBg, bold: true)
        sortHeader = CellStyle(fg: t[.sortColumn], bg: t[.tableHeaderBg] == .default ? bg : t[.tableHeaderBg],
                               bold: true, reverse: t[.tableHeaderBg] == .default, underline: true)
        selected = bar(.selectedFg, .selectedBg)
        hostRow = CellStyle(fg: t[.hostRowFg], bg: t[.hostRowBg] == .default ? bg : t[.hostRowBg], bold: true,
                            underline: t[.hostRowBg] == .default)
        stale = CellStyle(fg: t[.stale], bg: bg, dim: true)
        status = bar(.statusFg, .statusBg)
        keyHint = CellStyle(fg: t[.keyHint], bg: t[.statusBg] == .default ? bg : t[.statusBg], bold: true,
                            reverse: t[.statusBg] == .default)
        prompt = fg(.keyHint, bold: true)
        error = fg(.error, bold: true)
        warning = fg(.warning, bold: true)
        border = fg(.border)
        inactive = CellStyle(fg: t[.inactive], bg: bg, dim: t[.inactive] == .default)
        hostUp = fg(.hostUp)
        hostDown = CellStyle(fg: t[.hostDown], bg: bg, bold: true, reverse: t[.hostDown] == .default)
        hostSlow = CellStyle(fg: t[.hostSlow], bg: bg, bold: true, underline: t[.hostSlow] == .default)
        running = fg(.running)
        paused = fg(.paused)
        shutoff = CellStyle(fg: t[.shutoff], bg: bg, dim: t[.shutoff] == .default)
        crashed = CellStyle(fg: t[.crashed], bg: bg, bold: true)
        otherState = fg(.otherState)
        cpuLow = fg(.cpuLow)
        cpuMid = fg(.cpuMid)
        cpuHigh = fg(.cpuHigh, bold: true)
        graphCPU = fg(.graphCPU); graphMem = fg(.graphMem); graphIO = fg(.graphIO); graphNet = fg(.graphNet)
        menu = bar(.menuFg, .menuBg)
        menuHeading = bar(.menuFg, .menuBg, bold: true)
        dialog = bar(.dialogFg, .dialogBg)
        screenCritical = CellStyle(fg: t[.error], bg: bg, bold: true, reverse: t[.error] == .default)
        screenWarning = CellStyle(fg: t[.warning], bg: bg, bold: true, underline: t[.warning] == .default)
        screenOK = fg(.running)
    }

    public func screen(_ s: ScreenSeverity) -> CellStyle {
        switch s {
        case .critical: return screenCritical
        case .warning: return screenWarning
        case .ok: return screenOK
        case .info: return base
        }
    }

    public func state(_ s: DomainState) -> CellStyle {
        switch s {
        case .running, .blocked: return running
        case .paused, .pmsuspended: return paused
        case .shutoff, .shutdown: return shutoff
        case .crashed: return crashed
        case .nostate: return otherState
        }
    }

    public func host(_ s: ConnectionState) -> CellStyle {
        switch s {
        case .up: return hostUp
        case .down: return hostDown
        case .slow, .connecting: return hostSlow
        }
    }

    public func cpu(_ percent: Double?) -> CellStyle {
        guard let p = percent else { return inactive }
        return p >= 80 ? cpuHigh : p >= 40 ? cpuMid : cpuLow
    }
}
