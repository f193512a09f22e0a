import FleetCore

/// What the last look at one display taught: its cell geometry and whether it was a picture, so the next look
/// reads the frame at once instead of searching for a text grid (which costs tens of ms on a picture); and the last
/// frame's checksum with what it showed, so the same frame again is not read again (most screens of a fleet do not
/// change from one look to the next). A few bytes a display: the observation kept is the one the display's screen
/// holds anyway (the same text storage).
public struct ScreenReadHint: Sendable, Hashable {
    public var geometry: CellGeometry?
    public var picture = false
    var looksSinceSearch = 0
    /// The last frame read (`Framebuffer.checksum`) and what it showed.
    public internal(set) var frameChecksum: UInt64?
    public internal(set) var lastObservation: ScreenObservation?
    /// Frames read since the hint was made, and how many of them were the last frame again (not read again).
    public internal(set) var frames = 0
    public internal(set) var unchangedFrames = 0
    /// A display that showed a picture is searched for a text grid again every this many looks.
    public static let searchEvery = 10

    public init() {}
}

extension ScreenObservation {
    /// What a frame shows: blank (one colour all over), a text console (its lines), or a picture. The same frame as
    /// the hint's last one (by checksum) shows what it showed then, without reading it again.
    public static func of(_ frame: Framebuffer, table: GlyphTable, hint: inout ScreenReadHint) -> ScreenObservation {
        let sum = frame.checksum
        hint.frames += 1
        if let last = hint.lastObservation, hint.frameChecksum == sum {
            hint.unchangedFrames += 1
            return last
        }
        let o = read(frame, table: table, hint: &hint)
        hint.frameChecksum = sum
        hint.lastObservation = o
        return o
    }

    private static func read(_ frame: Framebuffer, table: GlyphTable, hint: inout ScreenReadHint) -> ScreenObservation {
        if frame.isUniform { return .blank(width: frame.width, height: frame.height) }
        hint.looksSinceSearch += 1
        if let geo = hint.geometry, geo.fits(frame) {
            let screen = TextRecognizer(geometry: geo, index: table.index(geo.glyph)).recognize(frame)
            if screen.isText {
                hint.picture = false
                return screen.inkCells == 0 ? .blank(width: frame.width, height: frame.height) : .text(ScreenText(screen))
            }
            if hint.picture && hint.looksSinceSearch < ScreenReadHint.searchEvery {
                return .picture(width: frame.width, height: frame.height)
            }
        }
        hint.looksSinceSearch = 0
        // Consoles draw with a palette (16 colours, a few more in GRUB's gfxterm); a photo, a gradient or a
        // desktop has far more: no grid search for those.
        if frame.distinctColours(upTo: 64) >= 64 {
            hint.picture = true
            hint.geometry = nil
            return .picture(width: frame.width, height: frame.height)
        }
        // The usual consoles first (VGA text's 9x16 cells, else 8x16 from the top left): most screens are one
        // of these, and reading them once costs far less than trying every cell size and offset.
        if let guess = likelyGeometry(frame, table: table) {
            let screen = TextRecognizer(geometry: guess, index: table.index(guess.glyph)).recognize(frame)
            if screen.inkCells > 0 && screen.recognisedFraction >= 0.99 {
                hint.geometry = guess
                hint.picture = false
                return .text(ScreenText(screen))
            }
            // Then the same cells at any offset (GRUB's gfxterm draws its menu off the top left): searching one cell
            // size costs a few ms, every size tens.
            let common = GlyphTable(fonts: [], base: [table.index(guess.glyph)], baseSizes: [guess.glyph])
            if let found = GeometryDetector.detect(frame, table: common), found.fraction >= 0.99 {
                let screen = TextRecognizer(geometry: found.geometry, index: table.index(found.geometry.glyph)).recognize(frame)
                if screen.inkCells > 0 && screen.recognisedFraction >= 0.99 {
                    hint.geometry = found.geometry
                    hint.picture = false
                    return .text(ScreenText(screen))
                }
            }
        }
        var reader = ScreenReader(table: table)
        let screen = reader.screen(of: frame)
        hint.geometry = screen.geometry
        hint.picture = !screen.isText
        if !screen.isText { return .picture(width: frame.width, height: frame.height) }
        return screen.inkCells == 0 ? .blank(width: frame.width, height: frame.height) : .text(ScreenText(screen))
    }

    static func likelyGeometry(_ f: Framebuffer, table: GlyphTable) -> CellGeometry? {
        let g = GlyphSize(width: 8, height: 16)
        guard table.sizes.contains(g) else { return nil }
        let cw = f.width == 720 && f.height == 400 ? 9 : 8
        return CellGeometry(frameWidth: f.width, frameHeight: f.height, cellWidth: cw, cellHeight: 16, glyph: g)
    }

    /// The same, with a reader that keeps the last screen (the console, `screen`).
    public static func of(_ frame: Framebuffer, reader: inout ScreenReader) -> ScreenObservation {
        if frame.isUniform { return .blank(width: frame.width, height: frame.height) }
        let screen = reader.screen(of: frame)
        guard screen.isText else { return .picture(width: frame.width, height: frame.height) }
        return screen.inkCells == 0 ? .blank(width: frame.width, height: frame.height) : .text(ScreenText(screen))
    }
}

extension ScreenText {
    /// The recognised lines; unknown cells are `ScreenText.unknown`.
    public init(_ screen: TextScreen) {
        self.init(lines: screen.lines(unknown: ScreenText.unknown), cols: screen.cols)
    }
}

extension CellGeometry {
    /// The grid covers the frame as a console's does (whole cells, the same count a fresh detection would give).
    func fits(_ f: Framebuffer) -> Bool {
        cellWidth > 0 && cellHeight > 0
            && originX + cols * cellWidth <= f.width && originY + rows * cellHeight <= f.height
            && cols == (f.width - originX) / cellWidth && rows == (f.height - originY) / cellHeight
    }
}

extension Framebuffer {
    /// A 64-bit checksum of the size and every pixel, to tell the same frame again from a changed one. Four lanes of
    /// xor-multiply over 64-bit words (a tenth of a millisecond for 1024x768): each step is a bijection of its lane,
    /// so a frame differing from another in one word (two pixels) always has another checksum.
    public var checksum: UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h0 = k ^ UInt64(width), h1 = k &* 3 ^ UInt64(height), h2 = k &* 5, h3 = k &* 7
        pixels.withUnsafeBytes { raw in
            let words = raw.count / 8
            var i = 0
            while i + 4 <= words {
                h0 = (h0 ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x100_0000_01B3
                h1 = (h1 ^ raw.loadUnaligned(fromByteOffset: i * 8 + 8, as: UInt64.self)) &* 0x100_0000_01B3
                h2 = (h2 ^ raw.loadUnaligned(fromByteOffset: i * 8 + 16, as: UInt64.self)) &* 0x100_0000_01B3
                h3 = (h3 ^ raw.loadUnaligned(fromByteOffset: i * 8 + 24, as: UInt64.self)) &* 0x100_0000_01B3
                i += 4
            }
            var off = i * 8
            while off < raw.count {
                h0 = (h0 ^ UInt64(raw[off])) &* 0x100_0000_01B3
                off += 1
            }
        }
        // Lanes combined so that a change in any one of them changes the result.
        return h0 ^ (h1 &* k).rotated(13) ^ (h2 &* k).rotated(29) ^ (h3 &* k).rotated(47)
    }

    /// Every pixel the same colour (a blanked or switched-off screen).
    public var isUniform: Bool { allTheSame(pixels) }

    /// How many different colours a sample of the frame has, counting up to `limit`.
    func distinctColours(upTo limit: Int) -> Int {
        var seen = Set<UInt32>()
        seen.reserveCapacity(limit)
        let n = pixels.count
        guard n > 0 else { return 0 }
        // ~8000 pixels spread over the frame (an odd stride, so columns vary).
        let stride = max(1, (n / 8000) | 1)
        var i = 0
        return pixels.withUnsafeBufferPointer { p in
            while i < n {
                seen.insert(p[i])
                if seen.count >= limit { return limit }
                i += stride
            }
            return seen.count
        }
    }
}

extension UInt64 {
    fileprivate func rotated(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
