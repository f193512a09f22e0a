/// Cuts a frame into cells of a known geometry and recognises each one.
public struct TextRecognizer: Sendable {
    public let geometry: CellGeometry
    public let index: GlyphIndex

    public init(geometry: CellGeometry, index: GlyphIndex) {
        self.geometry = geometry; self.index = index
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
        let scratch = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 2 * geometry.cellHeight)
        defer { scratch.deallocate() }
        let w = frame.width, n = geometry.cols
        frame.pixels.withUnsafeBufferPointer { px in
            cells.withUnsafeMutableBufferPointer { out in
                for row in rows {
                    for col in cols {
                        let cell = r.recognize(col: col, row: row, px: px, frameWidth: w, scratch: scratch)
                        if out[row * n + col] != cell {
                            out[row * n + col] = cell
                            changed.append(CellPosition(col: col, row: row))
                        }
                    }
                }
            }
        }
        return changed
    }

    /// Recognition score on a sample of cells with ink: (recognised, sampled). Used to find the geometry.
    func score(_ frame: Framebuffer, maxSamples: Int) -> (recognised: Int, sampled: Int) {
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
        frame.pixels.withUnsafeBufferPointer { px in
            for _ in 0..<total {
                let cell = r.recognize(col: i % geometry.cols, row: i / geometry.cols, px: px, frameWidth: frame.width, scratch: scratch)
                i = (i + step) % total
                if cell.blank { continue }
                sampled += 1
                if cell.recognised { recognised += 1 }
                if sampled >= maxSamples { break }
                // Hopeless candidate: nothing recognised in the first cells with ink.
                if sampled >= 12 && recognised * 8 < sampled { break }
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
