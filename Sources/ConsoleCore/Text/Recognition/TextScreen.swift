/// How a frame is cut into character cells.
public struct CellGeometry: Hashable, Sendable, CustomStringConvertible {
    /// Cell size on screen: 9x16 in VGA text mode (8-pixel glyphs plus a 9th column), else the font's size.
    public var cellWidth: Int, cellHeight: Int
    /// Size of the glyphs looked up (8x16 for a 9x16 VGA cell).
    public var glyph: GlyphSize
    /// Top-left pixel of cell (0,0).
    public var originX: Int, originY: Int
    public var cols: Int, rows: Int

    public init(cellWidth: Int, cellHeight: Int, glyph: GlyphSize, originX: Int = 0, originY: Int = 0, cols: Int, rows: Int) {
        self.cellWidth = cellWidth; self.cellHeight = cellHeight; self.glyph = glyph
        self.originX = originX; self.originY = originY; self.cols = cols; self.rows = rows
    }

    /// The geometry of a `width`x`height` frame for this cell size and origin (as many whole cells as fit).
    public init(frameWidth: Int, frameHeight: Int, cellWidth: Int, cellHeight: Int, glyph: GlyphSize,
                originX: Int = 0, originY: Int = 0) {
        self.init(cellWidth: cellWidth, cellHeight: cellHeight, glyph: glyph, originX: originX, originY: originY,
                  cols: max(0, (frameWidth - originX) / cellWidth), rows: max(0, (frameHeight - originY) / cellHeight))
    }

    public var description: String {
        "\(cols)x\(rows) cells of \(cellWidth)x\(cellHeight) (font \(glyph)) at +\(originX)+\(originY)"
    }

    /// The cells a pixel rectangle touches, as half-open ranges.
    public func cells(touching r: PixelRect) -> (cols: Range<Int>, rows: Range<Int>) {
        guard !r.isEmpty else { return (0..<0, 0..<0) }
        let c0 = max(0, (r.x - originX) / cellWidth), r0 = max(0, (r.y - originY) / cellHeight)
        let c1 = min(cols, (r.maxX - originX + cellWidth - 1) / cellWidth)
        let r1 = min(rows, (r.maxY - originY + cellHeight - 1) / cellHeight)
        return (c0..<max(c0, c1), r0..<max(r0, r1))
    }
}

/// One character cell as recognised.
public struct TextCell: Equatable, Sendable {
    /// The character shown; a space for blank cells and for cells that were not recognised.
    public var character: Character
    /// Colour of the glyph's pixels and of the rest of the cell (0xRRGGBB).
    public var fg: UInt32
    public var bg: UInt32
    /// The glyph was found in inverted polarity (its ink is the majority colour): highlighted text.
    public var reverse: Bool
    /// The cell's bitmap was found in a font (blank cells count as recognised).
    public var recognised: Bool
    /// The cell is blank (one colour only).
    public var blank: Bool
    /// The guest's cursor (an underline) is drawn in this cell.
    public var cursor: Bool
    /// The right half of a double-width glyph (EDK2's 16x19 "wide" glyphs) whose character is in the cell to the
    /// left: it prints as nothing (the character takes two terminal columns).
    public var wideTail: Bool
    /// The left half of a double-width glyph: `character` is the wide character, the cell to the right its tail.
    public var wide: Bool

    public init(character: Character = " ", fg: UInt32 = 0, bg: UInt32 = 0, reverse: Bool = false,
                recognised: Bool = true, blank: Bool = true, cursor: Bool = false, wideTail: Bool = false,
                wide: Bool = false) {
        self.character = character; self.fg = fg; self.bg = bg; self.reverse = reverse
        self.recognised = recognised; self.blank = blank; self.cursor = cursor; self.wideTail = wideTail
        self.wide = wide
    }
}

public struct CellPosition: Hashable, Sendable {
    public var col: Int, row: Int
    public init(col: Int, row: Int) { self.col = col; self.row = row }
}

/// A frame read as a grid of character cells.
public struct TextScreen: Equatable, Sendable {
    public var geometry: CellGeometry
    public var cells: [TextCell]
    public var cols: Int { geometry.cols }
    public var rows: Int { geometry.rows }

    public init(geometry: CellGeometry, cells: [TextCell]) {
        precondition(cells.count == geometry.cols * geometry.rows)
        self.geometry = geometry; self.cells = cells
    }

    public subscript(col: Int, row: Int) -> TextCell {
        get { cells[row * geometry.cols + col] }
        set { cells[row * geometry.cols + col] = newValue }
    }

    /// Where the cursor is drawn, if it was seen (a blinking cursor may be off in this frame).
    public var cursor: CellPosition? {
        cells.firstIndex { $0.cursor }.map { CellPosition(col: $0 % geometry.cols, row: $0 / geometry.cols) }
    }

    /// Cells with ink (not blank), and how many of them were recognised.
    public var inkCells: Int { cells.reduce(0) { $0 + ($1.blank ? 0 : 1) } }
    public var recognisedInkCells: Int { cells.reduce(0) { $0 + (!$1.blank && $1.recognised ? 1 : 0) } }

    /// Fraction of the non-blank cells that were recognised (1 for an empty screen).
    public var recognisedFraction: Double {
        let ink = inkCells
        return ink == 0 ? 1 : Double(recognisedInkCells) / Double(ink)
    }

    /// Cells with ink the recogniser is not sure of: no font has their bitmap. On a screen that is not a text
    /// console every cell with ink counts: a glyph found there is chance, not text.
    public var unsureCells: Int { isText ? inkCells - recognisedInkCells : inkCells }

    /// Whether the cell at `i` (row-major) may be shown as the character recognised: never for a cell no font
    /// has, nor for any cell of a screen that is not a text console.
    public func isSure(_ i: Int) -> Bool { cells[i].blank || (cells[i].recognised && isText) }

    /// A text console rather than a picture: (almost) every cell with ink is a known glyph.
    public var isText: Bool { rows > 0 && recognisedFraction >= TextScreen.textThreshold }
    public static let textThreshold = 0.7

    /// One screen line, trailing spaces trimmed; unrecognised cells show `unknown`.
    public func line(_ row: Int, unknown: Character = "?") -> String {
        var s = String()
        let base = row * geometry.cols
        var lastInk = -1
        for c in 0..<geometry.cols {
            let cell = cells[base + c]
            if !(cell.recognised && cell.character == " ") { lastInk = c }
        }
        guard lastInk >= 0 else { return "" }
        for c in 0...lastInk {
            let cell = cells[base + c]
            if cell.wideTail { continue }
            s.append(cell.recognised ? cell.character : unknown)
        }
        return s
    }

    /// All lines, one per screen row, trailing spaces trimmed.
    public func lines(unknown: Character = "?") -> [String] { (0..<rows).map { line($0, unknown: unknown) } }
}
