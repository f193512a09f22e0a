import Testing
@testable import FleetCore

@Suite struct SanitizeTests {
    @Test func escapeSequencesAreMadeVisible() {
        #expect(Sanitize.forTerminal("evil\u{1B}[2Jname") == "evil\\e[2Jname")
        #expect(Sanitize.forTerminal("a\u{07}b\u{9B}c") == "a\\x07b\\x9Bc")
        #expect(Sanitize.forTerminal("line\nbreak") == "line\\nbreak")
        #expect(Sanitize.forTerminal("rtl\u{202E}x") == "rtl\\u{202E}x")
    }
    @Test func printableTextPassesThrough() {
        #expect(Sanitize.forTerminal("web-01.example") == "web-01.example")
        #expect(Sanitize.forTerminal("数据库-ü") == "数据库-ü")
    }
    @Test func oneLineFoldsAndTruncates() {
        #expect(Sanitize.oneLine("a\nb\tc") == "a b c")
        #expect(Sanitize.oneLine(String(repeating: "x", count: 10), limit: 5) == "xxxx…")
    }
}
