/// Writes a font as a PSF2 file with a Unicode table (what `setfont` and FleetTUI's `--font` read): the way a
/// font read out of firmware travels to a machine that does not have the firmware (`fleettui font-export`).
public enum PSFWriter {
    public static func psf2(_ font: BitmapFont) -> [UInt8] {
        let rowBytes = (font.width + 7) / 8
        var out: [UInt8] = [0x72, 0xB5, 0x4A, 0x86]
        func u32(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)] }
        u32(0); u32(32); u32(1); u32(font.glyphs.count); u32(rowBytes * font.height); u32(font.height); u32(font.width)
        let pad = UInt32(rowBytes * 8 - font.width)
        for rows in font.glyphs {
            for r in 0..<font.height {
                let v = (r < rows.count ? rows[r] : 0) << pad
                for b in stride(from: rowBytes - 1, through: 0, by: -1) { out.append(UInt8(v >> UInt32(8 * b) & 0xFF)) }
            }
        }
        for g in font.glyphs.indices {
            for c in g < font.characters.count ? font.characters[g] : [] {
                if c.unicodeScalars.count > 1 { out.append(0xFE) }
                out += Array(String(c).utf8)
            }
            out.append(0xFF)
        }
        return out
    }
}
