/// Recognises one character cell by exact bitmap lookup. Pure and allocation-free per cell: it works on the
/// frame's pixel buffer and one scratch row buffer owned by the caller.
struct CellRecognizer {
    let index: GlyphIndex
    let geometry: CellGeometry
    /// 9-pixel VGA cells hold 8-pixel glyphs plus a 9th column that is blank or repeats the 8th.
    let ninth: Bool
    let rowMask: UInt32
    /// Look for the cursor in cells that match no glyph (off while scoring candidate geometries: it is one cell).
    var findCursor = true

    init(index: GlyphIndex, geometry: CellGeometry) {
        self.index = index
        self.geometry = geometry
        ninth = geometry.cellWidth == geometry.glyph.width + 1
        rowMask = geometry.cellWidth >= 32 ? UInt32.max : (UInt32(1) << UInt32(geometry.cellWidth)) - 1
    }

    /// Recognises the cell at (col,row). `px` is the frame (stride `frameWidth`), `scratch` has room for
    /// 2 * cellHeight rows. `rowColours`, when given, holds for each of the cell's pixel rows the colour of a
    /// span of the frame around the cell that is all one colour, or `RowScan.mixed` (see `RowScan`): such rows
    /// are not read again.
    func recognize(col: Int, row: Int, px: UnsafeBufferPointer<UInt32>, frameWidth: Int,
                   scratch: UnsafeMutableBufferPointer<UInt32>, rowColours: UnsafePointer<UInt64>? = nil) -> TextCell {
        let cw = geometry.cellWidth, ch = geometry.cellHeight
        let x0 = geometry.originX + col * cw, y0 = geometry.originY + row * ch
        let base = px.baseAddress!
        let c0 = base[y0 * frameWidth + x0]
        var c1 = c0
        var have1 = false, third = false
        var ink1 = 0
        for y in 0..<ch {
            var bits: UInt32 = 0
            if let u = rowColours?[y], u != RowScan.mixed {
                // A row of one colour: no ink, or ink all across.
                let v = UInt32(truncatingIfNeeded: u)
                if v != c0 {
                    bits = rowMask
                    if !have1 { c1 = v; have1 = true } else if v != c1 { third = true }
                }
            } else {
                let p = base + (y0 + y) * frameWidth + x0
                // Most rows of most cells are background: one wide compare, then bit by bit only if needed.
                if !RowScan.allEqual(p, count: cw, to: c0) {
                    for k in 0..<cw {
                        let v = p[k]
                        bits <<= 1
                        if v != c0 {
                            bits |= 1
                            if !have1 { c1 = v; have1 = true } else if v != c1 { third = true }
                        }
                    }
                }
            }
            scratch[y] = bits
            ink1 &+= bits.nonzeroBitCount
        }
        if !have1 { return TextCell(fg: c0, bg: c0) }
        if third { return TextCell(fg: c1, bg: c0, recognised: false, blank: false) }
        let total = cw * ch
        // Background = most frequent colour; try the glyph in that polarity first, then inverted.
        let c1IsBg = ink1 * 2 > total
        let bg = c1IsBg ? c1 : c0, fg = c1IsBg ? c0 : c1
        var found = lookup(scratch, invert: c1IsBg)
        var reverse = false
        if found == nil {
            found = lookup(scratch, invert: !c1IsBg)
            reverse = found != nil
        }
        // A bare cursor (an underline band on a blank cell) may also be some font's "scan line" glyph (⎽):
        // only a plain ASCII match beats the cursor reading.
        if !findCursor {
            guard let c = found else { return TextCell(fg: fg, bg: bg, recognised: false, blank: false) }
            return TextCell(character: c, fg: reverse ? bg : fg, bg: reverse ? fg : bg, reverse: reverse, blank: false)
        }
        if found == nil || GlyphTable.rank(found!) > 0, isBareCursor(scratch, invert: c1IsBg) {
            return TextCell(fg: fg, bg: bg, recognised: true, blank: false, cursor: true)
        }
        if let c = found {
            return TextCell(character: c, fg: reverse ? bg : fg, bg: reverse ? fg : bg,
                            reverse: reverse, recognised: true, blank: false)
        }
        // The cursor over a glyph: an underline band OR'ed (VGA) or XOR'ed (fbcon) into it.
        for invert in [c1IsBg, !c1IsBg] {
            if let c = lookupUnderCursor(scratch, invert: invert) {
                let rev = invert != c1IsBg
                return TextCell(character: c, fg: rev ? bg : fg, bg: rev ? fg : bg,
                                reverse: rev, recognised: true, blank: false, cursor: true)
            }
        }
        return TextCell(fg: fg, bg: bg, recognised: false, blank: false)
    }

    /// The bottom quarter of the cell may hold the cursor: a band of 1...ch/4 full rows.
    func cursorBands() -> [Range<Int>] {
        let ch = geometry.cellHeight
        let low = ch - max(2, ch / 4)
        var out: [Range<Int>] = []
        for end in stride(from: ch, to: low, by: -1) {
            for start in stride(from: end - 1, through: low, by: -1) { out.append(start..<end) }
        }
        return out
    }

    /// Only full rows in one band of the bottom quarter, nothing else: a cursor on a blank cell.
    func isBareCursor(_ rows: UnsafeMutableBufferPointer<UInt32>, invert: Bool) -> Bool {
        let ch = geometry.cellHeight
        let flip: UInt32 = invert ? rowMask : 0
        var first = -1, last = -1
        for y in 0..<ch {
            let r = rows[y] ^ flip
            if r == 0 { continue }
            if r != rowMask { return false }
            if first < 0 { first = y } else if y != last + 1 { return false }
            last = y
        }
        return first >= 0 && first >= ch - max(2, ch / 4) && last - first + 1 <= max(2, ch / 4)
    }

    /// Looks up rows[0..<cellHeight]; `invert` flips polarity. Uses rows[ch..<2ch] as working space.
    func lookup(_ rows: UnsafeMutableBufferPointer<UInt32>, invert: Bool) -> Character? {
        let ch = geometry.cellHeight
        let work = UnsafeMutableBufferPointer(rebasing: rows[ch..<(2 * ch)])
        let flip: UInt32 = invert ? rowMask : 0
        for y in 0..<ch { work[y] = rows[y] ^ flip }
        return lookupGlyph(work)
    }

    /// Looks up cell rows already in ink polarity (checking and dropping the VGA 9th column).
    func lookupGlyph(_ work: UnsafeMutableBufferPointer<UInt32>) -> Character? {
        let ch = geometry.cellHeight
        if ninth {
            var blank = true, copy = true
            for y in 0..<ch {
                let r = work[y]
                let last = r & 1, eighth = (r >> 1) & 1
                if last != 0 { blank = false }
                if last != eighth { copy = false }
                work[y] = r >> 1
            }
            guard blank || copy else { return nil }
            guard let c = index.lookup(GlyphKey.make(UnsafeBufferPointer(work), width: geometry.glyph.width)) else { return nil }
            if !blank && !CellRecognizer.isLineGraphics(c) { return nil }
            return c
        }
        return index.lookup(GlyphKey.make(UnsafeBufferPointer(work), width: geometry.glyph.width))
    }

    func lookupUnderCursor(_ rows: UnsafeMutableBufferPointer<UInt32>, invert: Bool) -> Character? {
        let ch = geometry.cellHeight
        let work = UnsafeMutableBufferPointer(rebasing: rows[ch..<(2 * ch)])
        let flip: UInt32 = invert ? rowMask : 0
        for band in cursorBands() {
            // OR'ed cursor: the band is all ink and hides the glyph's rows (most glyphs have none there);
            // XOR'ed cursor: the band inverts the glyph's rows.
            for xor in [false, true] {
                var ok = true
                for y in 0..<ch { work[y] = rows[y] ^ flip }
                for y in band {
                    if xor { work[y] ^= rowMask } else if work[y] != rowMask { ok = false } else { work[y] = 0 }
                }
                if !ok { continue }
                if let c = lookupGlyph(work) { return c }
            }
        }
        return nil
    }

    /// CP437 0xC0-0xDF (box drawing and blocks), whose 8th column VGA repeats into the 9th.
    static func isLineGraphics(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x2500...0x259F).contains(v)
    }
}
