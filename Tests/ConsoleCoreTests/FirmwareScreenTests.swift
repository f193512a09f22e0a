import Testing
import Foundation
@testable import ConsoleCore

/// "Install ovmf or --font" is said only where the EDK2 font would help: on frames that look like UEFI firmware
/// text, never on a picture or a console of another kind.
@Suite struct FirmwareScreenTests {
    static let firmwareFrames = TextFixtures.frameNames.filter { $0.hasPrefix("uefi-") }
    static let otherFrames = TextFixtures.frameNames.filter { !$0.hasPrefix("uefi-") }
    static let stateFrames: [String] = {
        let dir = TextFixtures.directory.appendingPathComponent("screens")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".ppm.gz") }.map { "screens/" + $0.dropLast(7) }.sorted()
    }()

    @Test(arguments: firmwareFrames)
    func firmwareFramesLookLikeFirmware(_ name: String) throws {
        #expect(FirmwareScreen.looksLikeEDK2Console(try TextFixtures.frame(name)))
    }

    /// fbcon (640x480 … 2560x1600), VGA text, GRUB gfxterm, and the state guests' panics, menus, prompts, blank
    /// screen and picture.
    @Test(arguments: otherFrames + stateFrames)
    func otherFramesDoNot(_ name: String) throws {
        #expect(!FirmwareScreen.looksLikeEDK2Console(try TextFixtures.frame(name)))
    }

    /// A picture in the firmware's own colours, inside its text area: no glyph repeats.
    @Test func noiseInFirmwareColoursIsNotFirmwareText() {
        var frame = Framebuffer(width: 640, height: 480)
        var rng = SystemRandomNumberGenerator()
        for y in 10..<400 { for x in 8..<600 where Bool.random(using: &rng) { frame[x, y] = 0xFFFFFF } }
        #expect(!FirmwareScreen.looksLikeEDK2Console(frame))
        // The same dots outside the firmware's centred text area (its top rows are black margin at 640x480).
        var margin = Framebuffer(width: 640, height: 480)
        margin[5, 0] = 0xFFFFFF
        #expect(!FirmwareScreen.looksLikeEDK2Console(margin))
    }

    @Test func theFirmwarePaletteOnly() {
        #expect(FirmwareScreen.isTextColour(0x989898) && FirmwareScreen.isTextColour(0x000098))
        #expect(FirmwareScreen.isTextColour(0xFFFF00) && FirmwareScreen.isTextColour(0x303030))
        #expect(!FirmwareScreen.isTextColour(0xAAAAAA) && !FirmwareScreen.isTextColour(0xA8A8A8))
        #expect(!FirmwareScreen.isTextColour(0x98FF00))
    }

    /// Read without the EDK2 font: the report names the missing font on firmware frames only.
    @Test func theHintIsForFirmwareScreensOnly() throws {
        let table = UnsureCellTests.withoutEDK2()
        let setup = try TextFixtures.frame("uefi-setup")
        var reader = ScreenReader(table: table)
        let firmware = ScreenPrinter().report(reader.screen(of: setup), table: table, frame: setup)
        #expect(firmware.contains("EDK2 font") && firmware.contains("ovmf"), "\(firmware)")
        // A picture: cells unsure, no word of OVMF.
        var pic = Framebuffer(width: 1024, height: 768)
        for y in 0..<768 { for x in 0..<1024 { pic[x, y] = UInt32((x ^ y) & 0xFF) << 16 | UInt32(x * 255 / 1024) << 8 | UInt32(y * 255 / 768) } }
        var r2 = ScreenReader(table: table)
        let picture = ScreenPrinter().report(r2.screen(of: pic), table: table, frame: pic)
        #expect(picture.contains("unsure") && !picture.contains("ovmf") && !picture.contains("EDK2"), "\(picture)")
        // fbcon read without its fonts (a machine with no console fonts at 8x16): unsure, but not firmware.
        let sizes = table.sizes.filter { $0 != GlyphSize(width: 8, height: 16) }
        let no816 = GlyphTable(fonts: [], base: sizes.map { table.index($0) }, baseSizes: sizes)
        let fb = try TextFixtures.frame("fbcon-1024x768")
        var r3 = ScreenReader(table: no816)
        let fbcon = ScreenPrinter().report(r3.screen(of: fb), table: no816, frame: fb)
        #expect(fbcon.contains("unsure") && !fbcon.contains("ovmf"), "\(fbcon)")
    }
}
