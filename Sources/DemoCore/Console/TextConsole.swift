/// The 16 colours of the PC console (VGA text mode and Linux's fbcon use the same ones), 0x00RRGGBB.
public enum ConsolePalette {
    public static let colours: [UInt32] = [
        0x000000, 0xAA0000, 0x00AA00, 0xAA5500, 0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA,
        0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF,
    ]
    public static let black: UInt8 = 0, red: UInt8 = 1, green: UInt8 = 2, brown: UInt8 = 3, blue: UInt8 = 4
    public static let magenta: UInt8 = 5, cyan: UInt8 = 6, lightGrey: UInt8 = 7, darkGrey: UInt8 = 8
    public static let brightRed: UInt8 = 9, brightGreen: UInt8 = 10, yellow: UInt8 = 11, brightBlue: UInt8 = 12
    public static let white: UInt8 = 15
}

/// One character cell: a character and its colours (palette indices).
public struct ConsoleCell: Hashable, Sendable {
    public var character: Character
    public var fg: UInt8
    public var bg: UInt8
    public init(_ character: Character = " ", fg: UInt8 = ConsolePalette.lightGrey, bg: UInt8 = ConsolePalette.black) {
        self.character = character; self.fg = fg; self.bg = bg
    }
}

/// A text console as a guest's kernel keeps it: a grid of cells, a cursor, writing that wraps and scrolls like
/// the Linux console (a character in the last column leaves the wrap pending until the next one). Remembers
/// which cells changed, so only those are drawn again.
public struct TextConsole: Sendable {
    public let cols: Int
    public let rows: Int
    public private(set) var cells: [ConsoleCell]
    public private(set) var cursorCol = 0
    public private(set) var cursorRow = 0
    public var cursorVisible = true { didSet { if cursorVisible != oldValue { touchCursor() } } }
    /// Colours for what is written next.
    public var fg = ConsolePalette.lightGrey
    public var bg = ConsolePalette.black
    private var wrapPending = false
    private var dirty: [Bool]
    private var anyDirty = true

    public init(cols: Int, rows: Int) {
        precondition(cols > 0 && rows > 0)
        self.cols = cols; self.rows = rows
        cells = Array(repeating: ConsoleCell(), count: cols * rows)
        dirty = Array(repeating: true, count: cols * rows)
    }

    public subscript(col: Int, row: Int) -> ConsoleCell { cells[row * cols + col] }

    // MARK: writing

    /// Writes text at the cursor: "\n" starts the next line (scrolling at the bottom), "\r" returns to column 0,
    /// "\t" moves to the next multiple of 8, "\u{8}" moves one column back.
    public mutating func write(_ text: String) {
        for c in text {
            switch c {
            case "\n", "\r\n": newline()
            case "\r": setCursor(col: 0, row: cursorRow)
            case "\t":
                let next = min(cols - 1, (cursorCol / 8 + 1) * 8)
                while cursorCol < next { put(" ") }
            case "\u{8}": setCursor(col: max(0, cursorCol - 1), row: cursorRow)
            default: put(c)
            }
        }
    }

    /// Writes text in the given colours, then restores the current ones.
    public mutating func write(_ text: String, fg: UInt8, bg: UInt8? = nil) {
        let (f, b) = (self.fg, self.bg)
        self.fg = fg; self.bg = bg ?? b
        write(text)
        self.fg = f; self.bg = b
    }

    /// Writes text at a place without moving the cursor; what does not fit on the row is cut.
    public mutating func put(_ text: String, col: Int, row: Int, fg: UInt8? = nil, bg: UInt8? = nil) {
        guard row >= 0, row < rows else { return }
        var x = col
        for c in text {
            if x >= cols { break }
            if x >= 0 { set(x, row, ConsoleCell(c, fg: fg ?? self.fg, bg: bg ?? self.bg)) }
            x += 1
        }
    }

    /// Paints cells `from..<to` of a row (a highlight bar, a cleared line).
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, character: Character = " ", fg: UInt8? = nil, bg: UInt8? = nil) {
        guard row >= 0, row < rows else { return }
        for x in max(0, from)..<min(cols, to ?? cols) {
            set(x, row, ConsoleCell(character, fg: fg ?? self.fg, bg: bg ?? self.bg))
        }
    }

    /// Every cell blank in the current colours, cursor at the top left.
    public mutating func clear() {
        for i in cells.indices { setIndex(i, ConsoleCell(" ", fg: fg, bg: bg)) }
        setCursor(col: 0, row: 0)
    }

    /// Blanks from (col, row) to the end of the screen.
    public mutating func clear(fromCol col: Int, row: Int) {
        guard row < rows else { return }
        for i in (row * cols + max(0, col))..<cells.count { setIndex(i, ConsoleCell(" ", fg: fg, bg: bg)) }
    }

    public mutating func setCursor(col: Int, row: Int) {
        touchCursor()
        cursorCol = min(max(0, col), cols - 1)
        cursorRow = min(max(0, row), rows - 1)
        wrapPending = false
        touchCursor()
    }

    public mutating func newline() {
        touchCursor()
        wrapPending = false
        cursorCol = 0
        if cursorRow == rows - 1 { scroll() } else { cursorRow += 1 }
        touchCursor()
    }

    /// Moves every line up one; the bottom line is blank.
    public mutating func scroll() {
        cells.removeFirst(cols)
        cells.append(contentsOf: Array(repeating: ConsoleCell(" ", fg: fg, bg: bg), count: cols))
        for i in dirty.indices { dirty[i] = true }
        anyDirty = true
    }

    private mutating func put(_ c: Character) {
        if wrapPending { newline() }
        set(cursorCol, cursorRow, ConsoleCell(c, fg: fg, bg: bg))
        if cursorCol == cols - 1 { wrapPending = true } else { touchCursor(); cursorCol += 1; touchCursor() }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: ConsoleCell) { setIndex(y * cols + x, cell) }

    private mutating func setIndex(_ i: Int, _ cell: ConsoleCell) {
        guard cells[i] != cell else { return }
        cells[i] = cell
        dirty[i] = true
        anyDirty = true
    }

    private mutating func touchCursor() {
        dirty[cursorRow * cols + cursorCol] = true
        anyDirty = true
    }

    // MARK: reading

    /// One row as text, trailing spaces trimmed.
    public func line(_ row: Int) -> String {
        var s = String(cells[(row * cols)..<((row + 1) * cols)].map(\.character))
        while s.last == " " { s.removeLast() }
        return s
    }

    public var lines: [String] { (0..<rows).map(line) }

    public var hasChanges: Bool { anyDirty }

    /// The cells changed since the last call (indices, row-major), and forgets them.
    public mutating func takeChanges() -> [Int] {
        guard anyDirty else { return [] }
        var out: [Int] = []
        for i in dirty.indices where dirty[i] { out.append(i); dirty[i] = false }
        anyDirty = false
        return out
    }

    /// Everything counts as changed (a new client, a new framebuffer).
    public mutating func touchAll() {
        for i in dirty.indices { dirty[i] = true }
        anyDirty = true
    }
}
