import ConsoleCore
import DemoCore
import Foundation
import Testing

/// Every demo console, drawn into pixels, is read back exactly by the recogniser the console view uses (the
/// system's font table): the text is real console text, not an approximation.
@Suite struct DemoRecognitionTests {
    static let table: GlyphTable = { try! GlyphTable.system() }()

    func frame(of c: inout DemoGuestConsole) -> Framebuffer {
        var px = [UInt32](repeating: 0, count: c.width * c.height)
        _ = px.withUnsafeMutableBufferPointer { c.draw(into: $0, stride: c.width) }
        return Framebuffer(width: c.width, height: c.height, pixels: px)
    }

    @Test(arguments: ["web-frontend-1", "db-primary-pvhvm", "k8s-worker-2", "grafana", "qemu-tcg-arm-test"])
    func textConsolesAreReadBackExactly(_ name: String) throws {
        var c = try DemoFixtures.console(name)
        var reader = ScreenReader(table: Self.table)
        let screen = reader.screen(of: frame(of: &c))
        #expect(screen.isText)
        #expect(screen.recognisedFraction == 1)
        #expect(screen.lines() == c.lines!, "\(name): \(screen.geometry)")
        #expect(screen.cursor.map { [$0.col, $0.row] } == c.cursor.map { [$0.col, $0.row] })
    }

    @Test func typingChangesOnlyTheCellsItTouches() throws {
        var c = try DemoFixtures.console("gitlab")
        var px = [UInt32](repeating: 0, count: c.width * c.height)
        _ = px.withUnsafeMutableBufferPointer { c.draw(into: $0, stride: c.width) }
        DemoFixtures.type("r", into: &c, now: DemoFixtures.t0)
        let rect = try #require(px.withUnsafeMutableBufferPointer { c.draw(into: $0, stride: c.width) })
        #expect(rect.height == 16 && rect.width == 16, "the typed cell and the cursor's next cell: \(rect)")
        var reader = ScreenReader(table: Self.table)
        let screen = reader.screen(of: Framebuffer(width: c.width, height: c.height, pixels: px))
        #expect(screen.lines() == c.lines!)
        #expect(lastNonEmpty(screen.lines()) == "gitlab login: r")
    }

    @Test(arguments: ["win2019-hvm", "windows-11-desktop"])
    func picturesAreReadAsPictures(_ name: String) throws {
        var c = try DemoFixtures.console(name)
        var reader = ScreenReader(table: Self.table)
        #expect(!reader.screen(of: frame(of: &c)).isText)
    }
}
