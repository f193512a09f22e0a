import Foundation

/// Finds and loads the console fonts installed on this machine: every PSF in the console font directories
/// (console-setup's and console-data's), the VGA BIOS font inside SeaBIOS's VGA ROM and the EDK2 (UEFI) console
/// font inside an OVMF firmware image.
public enum FontCatalog {
    public static var fontDirectories: [String] {
        [userFontDirectory, "/usr/share/consolefonts", "/usr/share/kbd/consolefonts", "/usr/lib/kbd/consolefonts",
         "/lib/kbd/consolefonts"]
    }

    /// The user's own fonts, read like the system's: $XDG_DATA_HOME/fleettui/fonts (~/.local/share/fleettui/fonts).
    /// A font exported on another machine (`fleettui font-export`, e.g. the EDK2 font of a host with OVMF)
    /// dropped here is used on every start.
    public static var userFontDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let x = env["XDG_DATA_HOME"], x.hasPrefix("/") { return x + "/fleettui/fonts" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/share/fleettui/fonts"
    }
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

    /// Fonts read out of a firmware or kernel image cost a decompression (0.5-2 s): they are kept as PSF2 files in
    /// the cache directory, keyed by the image's path, size and mtime, and read from there while it is unchanged.
    static func derived(_ path: String, extract: () throws -> [BitmapFont]) throws -> [BitmapFont] {
        let base = GlyphCache.directory + "/derived-\(String(GlyphCache.fingerprint([path]), radix: 16))"
        var cached: [BitmapFont] = []
        while let data = FileManager.default.contents(atPath: base + "-\(cached.count).psf"),
              let f = try? PSFParser.parse([UInt8](data), name: (path as NSString).lastPathComponent) {
            cached.append(f)
        }
        if !cached.isEmpty { return cached }
        let fonts = try extract()
        try? FileManager.default.createDirectory(atPath: GlyphCache.directory, withIntermediateDirectories: true)
        for (i, f) in fonts.enumerated() {
            try? Data(PSFWriter.psf2(f)).write(to: URL(fileURLWithPath: base + "-\(i).psf"), options: .atomic)
        }
        return fonts
    }

    /// The system's fonts wider than 8 pixels: what finds a kernel's big built-in fonts (`LinuxKernelFont`).
    static func referenceFonts() -> [BitmapFont] {
        systemFontFiles().filter { $0.contains("32x16") || $0.contains("16x32") }.flatMap { (try? load(path: $0)) ?? [] }
            .filter { $0.width > 8 }
    }

    /// The first UEFI firmware image installed (one is enough: they all carry the same console font).
    public static func firmwareImage() -> String? {
        EDK2Font.firmwareImages.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Loads one font file: a PSF (optionally gzip'd), a VGA ROM image or a UEFI firmware image.
    public static func load(path: String) throws -> [BitmapFont] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FontError("\(path): cannot read") }
        let bytes = try Gzip.inflateIfNeeded([UInt8](data), limit: 64 << 20)
        let name = (path as NSString).lastPathComponent
        if PSFParser.isPSF(bytes) { return [try PSFParser.parse(bytes, name: name)] }
        if LinuxKernelFont.isKernelImage(bytes) {
            return try derived(path) {
                let fonts = try LinuxKernelFont.fonts(inKernelImage: bytes, name: name, reference: referenceFonts())
                if fonts.isEmpty { throw FontError("\(path): no built-in console font found in this kernel image") }
                return fonts
            }
        }
        if FirmwareVolume.looksLikeFirmware(bytes) {
            return try derived(path) {
                let fonts = EDK2Font.fonts(inFirmware: bytes, name: name)
                if fonts.isEmpty { throw FontError("\(path): a firmware image without an EDK2 console font") }
                return fonts
            }
        }
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
        if let fw = firmwareImage() {
            do { fonts += try load(path: fw) } catch { skipped.append("\(error)") }
        }
        for path in systemFontFiles() {
            do { fonts += try load(path: path) } catch { skipped.append("\(error)") }
        }
        // The kernel's own big fonts (fbcon on large screens), anchored by the system's fonts of their size.
        if let kernel = LinuxKernelFont.kernelImages().first, let data = FileManager.default.contents(atPath: kernel) {
            do {
                fonts += try LinuxKernelFont.fonts(inKernelImage: [UInt8](data), name: (kernel as NSString).lastPathComponent,
                                                   reference: fonts.filter { $0.width > 8 })
            } catch { skipped.append("\(error)") }
        }
        return (fonts, skipped)
    }
}
