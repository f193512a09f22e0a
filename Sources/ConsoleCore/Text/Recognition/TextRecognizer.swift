/// Cuts a frame into cells of a known geometry and recognises each one.
public struct TextRecognizer: Sendable {
    public let geometry: CellGeometry
    public let index: GlyphIndex
    /// Double-width glyphs (twice the glyph width, as EDK2's 16x19 wide glyphs), looked for in pairs of cells
    /// that no narrow glyph explains.
    public let wide: GlyphIndex?

    public init(geometry: CellGeometry, index: GlyphIndex, wide: GlyphIndex? = nil) {
        self.geometry = geometry; self.index = index
        self.wide = (wide?.count ?? 0) > 0 && geometry.cellWidth == geometry.glyph.width ? wide : nil
    }

    /// The index for `geometry` and its double-width glyphs, from `table`.
    public init(geometry: CellGeometry, table: GlyphTable) {
        let w = GlyphSize(width: 2 * geometry.glyph.width, height: geometry.glyph.height)
        self.init(geometry: geometry, index: table.index(geometry.glyph),
                  wide: table.sizes.contains(w) ? table.index(w) : nil)
    }

    /// Recognises every cell of `frame`.
    public func recognize(_ frame: Framebuffer) -> TextScreen {
        var cells = [TextCell](repeating: TextCell(), count: geometry.cols * geometry.rows)
        recognize(frame, cols: 0..<geometry.cols, rows: 0..<geometry.rows, into: &cells)
        return TextScreen(geometry: geometry, cells: cells)
    }

    /// Recognises the given cells into `cells` (row-major, `geometry.cols` wide); returns the positions that changed.
    @discardableResult
    public func recognize(_ frame: Framebuffer, cols: Range<Int>, rows: Range<Int>, into cells: inout [TextCell]) -> [CellPosition] {
        precondition(frame.width >= geometry.originX + geometry.cols * geometry.cellWidth
                     && frame.height >= geometry.originY + geometry.rows * geometry.cellHeight, "frame smaller than geometry")
        let r = CellRecognizer(index: index, geometry: geometry)
        var changed: [CellPosition] = []
        guard !cols.isEmpty, !rows.isEmpty else { return changed }
        let cw = geometry.cellWidth, ch = geometry.cellHeight
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 2 * ch)
        defer { scratch.deallocate() }
        // Each band of cells is scanned row by row first (in memory order, wide compares): a band all of one
        // colour is blank cells without looking at any cell; otherwise rows of one colour are not read again.
        let colours = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: ch)
        defer { colours.deallocate() }
        let w = frame.width, n = geometry.cols
        let x0 = geometry.originX + cols.lowerBound * cw, span = cols.count * cw
        frame.pixels.withUnsafeBufferPointer { px in
            cells.withUnsafeMutableBufferPointer { out in
                for row in rows {
                    let y0 = geometry.originY + row * ch
                    var blank = true
                    for y in 0..<ch {
                        colours[y] = RowScan.uniformColour(px.baseAddress! + (y0 + y) * w + x0, count: span)
                        if colours[y] != colours[0] || colours[y] == RowScan.mixed { blank = false }
                    }
                    if blank {
                        let c = UInt32(truncatingIfNeeded: colours[0])
                        let cell = TextCell(fg: c, bg: c)
                        for col in cols where out[row * n + col] != cell {
                            out[row * n + col] = cell
                            changed.append(CellPosition(col: col, row: row))
                        }
                    } else {
                        for col in cols {
                            let cell = r.recognize(col: col, row: row, px: px, frameWidth: w, scratch: scratch,
                                                   rowColours: UnsafePointer(colours.baseAddress!))
                            if out[row * n + col] != cell {
                                out[row * n + col] = cell
                                changed.append(CellPosition(col: col, row: row))
                            }
                        }
                    }
                    if let wide {
                        recognizeWide(wide, row: row, cols: cols, px: px, frameWidth: w, out: out, scratch: scratch,
                                      changed: &changed)
                    }
                }
            }
        }
        return changed
    }

    /// Pairs of neighbouring cells, at least one of them unexplained, read as one double-width glyph. The pass
    /// reaches one cell beyond `cols` on each side: a wide glyph may straddle the edge of a dirty rectangle.
    private func recognizeWide(_ wide: GlyphIndex, row: Int, cols: Range<Int>, px: UnsafeBufferPointer<UInt32>,
                               frameWidth: Int, out: UnsafeMutableBufferPointer<TextCell>,
                               scratch: UnsafeMutableBufferPointer<UInt32>, changed: inout [CellPosition]) {
        let n = geometry.cols
        var col = max(0, cols.lowerBound - 1)
        let narrow = CellRecognizer(index: index, geometry: geometry)
        while col + 1 < min(n, cols.upperBound + 1) {
            let a = out[row * n + col], b = out[row * n + col + 1]
            // A pair to read as one glyph: a cell no narrow glyph explains, or a wide glyph's left half (outside
            // a dirty rectangle that only touched its right half).
            guard (!a.recognised && !a.blank) || (!b.recognised && !b.blank) || a.wide else { col += 1; continue }
            // A recogniser whose cells are two cells wide, its grid shifted so that `col` starts one.
            let geo = CellGeometry(cellWidth: 2 * geometry.cellWidth, cellHeight: geometry.cellHeight, glyph: wide.size,
                                   originX: geometry.originX + (col % 2) * geometry.cellWidth, originY: geometry.originY,
                                   cols: n / 2, rows: geometry.rows)
            var r = CellRecognizer(index: wide, geometry: geo)
            r.findCursor = false
            var cell = r.recognize(col: col / 2, row: row, px: px, frameWidth: frameWidth, scratch: scratch)
            guard cell.recognised, !cell.blank else {
                if a.wide {   // no longer a wide glyph: its left half is read on its own again
                    let again = narrow.recognize(col: col, row: row, px: px, frameWidth: frameWidth, scratch: scratch)
                    out[row * n + col] = again
                    changed.append(CellPosition(col: col, row: row))
                }
                col += 1
                continue
            }
            cell.wide = true
            let tail = TextCell(fg: cell.fg, bg: cell.bg, reverse: cell.reverse, recognised: true, blank: false, wideTail: true)
            for (i, c) in [(col, cell), (col + 1, tail)] where out[row * n + i] != c {
                out[row * n + i] = c
                changed.append(CellPosition(col: i, row: row))
            }
            col += 2
        }
    }

    /// Recognition score on a sample of cells with ink: (recognised, sampled). Used to find the geometry.
    /// `wholeRows` (`RowScan.wholeRows(frame)`, computed once for all the candidates) spares reading rows of one
    /// colour: on a big, mostly blank screen the sample has to go through thousands of blank cells.
    func score(_ frame: Framebuffer, maxSamples: Int, wholeRows: [UInt64]? = nil) -> (recognised: Int, sampled: Int) {
        var r = CellRecognizer(index: index, geometry: geometry)
        r.findCursor = false
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 2 * geometry.cellHeight)
        defer { scratch.deallocate() }
        let total = geometry.cols * geometry.rows
        guard total > 0 else { return (0, 0) }
        var recognised = 0, sampled = 0
        // Visit cells in a stride that spreads samples over the screen but sees every cell if needed.
        let step = CellRecognizer.coprimeStep(total)
        var i = 0
        let rowColours = wholeRows.flatMap { $0.count == frame.height ? $0 : nil }
        frame.pixels.withUnsafeBufferPointer { px in
          (rowColours ?? []).withUnsafeBufferPointer { rc in
            for _ in 0..<total {
                let col = i % geometry.cols, row = i / geometry.cols
                let cell = r.recognize(col: col, row: row, px: px, frameWidth: frame.width, scratch: scratch,
                                       rowColours: rc.isEmpty ? nil : rc.baseAddress! + geometry.originY + row * geometry.cellHeight)
                i = (i + step) % total
                if cell.blank { continue }
                sampled += 1
                if cell.recognised { recognised += 1 }
                if sampled >= maxSamples { break }
                // Hopeless candidate: nothing recognised in the first cells with ink.
                if sampled >= 12 && recognised * 8 < sampled { break }
            }
          }
        }
        return (recognised, sampled)
    }
}

extension CellRecognizer {
    /// A step coprime with n, near n * 0.618, so i -> (i + step) % n visits every index once, well spread.
    static func coprimeStep(_ n: Int) -> Int {
        if n <= 2 { return 1 }
        var s = max(1, Int(Double(n) * 0.6180339887))
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        while gcd(s, n) != 1 { s += 1 }
        return s
    }
}
