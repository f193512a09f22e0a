/// Reads frames of one guest screen as text, remembering the geometry and the last screen so that an update
/// of a dirty rectangle only re-recognises the cells it touches.
public struct ScreenReader: Sendable {
    public let table: GlyphTable
    public private(set) var screen: TextScreen?
    /// Set when the cell geometry is forced (tests, `--geometry`) rather than detected.
    public var fixedGeometry: CellGeometry?
    /// A screen that is not text is searched for a text grid again only every this many reads.
    public static let redetectEvery = 25
    private var readsSinceDetection = 0
    /// The last full read was a text console (a picture's dirty cells are expected not to be glyphs).
    private var wasText = false

    public init(table: GlyphTable, geometry: CellGeometry? = nil) {
        self.table = table
        self.fixedGeometry = geometry
    }

    /// What an update changed. The new screen is `reader.screen`: read cells from there rather than keeping a
    /// copy of the whole screen, or each update copies it (copy-on-write) and stops costing in proportion.
    public struct Update: Sendable {
        /// Cells whose content changed (all cells when the geometry changed), with their new content.
        public var changed: [CellPosition]
        public var geometryChanged: Bool
        /// The geometry after the update.
        public var geometry: CellGeometry
    }

    /// Reads a whole frame and returns the screen.
    public mutating func screen(of frame: Framebuffer) -> TextScreen {
        read(frame)
        return screen!
    }

    /// Reads a whole frame, re-detecting the geometry when the frame size changed or the old one no longer fits.
    @discardableResult
    public mutating func read(_ frame: Framebuffer) -> Update {
        readsSinceDetection += 1
        if let geo = fixedGeometry ?? screen?.geometry, fits(geo, frame) {
            let rec = TextRecognizer(geometry: geo, table: table)
            let full = rec.recognize(frame)
            // A picture stays a picture for a while: looking for a text grid again costs tens of ms. Text that
            // stops being readable (a font or mode change) is looked at again at once.
            if fixedGeometry != nil || full.isText || full.inkCells == 0
                || (!wasText && readsSinceDetection < ScreenReader.redetectEvery) {
                return replace(with: full)
            }
        }
        readsSinceDetection = 0
        let geo = GeometryDetector.detect(frame, table: table)?.geometry
            ?? screen.flatMap { fits($0.geometry, frame) ? $0.geometry : nil }
            ?? defaultGeometry(frame)
        return replace(with: TextRecognizer(geometry: geo, table: table).recognize(frame))
    }

    /// Re-recognises the cells `dirty` touches (the frame already holds the new pixels). Cost is in proportion
    /// to the rectangle. Falls back to a full read when the geometry seems to have changed (mode or font change).
    public mutating func update(_ frame: Framebuffer, dirty: PixelRect) -> Update {
        guard var current = screen, fits(current.geometry, frame) else { return read(frame) }
        // A picture may turn into a text console (boot splash -> login): look for a text grid now and then.
        if !wasText && fixedGeometry == nil {
            readsSinceDetection += 1
            if readsSinceDetection >= ScreenReader.redetectEvery { return read(frame) }
        }
        screen = nil   // sole owner of the cells while they are updated in place (no copy)
        let geo = current.geometry
        let (cols, rows) = geo.cells(touching: dirty.intersection(frame.bounds))
        let rec = TextRecognizer(geometry: geo, table: table)
        let changed = rec.recognize(frame, cols: cols, rows: rows, into: &current.cells)
        // Many new unrecognised cells: the guest probably switched mode or font: look again from scratch.
        if fixedGeometry == nil && wasText {
            var ink = 0, bad = 0
            for p in changed {
                let c = current[p.col, p.row]
                if !c.blank { ink += 1; if !c.recognised { bad += 1 } }
            }
            if ink >= 8 && bad * 2 > ink {
                screen = current
                readsSinceDetection = ScreenReader.redetectEvery
                let again = read(frame)
                if again.geometryChanged { return again }
                return Update(changed: Array(Set(changed + again.changed)), geometryChanged: false, geometry: geo)
            }
        }
        screen = current
        return Update(changed: changed, geometryChanged: false, geometry: geo)
    }

    private mutating func replace(with new: TextScreen) -> Update {
        let old = screen
        screen = new
        wasText = new.isText
        if let old, old.geometry == new.geometry {
            var changed: [CellPosition] = []
            for i in 0..<new.cells.count where old.cells[i] != new.cells[i] {
                changed.append(CellPosition(col: i % new.cols, row: i / new.cols))
            }
            return Update(changed: changed, geometryChanged: false, geometry: new.geometry)
        }
        let all = (0..<new.cells.count).map { CellPosition(col: $0 % new.cols, row: $0 / new.cols) }
        return Update(changed: all, geometryChanged: true, geometry: new.geometry)
    }

    private func fits(_ g: CellGeometry, _ f: Framebuffer) -> Bool {
        g.originX + g.cols * g.cellWidth <= f.width && g.originY + g.rows * g.cellHeight <= f.height
            && g.cols == (f.width - g.originX) / g.cellWidth && g.rows == (f.height - g.originY) / g.cellHeight
    }

    /// A blank screen: assume the common console layout (VGA text for 720x400, else 8x16 fbcon).
    private func defaultGeometry(_ f: Framebuffer) -> CellGeometry {
        let g = GlyphSize(width: 8, height: 16)
        let cw = f.width % 9 == 0 && f.width / 9 == 80 ? 9 : 8
        return CellGeometry(frameWidth: f.width, frameHeight: f.height, cellWidth: cw, cellHeight: 16, glyph: g)
    }
}
