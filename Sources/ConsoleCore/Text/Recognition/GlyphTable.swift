import Foundation
import Synchronization

/// The size of a glyph bitmap (a font's width x height).
public struct GlyphSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int, height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public var description: String { "\(width)x\(height)" }
}

/// Exact bitmap -> character lookup for one glyph size, built from every font of that size.
public struct GlyphIndex: Sendable {
    public let size: GlyphSize
    let map: [GlyphKey: Character]

    init(size: GlyphSize, map: [GlyphKey: Character]) { self.size = size; self.map = map }
    /// Bitmaps that are a blank glyph in some font (a cell showing them is a space).
    public var count: Int { map.count }

    func lookup(_ key: GlyphKey) -> Character? { map[key] }
    public func lookup(rows: [UInt32]) -> Character? { map[GlyphKey.make(rows, width: size.width)] }
}

/// Every known font, indexed by glyph size on first use (building all sizes up front costs more than one
/// frame needs). Thread-safe; share one table between readers.
public final class GlyphTable: Sendable {
    public let fonts: [BitmapFont]
    /// Glyph sizes present, most common console sizes first.
    public let sizes: [GlyphSize]
    /// Indexes built before (the cache file): `fonts` are indexed on top of them and win.
    let base: [GlyphSize: GlyphIndex]
    /// Indexes built so far, by glyph size.
    private let indexes = Mutex<[GlyphSize: GlyphIndex]>([:])

    public init(fonts: [BitmapFont], base: [GlyphIndex] = [], baseSizes: [GlyphSize] = []) {
        self.fonts = fonts
        self.base = Dictionary(base.map { ($0.size, $0) }, uniquingKeysWith: { a, _ in a })
        var count: [GlyphSize: Int] = [:]
        for f in fonts { count[GlyphSize(width: f.width, height: f.height), default: 0] += 1 }
        var order = count.keys.sorted { (count[$0]!, $0.height) > (count[$1]!, $1.height) }
        for s in baseSizes where count[s] == nil { order.append(s) }
        sizes = order
    }

    /// Every index, built now (for the cache file).
    public func allIndexes() -> [GlyphIndex] { sizes.map { index($0) } }

    public func index(_ size: GlyphSize) -> GlyphIndex {
        // The system table read from the cache file has every index already and no fonts to add: no lock (the
        // screen sampler's workers look indexes up thousands of times a second; contended, the lock was a third
        // of their time).
        if fonts.isEmpty, let b = base[size] { return b }
        // Built under the lock: two readers wanting the same size build it once.
        return indexes.withLock { indexes in
            if let i = indexes[size] { return i }
            var i = GlyphTable.build(size, fonts: fonts.filter { $0.width == size.width && $0.height == size.height })
            if let b = base[size] {
                i = i.map.isEmpty ? b : GlyphIndex(size: size, map: i.map.merging(b.map) { mine, _ in mine })
            }
            indexes[size] = i
            return i
        }
    }

    /// When fonts disagree about a bitmap, ASCII wins over Latin-1, line drawing and arrows, which win over the
    /// rest; among equals the earlier font (preferred order) wins. Arrows rank with line drawing: GRUB's menu
    /// help ("Use the ↑ and ↓ keys") is VGA code 0x18/0x19, a bitmap that a font without a Unicode table
    /// (aply16, its glyphs taken as code page 437) would otherwise turn into "╣".
    static func rank(_ c: Character) -> Int {
        guard c.unicodeScalars.count == 1, let v = c.unicodeScalars.first?.value else { return 4 }
        switch v {
        case 0x21...0x7E: return 0
        case 0xA1...0xFF, 0x2500...0x259F, 0x2190...0x21FF: return 1
        case 0x20, 0xA0: return 3   // blank glyphs: uniform cells are spaces anyway
        default: return 2
        }
    }

    static func build(_ size: GlyphSize, fonts: [BitmapFont]) -> GlyphIndex {
        var map: [GlyphKey: (Character, Int)] = [:]
        map.reserveCapacity(fonts.count * 300)
        for f in fonts {
            for (g, rows) in f.glyphs.enumerated() {
                guard let best = f.characters[g].min(by: { rank($0) < rank($1) }) else { continue }
                let key = GlyphKey.make(rows, width: size.width)
                let r = rank(best)
                if let old = map[key], old.1 <= r { continue }
                map[key] = (best, r)
            }
        }
        return GlyphIndex(size: size, map: map.mapValues { $0.0 })
    }
}

extension GlyphTable {
    /// Every font of this machine plus `extraFonts` (the user's `--font` files, which win), through the cache
    /// file (see `GlyphCache`).
    public static func system(extraFonts: [String] = [], useCache: Bool = true) throws -> GlyphTable {
        try GlyphCache.systemTable(extraFonts: extraFonts, useCache: useCache)
    }
}
