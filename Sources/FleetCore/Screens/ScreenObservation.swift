/// What one look at a guest's display found, before any rule is applied: the sampler's output, the rules
/// engine's input. Only text is kept (never pixels): a fleet of screens costs its text, not its frames.
public enum ScreenObservation: Sendable, Hashable {
    /// A text console, read cell by cell (it may have no ink at all: see `ScreenText.isEmpty`).
    case text(ScreenText)
    /// The display shows no picture: one colour all over (a blanked console, a guest that switched it off).
    case blank(width: Int, height: Int)
    /// Graphics that are not a text console (a desktop, a splash, an image): text recognition does not apply.
    case picture(width: Int, height: Int)
    /// No frame: the display refused, hung, or its host could not be reached. The reason is one line.
    case unreachable(String)
    /// The display wants a password (or security this path may not use): never asked for here.
    case locked(String)

    public var text: ScreenText? { if case .text(let t) = self { return t } else { return nil } }
}

/// A text screen as lines. Trailing blanks are trimmed; cells the recogniser did not know are
/// `ScreenText.unknown` (U+FFFD), so no rule ever mistakes them for real characters.
public struct ScreenText: Sendable, Hashable {
    public var lines: [String]
    public var cols: Int

    public static let unknown: Character = "\u{FFFD}"

    public init(lines: [String], cols: Int) {
        self.lines = lines; self.cols = cols
    }

    /// No ink anywhere (a cleared console): classified as blank.
    public var isEmpty: Bool { lines.allSatisfy { $0.allSatisfy { $0 == " " } } }

    /// The last line with anything on it (where prompts and questions are), and its row.
    public var lastNonEmpty: (row: Int, line: String)? {
        for r in lines.indices.reversed() where !lines[r].allSatisfy({ $0 == " " }) { return (r, lines[r]) }
        return nil
    }

    /// The lines with trailing empty lines dropped (for previews and `--text`).
    public var trimmedLines: ArraySlice<String> {
        lines[..<((lastNonEmpty?.row ?? -1) + 1)]
    }
}
