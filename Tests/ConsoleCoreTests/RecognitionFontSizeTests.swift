import Testing
import Foundation
@testable import ConsoleCore

/// Screens drawn with each console font size a guest may load (`setfont`/`loadfont`): the geometry is found
/// and every character comes back.
@Suite struct RecognitionFontSizeTests {
    static let lines = [
        "FleetTUI test guest recognition",
        "The quick brown fox jumps over the lazy dog 0123456789",
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
        "root@guest:~# ls -l /etc | wc -l",
    ]

    /// Draws `lines` with `font` (white on black) into a frame of `width`x`height`, fbcon style (origin 0,0).
    static func draw(_ font: BitmapFont, width: Int, height: Int) -> Framebuffer {
        var f = Framebuffer(width: width, height: height)
        for (r, line) in lines.enumerated() {
            for (c, ch) in line.enumerated() where ch != " " {
                guard let g = font.characters.firstIndex(where: { $0.contains(ch) }) else { continue }
                for y in 0..<font.height {
                    let bits = font.glyphs[g][y]
                    for x in 0..<font.width where bits >> UInt32(font.width - 1 - x) & 1 == 1 {
                        f[c * font.width + x, r * font.height + y] = 0xAAAAAA
                    }
                }
            }
        }
        return f
    }

    @Test(arguments: ["iso01a-8x8.psf.gz", "iso01a-8x14.psf.gz", "Lat15-Terminus12x6.psf.gz", "Lat15-Terminus22x11.psf.gz",
                      "Lat15-Terminus24x12.psf.gz", "Lat15-TerminusBold32x16.psf.gz", "Lat15-Fixed18.psf.gz"])
    func everyFontSize(_ file: String) throws {
        let path = "/usr/share/consolefonts/" + file
        try #require(FileManager.default.fileExists(atPath: path), "console-setup-linux / console-data provide \(file)")
        let font = try #require(try FontCatalog.load(path: path).first)
        let frame = Self.draw(font, width: 1024, height: 768)
        var reader = ScreenReader(table: systemGlyphs)
        let screen = reader.screen(of: frame)
        #expect(screen.geometry.cellWidth == font.width && screen.geometry.cellHeight == font.height, "\(screen.geometry)")
        #expect(Array(screen.lines().prefix(4)) == Self.lines)
        #expect(screen.recognisedFraction == 1)
    }

    @Test func theFontFileNamedByTheUserIsEnough() throws {
        // A font no system table knows (every glyph mirrored) is recognised once given as --font.
        let path = "/usr/share/consolefonts/Lat15-Terminus16.psf.gz"
        var font = try #require(try FontCatalog.load(path: path).first)
        func mirror(_ r: UInt32) -> UInt32 {
            var m: UInt32 = 0
            for x in 0..<8 where (r >> UInt32(x)) & 1 == 1 { m |= 1 << UInt32(7 - x) }
            return m
        }
        font.glyphs = font.glyphs.map { $0.map(mirror) }
        let frame = Self.draw(font, width: 640, height: 480)
        var plain = ScreenReader(table: systemGlyphs)
        #expect(!plain.screen(of: frame).isText)
        let withFont = GlyphTable(fonts: [font], base: systemGlyphs.allIndexes(), baseSizes: systemGlyphs.sizes)
        var reader = ScreenReader(table: withFont)
        #expect(Array(reader.screen(of: frame).lines().prefix(4)) == Self.lines)
    }
}

@Suite struct RecognitionFontChangeTests {
    @Test func aGuestLoadingASmallerFontIsReadAgainAtOnce() throws {
        let f16 = try #require(try FontCatalog.load(path: "/usr/share/consolefonts/iso01a-8x16.psf.gz").first)
        let f8 = try #require(try FontCatalog.load(path: "/usr/share/consolefonts/iso01a-8x8.psf.gz").first)
        var reader = ScreenReader(table: systemGlyphs)
        #expect(reader.screen(of: RecognitionFontSizeTests.draw(f16, width: 640, height: 480)).rows == 30)
        // Same resolution, 8x8 font now (setfont): 60 rows, the same text.
        let screen = reader.screen(of: RecognitionFontSizeTests.draw(f8, width: 640, height: 480))
        #expect(screen.rows == 60)
        #expect(Array(screen.lines().prefix(4)) == RecognitionFontSizeTests.lines)
    }
}
