import Testing
import Foundation
@testable import ConsoleCore

/// The system's fonts, loaded once for all recognition tests.
let systemGlyphs: GlyphTable = {
    do { return try GlyphTable.system(useCache: false) } catch { fatalError("cannot load console fonts: \(error)") }
}()

/// The system's fonts plus the built-in fonts of the Debian kernel the bed's guests run (fbcon picks TER16x32 at
/// 2560x1600): read out of /boot/vmlinuz-* or the bed's image cache, as `--font` would.
func kernelGlyphs() throws -> GlyphTable {
    let boot = LinuxKernelFont.kernelImages()
    let bed = ((try? FileManager.default.contentsOfDirectory(atPath: "/var/cache/fleettui-bed")) ?? [])
        .filter { $0.hasPrefix("image-") }.map { "/var/cache/fleettui-bed/\($0)/vmlinuz" }
    let kernel = try #require((boot + bed).first { FileManager.default.fileExists(atPath: $0) },
                              "no Debian kernel image (/boot/vmlinuz-*, or the bed's: Tests/Bed/bed image)")
    return GlyphTable(fonts: try FontCatalog.load(path: kernel), base: systemGlyphs.allIndexes(), baseSizes: systemGlyphs.sizes)
}

@Suite struct RecognitionTests {
    @Test(arguments: TextFixtures.frameNames)
    func recoversEveryCharacterOfRealCaptures(_ name: String) throws {
        let frame = try TextFixtures.frame(name)
        // fbcon at 2560x1600 is drawn with the kernel's TER16x32, which no console-setup font matches.
        var reader = ScreenReader(table: frame.width >= 2560 ? try kernelGlyphs() : systemGlyphs)
        let screen = reader.screen(of: frame)
        #expect(screen.isText)
        var lines = screen.lines()
        while lines.last == "" { lines.removeLast() }
        let expected = try TextFixtures.expectedLines(name)
        #expect(lines == expected, "\(name): \(screen.geometry)")
        // Exact: every cell with ink is recognised (the cursor cell included, as a cursor).
        #expect(screen.recognisedFraction == 1.0)
    }

    @Test func detectsVGATextAndFbconGeometry() throws {
        let vga = try #require(GeometryDetector.detect(try TextFixtures.frame("vgatext-720x400"), table: systemGlyphs))
        #expect(vga.geometry.cellWidth == 9 && vga.geometry.cellHeight == 16 && vga.geometry.cols == 80 && vga.geometry.rows == 25)
        let fb = try #require(GeometryDetector.detect(try TextFixtures.frame("fbcon-1024x768"), table: systemGlyphs))
        #expect(fb.geometry.cellWidth == 8 && fb.geometry.cellHeight == 16 && fb.geometry.cols == 128 && fb.geometry.rows == 48)
    }

    @Test func findsTheCursorAfterThePrompt() throws {
        for name in ["vgatext-720x400", "fbcon-1024x768"] {
            var reader = ScreenReader(table: systemGlyphs)
            let screen = reader.screen(of: try TextFixtures.frame(name))
            #expect(screen.cursor == CellPosition(col: 4, row: name.hasPrefix("vga") ? 13 : 12), "\(name)")
        }
    }

    @Test func coloursOfTextCells() throws {
        var reader = ScreenReader(table: systemGlyphs)
        let screen = reader.screen(of: try TextFixtures.frame("vgatext-720x400"))
        let f = screen[0, 0]
        #expect(f.character == "F" && f.bg == 0x000000 && f.fg != 0 && !f.reverse)
    }

    @Test func reverseVideoGridOffsetAndNineColumnCells() throws {
        // Draw text with the VGA BIOS font into a frame: shifted grid, 9-pixel cells, one highlighted word.
        let font = try #require(systemGlyphs.fonts.first { $0.width == 8 && $0.height == 16 })
        let text = ["Hello, world!", "  ─┼─ box", "reverse ME"]
        let ox = 5, oy = 3
        var frame = Framebuffer(width: 9 * 20 + ox + 4, height: 16 * 4 + oy + 7, fill: 0x0000AA)
        for (r, line) in text.enumerated() {
            for (c, ch) in line.enumerated() {
                guard let g = font.characters.firstIndex(where: { $0.contains(ch) }) else { continue }
                let highlighted = r == 2 && c >= 8
                let fg: UInt32 = highlighted ? 0x0000AA : 0xFFFFFF, bg: UInt32 = highlighted ? 0xAAAAAA : 0x0000AA
                for y in 0..<16 {
                    let bits = font.glyphs[g][y]
                    for x in 0..<9 {
                        let on = x < 8 ? bits >> UInt32(7 - x) & 1 == 1 : (ch == "─" || ch == "┼") && bits & 1 == 1
                        frame[ox + c * 9 + x, oy + r * 16 + y] = on ? fg : bg
                    }
                }
            }
        }
        let det = try #require(GeometryDetector.detect(frame, table: systemGlyphs))
        let geo = det.geometry
        #expect(geo.originX == ox && geo.originY == oy && geo.cellWidth == 9 && geo.cellHeight == 16, "\(geo) \(det.recognised)/\(det.sampled)")
        try #require(geo.rows >= 3 && geo.cols >= 13)
        let screen = TextRecognizer(geometry: geo, index: systemGlyphs.index(geo.glyph)).recognize(frame)
        #expect(Array(screen.lines().prefix(3)) == text)
        #expect(screen[8, 2].bg == 0xAAAAAA && screen[8, 2].fg == 0x0000AA)
    }

    @Test func aPictureIsNotText() {
        // A smooth gradient: no cell is a glyph.
        var frame = Framebuffer(width: 320, height: 200)
        for y in 0..<200 { for x in 0..<320 { frame[x, y] = UInt32(x * 255 / 320) << 16 | UInt32(y * 255 / 200) << 8 | 0x40 } }
        var reader = ScreenReader(table: systemGlyphs)
        #expect(!reader.screen(of: frame).isText)
    }
}
