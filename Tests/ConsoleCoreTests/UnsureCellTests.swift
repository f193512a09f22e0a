import Testing
import Foundation
@testable import ConsoleCore

/// Never confidently wrong: what the recogniser cannot explain prints as the unsure mark, never as a plausible
/// letter, and the count is there for scripts.
@Suite struct UnsureCellTests {
    /// The system's fonts without EDK2's (a machine without OVMF).
    static func withoutEDK2() -> GlyphTable {
        let sizes = systemGlyphs.sizes.filter { $0 != EDK2Font.glyphSize && $0 != GlyphSize(width: 16, height: 19) }
        return GlyphTable(fonts: [], base: sizes.map { systemGlyphs.index($0) }, baseSizes: sizes)
    }

    /// UEFI firmware screens read without the EDK2 font: every cell printed as a character is the right one; the
    /// rest is the unsure mark, and the report says so and why.
    @Test(arguments: ["uefi-setup", "uefi-bootmgr", "uefi-shell-800x600", "uefi-popup", "uefi-bootmgr-1024x768",
                      "uefi-setup-1280x800-80x25"])
    func firmwareTextWithoutItsFontIsNeverWrong(_ name: String) throws {
        let table = Self.withoutEDK2()
        let frame = try TextFixtures.frame(name)
        var reader = ScreenReader(table: table)
        let screen = reader.screen(of: frame)
        // The grid the expected text is in: the firmware's, as read with its font.
        var full = ScreenReader(table: systemGlyphs)
        let ref = full.screen(of: frame).geometry
        let expected = try TextFixtures.expectedLines(name)
        let printed = ScreenPrinter().text(screen).split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let g = screen.geometry
        var shown = 0
        for (r, line) in printed.enumerated() {
            for (c, ch) in line.enumerated() where ch != ScreenPrinter.unsureMark && ch != " " {
                shown += 1
                // The printed cell's pixels, in the firmware's grid: a character shown there must be the one the
                // firmware drew in exactly that cell.
                let x = g.originX + c * g.cellWidth, y = g.originY + r * g.cellHeight
                let aligned = g.cellWidth == ref.cellWidth && g.cellHeight == ref.cellHeight
                    && (x - ref.originX) % ref.cellWidth == 0 && (y - ref.originY) % ref.cellHeight == 0
                let er = (y - ref.originY) / ref.cellHeight, ec = (x - ref.originX) / ref.cellWidth
                let want: Character? = aligned && er < expected.count && ec < expected[er].count ? Array(expected[er])[ec] : nil
                #expect(want == ch, "\(name): '\(ch)' shown at cell \(c),\(r) (\(g)), the firmware drew '\(want.map { String($0) } ?? " ")'")
            }
        }
        #expect(screen.unsureCells > 0)
        let report = ScreenPrinter().report(screen, table: table, frame: frame)
        #expect(report.contains("unsure") && report.contains("EDK2 font") && report.contains("ovmf"), "\(report)")
        _ = shown
    }

    @Test func aTextScreenWithEveryCellKnownReportsNoneUnsure() throws {
        var reader = ScreenReader(table: systemGlyphs)
        let screen = reader.screen(of: try TextFixtures.frame("uefi-setup"))
        #expect(screen.unsureCells == 0)
        #expect(ScreenPrinter().report(screen, table: systemGlyphs, frame: try TextFixtures.frame("uefi-setup")).hasPrefix("0 of "))
        #expect(!ScreenPrinter().text(screen).contains(ScreenPrinter.unsureMark))
    }
}
