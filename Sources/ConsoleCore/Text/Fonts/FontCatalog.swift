import Foundation

/// Finds and loads the console fonts installed on this machine: every PSF in the console font directories
/// (console-setup's and console-data's) and the VGA BIOS font inside SeaBIOS's VGA ROM.
public enum FontCatalog {
    public static let fontDirectories = [
        "/usr/share/consolefonts", "/usr/share/kbd/consolefonts", "/usr/lib/kbd/consolefonts", "/lib/kbd/consolefonts",
    ]
    public static let biosROMs = ["/usr/share/seabios/vgabios-stdvga.bin", "/usr/share/vgabios/vgabios-stdvga.bin"]

    /// Fonts matched first when two fonts draw the same bitmap for different characters: the VGA BIOS font and
    /// the kernel's built-in fbcon font (console-data's iso01 fonts are byte-identical to them).
    static let preferredNames = ["iso01a-8x16", "iso01.f16", "default8x16", "iso01a-8x14", "iso01a-8x8", "iso01.f14", "iso01.f08"]

    /// Every PSF file in the font directories, preferred fonts first, the rest sorted by name.
    public static func systemFontFiles() -> [String] {
        var files: [String] = []
        var seen = Set<String>()
        for dir in fontDirectories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for n in names.sorted() where n.contains(".psf") && !seen.contains(n) {
                seen.insert(n); files.append(dir + "/" + n)
            }
        }
        func rank(_ path: String) -> Int {
            let base = (path as NSString).lastPathComponent
            return preferredNames.firstIndex { base.hasPrefix($0 + ".") } ?? preferredNames.count
        }
        return files.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// Loads one font file: a PSF (optionally gzip'd) or a VGA ROM image.
    public static func load(path: String) throws -> [BitmapFont] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FontError("\(path): cannot read") }
        let bytes = try Gzip.inflateIfNeeded([UInt8](data), limit: 64 << 20)
        let name = (path as NSString).lastPathComponent
        if PSFParser.isPSF(bytes) { return [try PSFParser.parse(bytes, name: name)] }
        let bios = VGABIOSFont.fonts(inROM: bytes, name: name)
        if bios.isEmpty { throw FontError("\(path): neither a PSF font nor a VGA BIOS image") }
        return bios
    }

    /// The fonts to recognise with: `extra` (user's `--font` files, which must load) first, then the VGA BIOS
    /// fonts, then every system PSF. Unreadable system fonts are skipped and listed in `skipped`.
    public static func loadAll(extra: [String] = []) throws -> (fonts: [BitmapFont], skipped: [String]) {
        var fonts: [BitmapFont] = []
        for path in extra { fonts += try load(path: path) }
        var skipped: [String] = []
        for path in biosROMs where FileManager.default.fileExists(atPath: path) {
            if let f = try? load(path: path) { fonts += f; break }
        }
        for path in systemFontFiles() {
            do { fonts += try load(path: path) } catch { skipped.append("\(error)") }
        }
        return (fonts, skipped)
    }
}
