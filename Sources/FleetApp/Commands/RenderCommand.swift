import ArgumentParser
import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a saved frame (binary PPM or PNG, as virsh screenshot writes; .gz accepted) as text.")

    @Argument(help: "PPM (P6) or PNG file, optionally gzip'd") var file: String
    @Flag(help: "Print the recognised text, one screen line per output line (default for text consoles).") var text = false
    @Flag(help: "Print with colours (SGR): text as characters, pictures as half blocks.") var ansi = false
    @Option(help: "Colours for --ansi: 24bit, 256, 16 or 8.") var colors: String = "24bit"
    @Option(name: .customLong("font"), help: "Extra console font (PSF1/PSF2, .gz ok) to recognise with; repeatable.")
    var fonts: [String] = []
    @Option(help: "Picture size in cells for pictures, COLSxROWS (default: the terminal's size, else 80x24).")
    var size: String?

    func validate() throws {
        if text && ansi { throw ValidationError("--text and --ansi are exclusive") }
        if ColourDepth(argument: colors) == nil { throw ValidationError("--colors must be 24bit, 256, 16 or 8") }
    }

    func run() throws {
        let frame: Framebuffer
        do {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw FramebufferError("cannot read \(file)")
            }
            frame = try Framebuffer(imageFile: [UInt8](data))
        } catch let e as FramebufferError {
            throw CommandFailure("render: \(Sanitize.oneLine(file)): \(e.description)")
        }
        let table: GlyphTable
        do { table = try GlyphTable.system(extraFonts: fonts) } catch {
            throw CommandFailure("render: \(error)")
        }
        var reader = ScreenReader(table: table)
        let screen = reader.screen(of: frame)
        let printer = ScreenPrinter(depth: ColourDepth(argument: colors) ?? .trueColour)
        let out: String
        if ansi {
            out = printer.ansi(screen: screen, frame: frame, pictureSize: pictureSize())
        } else if text || screen.isText {
            out = printer.text(screen)
            FileHandle.standardError.write(Data("fleettui: render: \(printer.report(screen, table: table))\n".utf8))
        } else {
            // Not a text console and no mode asked for: a picture is what there is to show.
            out = printer.ansi(screen: screen, frame: frame, pictureSize: pictureSize())
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    func pictureSize() -> (cols: Int, rows: Int) {
        if let size, let x = size.firstIndex(of: "x"), let c = Int(size[..<x]), let r = Int(size[size.index(after: x)...]),
           c > 0, r > 0, c <= 1000, r <= 1000 { return (c, r) }
        var ws = winsize()
        if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 1 {
            return (Int(ws.ws_col), Int(ws.ws_row) - 1)
        }
        let env = ProcessInfo.processInfo.environment
        return (Int(env["COLUMNS"] ?? "") ?? 80, max(1, (Int(env["LINES"] ?? "") ?? 25) - 1))
    }
}
