/// Mapping colours down to what a terminal can show: truecolour → xterm-256 → 16 → 8.
public enum Palette {
    /// The standard xterm 16-colour RGB values (what most terminals use by default).
    public static let ansi16: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// RGB of an xterm-256 index.
    public static func rgb(ofIndex i: UInt8) -> (UInt8, UInt8, UInt8) {
        let n = Int(i)
        if n < 16 { return ansi16[n] }
        if n >= 232 { let g = UInt8(8 + (n - 232) * 10); return (g, g, g) }
        let c = n - 16
        return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }

    @inline(__always) private static func dist(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        // Weighted for perceived brightness (cheap "redmean"-like weights).
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }

    private static func cubeIndex(_ v: Int) -> Int {
        v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40
    }

    /// Nearest xterm-256 index (colour cube or grey ramp; never 0-15, whose RGB varies by terminal).
    public static func index256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let c = (Int(r), Int(g), Int(b))
        let ri = cubeIndex(c.0), gi = cubeIndex(c.1), bi = cubeIndex(c.2)
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let avg = (c.0 + c.1 + c.2) / 3
        let grayIdx = avg > 238 ? 23 : max(0, (avg - 3) / 10)
        let gv = 8 + grayIdx * 10
        if dist(c, (gv, gv, gv)) < dist(c, cube) { return UInt8(232 + grayIdx) }
        return UInt8(16 + ri * 36 + gi * 6 + bi)
    }

    /// Nearest of the first `count` (16 or 8) ANSI colours.
    public static func indexANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int = 16) -> UInt8 {
        let c = (Int(r), Int(g), Int(b))
        var best = 0, bestD = Int.max
        for i in 0..<min(count, 16) {
            let p = ansi16[i]
            let d = dist(c, (Int(p.0), Int(p.1), Int(p.2)))
            if d < bestD { bestD = d; best = i }
        }
        return UInt8(best)
    }
}
