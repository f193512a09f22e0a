/// The font EDK2 firmware (OVMF) draws its text with, read at run time out of a firmware image: the graphics
/// console driver (GraphicsConsoleDxe) carries its glyphs as an array of EFI_NARROW_GLYPH records (a UCS-2 code
/// point, an attribute byte, 19 rows of 8 pixels), ended by a record for code point 0. HII "simple font"
/// packages built into other drivers add narrow and EFI_WIDE_GLYPH (16x19) records. Nothing of the font is
/// kept in this project: it comes from the firmware the machine has (the `ovmf` package) or a user's file.
public enum EDK2Font {
    public static let height = 19
    public static let glyphSize = GlyphSize(width: 8, height: 19)
    static let narrowRecord = 3 + 19
    static let wideRecord = 3 + 19 + 19 + 3
    static let attributeNonSpacing: UInt8 = 0x01, attributeWide: UInt8 = 0x02

    /// Firmware images of the usual packages, most common first (Debian's ovmf, QEMU's own copy, Fedora's edk2).
    public static let firmwareImages = [
        "/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/ovmf/OVMF.fd",
        "/usr/share/qemu/OVMF.fd", "/usr/share/qemu/edk2-x86_64-code.fd", "/usr/share/edk2/ovmf/OVMF_CODE.fd",
        "/usr/share/edk2/x64/OVMF_CODE.4m.fd", "/usr/share/edk2-ovmf/x64/OVMF_CODE.fd",
    ]

    /// The fonts in a firmware image: an 8x19 font of every narrow glyph found and, when the firmware has any,
    /// a 16x19 font of its wide glyphs. Empty when the image has no EDK2 console font.
    public static func fonts(inFirmware data: [UInt8], name: String) -> [BitmapFont] {
        let images = FirmwareVolume.images(in: data)
        // The graphics console's own array first (its glyphs win), then font packages anywhere.
        let console = images.filter { $0.name == "GraphicsConsoleDxe" }
        var narrow: [UInt32: [UInt32]] = [:], wide: [UInt32: [UInt32]] = [:]
        for image in console + images.filter({ $0.name != "GraphicsConsoleDxe" }) {
            for g in narrowGlyphArray(in: image.bytes) where narrow[g.scalar] == nil { narrow[g.scalar] = g.rows }
            for p in simpleFontPackages(in: image.bytes) {
                for g in p.narrow where narrow[g.scalar] == nil { narrow[g.scalar] = g.rows }
                for g in p.wide where wide[g.scalar] == nil { wide[g.scalar] = g.rows }
            }
        }
        var out: [BitmapFont] = []
        if narrow.count >= 95 { out.append(font(narrow, width: 8, name: "\(name) (EDK2 8x19)")) }
        if !wide.isEmpty && !out.isEmpty { out.append(font(wide, width: 16, name: "\(name) (EDK2 wide 16x19)")) }
        return out
    }

    package struct Glyph: Equatable {
        package var scalar: UInt32
        package var rows: [UInt32]
    }

    static func font(_ glyphs: [UInt32: [UInt32]], width: Int, name: String) -> BitmapFont {
        let keys = glyphs.keys.sorted()
        return BitmapFont(name: name, width: width, height: height, glyphs: keys.map { glyphs[$0]! },
                          characters: keys.map { PSFParser.character([$0]).map { [$0] } ?? [] })
    }

    /// The longest run of EDK2_NARROW_GLYPH records in `b` that starts with the blank space glyph and holds the
    /// printable ASCII range, up to the code-point-0 record that ends it. Non-spacing (combining) glyphs are left
    /// out: they are drawn over another glyph, never alone in a cell.
    package static func narrowGlyphArray(in b: [UInt8]) -> [Glyph] {
        var best: [Glyph] = []
        var i = 0
        while i + narrowRecord * 96 <= b.count {
            // A space record: 0x0020, attributes 0, 19 blank rows; then '!' (0x0021).
            guard b[i] == 0x20, b[i + 1] == 0, b[i + 2] == 0, b[i + narrowRecord] == 0x21, b[i + narrowRecord + 1] == 0,
                  b[(i + 3)..<(i + narrowRecord)].allSatisfy({ $0 == 0 }) else { i += 1; continue }
            var glyphs: [Glyph] = []
            var p = i
            var seen = Set<UInt32>()
            while p + narrowRecord <= b.count {
                let cp = UInt32(b[p]) | UInt32(b[p + 1]) << 8, attr = b[p + 2]
                if cp == 0 || attr & ~(attributeNonSpacing | attributeWide) != 0 || seen.contains(cp) { break }
                seen.insert(cp)
                if attr & attributeNonSpacing == 0 {
                    glyphs.append(Glyph(scalar: cp, rows: (0..<height).map { UInt32(b[p + 3 + $0]) }))
                }
                p += narrowRecord
            }
            let ascii = (0x21...0x7E).allSatisfy { seen.contains(UInt32($0)) }
            if ascii && glyphs.count > best.count { best = glyphs }
            i = ascii ? p : i + 1
        }
        return best
    }

    /// HII simple font packages (EFI_HII_SIMPLE_FONT_PACKAGE_HDR: a 24-bit length and type 0x07, the narrow and
    /// wide glyph counts, then the records) whose length matches their counts exactly.
    package static func simpleFontPackages(in b: [UInt8]) -> [(narrow: [Glyph], wide: [Glyph])] {
        var out: [(narrow: [Glyph], wide: [Glyph])] = []
        var i = 0
        while i + 8 <= b.count {
            defer { i += 1 }
            guard b[i + 3] == 0x07 else { continue }
            let length = Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16
            let n = Int(b[i + 4]) | Int(b[i + 5]) << 8, w = Int(b[i + 6]) | Int(b[i + 7]) << 8
            guard n + w > 0, length == 8 + n * narrowRecord + w * wideRecord, i + length <= b.count else { continue }
            var narrow: [Glyph] = [], wide: [Glyph] = []
            var p = i + 8, sane = true
            for _ in 0..<n {
                let cp = UInt32(b[p]) | UInt32(b[p + 1]) << 8, attr = b[p + 2]
                if cp == 0 || attr & ~(attributeNonSpacing | attributeWide) != 0 { sane = false; break }
                if attr & attributeNonSpacing == 0 {
                    narrow.append(Glyph(scalar: cp, rows: (0..<height).map { UInt32(b[p + 3 + $0]) }))
                }
                p += narrowRecord
            }
            if sane {
                for _ in 0..<w {
                    let cp = UInt32(b[p]) | UInt32(b[p + 1]) << 8, attr = b[p + 2]
                    if cp == 0 || attr & ~(attributeNonSpacing | attributeWide) != 0 { sane = false; break }
                    wide.append(Glyph(scalar: cp, rows: (0..<height).map {
                        UInt32(b[p + 3 + $0]) << 8 | UInt32(b[p + 3 + height + $0])
                    }))
                    p += wideRecord
                }
            }
            if sane { out.append((narrow, wide)); i += length - 1 }
        }
        return out
    }
}
