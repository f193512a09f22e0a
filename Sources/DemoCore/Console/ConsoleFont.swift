import ConsoleCore
import Foundation

/// A console font as the demo's consoles draw with it: a PSF's glyphs, the character each stands for, and the
/// cell it is drawn in (8 pixels wide on a framebuffer; 9 in VGA text mode, where the 9th column is blank, or a
/// copy of the 8th for the line-drawing codes 0xC0-0xDF, as the VGA hardware does).
public struct ConsoleFont: Sendable {
    public let font: BitmapFont
    public let cellWidth: Int
    public var cellHeight: Int { font.height }
    private let glyphs: [Character: Int]
    private let fallback: Int

    public init(_ font: BitmapFont, vgaText: Bool = false) {
        precondition(font.width == 8, "console fonts here are 8 pixels wide")
        self.font = font
        cellWidth = vgaText ? 9 : 8
        var map: [Character: Int] = [:]
        for (g, chars) in font.characters.enumerated() {
            for c in chars where map[c] == nil { map[c] = g }
        }
        glyphs = map
        fallback = map["?"] ?? 0
    }

    public func has(_ c: Character) -> Bool { glyphs[c] != nil }

    /// The glyph for a character (a "?" for characters the font lacks).
    public func glyph(for c: Character) -> Int { glyphs[c] ?? fallback }

    /// `preferred` where the font has it, else `fallback` (e.g. "↑" or "^").
    public func pick(_ preferred: String, else fallback: String) -> String {
        preferred.allSatisfy(has) ? preferred : fallback
    }

    /// Whether glyph `g` continues into a VGA cell's 9th column.
    func extendsIntoNinthColumn(_ g: Int) -> Bool { cellWidth == 9 && (0xC0...0xDF).contains(g) }
}

/// Which installed console fonts the demo draws with: the kernel's fbcon font and the VGA BIOS font, as
/// console-data ships them (the same files the recogniser reads), else the closest relatives.
public enum DemoFonts {
    /// Linux fbcon's built-in 8x16 font.
    public static let framebufferNames = ["iso01.f16", "default8x16", "Lat15-Fixed16", "lat1-16", "Uni2-VGA16"]
    /// The VGA BIOS font (code page 437 order, line drawing and arrows included): VGA text mode, GRUB and the
    /// Linux console on it. SeaBIOS's VGA ROM has the original; console-data's default8x16 is the same font with
    /// a Unicode table. (iso01a-8x16 looks like it but has no table and Latin-1 in its upper half.)
    public static let vgaNames = ["default8x16", "Uni2-VGA16", "Lat15-VGA16"]

    public struct Missing: Error, CustomStringConvertible {
        public init() {}
        public var description: String {
            "no 8x16 console font found in \(FontCatalog.fontDirectories.joined(separator: ", ")) (install console-data)"
        }
    }

    /// Loads the first of `names` found in the console font directories.
    public static func load(_ names: [String], directories: [String] = FontCatalog.fontDirectories) throws -> BitmapFont {
        for name in names {
            for dir in directories {
                for ext in [".psf.gz", ".psf", ".psfu.gz", ".psfu"] {
                    let path = dir + "/" + name + ext
                    guard FileManager.default.isReadableFile(atPath: path),
                          let font = try? FontCatalog.load(path: path).first, font.width == 8, font.height == 16 else { continue }
                    return font
                }
            }
        }
        throw Missing()
    }

    public static func framebuffer() throws -> ConsoleFont { ConsoleFont(try load(framebufferNames)) }
    public static func vga() throws -> ConsoleFont {
        for rom in FontCatalog.biosROMs {
            guard let bytes = FileManager.default.contents(atPath: rom) else { continue }
            if let f = VGABIOSFont.fonts(inROM: [UInt8](bytes), name: rom).first(where: { $0.height == 16 }) {
                return ConsoleFont(f, vgaText: true)
            }
        }
        return ConsoleFont(try load(vgaNames), vgaText: true)
    }
}
