/// How many colours output may use. One rule for every command (monitor, console, batch text, `screen`,
/// `render`): `--colors` when given explicitly, else none when `NO_COLOR` is set or stdout is not a
/// terminal, else what the terminal can show.
public enum ColourLevel: Int, Comparable, Sendable, CaseIterable {
    case none, ansi8, ansi16, xterm256, trueColour
    public static func < (a: ColourLevel, b: ColourLevel) -> Bool { a.rawValue < b.rawValue }
}

/// The value of `--colors`.
public enum ColourSetting: Equatable, Sendable {
    /// Colours when stdout is a terminal and `NO_COLOR` is unset or empty (the default).
    case auto
    /// No colours (attributes such as bold and reverse remain where the output has them).
    case never
    /// Colours even into a pipe or a file, and despite `NO_COLOR`, at the terminal's depth.
    case always
    /// Colours at this depth, even into a pipe or a file, and despite `NO_COLOR`.
    case level(ColourLevel)

    public static let valid = "auto, always, never, 24bit, 256, 16, 8"

    public init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "never", "none", "off", "no": self = .never
        case "always", "on", "yes": self = .always
        case "24bit", "truecolor", "truecolour", "24": self = .level(.trueColour)
        case "256": self = .level(.xterm256)
        case "16": self = .level(.ansi16)
        case "8": self = .level(.ansi8)
        default: return nil
        }
    }
}

public enum ColourRule {
    /// The level to use.
    /// - environment: read for `NO_COLOR`, `TERM` and `COLORTERM`.
    /// - isTTY: whether the output goes to a terminal.
    /// - terminalLevel: what the terminal can show when a terminal library knows it (curses); otherwise it is
    ///   guessed from `TERM`/`COLORTERM`.
    public static func resolve(_ setting: ColourSetting, environment: [String: String], isTTY: Bool,
                               terminalLevel: ColourLevel? = nil) -> ColourLevel {
        switch setting {
        case .never: return .none
        case .level(let l): return l
        case .always:
            let l = terminalLevel ?? level(fromEnvironment: environment)
            return l == .none ? .xterm256 : l
        case .auto:
            if !(environment["NO_COLOR"] ?? "").isEmpty || !isTTY { return .none }
            return terminalLevel ?? level(fromEnvironment: environment)
        }
    }

    /// What `TERM` and `COLORTERM` say the terminal shows (no terminfo lookup: pure).
    public static func level(fromEnvironment env: [String: String]) -> ColourLevel {
        let colorterm = (env["COLORTERM"] ?? "").lowercased()
        let term = (env["TERM"] ?? "").lowercased()
        if term.isEmpty || term == "dumb" { return .none }
        if colorterm == "truecolor" || colorterm == "24bit" || term.contains("direct") { return .trueColour }
        if term.contains("256") { return .xterm256 }
        if term == "linux" || term.hasPrefix("vt") || term == "ansi" { return .ansi8 }
        return .ansi16
    }
}
