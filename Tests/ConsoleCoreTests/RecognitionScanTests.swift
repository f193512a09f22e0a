import Testing
import Foundation
@testable import ConsoleCore

/// The whole-frame pass scans pixel rows first (`RowScan`: bands of one colour are blank cells, rows of one colour
/// are not read again). It must read exactly what reading every cell on its own reads.
@Suite struct RecognitionScanTests {
    /// Every cell read on its own, pixel by pixel (no row scan): the reference.
    func cellByCell(_ frame: Framebuffer, _ rec: TextRecognizer) -> [TextCell] {
        let r = CellRecognizer(index: rec.index, geometry: rec.geometry)
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 2 * rec.geometry.cellHeight)
        defer { scratch.deallocate() }
        var out: [TextCell] = []
        frame.pixels.withUnsafeBufferPointer { px in
            for row in 0..<rec.geometry.rows {
                for col in 0..<rec.geometry.cols {
                    out.append(r.recognize(col: col, row: row, px: px, frameWidth: frame.width, scratch: scratch))
                }
            }
        }
        return out
    }

    /// The first cell where two readings differ, as "col,row: a != b" (nil when they agree).
    func difference(_ a: [TextCell], _ b: [TextCell], cols: Int) -> String? {
        guard a.count == b.count else { return "\(a.count) cells != \(b.count) cells" }
        guard let i = a.indices.first(where: { a[$0] != b[$0] }) else { return nil }
        return "\(i % cols),\(i / cols): \(a[i]) != \(b[i])"
    }

    @Test(arguments: TextFixtures.frameNames)
    func theRowScanReadsWhatCellByCellReads(_ name: String) throws {
        let frame = try TextFixtures.frame(name)
        let table = frame.width >= 2560 ? try kernelGlyphs() : systemGlyphs
        let geo = try #require(GeometryDetector.detect(frame, table: table)?.geometry)
        let rec = TextRecognizer(geometry: geo, index: table.index(geo.glyph))
        let d = difference(rec.recognize(frame).cells, cellByCell(frame, rec), cols: geo.cols)
        #expect(d == nil, "\(name)")
    }

    /// Full-width lines in another colour (a frame's rule, an underlined title), a band of one colour that is not
    /// the screen's background, three colours in one cell, a highlighted bar: the row scan's special cases.
    @Test func rowsOfOneColourThatAreInk() throws {
        let font = try #require(systemGlyphs.fonts.first { $0.width == 8 && $0.height == 16 && $0.characters.contains { $0.contains("─") } })
        func glyph(_ c: Character) -> [UInt32] { font.glyphs[font.characters.firstIndex { $0.contains(c) }!] }
        let cols = 40, rows = 6
        var frame = Framebuffer(width: cols * 8, height: rows * 16, fill: 0x0000AA)
        func draw(_ text: String, row: Int, col: Int = 0, fg: UInt32 = 0xFFFFFF, bg: UInt32 = 0x0000AA) {
            for (i, ch) in text.enumerated() {
                let g = glyph(ch)
                for y in 0..<16 { for x in 0..<8 {
                    frame[(col + i) * 8 + x, row * 16 + y] = g[y] >> UInt32(7 - x) & 1 == 1 ? fg : bg
                } }
            }
        }
        draw(String(repeating: "─", count: cols), row: 0)                       // a rule across the screen
        draw("Title", row: 1)
        for x in 0..<(cols * 8) { frame[x, 2 * 16 - 2] = 0xFFFFFF }            // underline across row 1's cells
        for y in (2 * 16)..<(3 * 16) { for x in 0..<(cols * 8) { frame[x, y] = 0xAAAAAA } }   // a grey band
        draw(String(repeating: " ", count: cols), row: 3, bg: 0xAAAAAA)
        draw("Menu entry", row: 3, col: 2, fg: 0x0000AA, bg: 0xAAAAAA)          // highlighted bar
        draw("ok", row: 4)
        for x in 0..<(cols * 8) { frame[x, 4 * 16 + 5] = 0xFF0000 }            // a red line through ink: 3 colours
        let geo = CellGeometry(frameWidth: frame.width, frameHeight: frame.height, cellWidth: 8, cellHeight: 16,
                               glyph: GlyphSize(width: 8, height: 16))
        let rec = TextRecognizer(geometry: geo, index: systemGlyphs.index(geo.glyph))
        let screen = rec.recognize(frame)
        let d = difference(screen.cells, cellByCell(frame, rec), cols: cols)
        #expect(d == nil)
        #expect(screen.line(0) == String(repeating: "─", count: cols))
        #expect(screen[2, 2].blank && screen[2, 2].bg == 0xAAAAAA)
        #expect(screen.line(3) == "  Menu entry")
        #expect(screen[0, 4].recognised == false && screen[0, 4].blank == false)   // "o" crossed by a red line
        #expect(screen[10, 4].blank == false)                                        // the red line alone
        #expect(screen[0, 5].blank)
    }

    /// A dirty rectangle scans only its cells' spans: the cells it reads are the whole frame's.
    @Test func dirtyRectanglesReadWhatTheWholeFrameReads() throws {
        let frame = try TextFixtures.frame("uefi-setup")
        let geo = try #require(GeometryDetector.detect(frame, table: systemGlyphs)?.geometry)
        let rec = TextRecognizer(geometry: geo, index: systemGlyphs.index(geo.glyph))
        let whole = rec.recognize(frame).cells
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<40 {
            let c0 = Int.random(in: 0..<geo.cols, using: &rng), r0 = Int.random(in: 0..<geo.rows, using: &rng)
            let cols = c0..<Int.random(in: (c0 + 1)...geo.cols, using: &rng)
            let rows = r0..<Int.random(in: (r0 + 1)...geo.rows, using: &rng)
            var cells = [TextCell](repeating: TextCell(character: "x"), count: whole.count)
            rec.recognize(frame, cols: cols, rows: rows, into: &cells)
            for r in rows { for c in cols { #expect(cells[r * geo.cols + c] == whole[r * geo.cols + c], "\(c),\(r) in \(cols) x \(rows)") } }
        }
    }
}
