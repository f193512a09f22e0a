import ArgumentParser
import ConsoleCore
import FleetCore
import Foundation

/// `fleettui font-export`: the EDK2 (UEFI firmware) console font, read out of an OVMF image, as a PSF2 file, so
/// that a machine without OVMF (a jump host) can read firmware screens: copy it to its
/// ~/.local/share/fleettui/fonts or pass it with --font.
struct FontExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "font-export",
        abstract: "Write the UEFI firmware (EDK2) console font, read out of an OVMF image, as a PSF2 font file.",
        discussion: """
        The font is not shipped with FleetTUI: it is read at run time from the firmware this machine has \
        (Debian's ovmf package: \(EDK2Font.firmwareImages[0])). Copy the file to \
        ~/.local/share/fleettui/fonts on a machine without OVMF, or pass it there with --font.
        """)
    @Option(help: ArgumentHelp("UEFI firmware image to read (default: the first installed of the usual paths).", valueName: "FILE"))
    var firmware: String?
    @Argument(help: "Where to write the PSF2 font") var output: String

    func run() throws {
        guard let fw = firmware ?? FontCatalog.firmwareImage() else {
            throw FontExportFailure("font-export: no UEFI firmware image found (install the ovmf package or pass --firmware FILE)")
        }
        guard let data = FileManager.default.contents(atPath: fw) else {
            throw FontExportFailure("font-export: cannot read \(Sanitize.oneLine(fw))")
        }
        let fonts = EDK2Font.fonts(inFirmware: [UInt8](data), name: (fw as NSString).lastPathComponent)
        guard let narrow = fonts.first else {
            throw FontExportFailure("font-export: \(Sanitize.oneLine(fw)) has no EDK2 console font")
        }
        do { try Data(PSFWriter.psf2(narrow)).write(to: URL(fileURLWithPath: output)) } catch {
            throw FontExportFailure("font-export: cannot write \(Sanitize.oneLine(output)): \(error.localizedDescription)")
        }
        var note = "\(narrow.glyphs.count) glyphs \(narrow.width)x\(narrow.height)"
        if fonts.count > 1 { note += " (the firmware's \(fonts[1].glyphs.count) wide glyphs are not in a PSF: pass the firmware itself with --font)" }
        FileHandle.standardError.write(Data("fleettui: font-export: \(Sanitize.oneLine(output)): \(note)\n".utf8))
    }
}

struct FontExportFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
