/// Whole pixel rows of one colour, found with wide compares before any cell is looked at.
///
/// Most of a big console is background: at 1920x1080 a screen of text still has nine pixel rows in ten with no
/// ink. Reading such a frame cell by cell (19 rows at a 7.5 KB stride, 8 pixels each) made every cell's first
/// touch a cache miss, and a 8-16 MB frame does not stay in the cache between reads: the whole-frame pass cost
/// 10x the 1024x768 one for 2.6x the pixels. A row scan reads memory in order, compares 32 pixels a step (the
/// loop vectorises), stops at the first pixel that differs, and leaves the band's rows in the cache for the cells
/// that have ink.
enum RowScan {
    /// Marks a row that is not one colour.
    static let mixed = UInt64.max

    /// The colour of `count` pixels from `p` if they are all the same, else `mixed`.
    @inline(__always)
    static func uniformColour(_ p: UnsafePointer<UInt32>, count n: Int) -> UInt64 {
        guard n > 0 else { return mixed }
        let c = p[0]
        var i = 0
        while i + 32 <= n {
            var acc: UInt32 = 0
            for k in 0..<32 { acc |= p[i + k] ^ c }
            if acc != 0 { return mixed }
            i += 32
        }
        var acc: UInt32 = 0
        while i < n { acc |= p[i] ^ c; i += 1 }
        return acc == 0 ? UInt64(c) : mixed
    }

    /// Whether the `count` pixels from `p` all equal `c`.
    @inline(__always)
    static func allEqual(_ p: UnsafePointer<UInt32>, count n: Int, to c: UInt32) -> Bool {
        switch n {
        case 8:
            return ((p[0] ^ c) | (p[1] ^ c) | (p[2] ^ c) | (p[3] ^ c) | (p[4] ^ c) | (p[5] ^ c) | (p[6] ^ c) | (p[7] ^ c)) == 0
        case 16:
            var acc: UInt32 = 0
            for k in 0..<16 { acc |= p[k] ^ c }
            return acc == 0
        default:
            var acc: UInt32 = 0
            for k in 0..<n { acc |= p[k] ^ c }
            return acc == 0
        }
    }

    /// For every row of the frame: its colour when the whole row is one colour, else `mixed`.
    static func wholeRows(_ frame: Framebuffer) -> [UInt64] {
        let w = frame.width
        return frame.pixels.withUnsafeBufferPointer { px in
            (0..<frame.height).map { y in w == 0 ? mixed : uniformColour(px.baseAddress! + y * w, count: w) }
        }
    }
}
