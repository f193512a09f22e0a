/// Whether a frame looks like UEFI firmware text (EDK2's graphics console), judged without its font: what lets
/// `fleettui screen/render --text` say "install ovmf or --font" only where that font would help, never on a
/// picture or a console of another kind.
///
/// What EDK2's graphics console draws, as seen in the bed's OVMF frames (Tests/ConsoleCoreTests/Fixtures/uefi-*):
/// - only its 16 text colours: black, the 8 dim colours with components 0x00 or 0x98 (light grey 0x989898, blue
///   0x000098 …), dark grey 0x303030 and the bright ones with components 0x00 or 0xFF (white, yellow …); Linux
///   fbcon and VGA use 0xAA/0xA8, GRUB's gfxterm 0xA8, pictures many more;
/// - in a text mode of 8x19 cells (80x25, 100x31, 80x50 or as many as fit) centred in the frame, black around it;
/// - each cell in two colours at most (a glyph and its background), with the same bitmaps again and again (text).
public enum FirmwareScreen {
    public static let cellWidth = EDK2Font.glyphSize.width, cellHeight = EDK2Font.glyphSize.height

    /// One of EDK2's 16 text colours.
    static func isTextColour(_ c: UInt32) -> Bool {
        let r = (c >> 16) & 0xFF, g = (c >> 8) & 0xFF, b = c & 0xFF
        func all(_ a: UInt32, _ b2: UInt32) -> Bool { [r, g, b].allSatisfy { $0 == a || $0 == b2 } }
        return all(0, 0x98) || all(0, 0xFF) || c & 0xFFFFFF == 0x303030
    }

    /// The text modes EDK2 may centre in a `width`x`height` frame, as (columns, rows).
    static func textModes(width: Int, height: Int) -> [(Int, Int)] {
        var modes = [(80, 25), (100, 31), (80, 50)]
        let most = (width / cellWidth, height / cellHeight)
        if !modes.contains(where: { $0 == most }) { modes.append(most) }
        return modes.filter { $0.0 * cellWidth <= width && $0.1 * cellHeight <= height && $0.0 > 0 && $0.1 > 0 }
    }

    public static func looksLikeEDK2Console(_ frame: Framebuffer) -> Bool {
        let w = frame.width, h = frame.height
        guard w >= 640, h >= 480 else { return false }   // EDK2's graphics console needs 640x480 or more
        // Its colours only, and where the ink is (anything not black).
        var minX = w, maxX = -1, minY = h, maxY = -1
        let palette = frame.pixels.withUnsafeBufferPointer { px -> Bool in
            var known: Set<UInt32> = [0]
            var last: UInt32 = 0
            for y in 0..<h {
                let row = px.baseAddress! + y * w
                var first = -1, end = -1
                for x in 0..<w {
                    let v = row[x] & 0xFFFFFF
                    if v == 0 { continue }
                    if v != last && !known.contains(v) {
                        guard isTextColour(v) else { return false }
                        known.insert(v)
                    }
                    last = v
                    if first < 0 { first = x }
                    end = x
                }
                if first >= 0 {
                    minX = min(minX, first); maxX = max(maxX, end)
                    minY = min(minY, y); maxY = y
                }
            }
            return true
        }
        guard palette, maxX >= 0 else { return false }
        for (cols, rows) in textModes(width: w, height: h) {
            let ox = (w - cols * cellWidth) / 2, oy = (h - rows * cellHeight) / 2
            guard minX >= ox, maxX < ox + cols * cellWidth, minY >= oy, maxY < oy + rows * cellHeight else { continue }
            if cellsLookLikeText(frame, originX: ox, originY: oy, cols: cols, rows: rows) { return true }
        }
        return false
    }

    /// Cells of the grid in two colours at most, and (with enough of them) bitmaps that repeat: text, not noise.
    static func cellsLookLikeText(_ frame: Framebuffer, originX: Int, originY: Int, cols: Int, rows: Int) -> Bool {
        var inked = 0, mixed = 0
        var bitmaps = Set<[UInt8]>()
        frame.pixels.withUnsafeBufferPointer { px in
            var bits = [UInt8](repeating: 0, count: cellHeight)
            for row in 0..<rows {
                for col in 0..<cols {
                    let x0 = originX + col * cellWidth, y0 = originY + row * cellHeight
                    let c0 = px[y0 * frame.width + x0]
                    var c1: UInt32? = nil, third = false
                    for y in 0..<cellHeight {
                        var b: UInt8 = 0
                        let p = px.baseAddress! + (y0 + y) * frame.width + x0
                        for x in 0..<cellWidth {
                            b <<= 1
                            let v = p[x]
                            if v == c0 { continue }
                            b |= 1
                            if c1 == nil { c1 = v } else if v != c1 { third = true }
                        }
                        bits[y] = b
                    }
                    guard c1 != nil else { continue }
                    inked += 1
                    if third { mixed += 1 } else { bitmaps.insert(bits) }
                }
            }
        }
        guard inked > 0, mixed * 50 <= inked else { return false }
        return inked < 40 || bitmaps.count * 10 <= inked * 7
    }
}
