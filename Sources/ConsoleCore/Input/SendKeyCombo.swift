/// Key combinations a terminal cannot send by itself (the local system would act on them), offered
/// in the console's send-key menu, as virt-viewer does.
public enum SendKeyCombo: Hashable, Sendable, CustomStringConvertible {
    case ctrlAltDelete
    case ctrlAltBackspace
    case ctrlAltFunction(Int)        // switch virtual console: Ctrl+Alt+F1…F12
    case sysRq(Character)            // Linux magic SysRq: Alt+SysRq+letter
    case printScreen

    public var description: String {
        switch self {
        case .ctrlAltDelete: return "Ctrl+Alt+Del"
        case .ctrlAltBackspace: return "Ctrl+Alt+Backspace"
        case .ctrlAltFunction(let n): return "Ctrl+Alt+F\(n)"
        case .sysRq(let c): return "Alt+SysRq+\(c)"
        case .printScreen: return "PrintScreen"
        }
    }

    public var strokes: [KeyStroke] {
        switch self {
        case .ctrlAltDelete: return KeyStroke.chord([KeySym.controlL, KeySym.altL], KeySym.delete)
        case .ctrlAltBackspace: return KeyStroke.chord([KeySym.controlL, KeySym.altL], KeySym.backSpace)
        case .ctrlAltFunction(let n):
            guard let f = KeySym.function(n) else { return [] }
            return KeyStroke.chord([KeySym.controlL, KeySym.altL], f)
        case .sysRq(let c):
            // The SysRq key is Print with Alt held; the command letter goes while both are down.
            guard let sym = KeySym.character(Character(c.lowercased())) else { return [] }
            return [KeyStroke(KeySym.altL, down: true), KeyStroke(KeySym.print, down: true)]
                + KeyStroke.tap(sym)
                + [KeyStroke(KeySym.print, down: false), KeyStroke(KeySym.altL, down: false)]
        case .printScreen: return KeyStroke.tap(KeySym.print)
        }
    }

    /// The fixed entries of the menu (Ctrl+Alt+Fn and SysRq take a further key).
    public static let menu: [SendKeyCombo] = [.ctrlAltDelete, .ctrlAltBackspace] + (1...12).map { .ctrlAltFunction($0) }
}
