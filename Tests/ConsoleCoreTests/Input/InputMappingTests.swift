import ConsoleCore
import FleetCore
import Testing

@Suite struct InputMapping {
    private func downs(_ s: [KeyStroke]) -> [UInt32] { s.filter(\.down).map(\.keysym) }

    @Test func printableLatin1IsItsCodePoint() {
        #expect(KeyMapper.strokes(for: .char("a")) == KeyStroke.tap(0x61))
        #expect(KeyMapper.strokes(for: .char("é")) == KeyStroke.tap(0xE9))
        #expect(KeyMapper.strokes(for: .char(" ")) == KeyStroke.tap(0x20))
    }

    @Test func otherUnicodeIsOffset() {
        #expect(KeyMapper.strokes(for: .char("€")) == KeyStroke.tap(0x0100_20AC))
        #expect(KeyMapper.strokes(for: .char("ж")) == KeyStroke.tap(0x0100_0436))
    }

    @Test func shiftedCharactersHoldShift() {
        #expect(KeyMapper.strokes(for: .char("A")) == [KeyStroke(0xFFE1, down: true), KeyStroke(0x41, down: true),
                                                      KeyStroke(0x41, down: false), KeyStroke(0xFFE1, down: false)])
        for c in "~!@#$%^&*()_+{}|:\"<>?" { #expect(downs(KeyMapper.strokes(for: .char(c))).first == KeySym.shiftL, "\(c)") }
        for c in "`1234567890-=[]\\;',./abc" { #expect(downs(KeyMapper.strokes(for: .char(c))).count == 1, "\(c)") }
    }

    @Test func specialKeys() {
        let table: [(Key, UInt32)] = [(.enter, 0xFF0D), (.tab, 0xFF09), (.backspace, 0xFF08), (.escape, 0xFF1B),
                                      (.up, 0xFF52), (.down, 0xFF54), (.left, 0xFF51), (.right, 0xFF53),
                                      (.home, 0xFF50), (.end, 0xFF57), (.pageUp, 0xFF55), (.pageDown, 0xFF56),
                                      (.insert, 0xFF63), (.delete, 0xFFFF)]
        for (key, sym) in table { #expect(KeyMapper.strokes(for: key) == KeyStroke.tap(sym), "\(key)") }
    }

    @Test func functionKeys() {
        #expect(KeyMapper.strokes(for: .function(1)) == KeyStroke.tap(0xFFBE))
        #expect(KeyMapper.strokes(for: .function(12)) == KeyStroke.tap(0xFFC9))
        #expect(KeyMapper.strokes(for: .function(0)).isEmpty)
    }

    @Test func everyPressIsReleasedInReverseOrder() {
        let keys: [Key] = [.char("A"), .ctrl("c"), .alt("x"), .alt("X"), .backTab, .ctrl("]")]
        for k in keys {
            let s = KeyMapper.strokes(for: k)
            var held: [UInt32] = []
            for e in s {
                if e.down { held.append(e.keysym) } else { #expect(held.popLast() == e.keysym, "\(k)") }
            }
            #expect(held.isEmpty, "\(k)")
        }
    }

    @Test func ctrlAndAltCombos() {
        #expect(downs(KeyMapper.strokes(for: .ctrl("c"))) == [0xFFE3, 0x63])
        #expect(downs(KeyMapper.strokes(for: .ctrl("\\"))) == [0xFFE3, 0x5C])
        #expect(downs(KeyMapper.strokes(for: .alt("f"))) == [0xFFE9, 0x66])
        #expect(downs(KeyMapper.strokes(for: .alt("F"))) == [0xFFE9, 0xFFE1, 0x46])
        #expect(downs(KeyMapper.strokes(for: .backTab)) == [0xFFE1, 0xFF09])
    }

    @Test func mouseAndResizeSendNothing() {
        #expect(KeyMapper.strokes(for: .resize).isEmpty)
        #expect(KeyMapper.strokes(for: .mouse(MouseEvent(x: 1, y: 1, kind: .wheelUp))).isEmpty)
    }

    @Test func pasteBecomesKeysWithoutControlCharacters() {
        let s = KeyMapper.strokes(forPaste: "ls -l\n\u{1D}x\u{1B}[A\tZ")
        let expected: [UInt32] = [0x6C, 0x73, 0x20, 0x2D, 0x6C, 0xFF0D, 0x78, 0x5B, 0xFFE1, 0x41, 0xFF09, 0xFFE1, 0x5A]
        #expect(downs(s) == expected)
    }

    @Test func sendKeyCombos() {
        #expect(downs(SendKeyCombo.ctrlAltDelete.strokes) == [0xFFE3, 0xFFE9, 0xFFFF])
        #expect(downs(SendKeyCombo.ctrlAltBackspace.strokes) == [0xFFE3, 0xFFE9, 0xFF08])
        #expect(downs(SendKeyCombo.ctrlAltFunction(2).strokes) == [0xFFE3, 0xFFE9, 0xFFBF])
        #expect(downs(SendKeyCombo.sysRq("h").strokes) == [0xFFE9, 0xFF61, 0x68])
        #expect(SendKeyCombo.menu.count == 14)
        #expect(SendKeyCombo.ctrlAltDelete.description == "Ctrl+Alt+Del")
    }
}

@Suite struct InputPasteDecoder {
    private func run(_ keys: [Key]) -> [PasteDecoder.Output] {
        var d = PasteDecoder()
        return keys.flatMap { d.feed($0) } + d.flush()
    }
    private func chars(_ s: String) -> [Key] { s.map { .char($0) } }

    @Test func plainKeysPassThrough() {
        #expect(run([.char("a"), .enter, .ctrl("]")]) == [.key(.char("a")), .key(.enter), .key(.ctrl("]"))])
    }

    @Test func bracketedPasteIsOneText() {
        let keys: [Key] = [.alt("[")] + chars("200~") + chars("echo hi") + [.enter, .ctrl("]")] + [.alt("[")] + chars("201~") + [.char("z")]
        #expect(run(keys) == [.paste("echo hi\n\u{1D}"), .key(.char("z"))])
    }

    @Test func altBracketThatIsNotAPasteIsKept() {
        #expect(run([.alt("["), .char("2"), .char("x")]) == [.key(.alt("[")), .key(.char("2")), .key(.char("x"))])
        #expect(run([.alt("[")]) == [.key(.alt("["))])
    }

    @Test func escapeBracketInsidePasteThatIsNotTheEnd() {
        let keys: [Key] = [.alt("[")] + chars("200~") + [.alt("[")] + chars("2x") + [.alt("[")] + chars("201~")
        #expect(run(keys) == [.paste("\u{1B}[2x")])
    }
}
