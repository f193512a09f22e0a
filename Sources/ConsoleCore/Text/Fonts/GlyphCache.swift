import Foundation

/// The system's glyph indexes saved to one file under $XDG_CACHE_HOME (~/.cache)/fleettui, so a start does not
/// read, inflate and parse ~650 font files (about 300 ms) but loads one small file (a few ms). The file is
/// keyed by a fingerprint of every font file's path, size and mtime: installing or removing a font rebuilds it.
public enum GlyphCache {
    static let magic = Array("FLEETTUI-GLYPHS-4\n".utf8)   // 4: arrows rank with line drawing

    public static var directory: String {
        let env = ProcessInfo.processInfo.environment
        if let x = env["XDG_CACHE_HOME"], x.hasPrefix("/") { return x + "/fleettui" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.cache/fleettui"
    }

    /// All font sources of this machine, in the order they are indexed.
    static func sources() -> [String] {
        FontCatalog.biosROMs.filter { FileManager.default.fileExists(atPath: $0) }.prefix(1)
            + (FontCatalog.firmwareImage().map { [$0] } ?? []) + FontCatalog.systemFontFiles()
            + LinuxKernelFont.kernelImages().prefix(1)
    }

    static func fingerprint(_ paths: [String]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ s: String) { for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 } }
        for p in paths {
            mix(p)
            var st = stat()
            if stat(p, &st) == 0 { mix("\(st.st_size):\(st.st_mtim.tv_sec):\(st.st_mtim.tv_nsec)") }
        }
        return h
    }

    /// The system table: from the cache when it is current, else built from the fonts (and the cache rewritten,
    /// best effort). `extraFonts` (--font) are indexed on top and win. `useCache: false` always builds.
    public static func systemTable(extraFonts: [String] = [], useCache: Bool = true) throws -> GlyphTable {
        var extra: [BitmapFont] = []
        for path in extraFonts { extra += try FontCatalog.load(path: path) }
        let srcs = sources()
        let fp = fingerprint(srcs)
        let file = directory + "/glyphs-\(String(fp, radix: 16)).bin"
        if useCache, let data = FileManager.default.contents(atPath: file), let (order, idx) = decode([UInt8](data)) {
            return GlyphTable(fonts: extra, base: idx, baseSizes: order)
        }
        let system = GlyphTable(fonts: try FontCatalog.loadAll().fonts)
        let all = system.allIndexes()
        if useCache {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Old caches (other fingerprints) go; the new one appears atomically.
            for old in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where old.hasPrefix("glyphs-") {
                try? FileManager.default.removeItem(atPath: directory + "/" + old)
            }
            try? Data(encode(system.sizes, all)).write(to: URL(fileURLWithPath: file), options: .atomic)
        }
        return extra.isEmpty ? system : GlyphTable(fonts: extra, base: all, baseSizes: system.sizes)
    }

    public static func encode(_ order: [GlyphSize], _ indexes: [GlyphIndex]) -> [UInt8] {
        var out = magic
        func u32(_ v: Int) { out += withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }
        func u64(_ v: UInt64) { out += withUnsafeBytes(of: v.littleEndian, Array.init) }
        u32(order.count)
        for s in order { u32(s.width); u32(s.height) }
        u32(indexes.count)
        for i in indexes {
            u32(i.size.width); u32(i.size.height); u32(i.map.count)
            for (k, c) in i.map {
                u64(k.hi); u64(k.lo)
                let scalars = c.unicodeScalars.prefix(255)
                out.append(UInt8(scalars.count))
                for sc in scalars { u32(Int(sc.value)) }
            }
        }
        return out
    }

    public static func decode(_ b: [UInt8]) -> ([GlyphSize], [GlyphIndex])? {
        guard b.count > magic.count, Array(b[0..<magic.count]) == magic else { return nil }
        var i = magic.count
        func u32() -> Int? {
            guard i + 4 <= b.count else { return nil }
            defer { i += 4 }
            return Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24
        }
        func u64() -> UInt64? {
            guard i + 8 <= b.count else { return nil }
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(b[i + k]) << UInt64(8 * k) }
            i += 8
            return v
        }
        guard let n = u32(), n < 1000 else { return nil }
        var order: [GlyphSize] = []
        for _ in 0..<n { guard let w = u32(), let h = u32() else { return nil }; order.append(GlyphSize(width: w, height: h)) }
        guard let m = u32(), m < 1000 else { return nil }
        var out: [GlyphIndex] = []
        for _ in 0..<m {
            guard let w = u32(), let h = u32(), let count = u32(), count < 10_000_000 else { return nil }
            var map: [GlyphKey: Character] = [:]
            map.reserveCapacity(count)
            for _ in 0..<count {
                guard let hi = u64(), let lo = u64(), i < b.count else { return nil }
                let len = Int(b[i]); i += 1
                guard len > 0 else { return nil }
                let c: Character
                if len == 1 {
                    guard let v = u32(), let sc = Unicode.Scalar(UInt32(v)) else { return nil }
                    c = Character(sc)
                } else {
                    var view = String.UnicodeScalarView()
                    for _ in 0..<len {
                        guard let v = u32(), let sc = Unicode.Scalar(UInt32(v)) else { return nil }
                        view.append(sc)
                    }
                    let str = String(view)
                    guard str.count == 1, let first = str.first else { return nil }
                    c = first
                }
                map[GlyphKey(hi: hi, lo: lo)] = c
            }
            out.append(GlyphIndex(size: GlyphSize(width: w, height: h), map: map))
        }
        return (order, out)
    }
}
