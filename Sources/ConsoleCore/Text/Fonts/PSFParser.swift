/// PC Screen Font files, as `setfont` loads them: PSF1 (magic 36 04) and PSF2 (magic 72 b5 4a 86),
/// with or without a Unicode table (without one, glyphs are in code page 437 order).
public enum PSFParser {
    public static func isPSF(_ b: [UInt8]) -> Bool {
        (b.count >= 4 && b[0] == 0x36 && b[1] == 0x04) ||
        (b.count >= 32 && b[0] == 0x72 && b[1] == 0xB5 && b[2] == 0x4A && b[3] == 0x86)
    }

    /// Parses an (already inflated) PSF font.
    public static func parse(_ b: [UInt8], name: String) throws -> BitmapFont {
        if b.count >= 4 && b[0] == 0x36 && b[1] == 0x04 { return try parsePSF1(b, name: name) }
        if b.count >= 32 && b[0] == 0x72 && b[1] == 0xB5 && b[2] == 0x4A && b[3] == 0x86 { return try parsePSF2(b, name: name) }
        throw FontError("\(name): not a PSF font")
    }

    static func parsePSF1(_ b: [UInt8], name: String) throws -> BitmapFont {
        let mode = b[2], height = Int(b[3])
        let count = mode & 0x01 != 0 ? 512 : 256
        let hasTable = mode & 0x06 != 0
        guard height > 0, b.count >= 4 + count * height else { throw FontError("\(name): truncated PSF1 font") }
        var glyphs = [[UInt32]]()
        glyphs.reserveCapacity(count)
        for g in 0..<count {
            let base = 4 + g * height
            glyphs.append((0..<height).map { UInt32(b[base + $0]) })
        }
        var chars: [[Character]]
        if hasTable {
            chars = Array(repeating: [], count: count)
            var i = 4 + count * height, g = 0
            var inSequence = false, sequence: [UInt32] = []
            func flushSequence() {
                if !sequence.isEmpty, let c = character(sequence), g < count { chars[g].append(c) }
                sequence = []
            }
            while i + 1 < b.count && g < count {
                let u = UInt32(b[i]) | UInt32(b[i + 1]) << 8
                i += 2
                if u == 0xFFFF { flushSequence(); inSequence = false; g += 1 }
                else if u == 0xFFFE { flushSequence(); inSequence = true }
                else if inSequence { sequence.append(u) }
                else if let c = character([u]) { chars[g].append(c) }
            }
        } else {
            chars = (0..<count).map { CodePage437.characters($0 & 0xFF) }
        }
        return BitmapFont(name: name, width: 8, height: height, glyphs: glyphs, characters: chars)
    }

    static func parsePSF2(_ b: [UInt8], name: String) throws -> BitmapFont {
        func u32(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24 }
        let headerSize = u32(8), flags = u32(12), count = u32(16), charSize = u32(20), height = u32(24), width = u32(28)
        let rowBytes = (width + 7) / 8
        guard width > 0, width <= 32, height > 0, height <= 64, count > 0, count <= 65536,
              charSize == rowBytes * height, headerSize >= 32 else {
            throw FontError("\(name): unsupported PSF2 geometry \(width)x\(height)")
        }
        guard b.count >= headerSize + count * charSize else { throw FontError("\(name): truncated PSF2 font") }
        var glyphs = [[UInt32]]()
        glyphs.reserveCapacity(count)
        let drop = UInt32(rowBytes * 8 - width)
        for g in 0..<count {
            var rows = [UInt32](repeating: 0, count: height)
            var o = headerSize + g * charSize
            for r in 0..<height {
                var v: UInt32 = 0
                for _ in 0..<rowBytes { v = v << 8 | UInt32(b[o]); o += 1 }
                rows[r] = v >> drop
            }
            glyphs.append(rows)
        }
        var chars: [[Character]]
        if flags & 1 != 0 {
            chars = Array(repeating: [], count: count)
            var i = headerSize + count * charSize, g = 0
            var current: [UInt8] = [], inSequence = false
            func flush() {
                if !current.isEmpty {
                    let scalars = String(decoding: current, as: UTF8.self).unicodeScalars.map { $0.value }
                    if inSequence {
                        if let c = character(scalars), g < count { chars[g].append(c) }
                    } else {
                        for s in scalars { if let c = character([s]), g < count { chars[g].append(c) } }
                    }
                }
                current = []
            }
            while i < b.count && g < count {
                let c = b[i]; i += 1
                if c == 0xFF { flush(); inSequence = false; g += 1 }
                else if c == 0xFE { flush(); inSequence = true }
                else { current.append(c) }
            }
        } else {
            chars = (0..<count).map { CodePage437.characters($0 & 0xFF) }
        }
        return BitmapFont(name: name, width: width, height: height, glyphs: glyphs, characters: chars)
    }

    /// A printable character from code points; control characters and non-characters never come out.
    static func character(_ scalars: [UInt32]) -> Character? {
        var s = String.UnicodeScalarView()
        for v in scalars {
            guard let u = Unicode.Scalar(v), v >= 0x20, !(0x7F...0x9F).contains(v), v != 0xFFFD,
                  !(0xFFF0...0xFFFF).contains(v) else { return nil }
            s.append(u)
        }
        guard !s.isEmpty else { return nil }
        let str = String(s)
        return str.count == 1 ? str.first : nil
    }
}
