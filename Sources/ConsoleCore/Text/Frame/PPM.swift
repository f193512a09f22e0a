/// Binary PPM (P6) in and out: the format `virsh screenshot` writes for QEMU guests.
extension Framebuffer {
    /// Parses a binary PPM (P6, maxval 1...65535). Gzip'd input must be inflated first (`Gzip.inflateIfNeeded`).
    public init(ppm bytes: [UInt8]) throws {
        var i = 0
        func skipSpaceAndComments() {
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "#") {
                    while i < bytes.count && bytes[i] != 0x0A && bytes[i] != 0x0D { i += 1 }
                } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C {
                    i += 1
                } else { return }
            }
        }
        func number(_ what: String) throws -> Int {
            skipSpaceAndComments()
            var n = 0, digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                n = n * 10 + Int(bytes[i] - 0x30)
                digits += 1; i += 1
                if n > 1 << 24 { throw FramebufferError("not a usable PPM: \(what) too large") }
            }
            if digits == 0 { throw FramebufferError("not a binary PPM image: bad header (\(what))") }
            return n
        }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "6") else {
            throw FramebufferError("not a binary PPM (P6) image")
        }
        i = 2
        let w = try number("width"), h = try number("height"), maxval = try number("maxval")
        guard w > 0, h > 0, w * h <= Framebuffer.maxPixels else { throw FramebufferError("PPM size \(w)x\(h) is out of range") }
        guard maxval > 0, maxval < 65536 else { throw FramebufferError("PPM maxval \(maxval) is out of range") }
        guard i < bytes.count else { throw FramebufferError("truncated PPM: no pixel data") }
        i += 1 // exactly one whitespace byte after maxval
        let sample = maxval < 256 ? 1 : 2
        let need = w * h * 3 * sample
        guard bytes.count - i >= need else {
            throw FramebufferError("truncated PPM: \(bytes.count - i) of \(need) pixel bytes")
        }
        var px = [UInt32](repeating: 0, count: w * h)
        bytes.withUnsafeBufferPointer { src in
            px.withUnsafeMutableBufferPointer { dst in
                var s = i
                if sample == 1 && maxval == 255 {
                    for k in 0..<dst.count {
                        dst[k] = UInt32(src[s]) << 16 | UInt32(src[s + 1]) << 8 | UInt32(src[s + 2])
                        s += 3
                    }
                } else {
                    let m = UInt32(maxval)
                    func take() -> UInt32 {
                        var v = UInt32(src[s]); s += 1
                        if sample == 2 { v = v << 8 | UInt32(src[s]); s += 1 }
                        return min(v, m) * 255 / m
                    }
                    for k in 0..<dst.count {
                        let r = take(), g = take(), b = take()
                        dst[k] = r << 16 | g << 8 | b
                    }
                }
            }
        }
        self.init(width: w, height: h, pixels: px)
    }

    /// The frame as binary PPM bytes (maxval 255).
    public func ppmData() -> [UInt8] {
        var out = Array("P6\n\(width) \(height)\n255\n".utf8)
        out.reserveCapacity(out.count + pixels.count * 3)
        for p in pixels {
            out.append(UInt8(p >> 16 & 0xFF)); out.append(UInt8(p >> 8 & 0xFF)); out.append(UInt8(p & 0xFF))
        }
        return out
    }
}
