/// How many colours the terminal shows.
public enum ColourDepth: Sendable, Equatable {
    case trueColour, xterm256, ansi16, ansi8

    public init?(argument: String) {
        switch argument.lowercased() {
        case "24bit", "truecolor", "truecolour", "24": self = .trueColour
        case "256": self = .xterm256
        case "16": self = .ansi16
        case "8": self = .ansi8
        default: return nil
        }
    }
}

/// RGB (0xRRGGBB) to the nearest terminal palette index. Pure; the UI picks the depth.
public enum TerminalColour {
    /// The 16 basic colours as the VGA/CGA palette draws them: guests' consoles use exactly these, so a VGA
    /// colour maps to "its" ANSI index (AA0000 -> 1, 555555 -> 8, AA5500 -> 3 …).
    public static let basic16: [UInt32] = [
        0x000000, 0xAA0000, 0x00AA00, 0xAA5500, 0x0000AA, 0xAA00AA, 0x00AAAA, 0xAAAAAA,
        0x555555, 0xFF5555, 0x55FF55, 0xFFFF55, 0x5555FF, 0xFF55FF, 0x55FFFF, 0xFFFFFF,
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// Index 0-15 of the nearest basic colour.
    public static func nearest16(_ rgb: UInt32) -> Int { nearest(rgb, in: basic16, count: 16) }

    /// Index 0-7 of the nearest of the 8 normal colours.
    public static func nearest8(_ rgb: UInt32) -> Int {
        // Brighten/darken decisions are lost with 8 colours; compare against both intensities of each hue.
        let i = nearest16(rgb)
        if i == 8 { return rgb >> 16 & 0xFF >= 0x40 ? 7 : 0 }   // dark grey: light grey unless nearly black
        return i & 7
    }

    /// Index 16-255 of the nearest xterm-256 colour (6x6x6 cube or grey ramp); exact basic colours
    /// of the cube or ramp are preferred over the user-configurable 0-15.
    public static func nearest256(_ rgb: UInt32) -> Int {
        let r = Int(rgb >> 16 & 0xFF), g = Int(rgb >> 8 & 0xFF), b = Int(rgb & 0xFF)
        func level(_ v: Int) -> Int {
            var best = 0
            for i in 1..<6 where abs(cubeLevels[i] - v) < abs(cubeLevels[best] - v) { best = i }
            return best
        }
        let lr = level(r), lg = level(g), lb = level(b)
        let cube = 16 + 36 * lr + 6 * lg + lb
        let cubeRGB = (cubeLevels[lr], cubeLevels[lg], cubeLevels[lb])
        let avg = (r + g + b) / 3
        let grey = max(0, min(23, (avg - 8 + 5) / 10))
        let gv = 8 + 10 * grey
        return distance((r, g, b), (gv, gv, gv)) < distance((r, g, b), cubeRGB) ? 232 + grey : cube
    }

    /// The RGB value xterm shows for a 256-colour index (16-255).
    public static func rgb256(_ i: Int) -> UInt32 {
        if i < 16 { return basic16[i] }
        if i >= 232 { let v = UInt32(8 + 10 * (i - 232)); return v << 16 | v << 8 | v }
        let c = i - 16
        return UInt32(cubeLevels[c / 36]) << 16 | UInt32(cubeLevels[c / 6 % 6]) << 8 | UInt32(cubeLevels[c % 6])
    }

    static func nearest(_ rgb: UInt32, in palette: [UInt32], count: Int) -> Int {
        let c = (Int(rgb >> 16 & 0xFF), Int(rgb >> 8 & 0xFF), Int(rgb & 0xFF))
        var best = 0, bestD = Int.max
        for i in 0..<count {
            let p = palette[i]
            let d = distance(c, (Int(p >> 16 & 0xFF), Int(p >> 8 & 0xFF), Int(p & 0xFF)))
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    /// Perceptual-ish distance ("redmean" weighting), cheap and good enough for palette mapping.
    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let rm = (a.0 + b.0) / 2
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return (((512 + rm) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rm) * db * db) >> 8)
    }

    /// SGR parameters selecting `rgb` as foreground (or background) at `depth`.
    public static func sgr(_ rgb: UInt32, background: Bool, depth: ColourDepth) -> String {
        switch depth {
        case .trueColour:
            return "\(background ? 48 : 38);2;\(rgb >> 16 & 0xFF);\(rgb >> 8 & 0xFF);\(rgb & 0xFF)"
        case .xterm256:
            return "\(background ? 48 : 38);5;\(nearest256(rgb))"
        case .ansi16:
            let i = nearest16(rgb)
            return i < 8 ? "\((background ? 40 : 30) + i)" : "\((background ? 100 : 90) + i - 8)"
        case .ansi8:
            return "\((background ? 40 : 30) + nearest8(rgb))"
        }
    }
}
