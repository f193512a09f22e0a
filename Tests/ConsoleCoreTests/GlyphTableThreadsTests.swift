import Foundation
import Synchronization
import Testing
import ConsoleCore

/// One GlyphTable is shared by the screen sampler's workers: each size is indexed on first use, under the table's
/// lock, while other threads read it (scripts/sanitize --ci runs this under ThreadSanitizer).
@Suite struct GlyphTableThreadsTests {
    /// A font of `width`x`height` glyphs: glyph n has row r set to n + r (all distinct), character "a" + n.
    func font(width: Int, height: Int, glyphs n: Int) -> BitmapFont {
        BitmapFont(name: "t\(width)x\(height)", width: width, height: height,
                   glyphs: (0..<n).map { g in (0..<height).map { r in UInt32((g + r) & ((1 << width) - 1)) } },
                   characters: (0..<n).map { g in [Character(UnicodeScalar(UInt8(97 + g)))] })
    }

    @Test func threadsIndexingOneTableAtOnceAllGetTheSameIndexes() {
        let sizes = [(8, 16), (8, 14), (9, 16), (8, 8)]
        let table = GlyphTable(fonts: sizes.map { font(width: $0.0, height: $0.1, glyphs: 20) })
        let found = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            var mine: [String] = []
            for i in 0..<sizes.count {
                let (w, h) = sizes[(t + i) % sizes.count]
                let index = table.index(GlyphSize(width: w, height: h))
                let rows = (0..<h).map { r in UInt32((3 + r) & ((1 << w) - 1)) }
                mine.append("\(w)x\(h):\(index.count):\(index.lookup(rows: rows).map { String($0) } ?? "-")")
            }
            found.withLock { $0 += mine }
        }
        let all = found.withLock { $0 }
        #expect(all.count == 32)
        #expect(Set(all) == ["8x16:20:d", "8x14:20:d", "9x16:20:d", "8x8:20:d"])
    }
}
