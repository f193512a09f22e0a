/// How a raw true-colour buffer stores a pixel (the RFB PIXEL_FORMAT fields, as libvncclient's `rfbPixelFormat`).
public struct PixelFormat: Sendable, Equatable {
    public var bitsPerPixel: Int      // 8, 16 or 32
    public var bigEndian: Bool
    public var redMax: UInt32, greenMax: UInt32, blueMax: UInt32
    public var redShift: UInt32, greenShift: UInt32, blueShift: UInt32

    public init(bitsPerPixel: Int, bigEndian: Bool = false,
                redMax: UInt32 = 255, greenMax: UInt32 = 255, blueMax: UInt32 = 255,
                redShift: UInt32, greenShift: UInt32, blueShift: UInt32) {
        self.bitsPerPixel = bitsPerPixel; self.bigEndian = bigEndian
        self.redMax = redMax; self.greenMax = greenMax; self.blueMax = blueMax
        self.redShift = redShift; self.greenShift = greenShift; self.blueShift = blueShift
    }

    /// Bytes R,G,B,X in memory on a little-endian host: what `rfbGetClient(8,3,4)` asks the server for.
    public static let rgbx = PixelFormat(bitsPerPixel: 32, redShift: 0, greenShift: 8, blueShift: 16)
    /// Bytes B,G,R,X in memory (0x00RRGGBB little-endian words), the other common 32-bpp layout.
    public static let bgrx = PixelFormat(bitsPerPixel: 32, redShift: 16, greenShift: 8, blueShift: 0)

    var bytesPerPixel: Int { bitsPerPixel / 8 }
    var isValid: Bool {
        [8, 16, 32].contains(bitsPerPixel) && redMax > 0 && greenMax > 0 && blueMax > 0
            && redShift < 32 && greenShift < 32 && blueShift < 32
    }
}

extension Framebuffer {
    /// Copies a raw buffer (e.g. libvncclient's `frameBuffer`) of `width`x`height` pixels in `format`.
    /// `bytesPerRow` defaults to `width * bytesPerPixel`.
    public init(raw: UnsafeRawBufferPointer, width: Int, height: Int, format: PixelFormat,
                bytesPerRow: Int? = nil) throws {
        guard width > 0, height > 0, width * height <= Framebuffer.maxPixels else {
            throw FramebufferError("frame size \(width)x\(height) is out of range")
        }
        self.init(width: width, height: height)
        try update(PixelRect(x: 0, y: 0, width: width, height: height), from: raw, format: format, bytesPerRow: bytesPerRow)
    }

    /// Copies one rectangle of a raw full-frame buffer (same geometry as this frame) into this frame;
    /// call it for each VNC update rectangle, then hand the rect to `ScreenReader.update`.
    public mutating func update(_ rect: PixelRect, from raw: UnsafeRawBufferPointer, format: PixelFormat,
                                bytesPerRow: Int? = nil) throws {
        guard format.isValid else { throw FramebufferError("unsupported pixel format (\(format.bitsPerPixel) bpp)") }
        let bpp = format.bytesPerPixel
        let stride = bytesPerRow ?? width * bpp
        guard stride >= width * bpp, raw.count >= stride * (height - 1) + width * bpp else {
            throw FramebufferError("raw buffer too small for \(width)x\(height) at \(format.bitsPerPixel) bpp")
        }
        let r = rect.intersection(bounds)
        if r.isEmpty { return }
        let w = width
        let fast = format.bitsPerPixel == 32 && !format.bigEndian
            && format.redMax == 255 && format.greenMax == 255 && format.blueMax == 255
        pixels.withUnsafeMutableBufferPointer { dst in
            for y in r.y..<r.maxY {
                let row = raw.baseAddress! + y * stride
                var o = y * w + r.x
                if fast {
                    let rs = format.redShift, gs = format.greenShift, bs = format.blueShift
                    for x in r.x..<r.maxX {
                        let v = row.loadUnaligned(fromByteOffset: x * 4, as: UInt32.self).littleEndian
                        dst[o] = (((v >> rs) & 0xFF) << 16) | (((v >> gs) & 0xFF) << 8) | ((v >> bs) & 0xFF)
                        o += 1
                    }
                } else {
                    for x in r.x..<r.maxX {
                        let p = row + x * bpp
                        var v: UInt32
                        switch bpp {
                        case 1: v = UInt32(p.load(as: UInt8.self))
                        case 2:
                            let u = p.loadUnaligned(as: UInt16.self)
                            v = UInt32(format.bigEndian ? UInt16(bigEndian: u) : UInt16(littleEndian: u))
                        default:
                            let u = p.loadUnaligned(as: UInt32.self)
                            v = format.bigEndian ? UInt32(bigEndian: u) : UInt32(littleEndian: u)
                        }
                        let rr = ((v >> format.redShift) & format.redMax) * 255 / format.redMax
                        let gg = ((v >> format.greenShift) & format.greenMax) * 255 / format.greenMax
                        let bb = ((v >> format.blueShift) & format.blueMax) * 255 / format.blueMax
                        dst[o] = (rr << 16) | (gg << 8) | bb
                        o += 1
                    }
                }
            }
        }
    }
}
