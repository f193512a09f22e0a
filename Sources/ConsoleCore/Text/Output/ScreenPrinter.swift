import FleetCore

/// Turns a recognised screen into output for a plain terminal or a script (`render`, `screen`).
public struct ScreenPrinter: Sendable {
    public var depth: ColourDepth
    public init(depth: ColourDepth = .trueColour) { self.depth = depth }

    /// How a cell the recogniser is not sure of prints as text: never a plausible letter (U+FFFD, the
    /// replacement character).
    public static let unsureMark: Character = "\u{FFFD}"

    /// The recognised text: one screen line per output line, trailing spaces and trailing blank lines trimmed.
    /// Cells it is not sure of (`TextScreen.isSure`) print as `unsureMark`.
    public func text(_ screen: TextScreen) -> String {
        var lines: [String] = []
        for row in 0..<screen.rows {
            var line = String()
            var length = 0   // characters up to the last one with ink
            for col in 0..<screen.cols {
                let i = row * screen.cols + col
                if screen.cells[i].wideTail && screen.isSure(i) { continue }   // the wide character before it
                let c = screen.isSure(i) ? screen.cells[i].character : ScreenPrinter.unsureMark
                line.append(c)
                if c != " " { length = line.count }
            }
            lines.append(String(line.prefix(length)))
        }
        while lines.last == "" { lines.removeLast() }
        return lines.map { Sanitize.forTerminal($0) + "\n" }.joined()
    }

    /// What a script should know about a text reading (stderr): how many cells with ink were unsure, and why
    /// they may be when UEFI firmware text cannot be read for want of its font: said only when the EDK2 font is
    /// missing and `frame` looks like firmware text (`FirmwareScreen`), never on a picture or another console.
    public func report(_ screen: TextScreen, table: GlyphTable, frame: Framebuffer) -> String {
        let unsure = screen.unsureCells, ink = screen.inkCells
        var s = "\(unsure) of \(ink) cells with ink unsure"
        if unsure > 0 {
            s += " (shown as \(ScreenPrinter.unsureMark))"
            if !screen.isText { s += "; not a text console" }
            if !table.sizes.contains(EDK2Font.glyphSize) && FirmwareScreen.looksLikeEDK2Console(frame) {
                s += "; UEFI firmware (OVMF) text needs the EDK2 font: install the ovmf package, or pass --font with an"
                    + " OVMF_CODE.fd or a font exported from one (fleettui font-export)"
            }
        }
        return s
    }

    /// The cells a screen should be drawn as: recognised text as characters; on a text console, unrecognised
    /// cells as half blocks of their own pixels; a picture (not a text console) scaled to `pictureSize`.
    public func cells(screen: TextScreen, frame: Framebuffer, pictureSize: (cols: Int, rows: Int)) -> CellGrid {
        guard screen.isText else {
            return BlockRenderer.render(frame, cols: pictureSize.cols, rows: pictureSize.rows)
        }
        let g = screen.geometry
        var cells: [DrawCell] = []
        cells.reserveCapacity(screen.cells.count)
        for row in 0..<g.rows {
            for col in 0..<g.cols {
                let c = screen[col, row]
                if c.recognised {
                    cells.append(DrawCell(c.character, fg: c.fg, bg: c.bg))
                } else {
                    let area = PixelRect(x: g.originX + col * g.cellWidth, y: g.originY + row * g.cellHeight,
                                         width: g.cellWidth, height: g.cellHeight)
                    let two = Downscale.average(frame, area: area, width: 1, height: 2)
                    cells.append(BlockRenderer.cell(two.pixels, style: .halfBlocks))
                }
            }
        }
        return CellGrid(cols: g.cols, rows: g.rows, cells: cells)
    }

    /// The cells with SGR colour sequences, one line per row, colours reset at each line end.
    public func ansi(_ grid: CellGrid) -> String {
        var out = ""
        for row in 0..<grid.rows {
            var lastFg: UInt32? = nil, lastBg: UInt32? = nil
            for col in 0..<grid.cols {
                let c = grid[col, row]
                var params: [String] = []
                // A space shows only its background: keep the current foreground.
                if c.fg != lastFg && c.character != " " { params.append(TerminalColour.sgr(c.fg, background: false, depth: depth)); lastFg = c.fg }
                if c.bg != lastBg { params.append(TerminalColour.sgr(c.bg, background: true, depth: depth)); lastBg = c.bg }
                if !params.isEmpty { out += "\u{1B}[" + params.joined(separator: ";") + "m" }
                out.append(c.character)
            }
            out += "\u{1B}[0m\n"
        }
        return out
    }

    /// The cells without any escape sequence (colours off: NO_COLOR, a pipe, `--colors never`): characters as
    /// they are; picture cells (all of a picture, the block cells of a text screen) as an ASCII shade of their
    /// brightness, so a picture keeps its shapes.
    public func plain(_ grid: CellGrid, picture: Bool) -> String {
        let ramp = Array(" .:-=+*#%@")
        var out = ""
        for row in 0..<grid.rows {
            var line = ""
            for col in 0..<grid.cols {
                let c = grid[col, row]
                let isBlock = c.character.unicodeScalars.first.map { v in
                    (0x2580...0x259F).contains(v.value) || (0x2800...0x28FF).contains(v.value) || (0x1FB00...0x1FB3B).contains(v.value)
                } ?? false
                if picture || isBlock {
                    let l = (BlockRenderer.luminance(c.fg) + BlockRenderer.luminance(c.bg)) / 2
                    line.append(ramp[min(ramp.count - 1, max(0, l * ramp.count / 256))])
                } else {
                    line.append(contentsOf: Sanitize.forTerminal(String(c.character)))
                }
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    public func ansi(screen: TextScreen, frame: Framebuffer, pictureSize: (cols: Int, rows: Int)) -> String {
        ansi(cells(screen: screen, frame: frame, pictureSize: pictureSize))
    }
}
