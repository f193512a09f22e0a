import Foundation

/// The Linux kernel's built-in console fonts, read at run time out of a kernel image (a bzImage such as Debian's
/// /boot/vmlinuz-*): fbcon picks one of them by screen size, and on big screens (2560x1600) Debian's kernel picks
/// TER16x32, a Terminus variant that differs from console-setup's Terminus 32x16 in some glyphs (` and ~).
/// The font tables are found by content: a glyph run of a known font of the same size (console-setup's) anchors
/// where the kernel's table of 256 glyphs starts; every glyph is then read from the kernel, none from the anchor.
public enum LinuxKernelFont {
    /// Kernel images of this machine, newest first.
    public static func kernelImages() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: "/boot")) ?? []).filter { $0.hasPrefix("vmlinuz-") }
        return names.sorted { $0.compare($1, options: .numeric) == .orderedDescending }.map { "/boot/" + $0 }
    }

    /// True for a bzImage (the "HdrS" boot protocol signature at 0x202).
    public static func isKernelImage(_ b: [UInt8]) -> Bool {
        b.count > 0x206 && b[0x202] == 0x48 && b[0x203] == 0x64 && b[0x204] == 0x72 && b[0x205] == 0x53
    }

    /// The kernel's built-in fonts in `image` whose size is one of `reference`'s and that the reference fonts
    /// anchor. Sizes whose fonts other packages already ship identically (8x16, 8x8) add nothing and are skipped.
    public static func fonts(inKernelImage image: [UInt8], name: String, reference: [BitmapFont]) throws -> [BitmapFont] {
        guard let at = find(XZ.magic, in: image[...]) else { throw FontError("\(name): no xz-compressed kernel in this image") }
        let vmlinux = try XZ.decompress(image[at...], limit: 512 << 20)
        var out: [BitmapFont] = []
        var seen = Set<GlyphSize>()
        for ref in reference where ref.width > 8 && !seen.contains(GlyphSize(width: ref.width, height: ref.height)) {
            if let f = table(in: vmlinux, like: ref, name: name) {
                seen.insert(GlyphSize(width: ref.width, height: ref.height))
                out.append(f)
            }
        }
        return out
    }

    /// The 256-glyph table in `b` anchored by `ref`: its glyphs for A, a, 0 and Z found where a table in code page
    /// order puts them.
    package static func table(in b: [UInt8], like ref: BitmapFont, name: String) -> BitmapFont? {
        let rowBytes = (ref.width + 7) / 8, size = rowBytes * ref.height
        func bytes(_ c: Character) -> [UInt8]? {
            guard let g = ref.characters.firstIndex(where: { $0.contains(c) }) else { return nil }
            var out: [UInt8] = []
            for r in ref.glyphs[g] { for k in stride(from: rowBytes - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: r >> UInt32(8 * k))) } }
            return out
        }
        guard let a = bytes("A") else { return nil }
        var from = b.startIndex
        while let hit = find(a, in: b[from...]) {
            from = hit + 1
            let start = hit - 0x41 * size
            guard start >= 0, start + 256 * size <= b.count else { continue }
            let anchors: [(Character, Int)] = [("a", 0x61), ("0", 0x30), ("Z", 0x5A), ("x", 0x78)]
            let agree = anchors.filter { c, i in bytes(c).map { Array(b[(start + i * size)..<(start + (i + 1) * size)]) == $0 } ?? false }
            guard agree.count >= 3 else { continue }
            var glyphs: [[UInt32]] = []
            for g in 0..<256 {
                var rows: [UInt32] = []
                for r in 0..<ref.height {
                    var v: UInt32 = 0
                    for k in 0..<rowBytes { v = v << 8 | UInt32(b[start + g * size + r * rowBytes + k]) }
                    rows.append(v >> UInt32(rowBytes * 8 - ref.width))
                }
                glyphs.append(rows)
            }
            return BitmapFont(name: "\(name) (kernel \(ref.width)x\(ref.height))", width: ref.width, height: ref.height,
                              glyphs: glyphs, characters: (0..<256).map { CodePage437.characters($0) })
        }
        return nil
    }

    static func find(_ p: [UInt8], in b: ArraySlice<UInt8>) -> Int? {
        guard let first = p.first, b.count >= p.count else { return nil }
        return b.withUnsafeBufferPointer { buf -> Int? in
            var i = 0
            let last = buf.count - p.count
            while i <= last {
                if buf[i] == first {
                    var k = 1
                    while k < p.count && buf[i + k] == p[k] { k += 1 }
                    if k == p.count { return b.startIndex + i }
                }
                i += 1
            }
            return nil
        }
    }
}
