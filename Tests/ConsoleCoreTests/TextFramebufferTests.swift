import Testing
import Foundation
@testable import ConsoleCore

@Suite struct TextFramebufferTests {
    @Test func readsRealGuestCaptures() throws {
        let vga = try TextFixtures.frame("vgatext-720x400")
        #expect(vga.width == 720 && vga.height == 400)
        let fb = try TextFixtures.frame("fbcon-1024x768")
        #expect(fb.width == 1024 && fb.height == 768)
        #expect(Set(fb.pixels).count >= 2)
    }

    @Test func ppmRoundTripWithCommentsAndWideSamples() throws {
        var f = Framebuffer(width: 3, height: 2)
        f[0, 0] = 0xFF0000; f[1, 0] = 0x00FF00; f[2, 1] = 0x123456
        #expect(try Framebuffer(ppm: f.ppmData()) == f)
        // maxval 65535 with a comment in the header.
        var wide = Array("P6 # comment\n1 1\n65535\n".utf8)
        wide += [0xFF, 0xFF, 0x80, 0x00, 0x00, 0x00]
        #expect(try Framebuffer(ppm: wide)[0, 0] == 0xFF7F00)
    }

    @Test func garbageAndTruncatedInputGiveOneLineErrors() {
        for bad: [UInt8] in [[], Array("hello".utf8), Array("P3\n1 1\n255\n0 0 0".utf8),
                              Array("P6\n2 2\n255\n".utf8) + [1, 2, 3], Array("P6\n99999999 99999999\n255\n".utf8)] {
            #expect(throws: FramebufferError.self) { try Framebuffer(ppm: bad) }
        }
        #expect(throws: FramebufferError.self) { try Gzip.inflate([0x1F, 0x8B, 8, 0, 0, 0]) }
    }

    @Test func rawBuffersInVNCPixelFormats() throws {
        // Two pixels: red, then 0x123456, as R,G,B,X bytes and as B,G,R,X bytes.
        let rgbx: [UInt8] = [0xFF, 0, 0, 0, 0x12, 0x34, 0x56, 0]
        let bgrx: [UInt8] = [0, 0, 0xFF, 0, 0x56, 0x34, 0x12, 0]
        let a = try rgbx.withUnsafeBytes { try Framebuffer(raw: $0, width: 2, height: 1, format: .rgbx) }
        let b = try bgrx.withUnsafeBytes { try Framebuffer(raw: $0, width: 2, height: 1, format: .bgrx) }
        #expect(a.pixels == [0xFF0000, 0x123456])
        #expect(b.pixels == a.pixels)
        // RGB565 little-endian: pure green.
        let g565: [UInt8] = [0xE0, 0x07]
        let c = try g565.withUnsafeBytes {
            try Framebuffer(raw: $0, width: 1, height: 1, format: PixelFormat(bitsPerPixel: 16, redMax: 31, greenMax: 63,
                            blueMax: 31, redShift: 11, greenShift: 5, blueShift: 0))
        }
        #expect(c.pixels == [0x00FF00])
        #expect(throws: FramebufferError.self) {
            try [UInt8](repeating: 0, count: 4).withUnsafeBytes { try Framebuffer(raw: $0, width: 2, height: 2, format: .rgbx) }
        }
    }
}

@Suite struct TextHostileInputTests {
    /// Deterministic pseudo-random numbers (the test must be repeatable).
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Damaged frames and fonts (bytes flipped, cut short) give an error or a frame, never a crash or hang.
    @Test func mutatedImagesAndFontsNeverCrash() throws {
        var rng = SplitMix(state: 42)
        let ppm = try Gzip.inflate([UInt8](Data(contentsOf: TextFixtures.directory.appendingPathComponent("vgatext-720x400.ppm.gz"))))
        var png: [UInt8] = Framebuffer.pngSignature
        func chunk(_ t: String, _ d: [UInt8]) {
            png += withUnsafeBytes(of: UInt32(d.count).bigEndian, Array.init) + Array(t.utf8) + d + [0, 0, 0, 0]
        }
        chunk("IHDR", [0, 0, 0, 4, 0, 0, 0, 2, 8, 3, 0, 0, 0])
        chunk("PLTE", [255, 0, 0, 0, 255, 0])
        chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x60, 0x84, 0x42, 0x00, 0x00, 0x1E, 0x00, 0x05])
        chunk("IEND", [])
        let decoded = try Framebuffer(png: png)
        #expect(decoded.pixels == [0xFF0000, 0x00FF00, 0xFF0000, 0x00FF00, 0x00FF00, 0xFF0000, 0x00FF00, 0xFF0000])
        let font = try [UInt8](Gzip.inflate([UInt8](Data(contentsOf: URL(fileURLWithPath: "/usr/share/consolefonts/Lat15-Terminus16.psf.gz")))))
        for _ in 0..<300 {
            for base in [Array(ppm.prefix(4096)), png] {
                var b = base
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                if Bool.random(using: &rng) { b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng))) }
                _ = try? Framebuffer(imageFile: b)
            }
            var f = font
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                f[Int.random(in: 0..<min(f.count, 64), using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                f[Int.random(in: 0..<f.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { f = Array(f.prefix(Int.random(in: 0...f.count, using: &rng))) }
            _ = try? PSFParser.parse(f, name: "fuzz")
        }
        // Palette PNG with a 16-bit depth is refused, not misread.
        var bad = png
        bad[8 + 8 + 8] = 16
        #expect(throws: FramebufferError.self) { try Framebuffer(png: bad) }
    }

    /// Found by `scripts/fuzz png` (Fuzz/regressions/png): an IHDR of 4294901784 x 3674210304 pixels made the size
    /// check's width * height overflow, a trap instead of an error.
    @Test func pngSizesWhoseProductOverflowAreRefused() throws {
        var png: [UInt8] = Framebuffer.pngSignature + [0, 0, 0, 13] + Array("IHDR".utf8)
        png += [0xFF, 0xFF, 0x00, 0x18, 0xDB, 0x00, 0x00, 0x00, 8, 2, 0, 0, 0] + [0, 0, 0, 0]
        png += [0, 0, 0, 0] + Array("IEND".utf8) + [0, 0, 0, 0]
        #expect(throws: FramebufferError("PNG size 4294901784x3674210304 is out of range")) { try Framebuffer(png: png) }
        let found = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/png")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: found.path)) ?? []).count >= 1)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: found.path)) ?? [] {
            let bytes = [UInt8](try Data(contentsOf: found.appendingPathComponent(name)))
            #expect(throws: FramebufferError.self) { try Framebuffer(png: bytes) }
        }
    }
}
