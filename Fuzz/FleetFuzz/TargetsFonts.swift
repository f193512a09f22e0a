import ConsoleCore
import Foundation

/// A small 8x16 font with a Unicode table, made in code: seeds for the font parsers and the fonts the frame
/// targets draw and read with.
let syntheticFont: BitmapFont = {
    let glyphs = (0..<256).map { g in (0..<16).map { r in UInt32((g &* 37 &+ r &* 11) & 0xFF) } }
    return BitmapFont(name: "fuzz-8x16", width: 8, height: 16, glyphs: glyphs,
                      characters: (0..<256).map { $0 >= 0x20 && $0 < 0x7F ? [Character(Unicode.Scalar(UInt8($0)))] : [] })
}()

/// The 16x32 fonts that anchor a kernel's big built-in font (console-setup's Terminus, when installed).
let referenceFonts: [BitmapFont] = {
    for path in ["/usr/share/consolefonts/Lat15-Terminus32x16.psf.gz", "/usr/share/consolefonts/Uni2-Terminus32x16.psf.gz"] {
        if let fonts = try? FontCatalog.load(path: path), !fonts.isEmpty { return fonts }
    }
    let glyphs = (0..<256).map { g in (0..<32).map { r in UInt32((g &* 2654 &+ r &* 40503) & 0xFFFF) } }
    return [BitmapFont(name: "fuzz-16x32", width: 16, height: 32, glyphs: glyphs,
                       characters: (0..<256).map { CodePage437.characters($0) })]
}()

/// The bytes of a font's 256 glyphs as a kernel keeps them: rows of whole bytes, most significant bit left.
func kernelTable(_ font: BitmapFont) -> [UInt8] {
    let rowBytes = (font.width + 7) / 8
    var out: [UInt8] = []
    for g in font.glyphs.prefix(256) {
        for row in g {
            let v = row << UInt32(rowBytes * 8 - font.width)
            for k in stride(from: rowBytes - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
        }
    }
    return out
}

/// EDK2's glyph records: a run of EFI_NARROW_GLYPH (code point, attributes, 19 rows) ending with code point 0, and
/// an HII simple font package with narrow and wide glyphs.
func edk2Seeds() -> [[UInt8]] {
    var array: [UInt8] = []
    for cp in 0x20...0x7F {
        array += [UInt8(cp & 0xFF), UInt8(cp >> 8), 0] + (0..<19).map { cp == 0x20 ? 0 : UInt8(truncatingIfNeeded: cp &* 7 &+ $0) }
    }
    array += [UInt8](repeating: 0, count: 22)
    var package: [UInt8] = []
    let narrow = 2, wide = 1
    let length = 8 + narrow * 22 + wide * 44
    package += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16), 0x07, UInt8(narrow), 0, UInt8(wide), 0]
    for cp in [0x2500, 0x2502] { package += [UInt8(cp & 0xFF), UInt8(cp >> 8), 0] + [UInt8](repeating: 0x18, count: 19) }
    package += [0x00, 0x4E, 0x02] + [UInt8](repeating: 0x3C, count: 38) + [0, 0, 0]
    return [array, package, [UInt8](repeating: 0xAA, count: 16) + array + package]
}

let fontTargets: [FuzzTarget] = [
    FuzzTarget("psf", "PSF1/PSF2 console fonts (PSFParser), and PSFWriter's output read back",
               seeds: [PSFWriter.psf2(syntheticFont)]) { bytes in
        guard let font = try? PSFParser.parse(bytes, name: "fuzz") else { return }
        // What font-export writes must read back as the same font.
        guard let again = try? PSFParser.parse(PSFWriter.psf2(font), name: "again") else {
            fatalError("psf: a parsed font did not survive PSFWriter")
        }
        precondition(again.glyphs == font.glyphs, "psf: glyphs changed through PSFWriter")
    },
    FuzzTarget("vgabios", "VGA BIOS option ROM images: the text fonts found inside (VGABIOSFont)",
               seeds: [[UInt8](repeating: 0, count: 16) + kernelTable(syntheticFont)]) { bytes in
        _ = VGABIOSFont.fonts(inROM: bytes, name: "fuzz")
    },
    FuzzTarget("firmware", "UEFI firmware volumes (FirmwareVolume: FFS files, sections, LZMA) and the EDK2 font in them") { bytes in
        for image in FirmwareVolume.images(in: bytes, limit: 16 << 20) { _ = image.name }
        _ = EDK2Font.fonts(inFirmware: bytes, name: "fuzz")
        _ = FirmwareVolume.looksLikeFirmware(bytes)
    },
    FuzzTarget("edk2glyphs", "EDK2 glyph arrays and HII simple font packages in a driver image (EDK2Font)",
               seeds: edk2Seeds()) { bytes in
        _ = EDK2Font.narrowGlyphArray(in: bytes)
        _ = EDK2Font.simpleFontPackages(in: bytes)
    },
    FuzzTarget("kernelfont", "a kernel's built-in font table found by content (LinuxKernelFont), and bzImage detection",
               seeds: referenceFonts.prefix(1).map { [UInt8](repeating: 0x55, count: 100) + kernelTable($0) }) { bytes in
        for ref in referenceFonts { _ = LinuxKernelFont.table(in: bytes, like: ref, name: "fuzz") }
        if LinuxKernelFont.isKernelImage(bytes) {
            _ = try? LinuxKernelFont.fonts(inKernelImage: bytes, name: "fuzz", reference: referenceFonts)
        }
    },
]
