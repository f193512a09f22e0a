import ConsoleCore

/// Draws a `TextConsole` into pixels with a bitmap font, as the guest's console driver would: fbcon on a
/// framebuffer (8-pixel cells, an underline cursor XOR'ed into the cell) or the VGA card in text mode (9-pixel
/// cells, a solid underline cursor). Pixels are 0x00RRGGBB words, row-major with `stride` words a row.
public enum ConsoleRasterizer {
    /// Draws the cells `indices` (row-major, from `TextConsole.takeChanges()`); returns the rectangle touched.
    @discardableResult
    public static func draw(_ console: TextConsole, cells indices: [Int], font: ConsoleFont,
                            into px: UnsafeMutableBufferPointer<UInt32>, stride: Int) -> PixelRect? {
        guard !indices.isEmpty else { return nil }
        var x0 = Int.max, y0 = Int.max, x1 = 0, y1 = 0
        let cw = font.cellWidth, ch = font.cellHeight
        for i in indices {
            let col = i % console.cols, row = i / console.cols
            let cursor = console.cursorVisible && col == console.cursorCol && row == console.cursorRow
            drawCell(console.cells[i], x: col * cw, y: row * ch, cursor: cursor, font: font, into: px, stride: stride)
            x0 = min(x0, col * cw); y0 = min(y0, row * ch)
            x1 = max(x1, (col + 1) * cw); y1 = max(y1, (row + 1) * ch)
        }
        return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Every cell.
    @discardableResult
    public static func drawAll(_ console: TextConsole, font: ConsoleFont, into px: UnsafeMutableBufferPointer<UInt32>,
                               stride: Int) -> PixelRect? {
        draw(console, cells: Array(0..<(console.cols * console.rows)), font: font, into: px, stride: stride)
    }

    static func drawCell(_ cell: ConsoleCell, x: Int, y: Int, cursor: Bool, font: ConsoleFont,
                         into px: UnsafeMutableBufferPointer<UInt32>, stride: Int) {
        let fg = ConsolePalette.colours[Int(cell.fg & 15)], bg = ConsolePalette.colours[Int(cell.bg & 15)]
        let g = font.glyph(for: cell.character)
        let rows = font.font.glyphs[g]
        let ninth = font.extendsIntoNinthColumn(g)
        let ch = font.cellHeight, cw = font.cellWidth
        let vga = cw == 9
        for r in 0..<ch {
            var bits = rows[r] & 0xFF
            // The cursor: the bottom two scan lines, OR'ed in by the VGA card, XOR'ed by fbcon.
            if cursor && r >= ch - 2 { bits = vga ? 0xFF : bits ^ 0xFF }
            var p = (y + r) * stride + x
            for c in 0..<8 {
                px[p] = bits & (0x80 >> UInt32(c)) != 0 ? fg : bg
                p += 1
            }
            if cw == 9 {
                let ink = (cursor && r >= ch - 2) || (ninth && bits & 1 != 0)
                px[p] = ink ? fg : bg
            }
        }
    }
}
