/// PNG in: `virsh screenshot` writes PNG (not PPM) when QEMU and libvirt are new enough (QEMU >= 7.1).
/// Non-interlaced, 8-bit grey/RGB/palette/grey+alpha/RGBA (16-bit samples are reduced to 8); alpha is ignored.
extension Framebuffer {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public static func isPNG(_ b: [UInt8]) -> Bool { b.count >= 8 && Array(b[0..<8]) == pngSignature }

    public init(png b: [UInt8]) throws {
        guard Framebuffer.isPNG(b) else { throw FramebufferError("not a PNG image") }
        var i = 8
        var width = 0, height = 0, depth = 0, colourType = -1, interlace = 0
        var palette: [UInt32] = []
        var idat: [UInt8] = []
        func u32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        var sawEnd = false
        while i + 8 <= b.count {
            let len = u32(i)
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = i + 8
            guard len >= 0, len <= b.count, data + len + 4 <= b.count else { throw FramebufferError("truncated PNG") }
            switch type {
            case "IHDR":
                guard len >= 13 else { throw FramebufferError("bad PNG header") }
                width = u32(data); height = u32(data + 4)
                depth = Int(b[data + 8]); colourType = Int(b[data + 9]); interlace = Int(b[data + 12])
            case "PLTE":
                palette = stride(from: 0, to: len - 2, by: 3).map {
                    UInt32(b[data + $0]) << 16 | UInt32(b[data + $0 + 1]) << 8 | UInt32(b[data + $0 + 2])
                }
            case "IDAT": idat.append(contentsOf: b[data..<(data + len)])
            case "IEND": sawEnd = true
            default: break
            }
            i = data + len + 4
            if sawEnd { break }
        }
        // IHDR's sizes are 32-bit: each is bounded before their product, which could overflow (fuzz: png).
        guard width > 0, height > 0, width <= Framebuffer.maxPixels, height <= Framebuffer.maxPixels,
              width * height <= Framebuffer.maxPixels else {
            throw FramebufferError("PNG size \(width)x\(height) is out of range")
        }
        guard interlace == 0 else { throw FramebufferError("interlaced PNG is not supported") }
        let channels: Int
        switch colourType {
        case 0: channels = 1
        case 2: channels = 3
        case 3: channels = 1
        case 4: channels = 2
        case 6: channels = 4
        default: throw FramebufferError("unsupported PNG colour type \(colourType)")
        }
        guard colourType == 3 ? [1, 2, 4, 8].contains(depth) : (depth == 8 || depth == 16) else {
            throw FramebufferError("unsupported PNG bit depth \(depth)")
        }
        let bitsPerPixel = channels * depth
        let bpp = max(1, bitsPerPixel / 8)
        let stride = (width * bitsPerPixel + 7) / 8
        let raw: [UInt8]
        do { raw = try Inflate.zlib(idat[...], limit: (stride + 1) * height) } catch let f as Inflate.Failure {
            throw FramebufferError("PNG image data: \(f.reason)")
        }
        guard raw.count >= (stride + 1) * height else { throw FramebufferError("truncated PNG image data") }
        var px = [UInt32](repeating: 0, count: width * height)
        var prev = [UInt8](repeating: 0, count: stride), cur = [UInt8](repeating: 0, count: stride)
        for y in 0..<height {
            let o = y * (stride + 1)
            let filter = raw[o]
            for x in 0..<stride {
                let v = raw[o + 1 + x]
                let a = x >= bpp ? Int(cur[x - bpp]) : 0, up = Int(prev[x]), c = x >= bpp ? Int(prev[x - bpp]) : 0
                let p: Int
                switch filter {
                case 0: p = 0
                case 1: p = a
                case 2: p = up
                case 3: p = (a + up) / 2
                case 4:
                    let e = a + up - c, pa = abs(e - a), pb = abs(e - up), pc = abs(e - c)
                    p = pa <= pb && pa <= pc ? a : (pb <= pc ? up : c)
                default: throw FramebufferError("corrupt PNG (filter \(filter))")
                }
                cur[x] = UInt8(truncatingIfNeeded: Int(v) + p)
            }
            for x in 0..<width {
                let v: UInt32
                if colourType == 3 {
                    let bit = x * depth
                    let idx = Int(cur[bit / 8] >> UInt8(8 - depth - bit % 8)) & ((1 << depth) - 1)
                    v = idx < palette.count ? palette[idx] : 0
                } else {
                    let s = depth / 8, base = x * channels * s
                    if channels <= 2 { let g = UInt32(cur[base]); v = g << 16 | g << 8 | g }
                    else { v = UInt32(cur[base]) << 16 | UInt32(cur[base + s]) << 8 | UInt32(cur[base + 2 * s]) }
                }
                px[y * width + x] = v
            }
            swap(&prev, &cur)
        }
        self.init(width: width, height: height, pixels: px)
    }

    /// A saved frame of any supported kind: binary PPM or PNG, either optionally gzip'd.
    public init(imageFile bytes: [UInt8]) throws {
        let b = try Gzip.inflateIfNeeded(bytes, limit: 1 << 30)
        if Framebuffer.isPNG(b) { try self.init(png: b) }
        else if b.count >= 2, b[0] == UInt8(ascii: "P"), b[1] == UInt8(ascii: "6") { try self.init(ppm: b) }
        else { throw FramebufferError("not a binary PPM (P6) or PNG image") }
    }
}
