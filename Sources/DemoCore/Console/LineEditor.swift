import FleetCore
import Foundation

/// The line editing of a shell's prompt (readline's common keys): typing inserts at the cursor, Backspace and
/// Delete remove, Left/Right/Home/End (and Ctrl+A/E/B/F) move, Ctrl+U/K cut, Up/Down walk the history,
/// Tab completes a command name, Enter submits, Ctrl+C abandons the line, Ctrl+D on an empty line ends input,
/// Ctrl+L asks for a clear screen.
public struct LineEditor: Sendable {
    public enum Outcome: Equatable, Sendable {
        case unchanged
        /// The text or the cursor moved: draw the line again.
        case edited
        case submitted(String)
        case interrupted
        case endOfInput
        case clearScreen
    }

    public private(set) var text: [Character] = []
    public private(set) var cursor = 0
    public private(set) var history: [String] = []
    /// Completed by Tab.
    public var words: [String] = []
    public static let maxLength = 512
    private var browsing: Int?          // index into history while Up/Down walk it
    private var draft: [Character] = []

    public init(words: [String] = []) { self.words = words }

    public var line: String { String(text) }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .char(let c):
            guard text.count < LineEditor.maxLength else { return .unchanged }
            text.insert(c, at: cursor); cursor += 1
        case .enter:
            let l = String(text)
            if !l.trimmingCharacters(in: .whitespaces).isEmpty && history.last != l { history.append(l) }
            if history.count > 100 { history.removeFirst() }
            text = []; cursor = 0; browsing = nil
            return .submitted(l)
        case .backspace, .ctrl("h"):
            guard cursor > 0 else { return .unchanged }
            text.remove(at: cursor - 1); cursor -= 1
        case .delete:
            guard cursor < text.count else { return .unchanged }
            text.remove(at: cursor)
        case .ctrl("d"):
            if text.isEmpty { return .endOfInput }
            guard cursor < text.count else { return .unchanged }
            text.remove(at: cursor)
        case .left, .ctrl("b"):
            guard cursor > 0 else { return .unchanged }
            cursor -= 1
        case .right, .ctrl("f"):
            guard cursor < text.count else { return .unchanged }
            cursor += 1
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("u"): text.removeFirst(cursor); cursor = 0
        case .ctrl("k"): text.removeLast(text.count - cursor)
        case .ctrl("c"):
            text = []; cursor = 0; browsing = nil
            return .interrupted
        case .ctrl("l"): return .clearScreen
        case .up:
            guard !history.isEmpty else { return .unchanged }
            if browsing == nil { draft = text; browsing = history.count }
            guard let b = browsing, b > 0 else { return .unchanged }
            browsing = b - 1
            text = Array(history[b - 1]); cursor = text.count
        case .down:
            guard let b = browsing else { return .unchanged }
            if b + 1 < history.count { browsing = b + 1; text = Array(history[b + 1]) }
            else { browsing = nil; text = draft }
            cursor = text.count
        case .tab:
            let prefix = String(text[..<cursor])
            guard !prefix.isEmpty, !prefix.contains(" ") else { return .unchanged }
            let matches = words.filter { $0.hasPrefix(prefix) }
            guard matches.count == 1, let m = matches.first else { return .unchanged }
            let rest = Array(m.dropFirst(prefix.count)) + [" "]
            text.insert(contentsOf: rest, at: cursor); cursor += rest.count
        default:
            return .unchanged
        }
        return .edited
    }
}

/// RFB key events (X11 keysyms, presses and releases) back into keys, as a console's keyboard driver sees them:
/// modifiers are tracked, Ctrl+letter becomes a control key, releases are dropped.
public struct KeysymDecoder: Sendable {
    private var control = 0, alt = 0

    public init() {}

    public mutating func decode(_ keysym: UInt32, down: Bool) -> Key? {
        switch keysym {
        case 0xFFE3, 0xFFE4: control = max(0, control + (down ? 1 : -1)); return nil    // Control_L/R
        case 0xFFE9, 0xFFEA, 0xFFE7, 0xFFE8: alt = max(0, alt + (down ? 1 : -1)); return nil  // Alt, Meta
        case 0xFFE1, 0xFFE2, 0xFFE5, 0xFFEB, 0xFFEC: return nil                            // Shift, locks, Super
        default: break
        }
        guard down else { return nil }
        switch keysym {
        case 0xFF08: return .backspace
        case 0xFF09: return .tab
        case 0xFF0D, 0xFF8D: return .enter
        case 0xFF1B: return .escape
        case 0xFF50: return .home
        case 0xFF51: return .left
        case 0xFF52: return .up
        case 0xFF53: return .right
        case 0xFF54: return .down
        case 0xFF55: return .pageUp
        case 0xFF56: return .pageDown
        case 0xFF57: return .end
        case 0xFF63: return .insert
        case 0xFFFF: return .delete
        case 0xFFBE...0xFFC9: return .function(Int(keysym - 0xFFBE) + 1)
        default: break
        }
        let scalar: UInt32
        switch keysym {
        case 0x20...0x7E, 0xA0...0xFF: scalar = keysym
        case 0x0100_0000...0x0110_FFFF: scalar = keysym - 0x0100_0000
        default: return nil
        }
        guard let u = Unicode.Scalar(scalar), scalar >= 0x20, !(0x7F...0x9F).contains(scalar) else { return nil }
        let c = Character(u)
        if control > 0 {
            let lower = Character(c.lowercased())
            if lower.isASCII, lower.isLetter || "@[\\]^_".contains(lower) { return .ctrl(lower) }
            return nil
        }
        if alt > 0 { return .alt(c) }
        return .char(c)
    }
}
