import Testing
@testable import FleetCore

@Suite struct CellBufferTests {
    @Test func putClipsAndReportsWidth() {
        var b = CellBuffer(width: 10, height: 2)
        #expect(b.put("hello world", x: 2, y: 0, style: .plain) == 8)
        #expect(b.lines()[0] == "  hello wo")
        #expect(b.put("abc", x: 0, y: 1, style: .plain, maxWidth: 2) == 2)
        #expect(b.lines()[1] == "ab        ")
    }

    @Test func wideCharactersTakeTwoColumnsAndAreNotSplit() {
        var b = CellBuffer(width: 5, height: 1)
        #expect(b.put("数据库", x: 0, y: 0, style: .plain) == 4)   // third would not fit
        #expect(b[x: 1, y: 0].symbol == "")
        #expect(b.lines()[0] == "数据 ")
        b.put("x", x: 1, y: 0, style: .plain)                       // overwrite 2nd half of 数
        #expect(b.lines()[0] == " x据 ")
    }

    @Test func controlCharactersNeverReachTheBuffer() {
        var b = CellBuffer(width: 8, height: 1)
        b.put("a\u{1B}[2J", x: 0, y: 0, style: .plain)
        #expect(b.lines()[0] == "a?[2J   ")
    }

    @Test func combiningMarksJoinThePreviousCell() {
        var b = CellBuffer(width: 4, height: 1)
        #expect(b.put("e\u{301}x", x: 0, y: 0, style: .plain) == 2)
        #expect(b[x: 0, y: 0].symbol == "e\u{301}")
    }

    @Test func changesListsOnlyDifferingCells() {
        let a = CellBuffer(width: 3, height: 2)
        var b = a
        b.put("z", x: 2, y: 1, style: .plain)
        #expect(b.changes(from: a).map { [$0.x, $0.y] } == [[2, 1]])
        #expect(b.changes(from: nil).count == 6)
        #expect(b.changes(from: b).isEmpty)
    }

    @Test func truncateAndPadAreWidthAware() {
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("数据库", to: 5) == "数据…")
        #expect(DisplayWidth.pad("ab", to: 4, alignRight: true) == "  ab")
        #expect(DisplayWidth.of("a数😀") == 5)
    }

    @Test func paletteMapsDown() {
        #expect(Palette.index256(255, 0, 0) == 196)
        #expect(Palette.index256(128, 128, 128) == 244)
        #expect(Palette.indexANSI(250, 250, 250) == 15)
        #expect(Palette.indexANSI(250, 250, 250, count: 8) == 7)
        #expect(Key.fromControlByte(0x1D) == .ctrl("]"))
        #expect(Key.fromControlByte(0x03) == .ctrl("c"))
    }
}
