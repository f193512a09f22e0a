/// Area-average downscaling with zoom and pan: the part of the frame shown is `zoom` times smaller than the
/// frame (zoom 1 = whole frame), its top-left at (panX, panY) as a fraction of the frame (0...1).
public struct Viewport: Sendable, Equatable {
    public var zoom: Double
    public var panX: Double, panY: Double
    public init(zoom: Double = 1, panX: Double = 0, panY: Double = 0) {
        self.zoom = max(1, zoom); self.panX = panX; self.panY = panY
    }

    /// The frame area shown, in pixels, clamped inside the frame.
    public func source(in frame: Framebuffer) -> PixelRect {
        let w = max(1, Int(Double(frame.width) / zoom)), h = max(1, Int(Double(frame.height) / zoom))
        let x = min(max(0, Int(panX * Double(frame.width))), frame.width - w)
        let y = min(max(0, Int(panY * Double(frame.height))), frame.height - h)
        return PixelRect(x: x, y: y, width: w, height: h)
    }
}

public enum Downscale {
    /// Averages `area` of `frame` down to `width`x`height` pixels (each output pixel = mean of its source box).
    public static func average(_ frame: Framebuffer, area: PixelRect, width: Int, height: Int) -> Framebuffer {
        let area = area.intersection(frame.bounds)
        guard width > 0, height > 0, !area.isEmpty else { return Framebuffer(width: max(0, width), height: max(0, height)) }
        var out = [UInt32](repeating: 0, count: width * height)
        frame.pixels.withUnsafeBufferPointer { px in
            for oy in 0..<height {
                let y0 = area.y + oy * area.height / height
                let y1 = max(y0 + 1, area.y + (oy + 1) * area.height / height)
                for ox in 0..<width {
                    let x0 = area.x + ox * area.width / width
                    let x1 = max(x0 + 1, area.x + (ox + 1) * area.width / width)
                    var r = 0, g = 0, b = 0
                    for y in y0..<y1 {
                        var p = y * frame.width + x0
                        for _ in x0..<x1 {
                            let v = px[p]; p += 1
                            r += Int(v >> 16 & 0xFF); g += Int(v >> 8 & 0xFF); b += Int(v & 0xFF)
                        }
                    }
                    let n = (y1 - y0) * (x1 - x0)
                    out[oy * width + ox] = UInt32(r / n) << 16 | UInt32(g / n) << 8 | UInt32(b / n)
                }
            }
        }
        return Framebuffer(width: width, height: height, pixels: out)
    }
}
