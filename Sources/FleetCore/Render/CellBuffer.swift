/// A frame as a plain grid of cells (symbol + style), the way ratatui draws: widgets render into a
/// CellBuffer with no terminal in sight; only the Terminal turns buffers into output, and only for the
/// cells that changed. Tests render into a buffer and compare its text.

public enum TermColor: Hashable, Sendable {
    case `default`
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)
}

public struct CellStyle: Hashable, Sendable {
    public var fg: TermColor
    public var bg: TermColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool
    public var italic: Bool

    public init(fg: TermColor = .default, bg: TermColor = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false, italic: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim
        self.reverse = reverse; self.underline = underline; self.italic = italic
    }

    public static let plain = CellStyle()
}

public struct Cell: Hashable, Sendable {
    /// One grapheme; "" marks the second column of a wide character.
    public var symbol: String
    public var style: CellStyle
    public init(symbol: String = " ", style: CellStyle = .plain) { self.symbol = symbol; self.style = style }
    public static let blank = Cell()
}

/// A place on the screen (column, row).
public struct CursorPosition: Hashable, Sendable {
    public var x: Int, y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
}

public struct CellBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]
    /// Where the terminal's cursor shows (the guest's cursor on a console); nil hides it.
    public var cursor: CursorPosition?

    public init(width: Int, height: Int, style: CellStyle = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(symbol: " ", style: style), count: self.width * self.height)
    }

    @inline(__always) private func inside(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    public subscript(x x: Int, y y: Int) -> Cell {
        get { inside(x, y) ? cells[y * width + x] : .blank }
        set { if inside(x, y) { cells[y * width + x] = newValue } }
    }

    /// Sets one cell, keeping wide characters whole: overwriting either half of a wide character
    /// blanks its other half.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * width + x
        if cells[i].symbol.isEmpty, x > 0 { cells[i - 1].symbol = " " }                  // was 2nd half
        if x + 1 < width, cells[i + 1].symbol.isEmpty, !cells[i].symbol.isEmpty { cells[i + 1].symbol = " " } // was 1st half
        cells[i] = cell
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns and to the buffer. Wide characters take two
    /// columns (and are not split at the clip edge), combining marks join the previous cell, control
    /// characters become "?" (sanitise beforehand to show them escaped). Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            var w = DisplayWidth.of(ch)
            var symbol = String(ch)
            if ch.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) {
                symbol = "?"; w = 1
            }
            if w == 0 {
                if col > x, col - 1 >= 0, col - 1 < width { cells[y * width + col - 1].symbol += symbol }
                continue
            }
            if col + w > limit { break }
            if col >= 0 {
                set(col, y, Cell(symbol: symbol, style: style))
                if w == 2 { set(col + 1, y, Cell(symbol: "", style: style)) }
            }
            col += w
        }
        return col - x
    }

    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle, symbol: String = " ") {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { set(xx, yy, Cell(symbol: symbol, style: style)) } }
    }

    public mutating func setStyle(x: Int, y: Int, width w: Int, height h: Int, _ change: (inout CellStyle) -> Void) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { change(&cells[yy * width + xx].style) } }
    }

    /// The text of each row (wide characters once), for tests and text dumps.
    public func lines() -> [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width { s += cells[y * width + x].symbol }
            return s
        }
    }

    /// Positions whose cell differs from `old` (every position when `old` is nil or another size).
    public func changes(from old: CellBuffer?) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        guard let old, old.width == width, old.height == height else {
            out.reserveCapacity(cells.count)
            for y in 0..<height { for x in 0..<width { out.append((x, y)) } }
            return out
        }
        cells.withUnsafeBufferPointer { a in
            old.cells.withUnsafeBufferPointer { b in
                for i in 0..<a.count where a[i] != b[i] { out.append((i % width, i / width)) }
            }
        }
        return out
    }
}
