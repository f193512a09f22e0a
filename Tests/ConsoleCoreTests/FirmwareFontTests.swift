import Testing
import Foundation
@testable import ConsoleCore

/// LZMA, firmware-volume walking and the EDK2 glyph extraction, on synthetic fixtures (made by
/// Fixtures/firmware/make-fixtures.py) and on the real OVMF image (Debian's ovmf package, in scripts/deps).
@Suite struct FirmwareFontTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TextFixtures.directory.appendingPathComponent("firmware/" + name)))
    }

    @Test func lzmaDecodesWithEndMarkerAndWithDeclaredSize() throws {
        let text = try Self.fixture("text.txt")
        #expect(try LZMA.decompress(try Self.fixture("text.lzma")) == text)
        #expect(try LZMA.decompress(try Self.fixture("text-sized.lzma")) == text)
        #expect(LZMA.declaredSize(try Self.fixture("text-sized.lzma")) == UInt64(text.count))
        #expect(LZMA.declaredSize(try Self.fixture("text.lzma")) == nil)
    }

    @Test func lzmaRefusesBadInputWithAnError() throws {
        let good = try Self.fixture("text-sized.lzma")
        #expect(throws: LZMA.Failure.self) { try LZMA.decompress(Array(good.prefix(12))) }          // no header
        #expect(throws: LZMA.Failure.self) { try LZMA.decompress(Array(good.prefix(good.count / 2))) } // cut short
        var props = good
        props[0] = 225                                                                              // lc/lp/pb out of range
        #expect(throws: LZMA.Failure.self) { try LZMA.decompress(props) }
        // A header promising more than the limit is refused before any work.
        #expect(throws: LZMA.Failure.self) { try LZMA.decompress(good, limit: 1000) }
    }

    /// Mutated streams end in an error or in bounded output, never in a trap.
    @Test func lzmaSurvivesMutations() throws {
        let good = try Self.fixture("text.lzma")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var b = good
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let i = Int.random(in: 13..<b.count, using: &rng)
                b[i] = UInt8.random(in: 0...255, using: &rng)
            }
            if let out = try? LZMA.decompress(b, limit: 1 << 20) { #expect(out.count <= 1 << 20) }
        }
    }

    /// The formula make-fixtures.py draws its synthetic glyphs with.
    static func syntheticRow(_ cp: UInt32, _ row: Int, wide: Bool = false) -> UInt32 {
        let v = (UInt64(cp) &* 2_654_435_761 &+ UInt64(row) &* 40503 &+ (wide ? 7 : 0)) & 0xFFFF_FFFF
        return UInt32((v >> 13) & (wide ? 0xFFFF : 0xFF))
    }

    @Test func readsNarrowAndWideGlyphsOutOfASyntheticFirmwareVolume() throws {
        let fd = try Self.fixture("synthetic.fd")
        #expect(FirmwareVolume.looksLikeFirmware(fd))
        let images = FirmwareVolume.images(in: fd)
        #expect(images.count == 1)
        #expect(images.first?.name == "GraphicsConsoleDxe")
        let fonts = EDK2Font.fonts(inFirmware: fd, name: "synthetic.fd")
        #expect(fonts.count == 2)
        let narrow = try #require(fonts.first)
        #expect(narrow.width == 8 && narrow.height == 19)
        #expect(narrow.glyphs.count == 95 + 4)
        for (g, chars) in narrow.characters.enumerated() {
            let cp = try #require(chars.first?.unicodeScalars.first?.value)
            let want = (0..<19).map { cp == 0x20 ? 0 : Self.syntheticRow(cp, $0) }
            #expect(narrow.glyphs[g] == want, "U+\(String(cp, radix: 16))")
        }
        let wide = fonts[1]
        #expect(wide.width == 16 && wide.height == 19)
        #expect(wide.characters == [["一"], ["二"]])
        #expect(wide.glyphs[0] == (0..<19).map { Self.syntheticRow(0x4E00, $0, wide: true) })
    }

    /// A screen drawn with the synthetic firmware's glyphs, narrow and wide (two cells), as EDK2's graphics
    /// console draws them: each read back as its character, the wide one taking two terminal columns.
    @Test func wideGlyphsReadAcrossTwoCells() throws {
        let fonts = EDK2Font.fonts(inFirmware: try Self.fixture("synthetic.fd"), name: "synthetic.fd")
        let table = GlyphTable(fonts: fonts)
        let narrow = fonts[0], wide = fonts[1]
        var frame = Framebuffer(width: 80, height: 38)
        let fg: UInt32 = 0xC0C0C0, bg: UInt32 = 0x000080
        for y in 0..<38 { for x in 0..<80 { frame[x, y] = bg } }
        func draw(_ f: BitmapFont, _ c: Character, col: Int, row: Int) {
            let g = f.characters.firstIndex { $0.contains(c) }!
            for (y, bits) in f.glyphs[g].enumerated() {
                for x in 0..<f.width where bits >> UInt32(f.width - 1 - x) & 1 == 1 { frame[col * 8 + x, row * 19 + y] = fg }
            }
        }
        draw(narrow, "A", col: 0, row: 0)
        draw(wide, "一", col: 1, row: 0)
        draw(narrow, "b", col: 3, row: 0)
        draw(wide, "二", col: 4, row: 1)   // an odd and an even column: the pairs are not on a fixed grid
        let geo = CellGeometry(frameWidth: 80, frameHeight: 38, cellWidth: 8, cellHeight: 19, glyph: EDK2Font.glyphSize)
        let screen = TextRecognizer(geometry: geo, table: table).recognize(frame)
        #expect(screen.lines() == ["A一b", "    二"])
        #expect(screen[2, 0].wideTail && screen[5, 1].wideTail)
        #expect(ScreenPrinter().text(screen) == "A一b\n    二\n")
        #expect(screen.unsureCells == 0)
        // A dirty rectangle over the wide glyph's right half only: read whole again.
        var cells = screen.cells
        TextRecognizer(geometry: geo, table: table).recognize(frame, cols: 2..<3, rows: 0..<1, into: &cells)
        #expect(TextScreen(geometry: geo, cells: cells).lines() == ["A一b", "    二"])
        // The right half overdrawn by a narrow glyph: the left half alone is no glyph (unsure), the new one reads.
        for y in 0..<19 { for x in 16..<24 { frame[x, y] = bg } }
        draw(narrow, "x", col: 2, row: 0)
        TextRecognizer(geometry: geo, table: table).recognize(frame, cols: 2..<3, rows: 0..<1, into: &cells)
        let after = TextScreen(geometry: geo, cells: cells)
        #expect(after.lines() == ["A?xb", "    二"])
        #expect(!after[1, 0].wide && !after[2, 0].wideTail)
    }

    @Test func somethingThatIsNotFirmwareHasNoFont() throws {
        #expect(!FirmwareVolume.looksLikeFirmware(try Self.fixture("text.txt")))
        #expect(EDK2Font.fonts(inFirmware: try Self.fixture("text.txt"), name: "x").isEmpty)
        // A truncated volume: the walk stops where the structure ends, without a trap.
        let fd = try Self.fixture("synthetic.fd")
        for cut in stride(from: 4096, to: fd.count, by: 97) { _ = EDK2Font.fonts(inFirmware: Array(fd.prefix(cut)), name: "cut") }
    }

    /// Debian's OVMF: the console font is GraphicsConsoleDxe's, inside the LZMA-compressed DXE volume.
    @Test func readsTheConsoleFontOutOfDebiansOVMF() throws {
        let path = try #require(FontCatalog.firmwareImage(), "no OVMF image: apt-get install ovmf (scripts/deps test)")
        let fonts = EDK2Font.fonts(inFirmware: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), name: "OVMF")
        let font = try #require(fonts.first)
        // Through the catalogue (and its cache of fonts read out of images, twice): the same glyphs.
        for _ in 0..<2 {
            let loaded = try #require(try FontCatalog.load(path: path).first)
            #expect(loaded.glyphs == font.glyphs && loaded.characters == font.characters)
        }
        #expect(font.width == 8 && font.height == 19)
        let chars = Dictionary(uniqueKeysWithValues: zip(font.characters.compactMap(\.first), font.glyphs))
        // Printable ASCII, each its own bitmap; the frames, arrows and blocks the setup screens draw with.
        for v in UInt32(0x21)...0x7E { #expect(chars[Character(Unicode.Scalar(v)!)]?.contains { $0 != 0 } == true) }
        #expect(Set((0x21...0x7E).compactMap { chars[Character(Unicode.Scalar(UInt32($0))!)] }).count == 94)
        for c in "─│┌┐└┘├┤┬┴┼═║╔╗╚╝↑↓←→▲▼►◄█░" { #expect(chars[c] != nil, "\(c)") }
        #expect(chars[" "]?.allSatisfy { $0 == 0 } == true)
        // As a PSF2 it reads back the same (what `fleettui font-export` writes for a jump host).
        let again = try PSFParser.parse(PSFWriter.psf2(font), name: "export")
        #expect(again.glyphs == font.glyphs && again.characters == font.characters)
    }
}
