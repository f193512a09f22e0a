/// A console bitmap font: fixed-size glyphs, each row a bit pattern (bit `width-1-x` = pixel x), plus the
/// characters each glyph shows (a glyph may stand for several code points, or none).
public struct BitmapFont: Sendable {
    public var name: String
    public var width: Int
    public var height: Int
    /// `glyphs[g]` has `height` rows.
    public var glyphs: [[UInt32]]
    /// `characters[g]`: the characters glyph g shows (from the font's Unicode table or its code page).
    public var characters: [[Character]]

    public init(name: String, width: Int, height: Int, glyphs: [[UInt32]], characters: [[Character]]) {
        self.name = name; self.width = width; self.height = height
        self.glyphs = glyphs; self.characters = characters
    }
}

/// Why a font file was not usable (one line).
public struct FontError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
