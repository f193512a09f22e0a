import FleetCore

/// The guest's screen as the console holds it: the last frame, the text read from it, and where the guest's
/// cursor was last seen (a blinking one is missing from every other frame).
public struct GuestScreen {
    public var frame: Framebuffer?
    public var text: TextScreen?
    public var cursor: CellPosition?
    public init(frame: Framebuffer? = nil, text: TextScreen? = nil, cursor: CellPosition? = nil) {
        self.frame = frame; self.text = text; self.cursor = cursor
    }
}

/// Size and styles of a console frame.
public struct ConsoleRenderContext: Sendable {
    public var width: Int, height: Int
    public var palette: ThemeStyles
    public init(width: Int, height: Int, palette: ThemeStyles) {
        self.width = width; self.height = height; self.palette = palette
    }
}

/// The console screen as a pure function of (state, guest screen, context): the guest's text (or a picture of
/// half blocks), the status line, the F12 menu and the password prompt, drawn with theme roles. The guest's own
/// colours are its content; everything FleetTUI adds is styled by the theme.
public enum ConsoleView {
    public static func render(_ state: ConsoleState, screen: GuestScreen, context c: ConsoleRenderContext) -> CellBuffer {
        let w = c.width, h = c.height
        var buf = CellBuffer(width: w, height: h, style: c.palette.base)
        guard w > 0, h > 0 else { return buf }
        let viewH = max(0, h - 1)
        var cursor: CursorPosition?
        var shown = "—"
        if let f = screen.frame {
            let showText: Bool
            switch state.mode {
            case .auto: showText = screen.text?.isText ?? false
            case .text: showText = screen.text != nil
            case .picture: showText = false
            }
            if showText, let s = screen.text {
                cursor = drawText(s, frame: f, cursor: screen.cursor, into: &buf, width: w, height: viewH)
                shown = "text \(s.cols)x\(s.rows)"
            } else {
                drawPicture(f, viewport: state.viewport, into: &buf, width: w, height: viewH)
                shown = "picture" + (state.viewport.zoom > 1 ? " ×\(Units.fixed(state.viewport.zoom, decimals: 1))" : "")
            }
        }
        drawStatus(state, frame: screen.frame, shown: shown, into: &buf, y: h - 1, width: w, palette: c.palette)
        if let o = state.overlay { drawMenu(o, into: &buf, width: w, height: h, palette: c.palette) }
        if state.passwordPrompt != nil {
            drawPrompt(domain: state.domainName, into: &buf, width: w, height: h, palette: c.palette)
            cursor = nil
        } else if state.overlay != nil {
            cursor = nil
        }
        buf.cursor = cursor
        return buf
    }

    /// The recognised text; returns where the guest's cursor is on the terminal (if visible).
    static func drawText(_ s: TextScreen, frame f: Framebuffer, cursor guestCursor: CellPosition?, into buf: inout CellBuffer,
                         width: Int, height: Int) -> CursorPosition? {
        // If the guest screen is larger than the terminal, keep the cursor in view.
        var ox = 0, oy = 0
        if let c = guestCursor {
            if s.rows > height { oy = min(max(0, c.row - height + 1), s.rows - height) }
            if s.cols > width { ox = min(max(0, c.col - width + 1), s.cols - width) }
        }
        let g = s.geometry
        for row in 0..<max(0, min(height, s.rows - oy)) {
            for col in 0..<max(0, min(width, s.cols - ox)) {
                let c = s[col + ox, row + oy]
                if c.recognised && c.wideTail { continue }   // drawn by the wide character to its left
                if c.recognised {
                    // A space shows no ink: its foreground must not matter, or the guest's blinking cursor
                    // (a space that is underlined every other frame) would make output on an idle screen.
                    let fg = c.character == " " ? c.bg : c.fg
                    buf[x: col, y: row] = Cell(symbol: String(c.character), style: CellStyle(fg: rgb(fg), bg: rgb(c.bg)))
                } else {
                    let area = PixelRect(x: g.originX + (col + ox) * g.cellWidth, y: g.originY + (row + oy) * g.cellHeight,
                                         width: g.cellWidth, height: g.cellHeight)
                    let two = Downscale.average(f, area: area, width: 1, height: 2)
                    let d = BlockRenderer.cell(two.pixels, style: .halfBlocks)
                    buf[x: col, y: row] = Cell(symbol: String(d.character), style: CellStyle(fg: rgb(d.fg), bg: rgb(d.bg)))
                }
            }
        }
        guard let c = guestCursor, c.col - ox < width, c.row - oy < height, c.col >= ox, c.row >= oy else { return nil }
        return CursorPosition(x: c.col - ox, y: c.row - oy)
    }

    /// Half blocks (1x2 pixels a cell, square pixels), scaled to fit with the aspect ratio kept.
    static func drawPicture(_ f: Framebuffer, viewport: Viewport, into buf: inout CellBuffer, width: Int, height: Int) {
        guard f.width > 0, f.height > 0, width > 0, height > 0 else { return }
        let src = viewport.source(in: f)
        let scale = min(Double(width) / Double(src.width), Double(height * 2) / Double(src.height))
        let cols = max(1, min(width, Int(Double(src.width) * scale)))
        let rows = max(1, min(height, Int(Double(src.height) * scale / 2)))
        let grid = BlockRenderer.render(f, cols: cols, rows: rows, style: .halfBlocks, viewport: viewport)
        let x0 = (width - cols) / 2, y0 = (height - rows) / 2
        for r in 0..<rows {
            for c in 0..<cols {
                let d = grid[c, r]
                buf[x: x0 + c, y: y0 + r] = Cell(symbol: String(d.character), style: CellStyle(fg: rgb(d.fg), bg: rgb(d.bg)))
            }
        }
    }

    static let keyHint = "Ctrl+] detach · F12 menu"

    static func drawStatus(_ state: ConsoleState, frame: Framebuffer?, shown: String, into buf: inout CellBuffer,
                           y: Int, width: Int, palette: ThemeStyles) {
        buf.fill(x: 0, y: y, width: width, height: 1, style: palette.status)
        var parts = [Sanitize.oneLine(state.domainName)]
        if state.connected {
            parts.append(shown + (state.mode == .auto ? "" : " (\(state.mode.rawValue))"))
            if let f = frame { parts.append("\(f.width)x\(f.height)") }
        }
        if !state.status.isEmpty { parts.append(state.status) }
        if let e = state.error { parts.append(e) }
        let left = " " + parts.joined(separator: " │ ")
        let rw = DisplayWidth.of(keyHint) + 1
        buf.put(left, x: 0, y: y, style: palette.status, maxWidth: max(0, width - rw - 1))
        if width > rw + 10 { buf.put(keyHint, x: width - rw, y: y, style: palette.keyHint) }
    }

    static let menuLines = [
        " Send to the guest:                 ",
        "  Del / 1   Ctrl+Alt+Del            ",
        "  Bksp / 2  Ctrl+Alt+Backspace      ",
        "  F1…F11    Ctrl+Alt+F1…F11         ",
        "  F12       F12 itself              ",
        "  c         Ctrl+Alt+F12            ",
        "  s         Alt+SysRq+<key>         ",
        "  p         PrintScreen             ",
        " View:                              ",
        "  t / g / a text / picture / auto   ",
        "  + - 0     zoom in / out / reset   ",
        "  arrows    pan (pictures)          ",
        "  r         refresh / reconnect     ",
        "  d         detach                  ",
        "  Esc       close this menu         ",
    ]
    static let sysRqLines = [" SysRq: press the command key (h = help, s = sync, b = reboot …) "]

    static func drawMenu(_ overlay: ConsoleState.Overlay, into buf: inout CellBuffer, width: Int, height: Int, palette: ThemeStyles) {
        let lines = overlay == .sysRq ? sysRqLines : menuLines
        let bw = lines.map { DisplayWidth.of($0) }.max() ?? 0
        let x0 = max(0, (width - bw) / 2), y0 = max(0, (height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            buf.fill(x: x0, y: y0 + i, width: bw, height: 1, style: palette.menu)
            let heading = i == 0 || l.hasPrefix(" View:")
            buf.put(l, x: x0, y: y0 + i, style: heading ? palette.menuHeading : palette.menu)
        }
    }

    static func drawPrompt(domain: String, into buf: inout CellBuffer, width: Int, height: Int, palette: ThemeStyles) {
        let text = " VNC password for \(Sanitize.oneLine(domain)) (not shown; Enter: OK, Esc: cancel): "
        let w = min(width, DisplayWidth.of(text) + 2)
        let x0 = max(0, (width - w) / 2), y0 = max(0, height / 2 - 1)
        buf.fill(x: x0, y: y0, width: w, height: 1, style: palette.dialog)
        buf.put(text, x: x0, y: y0, style: palette.dialog, maxWidth: w)
    }

    static func rgb(_ v: UInt32) -> TermColor {
        .rgb(UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }
}
