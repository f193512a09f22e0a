import ConsoleCore
import FleetCore
import Foundation

/// The glyph table the frame targets read with: the synthetic font and, when installed, the VGA BIOS font (small,
/// so each input is read quickly).
let fuzzGlyphs: GlyphTable = {
    var fonts = [syntheticFont]
    for rom in FontCatalog.biosROMs { if let f = try? FontCatalog.load(path: rom) { fonts += f; break } }
    return GlyphTable(fonts: fonts)
}()

/// A frame from fuzz input: a small size, up to four colours, then 2-bit pixels (repeated when the input is short).
func fuzzFrame(_ d: inout FuzzData) -> Framebuffer {
    let w = d.int(in: 1...320), h = d.int(in: 1...200)
    let colours = (0..<4).map { _ in UInt32(d.byte()) << 16 | UInt32(d.byte()) << 8 | UInt32(d.byte()) }
    let packed = d.rest()
    var frame = Framebuffer(width: w, height: h)
    guard !packed.isEmpty else { return frame }
    for i in 0..<(w * h) {
        let byte = packed[(i / 4) % packed.count]
        frame.pixels[i] = colours[Int(byte >> UInt8(2 * (i % 4))) & 3]
    }
    return frame
}

/// Seeds for `fuzzFrame`: text drawn with the synthetic font (white on black), a picture, a blank screen.
func frameSeeds() -> [[UInt8]] {
    func seed(_ w: Int, _ h: Int, _ pixel: (Int, Int) -> Int) -> [UInt8] {
        var out: [UInt8] = [UInt8(w >> 8), UInt8(w & 0xFF), UInt8(h), 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x80, 0, 0, 0, 0, 0x80]
        var byte: UInt8 = 0
        for i in 0..<(w * h) {
            byte |= UInt8(pixel(i % w, i / w) & 3) << UInt8(2 * (i % 4))
            if i % 4 == 3 { out.append(byte); byte = 0 }
        }
        return out
    }
    let text = Array("login: root".utf8)
    let lines = seed(160, 48) { x, y in
        let col = x / 8, row = y / 16
        guard row < 2, col < text.count else { return 0 }
        return syntheticFont.glyphs[Int(text[col])][y % 16] >> UInt32(7 - x % 8) & 1 == 1 ? 1 : 0
    }
    return [lines, seed(64, 32) { x, y in (x * y) % 4 }, seed(16, 16) { _, _ in 0 }]
}

/// A 4x2 palette PNG (the unit tests' own).
func pngSeed() -> [UInt8] {
    var png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] as [UInt8]
    for (t, d) in [("IHDR", [0, 0, 0, 4, 0, 0, 0, 2, 8, 3, 0, 0, 0] as [UInt8]), ("PLTE", [255, 0, 0, 0, 255, 0]),
                   ("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x60, 0x84, 0x42, 0x00, 0x00, 0x1E, 0x00, 0x05]), ("IEND", [])] {
        png += withUnsafeBytes(of: UInt32(d.count).bigEndian, Array.init) + Array(t.utf8) + d + [0, 0, 0, 0]
    }
    return png
}

func ppmSeeds() -> [[UInt8]] {
    var f = Framebuffer(width: 3, height: 2)
    f[0, 0] = 0xFF0000
    f[2, 1] = 0x123456
    return [f.ppmData(), utf8("P6 # c\n1 1\n65535\n") + [0xFF, 0xFF, 0x80, 0, 0, 0]]
}

let imageTargets: [FuzzTarget] = [
    FuzzTarget("png", "PNG screenshots (virsh screenshot): chunks, zlib image data, filters, palettes",
               seeds: [pngSeed()]) { bytes in
        _ = try? Framebuffer(png: bytes)
    },
    FuzzTarget("ppm", "binary PPM frames (P6, any maxval, comments), and gzip'd or PNG files by content (imageFile)",
               seeds: ppmSeeds()) { bytes in
        _ = try? Framebuffer(ppm: bytes)
        _ = try? Framebuffer(imageFile: bytes)
    },
    FuzzTarget("frame", "a hostile guest's pixels read as text: geometry search, recognition, block pictures",
               seeds: frameSeeds()) { bytes in
        var d = FuzzData(bytes)
        let frame = fuzzFrame(&d)
        var hint = ScreenReadHint()
        _ = ScreenObservation.of(frame, table: fuzzGlyphs, hint: &hint)
        var reader = ScreenReader(table: fuzzGlyphs)
        let screen = reader.screen(of: frame)
        _ = screen.lines()
        _ = reader.update(frame, dirty: PixelRect(x: 1, y: 1, width: frame.width / 2, height: frame.height / 2))
    },
    FuzzTarget("rawframe", "raw VNC framebuffer memory in any RFB pixel format (Framebuffer(raw:), update(rect))",
               seeds: [[0, 32, 0, 0xFF, 0, 0xFF, 0, 0xFF, 16, 8, 0, 4, 0, 4, 0, 0] + [UInt8](repeating: 0x7F, count: 64)]) { bytes in
        var d = FuzzData(bytes)
        let bpp = [8, 16, 32, 24][d.int(in: 0...3)]
        let format = PixelFormat(bitsPerPixel: bpp, bigEndian: d.bool(),
                                 redMax: UInt32(d.int(in: 0...0xFFFF)), greenMax: UInt32(d.int(in: 0...0xFFFF)),
                                 blueMax: UInt32(d.int(in: 0...0xFFFF)),
                                 redShift: UInt32(d.byte()), greenShift: UInt32(d.byte()), blueShift: UInt32(d.byte()))
        let w = d.int(in: 0...64), h = d.int(in: 0...64)
        let stride: Int? = d.bool() ? d.int(in: 0...300) : nil
        let rect = PixelRect(x: d.int(in: -8...80), y: d.int(in: -8...80), width: d.int(in: -8...80), height: d.int(in: -8...80))
        let raw = d.rest()
        raw.withUnsafeBytes { buf in
            guard var frame = try? Framebuffer(raw: buf, width: w, height: h, format: format, bytesPerRow: stride) else { return }
            try? frame.update(rect, from: buf, format: format, bytesPerRow: stride)
        }
    },
]
