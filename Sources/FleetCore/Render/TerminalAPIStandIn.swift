// TEMPORARY stand-in for the lead's terminal layer API (terminal-api.md) so the monitor builds before it lands.
// Deleted when main's Sources/FleetCore/Render + Input arrive. Never landed on main.

public enum TermColor: Hashable, Sendable { case `default`; case indexed(UInt8); case rgb(UInt8, UInt8, UInt8) }
public struct CellStyle: Hashable, Sendable {
    public var fg: TermColor, bg: TermColor
    public var bold, dim, reverse, underline, italic: Bool
    public init(fg: TermColor = .default, bg: TermColor = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false, italic: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim; self.reverse = reverse
        self.underline = underline; self.italic = italic
    }
    public static let plain = CellStyle()
}
public struct Cell: Hashable, Sendable {
    public var symbol: String
    public var style: CellStyle
    public init(symbol: String = " ", style: CellStyle = .plain) { self.symbol = symbol; self.style = style }
}
public struct CellBuffer: Hashable, Sendable {
    public let width: Int, height: Int
    var cells: [Cell]
    public init(width: Int, height: Int, style: CellStyle = .plain) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: Cell(symbol: " ", style: style), count: self.width * self.height)
    }
    public subscript(x: Int, y: Int) -> Cell {
        get { (x >= 0 && y >= 0 && x < width && y < height) ? cells[y * width + x] : Cell() }
        set { if x >= 0 && y >= 0 && x < width && y < height { cells[y * width + x] = newValue } }
    }
    @discardableResult public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(maxWidth ?? Int.max, width - x)
        var col = 0
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit { break }
            var sym = String(ch)
            if ch.unicodeScalars.first.map({ $0.value < 0x20 || $0.value == 0x7F }) ?? false { sym = "?" }
            self[x + col, y] = Cell(symbol: sym, style: style)
            if w == 2 { self[x + col + 1, y] = Cell(symbol: "", style: style) }
            col += w
        }
        return col
    }
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle, symbol: String = " ") {
        for yy in y..<(y + max(0, h)) { for xx in x..<(x + max(0, w)) { self[xx, yy] = Cell(symbol: symbol, style: style) } }
    }
    public mutating func setStyle(x: Int, y: Int, width w: Int, height h: Int, _ change: (inout CellStyle) -> Void) {
        for yy in y..<(y + max(0, h)) { for xx in x..<(x + max(0, w)) where xx >= 0 && yy >= 0 && xx < width && yy < height {
            change(&cells[yy * width + xx].style) } }
    }
    public func lines() -> [String] {
        (0..<height).map { y in (0..<width).map { cells[y * width + $0].symbol }.joined() }
    }
    public func changes(from old: CellBuffer?) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        guard let old, old.width == width, old.height == height else {
            for y in 0..<height { for x in 0..<width { out.append((x, y)) } }
            return out
        }
        for i in 0..<cells.count where cells[i] != old.cells[i] { out.append((i % width, i / width)) }
        return out
    }
}
public enum DisplayWidth {
    public static func of(_ c: Character) -> Int {
        guard let s = c.unicodeScalars.first else { return 0 }
        let v = s.value
        if v == 0 { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) { return 2 }
        if s.properties.generalCategory == .nonspacingMark { return 0 }
        return 1
    }
    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }
    public static func truncate(_ s: String, to width: Int, ellipsis: Bool = true) -> String {
        if of(s) <= width { return s }
        if width <= 0 { return "" }
        var out = ""; var col = 0
        let room = ellipsis ? width - 1 : width
        for ch in s { let w = of(ch); if col + w > room { break }; out.append(ch); col += w }
        return ellipsis ? out + "…" : out
    }
    public static func pad(_ s: String, to width: Int, alignRight: Bool = false) -> String {
        let t = truncate(s, to: width); let gap = String(repeating: " ", count: max(0, width - of(t)))
        return alignRight ? gap + t : t + gap
    }
}
public enum Key: Hashable, Sendable {
    case char(Character), ctrl(Character), alt(Character)
    case enter, tab, backTab, backspace, escape
    case up, down, left, right, home, end, pageUp, pageDown, insert, delete
    case function(Int)
    case mouse(MouseEvent)
    case resize
}
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press(button: Int), release, wheelUp, wheelDown }
    public var x: Int, y: Int, kind: Kind
    public init(x: Int, y: Int, kind: Kind) { self.x = x; self.y = y; self.kind = kind }
}
