/// A key or mouse event as the UI sees it, independent of curses.
public enum Key: Hashable, Sendable {
    case char(Character)           // printable, incl. non-ASCII
    case ctrl(Character)           // Ctrl+a…z as "a"…"z"; also "@" "[" "\\" "]" "^" "_"
    case alt(Character)            // ESC-prefixed / meta
    case enter, tab, backTab, backspace, escape
    case up, down, left, right, home, end, pageUp, pageDown, insert, delete
    case function(Int)             // F1…F12
    case mouse(MouseEvent)
    case resize

    /// The key a terminal byte stands for (for bytes below 0x20 and DEL).
    public static func fromControlByte(_ b: UInt32) -> Key? {
        switch b {
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x08, 0x7F: return .backspace
        case 0x1B: return .escape
        case 0x00: return .ctrl("@")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(b + 0x60)!))
        case 0x1C: return .ctrl("\\")
        case 0x1D: return .ctrl("]")
        case 0x1E: return .ctrl("^")
        case 0x1F: return .ctrl("_")
        default: return nil
        }
    }
}

public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press(button: Int), release, wheelUp, wheelDown }
    public var x: Int
    public var y: Int
    public var kind: Kind
    public init(x: Int, y: Int, kind: Kind) { self.x = x; self.y = y; self.kind = kind }
}
