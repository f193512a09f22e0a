import Testing
import Foundation
@testable import ConsoleCore

@Suite struct TextPictureTests {
    @Test func halfBlocksCarryUpperAndLowerPixel() {
        var f = Framebuffer(width: 2, height: 2)
        f[0, 0] = 0xFF0000; f[0, 1] = 0x0000FF; f[1, 0] = 0x00FF00; f[1, 1] = 0x00FF00
        let g = BlockRenderer.render(f, cols: 2, rows: 1)
        #expect(g[0, 0] == DrawCell("▀", fg: 0xFF0000, bg: 0x0000FF))
        #expect(g[1, 0].character == " " && g[1, 0].bg == 0x00FF00)
    }

    @Test func areaAverageDownscaling() {
        var f = Framebuffer(width: 4, height: 2, fill: 0)
        f[0, 0] = 0xFFFFFF; f[1, 0] = 0xFFFFFF
        let s = Downscale.average(f, area: f.bounds, width: 2, height: 1)
        #expect(s.pixels == [0x7F7F7F, 0])
        // Zoom 2 at pan (0.5, 0): the right half's top row only.
        let v = Viewport(zoom: 2, panX: 0.5, panY: 0).source(in: f)
        #expect(v == PixelRect(x: 2, y: 0, width: 2, height: 1))
    }

    @Test func quadrantsSextantsAndBraille() {
        let w: UInt32 = 0xFFFFFF, k: UInt32 = 0
        #expect(BlockRenderer.cell([w, k, k, w], style: .quadrants).character == "▚" || BlockRenderer.cell([w, k, k, w], style: .quadrants).character == "▞")
        let q = BlockRenderer.cell([w, w, k, k], style: .quadrants)
        #expect((q.character == "▀" && q.fg == w) || (q.character == "▄" && q.fg == k))
        #expect(BlockRenderer.sextant(0b000001) == "\u{1FB00}")
        #expect(BlockRenderer.sextant(0b111110) == "\u{1FB3B}")
        #expect(BlockRenderer.sextant(0b010101) == "▌")
        let b = BlockRenderer.cell([w, k, k, k, k, k, k, w], style: .braille)
        #expect(b.character == "\u{2881}")
    }

    @Test func colourMapping() {
        for (i, c) in TerminalColour.basic16.enumerated() { #expect(TerminalColour.nearest16(c) == i) }
        #expect(TerminalColour.nearest16(0xA8A8A8) == 7)
        #expect(TerminalColour.nearest256(0xFF0000) == 196)
        #expect(TerminalColour.nearest256(0x808080) == 244)
        #expect(TerminalColour.nearest256(0x000000) == 16)
        #expect(TerminalColour.rgb256(196) == 0xFF0000)
        #expect(TerminalColour.nearest8(0xFF5555) == 1)
        #expect(TerminalColour.sgr(0x0000AA, background: true, depth: .ansi16) == "44")
        #expect(TerminalColour.sgr(0x123456, background: false, depth: .trueColour) == "38;2;18;52;86")
    }

    @Test func pngScreenshotsAsVirshWritesThem() throws {
        // A 2x1 RGB PNG made with zlib: red, blue (filter 0).
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7B, 0x40, 0xE8, 0xDD, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0x00, 0x04, 0xFF, 0x01, 0x07, 0x00, 0x01, 0xFF, 0xE2, 0x23, 0x9E, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        let f = try Framebuffer(imageFile: png)
        #expect(f.width == 2 && f.height == 1 && f.pixels == [0xFF0000, 0x0000FF])
        #expect(throws: FramebufferError.self) { try Framebuffer(imageFile: Array(png.prefix(30))) }
    }

    @Test func mixedScreenDrawsUnrecognisedCellsAsBlocks() throws {
        var frame = try TextFixtures.frame("vgatext-720x400")
        // Paint a gradient over cells (40..<44, 20..<22): not glyphs.
        for y in 320..<352 { for x in 360..<396 { frame[x, y] = UInt32(x) << 8 | UInt32(y & 0xFF) } }
        var reader = ScreenReader(table: systemGlyphs)
        let screen = reader.screen(of: frame)
        #expect(screen.isText)
        let grid = ScreenPrinter().cells(screen: screen, frame: frame, pictureSize: (80, 24))
        #expect(grid[41, 20].character == "▀")
        #expect(grid[0, 0].character == "F")
        #expect(screen.line(20).hasSuffix("?"))
    }
}

@Suite struct TextPrinterTests {
    @Test func textOutputTrimsTrailingSpacesAndBlankLines() throws {
        var reader = ScreenReader(table: systemGlyphs)
        let screen = reader.screen(of: try TextFixtures.frame("vgatext-720x400"))
        let out = ScreenPrinter().text(screen)
        let expected = try TextFixtures.expectedLines("vgatext-720x400").joined(separator: "\n") + "\n"
        #expect(out == expected)
    }

    @Test func ansiOutputColoursTextAndResetsEachLine() throws {
        var reader = ScreenReader(table: systemGlyphs)
        let frame = try TextFixtures.frame("vgatext-720x400")
        let screen = reader.screen(of: frame)
        let out = ScreenPrinter(depth: .ansi16).ansi(screen: screen, frame: frame, pictureSize: (80, 24))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 26)   // 25 rows + the final newline
        #expect(lines[0].hasPrefix("\u{1B}[37;40mFleetTUI test guest"))
        #expect(lines[0].hasSuffix("\u{1B}[0m"))
        // An idle 80x25 text screen costs a few KB at most.
        #expect(out.utf8.count < 4096)
    }
}
