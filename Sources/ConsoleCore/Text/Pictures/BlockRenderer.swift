/// A terminal cell to draw: a character with its colours.
public struct DrawCell: Equatable, Sendable {
    public var character: Character
    public var fg: UInt32
    public var bg: UInt32
    public init(_ character: Character, fg: UInt32, bg: UInt32) { self.character = character; self.fg = fg; self.bg = bg }
}

/// A grid of cells to draw (row-major).
public struct CellGrid: Equatable, Sendable {
    public var cols: Int, rows: Int
    public var cells: [DrawCell]
    public init(cols: Int, rows: Int, cells: [DrawCell]) {
        precondition(cells.count == cols * rows)
        self.cols = cols; self.rows = rows; self.cells = cells
    }
    public subscript(col: Int, row: Int) -> DrawCell { cells[row * cols + col] }
}

/// Pictures as block characters: each cell shows a few pixels with two colours.
public enum BlockStyle: Sendable, CaseIterable {
    /// ▀ with fg = upper pixel, bg = lower pixel: 1x2 pixels a cell, exact colours.
    case halfBlocks
    /// ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█: 2x2 pixels, two colours a cell.
    case quadrants
    /// Legacy-computing sextants (U+1FB00…): 2x3 pixels, two colours a cell.
    case sextants
    /// Braille (U+2800…): 2x4 pixels, one colour on the background (mono).
    case braille

    /// Pixels a cell covers (columns, rows).
    public var pixels: (w: Int, h: Int) {
        switch self {
        case .halfBlocks: return (1, 2)
        case .quadrants: return (2, 2)
        case .sextants: return (2, 3)
        case .braille: return (2, 4)
        }
    }
}

public enum BlockRenderer {
    /// Renders the viewport of `frame` into `cols`x`rows` cells.
    public static func render(_ frame: Framebuffer, cols: Int, rows: Int, style: BlockStyle = .halfBlocks,
                              viewport: Viewport = Viewport()) -> CellGrid {
        let (pw, ph) = style.pixels
        let small = Downscale.average(frame, area: viewport.source(in: frame), width: cols * pw, height: rows * ph)
        var cells: [DrawCell] = []
        cells.reserveCapacity(cols * rows)
        var block = [UInt32](repeating: 0, count: pw * ph)
        for r in 0..<rows {
            for c in 0..<cols {
                for y in 0..<ph { for x in 0..<pw { block[y * pw + x] = small.pixels[(r * ph + y) * small.width + c * pw + x] } }
                cells.append(cell(block, style: style))
            }
        }
        return CellGrid(cols: cols, rows: rows, cells: cells)
    }

    /// One cell from its pixels (row-major, `style.pixels` in size).
    public static func cell(_ p: [UInt32], style: BlockStyle) -> DrawCell {
        switch style {
        case .halfBlocks:
            return p[0] == p[1] ? DrawCell(" ", fg: p[0], bg: p[0]) : DrawCell("▀", fg: p[0], bg: p[1])
        case .braille:
            // Mono: pixels brighter than the cell's mean luminance are dots.
            let lum = p.map(luminance)
            let mean = lum.reduce(0, +) / lum.count
            // Braille dot bits by (x, y): dots 1-3 and 7 in the left column, 4-6 and 8 in the right.
            let bit = [[0, 3], [1, 4], [2, 5], [6, 7]]
            var v = 0
            var on: [UInt32] = [], off: [UInt32] = []
            for y in 0..<4 { for x in 0..<2 {
                if lum[y * 2 + x] > mean { v |= 1 << bit[y][x]; on.append(p[y * 2 + x]) } else { off.append(p[y * 2 + x]) }
            } }
            let fg = on.isEmpty ? 0xFFFFFF : mix(on), bg = off.isEmpty ? 0 : mix(off)
            return DrawCell(Character(Unicode.Scalar(0x2800 + v)!), fg: fg, bg: bg)
        case .quadrants, .sextants:
            let (mask, fg, bg) = twoColours(p)
            let ch = style == .quadrants ? quadrant(mask) : sextant(mask)
            return DrawCell(ch, fg: fg, bg: bg)
        }
    }

    /// Splits pixels into two colour groups (the split with least squared error); bit i of the mask = pixel i
    /// is fg. Allocation-free: for each split, error = const - sum over groups of |sum of colours|^2 / size.
    static func twoColours(_ p: [UInt32]) -> (mask: Int, fg: UInt32, bg: UInt32) {
        let n = p.count
        var r = (0, 0, 0, 0, 0, 0, 0, 0), g = r, b = r
        withUnsafeMutableBytes(of: &r) { rr in withUnsafeMutableBytes(of: &g) { gg in withUnsafeMutableBytes(of: &b) { bb in
            let R = rr.bindMemory(to: Int.self), G = gg.bindMemory(to: Int.self), B = bb.bindMemory(to: Int.self)
            for i in 0..<n { R[i] = Int(p[i] >> 16 & 0xFF); G[i] = Int(p[i] >> 8 & 0xFF); B[i] = Int(p[i] & 0xFF) }
        } } }
        return withUnsafeBytes(of: r) { rr in withUnsafeBytes(of: g) { gg in withUnsafeBytes(of: b) { bb in
            let R = rr.bindMemory(to: Int.self), G = gg.bindMemory(to: Int.self), B = bb.bindMemory(to: Int.self)
            var tr = 0, tg = 0, tb = 0
            for i in 0..<n { tr += R[i]; tg += G[i]; tb += B[i] }
            var bestMask = 0, bestScore = -1.0
            // Masks without pixel 0 (the complement is the same split).
            for half in 1..<(1 << (n - 1)) {
                let m = half << 1
                var ar = 0, ag = 0, ab = 0, na = 0
                for i in 1..<n where m & (1 << i) != 0 { ar += R[i]; ag += G[i]; ab += B[i]; na += 1 }
                let nb = n - na
                let sa = Double(ar * ar + ag * ag + ab * ab) / Double(na)
                let br = tr - ar, bg = tg - ag, bbl = tb - ab
                let sb = Double(br * br + bg * bg + bbl * bbl) / Double(nb)
                if sa + sb > bestScore { bestScore = sa + sb; bestMask = m }
            }
            var ar = 0, ag = 0, ab = 0, na = 0
            for i in 0..<n where bestMask & (1 << i) != 0 { ar += R[i]; ag += G[i]; ab += B[i]; na += 1 }
            let nb = n - na
            func rgb(_ r: Int, _ g: Int, _ b: Int, _ k: Int) -> UInt32 { UInt32(r / k) << 16 | UInt32(g / k) << 8 | UInt32(b / k) }
            let fg = rgb(ar, ag, ab, na), bgc = rgb(tr - ar, tg - ag, tb - ab, nb)
            if fg == bgc { return (0, bgc, bgc) }
            return (bestMask, fg, bgc)
        } } }
    }

    /// Quadrant character for a 2x2 mask (bit 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right).
    static func quadrant(_ m: Int) -> Character {
        let table: [Character] = [" ", "▘", "▝", "▀", "▖", "▌", "▞", "▛", "▗", "▚", "▐", "▜", "▄", "▙", "▟", "█"]
        return table[m & 15]
    }

    /// Sextant character for a 2x3 mask (bit 0 top-left … bit 5 bottom-right), U+1FB00-1FB3B plus the
    /// four shapes that already exist (blank, left/right half, full).
    static func sextant(_ m: Int) -> Character {
        switch m & 63 {
        case 0: return " "
        case 63: return "█"
        case 0b010101: return "▌"
        case 0b101010: return "▐"
        default:
            // The block skips the masks of ▌ (21) and ▐ (42).
            var i = (m & 63) - 1
            if m & 63 > 21 { i -= 1 }
            if m & 63 > 42 { i -= 1 }
            return Character(Unicode.Scalar(0x1FB00 + i)!)
        }
    }

    static func luminance(_ v: UInt32) -> Int {
        (Int(v >> 16 & 0xFF) * 299 + Int(v >> 8 & 0xFF) * 587 + Int(v & 0xFF) * 114) / 1000
    }

    static func mix(_ p: [UInt32]) -> UInt32 {
        guard !p.isEmpty else { return 0 }
        var r = 0, g = 0, b = 0
        for v in p { r += Int(v >> 16 & 0xFF); g += Int(v >> 8 & 0xFF); b += Int(v & 0xFF) }
        let n = p.count
        return UInt32(r / n) << 16 | UInt32(g / n) << 8 | UInt32(b / n)
    }
}
