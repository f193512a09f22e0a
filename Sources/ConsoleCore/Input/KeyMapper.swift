import FleetCore

/// Terminal keys (FleetCore.Key) → RFB key events, as a US-layout PC keyboard would send them.
///
/// Characters that need Shift on a US keyboard are sent with Shift_L held, as X11 viewers do: QEMU and
/// Xen translate keysyms to scancodes with a keymap, and a capital letter without Shift held can come
/// out in lower case.
public enum KeyMapper {
    /// The events for one key; empty for keys that are not meant for the guest (mouse, resize).
    public static func strokes(for key: Key) -> [KeyStroke] {
        switch key {
        case .char(let c): return strokes(forCharacter: c)
        case .ctrl(let c):
            let base = Character(c.lowercased())
            guard let sym = KeySym.character(base) else { return [] }
            return KeyStroke.chord([KeySym.controlL] + (needsShift(base) ? [KeySym.shiftL] : []), sym)
        case .alt(let c):
            guard let sym = KeySym.character(c) else { return [] }
            return KeyStroke.chord([KeySym.altL] + (needsShift(c) ? [KeySym.shiftL] : []), sym)
        case .enter: return KeyStroke.tap(KeySym.returnKey)
        case .tab: return KeyStroke.tap(KeySym.tab)
        case .backTab: return KeyStroke.chord([KeySym.shiftL], KeySym.tab)
        case .backspace: return KeyStroke.tap(KeySym.backSpace)
        case .escape: return KeyStroke.tap(KeySym.escape)
        case .up: return KeyStroke.tap(KeySym.up)
        case .down: return KeyStroke.tap(KeySym.down)
        case .left: return KeyStroke.tap(KeySym.left)
        case .right: return KeyStroke.tap(KeySym.right)
        case .home: return KeyStroke.tap(KeySym.home)
        case .end: return KeyStroke.tap(KeySym.end)
        case .pageUp: return KeyStroke.tap(KeySym.pageUp)
        case .pageDown: return KeyStroke.tap(KeySym.pageDown)
        case .insert: return KeyStroke.tap(KeySym.insert)
        case .delete: return KeyStroke.tap(KeySym.delete)
        case .function(let n): return KeySym.function(n).map(KeyStroke.tap) ?? []
        case .mouse, .resize: return []
        }
    }

    /// A printable character (with Shift when a US keyboard needs it); control characters as their keys.
    public static func strokes(forCharacter c: Character) -> [KeyStroke] {
        switch c {
        case "\n", "\r", "\r\n": return KeyStroke.tap(KeySym.returnKey)
        case "\t": return KeyStroke.tap(KeySym.tab)
        case "\u{8}", "\u{7F}": return KeyStroke.tap(KeySym.backSpace)
        case "\u{1B}": return KeyStroke.tap(KeySym.escape)
        default: break
        }
        guard let sym = KeySym.character(c) else { return [] }
        return needsShift(c) ? KeyStroke.chord([KeySym.shiftL], sym) : KeyStroke.tap(sym)
    }

    /// Pasted text as key events: line breaks become Return, other control characters are dropped
    /// (a paste must not smuggle Ctrl or Escape sequences into the guest).
    public static func strokes(forPaste text: String) -> [KeyStroke] {
        var out: [KeyStroke] = []
        for c in text {
            switch c {
            case "\n", "\r", "\r\n": out += KeyStroke.tap(KeySym.returnKey)
            case "\t": out += KeyStroke.tap(KeySym.tab)
            default:
                if KeySym.character(c) != nil { out += strokes(forCharacter: c) }
            }
        }
        return out
    }

    /// Characters typed with Shift on a US keyboard.
    public static func needsShift(_ c: Character) -> Bool {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value, v < 0x80 else { return false }
        if (0x41...0x5A).contains(v) { return true }
        return "~!@#$%^&*()_+{}|:\"<>?".unicodeScalars.contains { $0.value == v }
    }
}
