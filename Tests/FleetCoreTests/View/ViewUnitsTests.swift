import Testing
@testable import FleetCore

@Suite struct ViewUnitsTests {
    @Test func bytes() {
        #expect(Units.bytes(nil as Double?) == "-")
        #expect(Units.bytes(0 as Double) == "0B")
        #expect(Units.bytes(999 as Double) == "999B")
        #expect(Units.bytes(1536 as Double) == "1.5K")
        // Disk sizes come as UInt64 (block capacity and allocation).
        #expect(Units.bytes(62_277_025_792 as UInt64) == "58G" && Units.bytes(nil as UInt64?) == "-")
        #expect(Units.bytes(12 * 1024 as Double) == "12K")
        #expect(Units.bytes(1023 * 1024 as Double) == "1.0M")
        #expect(Units.bytes(340 * 1024 * 1024 as Double) == "340M")
        #expect(Units.kib(2 * 1024 * 1024) == "2.0G")
        #expect(Units.kib(64 * 1024 * 1024 * 1024) == "64T")
    }

    @Test func ratesCountsPercent() {
        #expect(Units.rate(nil) == "-")
        #expect(Units.rate(0.2) == "0")
        #expect(Units.rate(2048) == "2.0K")
        #expect(Units.count(12) == "12")
        #expect(Units.count(3400) == "3.4K")
        #expect(Units.count(12_000) == "12K")
        #expect(Units.percent(nil) == "-")
        #expect(Units.percent(12.345) == "12.3")
        #expect(Units.percent(100) == "100.0")
        #expect(Units.percent(1234.4) == "1234")
        #expect(Units.percent(-0.01) == "0.0")
    }

    @Test func cpuTimeAndSeconds() {
        #expect(Units.cpuTime(nanoseconds: nil) == "-")
        #expect(Units.cpuTime(nanoseconds: 1_230_000_000) == "0:01.23")
        #expect(Units.cpuTime(nanoseconds: 61_500_000_000) == "1:01.50")
        #expect(Units.cpuTime(nanoseconds: 3_723_000_000_000) == "1:02:03")
        #expect(Units.cpuTime(nanoseconds: 100 * 3600 * 1_000_000_000 + 4 * 3600 * 1_000_000_000) == "4d08h")
        let day: UInt64 = 86_400 * 1_000_000_000
        #expect(Units.cpuTime(nanoseconds: 1234 * day) == "1234d")
        #expect(Units.cpuTime(nanoseconds: 20_788 * day) == "20788d")   // test driver: time since 1970
        #expect(Units.cpuTime(nanoseconds: UInt64.max) == "584y")
        #expect(Units.cpuTime(nanoseconds: UInt64.max).count <= 8)
        #expect(Units.seconds(3) == "3s")
        #expect(Units.seconds(0.5) == "500ms")
        #expect(Units.seconds(2.5) == "2.5s")
        #expect(Units.seconds(90) == "1m30s")
        #expect(Units.fixed(1.05, decimals: 2) == "1.05")
        #expect(Units.fixed(-2.5, decimals: 1) == "-2.5")
    }

    @Test func truncationWithEllipsis() {
        #expect(Glyphs.unicode.truncate("abcdef", to: 4) == "abc…")
        #expect(Glyphs.ascii.truncate("abcdef", to: 4) == "abc~")
        #expect(Glyphs.unicode.truncate("abc", to: 3) == "abc")
        #expect(Glyphs.unicode.truncate("日本語です", to: 5) == "日本…")
        #expect(Glyphs.forCodeset("UTF-8") == .unicode)
        #expect(Glyphs.forCodeset("ANSI_X3.4-1968") == .ascii)
    }

    @Test func sparkline() {
        let s = Sparkline.render([0, 50, 100, nil], width: 6, glyphs: .unicode)
        #expect(s == "  ▁▅█ ")
        #expect(Sparkline.render([1, 2], width: 2, glyphs: .ascii, ceiling: 2) == "=#" || Sparkline.render([1, 2], width: 2, glyphs: .ascii, ceiling: 2) == "~#")
        #expect(Sparkline.render([], width: 3, glyphs: .unicode) == "   ")
    }
}
