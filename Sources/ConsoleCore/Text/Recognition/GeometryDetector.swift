/// Finds how a frame is cut into cells: cell size (from the sizes of the known fonts, plus 9-pixel VGA cells
/// for 8-pixel fonts) and grid origin, by trying each and keeping the one whose cells are recognised best.
public enum GeometryDetector {
    public struct Result: Sendable {
        public var geometry: CellGeometry
        /// Sampled cells with ink, and how many of them were recognised.
        public var recognised: Int, sampled: Int
        public var fraction: Double { sampled == 0 ? 0 : Double(recognised) / Double(sampled) }
    }

    /// Candidate cell sizes for a frame, as (cell width, cell height, glyph size).
    static func candidates(_ table: GlyphTable, frame: Framebuffer) -> [(Int, Int, GlyphSize)] {
        var out: [(Int, Int, GlyphSize)] = []
        for g in table.sizes {
            if g.width == 8 { out.append((9, g.height, g)) }
            out.append((g.width, g.height, g))
        }
        return out.filter { $0.0 <= frame.width && $0.1 <= frame.height }
    }

    /// The best geometry for `frame`, or nil if no cell of any candidate has ink (a blank screen: the caller
    /// keeps its previous geometry or uses `fallback`).
    public static func detect(_ frame: Framebuffer, table: GlyphTable, samples: Int = 160) -> Result? {
        var results: [Result] = []
        let wholeRows = RowScan.wholeRows(frame)
        func evaluate(_ cw: Int, _ ch: Int, _ g: GlyphSize, _ ox: Int, _ oy: Int, _ n: Int) -> Result {
            let geo = CellGeometry(frameWidth: frame.width, frameHeight: frame.height, cellWidth: cw, cellHeight: ch,
                                   glyph: g, originX: ox, originY: oy)
            let s = TextRecognizer(geometry: geo, index: table.index(g)).score(frame, maxSamples: n, wholeRows: wholeRows)
            return Result(geometry: geo, recognised: s.recognised, sampled: s.sampled)
        }
        let cands = candidates(table, frame: frame)
        for (cw, ch, g) in cands {
            // Origin 0,0 (fbcon, VGA) and centred (a console drawn in the middle of a bigger mode).
            var origins = [(0, 0)]
            let centred = ((frame.width % cw) / 2, (frame.height % ch) / 2)
            if centred != (0, 0) { origins.append(centred) }
            // UEFI firmware (EDK2's graphics console) centres its text mode, 80x25, 100x31 or 80x50, in a bigger
            // screen: the grid then starts at that offset, modulo the cell.
            for (c, r) in [(80, 25), (100, 31), (80, 50)] where c * cw <= frame.width && r * ch <= frame.height {
                let o = (((frame.width - c * cw) / 2) % cw, ((frame.height - r * ch) / 2) % ch)
                if !origins.contains(where: { $0 == o }) { origins.append(o) }
            }
            for (ox, oy) in origins { results.append(evaluate(cw, ch, g, ox, oy, samples)) }
        }
        guard var best = pick(results) else { return nil }
        if best.fraction < 0.9 {
            // A shifted grid: try every origin of every cell size on a small sample, confirm the best few.
            var shifted: [Result] = []
            for (cw, ch, g) in cands {
                for oy in 0..<ch { for ox in 0..<cw where (ox, oy) != (0, 0) {
                    shifted.append(evaluate(cw, ch, g, ox, oy, 24))
                } }
            }
            for s in shifted.sorted(by: better).prefix(5) {
                let confirmed = evaluate(s.geometry.cellWidth, s.geometry.cellHeight, s.geometry.glyph,
                                         s.geometry.originX, s.geometry.originY, samples)
                if better(confirmed, best) { best = confirmed }
            }
        }
        return best
    }

    static func pick(_ r: [Result]) -> Result? {
        r.filter { $0.sampled > 0 }.max { better($1, $0) }
    }

    /// Higher recognised fraction wins; at (near) equal fractions, the geometry explaining more pixels.
    static func better(_ a: Result, _ b: Result) -> Bool {
        if abs(a.fraction - b.fraction) > 0.02 { return a.fraction > b.fraction }
        let ca = a.recognised * a.geometry.cellWidth * a.geometry.cellHeight
        let cb = b.recognised * b.geometry.cellWidth * b.geometry.cellHeight
        if ca != cb { return ca > cb }
        return a.fraction > b.fraction
    }
}
