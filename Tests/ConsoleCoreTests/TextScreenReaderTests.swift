import Testing
import Foundation
@testable import ConsoleCore

@Suite struct TextScreenReaderTests {
    /// Copies the cell (col,row) of `from` over the cell (dcol,drow) of `frame`.
    func copyCell(_ frame: inout Framebuffer, from: Framebuffer, _ col: Int, _ row: Int, to dcol: Int, _ drow: Int, cell: (Int, Int)) {
        for y in 0..<cell.1 { for x in 0..<cell.0 { frame[dcol * cell.0 + x, drow * cell.1 + y] = from[col * cell.0 + x, row * cell.1 + y] } }
    }

    @Test func dirtyRectUpdatesOnlyTouchedCellsAndReportsTheDiff() throws {
        let original = try TextFixtures.frame("fbcon-1024x768")
        var frame = original
        var reader = ScreenReader(table: systemGlyphs)
        let first = reader.read(frame)
        #expect(first.geometryChanged)
        // Write "F" (cell 0,0) into cell (10,20), as a guest echoing a character would.
        copyCell(&frame, from: original, 0, 0, to: 10, 20, cell: (8, 16))
        // A rect that touches (10,20) and its neighbour (11,20): only the first changed.
        let u = reader.update(frame, dirty: PixelRect(x: 80, y: 320, width: 12, height: 16))
        #expect(!u.geometryChanged)
        #expect(u.changed == [CellPosition(col: 10, row: 20)])
        #expect(reader.screen?[10, 20].character == "F")
        #expect(reader.screen?.line(0) == "FleetTUI test guest 6.1.0-56-amd64")
        // A dirty rect with nothing new changes nothing.
        #expect(reader.update(frame, dirty: PixelRect(x: 0, y: 0, width: 1024, height: 64)).changed.isEmpty)
    }

    @Test func cellsTouchedByARect() {
        let g = CellGeometry(frameWidth: 720, frameHeight: 400, cellWidth: 9, cellHeight: 16, glyph: GlyphSize(width: 8, height: 16))
        let t = g.cells(touching: PixelRect(x: 8, y: 15, width: 2, height: 2))
        #expect(t.cols == 0..<2 && t.rows == 0..<2)
        let all = g.cells(touching: PixelRect(x: -5, y: -5, width: 2000, height: 2000))
        #expect(all.cols == 0..<80 && all.rows == 0..<25)
        #expect(g.cells(touching: PixelRect(x: 0, y: 0, width: 0, height: 5)).cols.isEmpty)
    }

    @Test func aNewFrameSizeRedetectsTheGeometry() throws {
        var reader = ScreenReader(table: systemGlyphs)
        reader.read(try TextFixtures.frame("vgatext-720x400"))
        let u = reader.update(try TextFixtures.frame("fbcon-1024x768"), dirty: PixelRect(x: 0, y: 0, width: 8, height: 8))
        #expect(u.geometryChanged && u.geometry.cols == 128)
        #expect(reader.screen?.line(0) == "FleetTUI test guest 6.1.0-56-amd64")
    }

    @Test func blankScreenIsAnEmptyTextConsole() {
        var reader = ScreenReader(table: systemGlyphs)
        let s = reader.screen(of: Framebuffer(width: 640, height: 480))
        #expect(s.isText && s.cols == 80 && s.rows == 30 && s.lines().allSatisfy { $0.isEmpty })
    }
}

@Suite struct TextFontTests {
    /// A PSF2 font with two 8x4 glyphs and a Unicode table (glyph 1 = "A" and Greek Alpha).
    func psf2() -> [UInt8] {
        var b: [UInt8] = [0x72, 0xB5, 0x4A, 0x86]
        for v in [0, 32, 1, 2, 4, 4, 8] { b += withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }
        b += [0, 0, 0, 0] + [0x18, 0x24, 0x3C, 0x24]
        b += [0xFF] + Array("A".utf8) + Array("Α".utf8) + [0xFF]
        return b
    }

    @Test func psf2WithUnicodeTable() throws {
        let f = try PSFParser.parse(psf2(), name: "t")
        #expect(f.width == 8 && f.height == 4 && f.glyphs.count == 2)
        #expect(f.glyphs[1] == [0x18, 0x24, 0x3C, 0x24])
        #expect(f.characters[1] == ["A", "Α"])
        // The ASCII reading wins.
        let idx = GlyphTable(fonts: [f]).index(GlyphSize(width: 8, height: 4))
        #expect(idx.lookup(rows: [0x18, 0x24, 0x3C, 0x24]) == "A")
    }

    @Test func psf1WithoutTableIsCodePage437() throws {
        var b: [UInt8] = [0x36, 0x04, 0x00, 2]
        for g in 0..<256 { b += [UInt8(g), UInt8(255 - g)] }
        let f = try PSFParser.parse(b, name: "t")
        #expect(f.characters[0x41] == ["A"] && f.characters[0xC4] == ["─"] && f.characters[1] == ["☺"])
        #expect(f.characters[0].isEmpty)
    }

    @Test func truncatedOrForeignFontsAreRejected() {
        #expect(throws: FontError.self) { try PSFParser.parse([0x36, 0x04, 0x00, 16, 1, 2], name: "t") }
        #expect(throws: FontError.self) { try PSFParser.parse(Array(psf2().prefix(36)), name: "t") }
        #expect(throws: FontError.self) { try PSFParser.parse(Array("hello world".utf8), name: "t") }
    }

    @Test func vgaBIOSFontFromSeaBIOSMatchesConsoleData() throws {
        let rom = "/usr/share/seabios/vgabios-stdvga.bin"
        try #require(FileManager.default.fileExists(atPath: rom), "seabios is a dependency of the test bed")
        let bios = try #require(try FontCatalog.load(path: rom).first { $0.height == 16 })
        let iso = try #require(try FontCatalog.load(path: "/usr/share/consolefonts/iso01a-8x16.psf.gz").first)
        #expect(bios.glyphs[Int(UInt8(ascii: "A"))] == iso.glyphs[Int(UInt8(ascii: "A"))])
        #expect(bios.characters[0xDB] == ["█"])
    }

    @Test func systemTableHasTheConsoleSizes() {
        let sizes = Set(systemGlyphs.sizes)
        for s in [GlyphSize(width: 8, height: 16), GlyphSize(width: 8, height: 8), GlyphSize(width: 8, height: 14)] {
            #expect(sizes.contains(s))
        }
        #expect(systemGlyphs.fonts.count > 100)
    }
}

@Suite struct TextGlyphCacheTests {
    @Test func cacheFileRoundTripRecognisesTheSame() throws {
        let indexes = systemGlyphs.allIndexes()
        let bytes = GlyphCache.encode(systemGlyphs.sizes, indexes)
        let (order, decoded) = try #require(GlyphCache.decode(bytes))
        #expect(order == systemGlyphs.sizes)
        #expect(decoded.map(\.count) == indexes.map(\.count))
        let cached = GlyphTable(fonts: [], base: decoded, baseSizes: order)
        var reader = ScreenReader(table: cached)
        let screen = reader.screen(of: try TextFixtures.frame("vgatext-720x400"))
        #expect(screen.line(1).hasPrefix("Hello from the guest console: ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        // A damaged cache is refused (and rebuilt by the caller), never half-used.
        #expect(GlyphCache.decode(Array(bytes.prefix(bytes.count / 2))) == nil)
        #expect(GlyphCache.decode(Array("garbage".utf8)) == nil)
    }

    @Test func userFontsWinOverTheBase() throws {
        // A font whose glyph for "A" is the system's bitmap of "B": the user's reading wins.
        let b = try #require(systemGlyphs.fonts.first { $0.width == 8 && $0.height == 16 && $0.characters.count > 66 })
        let bGlyph = b.glyphs[b.characters.firstIndex { $0.contains("B") }!]
        let mine = BitmapFont(name: "mine", width: 8, height: 16, glyphs: [bGlyph], characters: [["A"]])
        let t = GlyphTable(fonts: [mine], base: [systemGlyphs.index(GlyphSize(width: 8, height: 16))])
        #expect(t.index(GlyphSize(width: 8, height: 16)).lookup(rows: bGlyph) == "A")
    }
}

@Suite struct TextPictureToTextTests {
    @Test func aPictureThatBecomesTextIsReadAsTextAfterAFewUpdates() throws {
        let text = try TextFixtures.frame("fbcon-1024x768")
        var frame = Framebuffer(width: 1024, height: 768)
        for y in 0..<768 { for x in 0..<1024 { frame[x, y] = UInt32(x & 0xFF) << 8 | UInt32(y & 0xFF) } }
        var reader = ScreenReader(table: systemGlyphs)
        #expect(reader.screen(of: frame).isText == false)
        frame = text
        var sawText = false
        for _ in 0..<(ScreenReader.redetectEvery + 1) {
            _ = reader.update(frame, dirty: PixelRect(x: 0, y: 0, width: 16, height: 16))
            if reader.screen?.isText == true { sawText = true; break }
        }
        #expect(sawText)
        #expect(reader.screen?.line(0) == "FleetTUI test guest 6.1.0-56-amd64")
    }
}
