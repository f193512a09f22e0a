import FleetCore

/// What the last look at one display taught: its cell geometry and whether it was a picture, so the next look
/// reads the frame at once instead of searching for a text grid (which costs tens of ms on a picture). A few bytes
/// a display.
public struct ScreenReadHint: Sendable, Hashable {
    public var geometry: CellGeometry?
    public var picture = false
    var looksSinceSearch = 0
    /// A display that showed a picture is searched for a text grid again every this many looks.
    public static let searchEvery = 10

    public init() {}
}

extension ScreenObservation {
    /// What a frame shows: blank (one colour all over), a text console (its lines), or a picture.
    public static func of(_ frame: Framebuffer, table: GlyphTable, hint: inout ScreenReadHint) -> ScreenObservation {
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
    /// Every pixel the same colour (a blanked or switched-off screen).
    public var isUniform: Bool {
        pixels.withUnsafeBufferPointer { p in
            guard let first = p.first else { return true }
            for v in p where v != first { return false }
            return true
        }
    }

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
