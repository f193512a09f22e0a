/// The VGA BIOS text font (the glyphs of VGA text mode, in code page 437 order), found inside a VGA option ROM
/// image such as SeaBIOS's `vgabios-stdvga.bin` (4096 bytes at 29632 there). We look for its first glyphs
/// rather than trusting one offset, so other builds of the ROM work too.
public enum VGABIOSFont {
    /// Glyph 1 (☺) of the 8x16 and 8x8 fonts, preceded by the blank glyph 0.
    static let smiley16: [UInt8] = [0, 0, 0x7E, 0x81, 0xA5, 0x81, 0x81, 0xBD, 0x99, 0x81, 0x81, 0x7E, 0, 0, 0, 0]
    static let smiley14: [UInt8] = [0, 0, 0x7E, 0x81, 0xA5, 0x81, 0x81, 0xBD, 0x99, 0x81, 0x7E, 0, 0, 0]
    static let smiley8: [UInt8] = [0x7E, 0x81, 0xA5, 0x81, 0xBD, 0x99, 0x81, 0x7E]

    /// Every BIOS font (8x16, 8x14, 8x8) found in the ROM image.
    public static func fonts(inROM rom: [UInt8], name: String) -> [BitmapFont] {
        var out: [BitmapFont] = []
        for (height, pattern) in [(16, smiley16), (14, smiley14), (8, smiley8)] {
            guard let at = find(pattern, precededByZeros: height, in: rom) else { continue }
            let start = at - height
            guard start >= 0, start + 256 * height <= rom.count else { continue }
            let glyphs = (0..<256).map { g in (0..<height).map { UInt32(rom[start + g * height + $0]) } }
            out.append(BitmapFont(name: "\(name)@\(start) (8x\(height))", width: 8, height: height, glyphs: glyphs,
                                  characters: (0..<256).map { CodePage437.characters($0) }))
        }
        return out
    }

    static func find(_ p: [UInt8], precededByZeros zeros: Int, in b: [UInt8]) -> Int? {
        guard b.count > p.count + zeros else { return nil }
        var i = zeros
        while i + p.count <= b.count {
            if b[i] == p[0] && Array(b[i..<i + p.count]) == p && b[(i - zeros)..<i].allSatisfy({ $0 == 0 }) {
                return i
            }
            i += 1
        }
        return nil
    }
}
