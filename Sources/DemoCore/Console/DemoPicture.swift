/// Screens that are not text: what a graphical guest shows. Drawn with gradients and shapes (no font), so a
/// viewer must show them as pictures.
public enum DemoPicture {
    public enum Style: String, Sendable, Hashable {
        /// A server's lock screen: a deep blue gradient, a large clock made of bars, a sign-in tile.
        case serverLockScreen
        /// A desktop: a soft radial wallpaper, a window, a taskbar of icons.
        case desktop
    }

    public static func draw(_ style: Style, into px: UnsafeMutableBufferPointer<UInt32>, width: Int, height: Int, stride: Int) {
        switch style {
        case .serverLockScreen: lockScreen(px, width, height, stride)
        case .desktop: desktop(px, width, height, stride)
        }
    }

    static func rgb(_ r: Double, _ g: Double, _ b: Double) -> UInt32 {
        func c(_ v: Double) -> UInt32 { UInt32(max(0, min(255, v.rounded()))) }
        return c(r) << 16 | c(g) << 8 | c(b)
    }

    static func fill(_ px: UnsafeMutableBufferPointer<UInt32>, _ stride: Int, _ x: Int, _ y: Int, _ w: Int, _ h: Int,
                     _ colour: (Int, Int) -> UInt32) {
        for yy in max(0, y)..<(y + h) { for xx in max(0, x)..<(x + w) { px[yy * stride + xx] = colour(xx, yy) } }
    }

    private static func lockScreen(_ px: UnsafeMutableBufferPointer<UInt32>, _ w: Int, _ h: Int, _ s: Int) {
        for y in 0..<h {
            for x in 0..<w {
                let fy = Double(y) / Double(h), fx = Double(x) / Double(w)
                px[y * s + x] = rgb(10 + 30 * fx, 40 + 60 * fy + 20 * fx, 90 + 110 * (1 - fy))
            }
        }
        // A seven-segment clock, "10:42".
        let digitW = 60, digitH = 110, thick = 12
        let segments: [Int: [Int]] = [1: [1, 2], 0: [0, 1, 2, 3, 4, 5], 4: [1, 2, 5, 6], 2: [0, 1, 6, 4, 3]]
        func digit(_ d: Int, _ x0: Int, _ y0: Int) {
            for seg in segments[d] ?? [] {
                let (x, y, ww, hh): (Int, Int, Int, Int)
                switch seg {
                case 0: (x, y, ww, hh) = (x0, y0, digitW, thick)
                case 1: (x, y, ww, hh) = (x0 + digitW - thick, y0, thick, digitH / 2)
                case 2: (x, y, ww, hh) = (x0 + digitW - thick, y0 + digitH / 2, thick, digitH / 2)
                case 3: (x, y, ww, hh) = (x0, y0 + digitH - thick, digitW, thick)
                case 4: (x, y, ww, hh) = (x0, y0 + digitH / 2, thick, digitH / 2)
                case 5: (x, y, ww, hh) = (x0, y0, thick, digitH / 2)
                default: (x, y, ww, hh) = (x0, y0 + digitH / 2 - thick / 2, digitW, thick)
                }
                fill(px, s, x, y, ww, hh) { xx, yy in rgb(235, 240 - Double(yy - y0) * 0.3, 250) }
            }
        }
        let x0 = 60, y0 = h - digitH - 150
        digit(1, x0, y0); digit(0, x0 + 80, y0)
        fill(px, s, x0 + 160, y0 + 25, thick, thick) { _, _ in 0xF0F0FA }
        fill(px, s, x0 + 160, y0 + 75, thick, thick) { _, _ in 0xF0F0FA }
        digit(4, x0 + 190, y0); digit(2, x0 + 270, y0)
        // A date bar and a sign-in tile.
        fill(px, s, x0, y0 + digitH + 24, 280, 14) { xx, _ in rgb(200 - Double(xx - x0) * 0.2, 215, 240) }
        let cx = w - 170, cy = 170, r = 70
        fill(px, s, cx - r, cy - r, 2 * r, 2 * r) { xx, yy in
            let dx = Double(xx - cx), dy = Double(yy - cy), d = (dx * dx + dy * dy).squareRoot()
            let base = px[yy * s + xx]
            return d < Double(r) ? rgb(180 - d, 190 - d * 0.8, 210 - d * 0.5) : base
        }
    }

    private static func desktop(_ px: UnsafeMutableBufferPointer<UInt32>, _ w: Int, _ h: Int, _ s: Int) {
        let cx = Double(w) * 0.5, cy = Double(h) * 0.55
        for y in 0..<h {
            for x in 0..<w {
                let dx = (Double(x) - cx) / Double(w), dy = (Double(y) - cy) / Double(h)
                let d = (dx * dx + dy * dy).squareRoot()
                px[y * s + x] = rgb(40 + 120 * max(0, 0.6 - d), 70 + 140 * max(0, 0.7 - d), 140 + 110 * max(0, 0.8 - d))
            }
        }
        // A window with a title bar and some "content" stripes.
        let wx = w / 5, wy = h / 6, ww = w * 3 / 5, wh = h / 2
        fill(px, s, wx + 8, wy + 8, ww, wh) { xx, yy in
            let p = px[yy * s + xx]
            return rgb(Double((p >> 16) & 255) * 0.6, Double((p >> 8) & 255) * 0.6, Double(p & 255) * 0.6)
        }
        fill(px, s, wx, wy, ww, wh) { xx, yy in rgb(243 - Double(yy - wy) * 0.02, 244, 247) }
        fill(px, s, wx, wy, ww, 32) { xx, _ in rgb(225, 228 - Double(xx - wx) * 0.01, 234) }
        for (i, c) in [UInt32(0xE81123), 0xC4C4C4, 0xC4C4C4].enumerated() {
            fill(px, s, wx + ww - 40 - i * 40, wy + 10, 24, 12) { _, _ in c }
        }
        for k in 0..<8 {
            fill(px, s, wx + 30, wy + 60 + k * 28, ww / 2 + (k * 37) % (ww / 3), 10) { xx, _ in rgb(90 + Double(xx - wx) * 0.05, 110, 160) }
        }
        // The taskbar and its icons.
        fill(px, s, 0, h - 48, w, 48) { xx, _ in rgb(32 + Double(xx) * 0.004, 36, 48) }
        let icons: [UInt32] = [0x0078D4, 0xFFB900, 0x107C10, 0xE81123, 0x5C2D91, 0x00B7C3]
        let start = w / 2 - icons.count * 24
        for (i, c) in icons.enumerated() {
            fill(px, s, start + i * 48 + 8, h - 40, 32, 32) { xx, yy in
                let shade = 1 - Double((xx - start - i * 48) + (yy - h + 40)) / 128
                return rgb(Double((c >> 16) & 255) * shade, Double((c >> 8) & 255) * shade, Double(c & 255) * shade)
            }
        }
    }
}
