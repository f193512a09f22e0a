@testable import ConsoleCore
import FleetCore

/// Guest screens built by hand (8x16 cells, white on black) and renders as trimmed text, for the console's view
/// tests (as ViewFixtures does for the monitor's).
enum ConsoleFixtures {
    static let white: UInt32 = 0xFFFFFF, black: UInt32 = 0

    /// A text console showing `lines` on a `cols`x`rows` grid, its cursor at `cursor`.
    static func textScreen(_ lines: [String], cols: Int, rows: Int, cursor: CellPosition? = nil) -> GuestScreen {
        let g = CellGeometry(cellWidth: 8, cellHeight: 16, glyph: GlyphSize(width: 8, height: 16), cols: cols, rows: rows)
        var cells = [TextCell](repeating: TextCell(fg: white, bg: black), count: cols * rows)
        for (r, line) in lines.enumerated() where r < rows {
            for (c, ch) in line.enumerated() where c < cols {
                cells[r * cols + c] = TextCell(character: ch, fg: white, bg: black, blank: ch == " ")
            }
        }
        if let cursor { cells[cursor.row * cols + cursor.col].cursor = true }
        let frame = Framebuffer(width: cols * 8, height: rows * 16, fill: black)
        return GuestScreen(frame: frame, text: TextScreen(geometry: g, cells: cells), cursor: cursor)
    }

    static let palette = ThemeStyles(theme: BuiltinThemes.defaultTheme)

    static func render(_ state: ConsoleState, _ screen: GuestScreen, width: Int, height: Int,
                       palette: ThemeStyles = palette) -> CellBuffer {
        ConsoleView.render(state, screen: screen, context: ConsoleRenderContext(width: width, height: height, palette: palette))
    }

    static func text(_ buf: CellBuffer) -> [String] {
        buf.lines().map { line in
            var s = line
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
    }

    static func connected(_ name: String = "web-01") -> ConsoleState {
        var s = ConsoleState(domainName: name)
        s.connected = true
        s.status = ""
        return s
    }
}
