/// X11 keysyms used by RFB key events (RFC 6143 §7.5.4).
public enum KeySym {
    public static let backSpace: UInt32 = 0xFF08
    public static let tab: UInt32 = 0xFF09
    public static let returnKey: UInt32 = 0xFF0D
    public static let escape: UInt32 = 0xFF1B
    public static let sysReq: UInt32 = 0xFF15
    public static let home: UInt32 = 0xFF50
    public static let left: UInt32 = 0xFF51
    public static let up: UInt32 = 0xFF52
    public static let right: UInt32 = 0xFF53
    public static let down: UInt32 = 0xFF54
    public static let pageUp: UInt32 = 0xFF55
    public static let pageDown: UInt32 = 0xFF56
    public static let end: UInt32 = 0xFF57
    public static let print: UInt32 = 0xFF61
    public static let insert: UInt32 = 0xFF63
    public static let delete: UInt32 = 0xFFFF
    public static let shiftL: UInt32 = 0xFFE1
    public static let controlL: UInt32 = 0xFFE3
    public static let altL: UInt32 = 0xFFE9

    /// F1…F35 are consecutive from 0xFFBE.
    public static func function(_ n: Int) -> UInt32? {
        (1...35).contains(n) ? 0xFFBE + UInt32(n - 1) : nil
    }

    /// The keysym of a character: Latin-1 is the code point itself, other Unicode 0x01000000 + code point.
    /// Control characters have none (they are keys, not characters).
    public static func character(_ c: Character) -> UInt32? {
        guard c.unicodeScalars.count == 1, let s = c.unicodeScalars.first else { return nil }
        let v = s.value
        switch v {
        case 0x20...0x7E, 0xA0...0xFF: return v
        case 0..<0x20, 0x7F..<0xA0: return nil
        default: return 0x0100_0000 + v
        }
    }
}

/// One RFB key event.
public struct KeyStroke: Hashable, Sendable, CustomStringConvertible {
    public var keysym: UInt32
    public var down: Bool
    public init(_ keysym: UInt32, down: Bool) { self.keysym = keysym; self.down = down }
    public var description: String { "\(down ? "+" : "-")\(String(keysym, radix: 16))" }

    /// Press then release (terminals report no releases).
    public static func tap(_ keysym: UInt32) -> [KeyStroke] { [KeyStroke(keysym, down: true), KeyStroke(keysym, down: false)] }

    /// Modifiers pressed in order, the key tapped, modifiers released in reverse order.
    public static func chord(_ modifiers: [UInt32], _ keysym: UInt32) -> [KeyStroke] {
        modifiers.map { KeyStroke($0, down: true) } + tap(keysym) + modifiers.reversed().map { KeyStroke($0, down: false) }
    }
}
