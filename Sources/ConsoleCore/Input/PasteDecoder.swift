import FleetCore

/// Recognises bracketed paste (ESC [200~ … ESC [201~) in the key stream the terminal layer delivers
/// (it arrives as Alt+"[" then the characters "200~"), so pasted text goes to the guest as text and a
/// pasted Ctrl+] or Escape is never taken as a command. Pure state machine.
public struct PasteDecoder: Sendable {
    public enum Output: Hashable, Sendable {
        case key(Key)
        case paste(String)
    }

    private enum State: Sendable { case normal, opening(String), pasting(String, closing: String?) }
    private var state = State.normal
    private static let open = "200~", close = "201~"

    public init() {}

    /// Whether keys are being held back (a possible paste start, or inside a paste).
    public var isBuffering: Bool { if case .normal = state { return false }; return true }

    public mutating func feed(_ key: Key) -> [Output] {
        switch state {
        case .normal:
            if key == .alt("[") { state = .opening(""); return [] }
            return [.key(key)]
        case .opening(let got):
            if case .char(let c) = key {
                let next = got + String(c)
                if next == Self.open { state = .pasting("", closing: nil); return [] }
                if Self.open.hasPrefix(next) { state = .opening(next); return [] }
            }
            state = .normal
            return [.key(.alt("["))] + got.map { .key(.char($0)) } + feed(key)
        case .pasting(var text, let closing):
            if let closing {
                if case .char(let c) = key {
                    let next = closing + String(c)
                    if next == Self.close { state = .normal; return [.paste(text)] }
                    if Self.close.hasPrefix(next) { state = .pasting(text, closing: next); return [] }
                }
                // Not the end marker after all: the ESC [ and digits were pasted text.
                text += "\u{1B}[" + closing
                state = .pasting(text, closing: nil)
                return feed(key)
            }
            switch key {
            case .alt("["): state = .pasting(text, closing: ""); return []
            case .char(let c): text.append(c)
            case .enter: text.append("\n")
            case .tab: text.append("\t")
            case .alt(let c): text += "\u{1B}" + String(c)
            case .ctrl(let c):
                if let v = c.asciiValue, v >= 0x40 { text.unicodeScalars.append(Unicode.Scalar(v & 0x1F)) }
            case .backspace: text.append("\u{7F}")
            default: break
            }
            state = .pasting(text, closing: nil)
            return []
        }
    }

    /// Releases anything held back (e.g. a lone Alt+[ after a pause).
    public mutating func flush() -> [Output] {
        switch state {
        case .normal: return []
        case .opening(let got):
            state = .normal
            return [.key(.alt("["))] + got.map { .key(.char($0)) }
        case .pasting(let text, let closing):
            state = .normal
            return [.paste(text + (closing.map { "\u{1B}[" + $0 } ?? ""))]
        }
    }
}
