import FleetCore

/// What the console loop must do after a key (the state itself is already updated).
public enum ConsoleEffect: Equatable {
    /// Key events for the guest.
    case send([KeyStroke])
    /// Back to the monitor or the shell (Ctrl+], F12 d).
    case detach
    /// F12 r: a complete picture again, or, when disconnected, a new connection now.
    case refresh
    /// The password prompt was answered (nil: cancelled).
    case password(VNCPassword?)

    public static func == (a: ConsoleEffect, b: ConsoleEffect) -> Bool {
        switch (a, b) {
        case (.send(let x), .send(let y)): return x == y
        case (.detach, .detach), (.refresh, .refresh): return true
        case (.password(let x), .password(let y)): return x === y
        default: return false
        }
    }
}

/// Everything the console shows besides the guest's screen, and how keys act: pure, changed by `handle`, `idle`
/// and the loop's connection events (the status fields). What persists between frames lives here; the
/// ConsoleScreen class only connects, retries and passes messages.
public struct ConsoleState {
    public enum Mode: String, Sendable { case auto, text, picture }
    /// What is open over the guest's screen.
    public enum Overlay: Sendable, Equatable { case menu, sysRq }

    public var mode = Mode.auto
    public var viewport = Viewport()
    public var overlay: Overlay?
    /// The VNC password typed so far while the prompt is open (never shown).
    public private(set) var passwordPrompt: SecretBuffer?

    // The connection, as the loop reports it (shown in the status line).
    public var domainName: String
    public var connected = false
    public var status = "connecting…"
    public var error: String?

    private var paste = PasteDecoder()
    private var lastKeyAt = 0.0
    /// How long a possible paste start (Alt+[ …) is held back before it counts as typed keys.
    public static let pasteHold = 0.05

    public init(domainName: String) { self.domainName = domainName }

    /// The parts of the state a frame shows (besides the status fields): the loop redraws when they change.
    public struct Look: Equatable {
        var mode: Mode, viewport: Viewport, overlay: Overlay?, prompt: Bool
    }
    public var look: Look { Look(mode: mode, viewport: viewport, overlay: overlay, prompt: passwordPrompt != nil) }

    /// Keys are being held back (a possible paste start, or inside a paste): call `idle(at:)` soon.
    public var isBufferingPaste: Bool { paste.isBuffering }

    // MARK: - keys

    public mutating func handle(_ key: Key, at now: Double) -> [ConsoleEffect] {
        lastKeyAt = now
        if key == .resize { return [] }
        if passwordPrompt != nil { return handlePasswordKey(key) }
        switch overlay {
        case .sysRq?:
            overlay = nil
            if case .char(let c) = key { return [.send(SendKeyCombo.sysRq(c).strokes)] }
            return []
        case .menu?:
            return handleMenuKey(key)
        case nil:
            return paste.feed(key).flatMap { deliver($0) }
        }
    }

    /// No key came: a held-back paste start that was not one is released as typed keys.
    public mutating func idle(at now: Double) -> [ConsoleEffect] {
        guard paste.isBuffering, now - lastKeyAt > Self.pasteHold else { return [] }
        return paste.flush().flatMap { deliver($0) }
    }

    private mutating func deliver(_ out: PasteDecoder.Output) -> [ConsoleEffect] {
        switch out {
        case .paste(let text):
            return [.send(KeyMapper.strokes(forPaste: text))]
        case .key(let key):
            switch key {
            case .ctrl("]"): return [.detach]
            case .function(12): overlay = .menu; return []
            case .mouse: return []
            default: return [.send(KeyMapper.strokes(for: key))]
            }
        }
    }

    private mutating func handleMenuKey(_ key: Key) -> [ConsoleEffect] {
        var close = true
        var effects: [ConsoleEffect] = []
        switch key {
        case .escape, .ctrl("]"): break
        case .delete, .char("1"): effects = [.send(SendKeyCombo.ctrlAltDelete.strokes)]
        case .backspace, .char("2"): effects = [.send(SendKeyCombo.ctrlAltBackspace.strokes)]
        case .function(12): effects = [.send(KeyMapper.strokes(for: .function(12)))]
        case .function(let n): effects = [.send(SendKeyCombo.ctrlAltFunction(n).strokes)]
        case .char("c"): effects = [.send(SendKeyCombo.ctrlAltFunction(12).strokes)]   // F12 itself is taken
        case .char("s"): overlay = .sysRq; close = false
        case .char("p"): effects = [.send(SendKeyCombo.printScreen.strokes)]
        case .char("t"): mode = .text
        case .char("g"): mode = .picture
        case .char("a"): mode = .auto
        case .char("+"), .char("="): viewport.zoom = min(16, viewport.zoom * 1.5); close = false
        case .char("-"): viewport.zoom = max(1, viewport.zoom / 1.5); close = false
        case .char("0"): viewport = Viewport(); close = false
        case .left: viewport.panX = max(0, viewport.panX - 0.1); close = false
        case .right: viewport.panX = min(1, viewport.panX + 0.1); close = false
        case .up: viewport.panY = max(0, viewport.panY - 0.1); close = false
        case .down: viewport.panY = min(1, viewport.panY + 0.1); close = false
        case .char("r"): effects = [.refresh]
        case .char("d"): overlay = nil; return [.detach]
        default: close = false
        }
        if close { overlay = nil }
        return effects
    }

    // MARK: - the password prompt

    /// The server wants a VNC password: the prompt opens (over any menu).
    public mutating func askPassword() {
        passwordPrompt?.wipe()
        passwordPrompt = SecretBuffer()
    }

    /// Closes the prompt without an answer (the console is going away), wiping what was typed.
    public mutating func dismissPassword() {
        passwordPrompt?.wipe()
        passwordPrompt = nil
    }

    private mutating func handlePasswordKey(_ key: Key) -> [ConsoleEffect] {
        guard let typed = passwordPrompt else { return [] }
        switch key {
        case .enter:
            let password = typed.withBytes { VNCPassword(copying: $0) }
            typed.wipe()
            passwordPrompt = nil
            return [.password(password)]
        case .escape, .ctrl("]"), .ctrl("c"):
            typed.wipe()
            passwordPrompt = nil
            return [.password(nil)]
        case .backspace:
            typed.removeLastCharacter()
        case .char(let c):
            typed.append(c)
        default: break
        }
        return []
    }
}
