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
    @Flag(help: "Print as cells: text as characters, pictures as half blocks, in colour where --colors allows (else shades).") var ansi = false
    @OptionGroup(title: "Colours") var colours: ColourOptions
    @Option(name: .customLong("font"), help: "Extra console font (PSF1/PSF2, .gz ok) to recognise with; repeatable.")
    var fonts: [String] = []
    @Option(help: "Picture size in cells for pictures, COLSxROWS (default: the terminal's size, else 80x24).")
    var size: String?

    func validate() throws {
        if text && ansi { throw ValidationError("--text and --ansi are exclusive") }
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
        // Not a text console and no mode asked for: a picture is what there is to show.
        let asText = !(ansi || (!text && !screen.isText))
        let out = ScreenOutput.render(screen: screen, frame: frame, cells: !asText, level: colours.stdoutLevel, pictureSize: pictureSize())
        if asText { FileHandle.standardError.write(Data("fleettui: render: \(ScreenPrinter().report(screen, table: table, frame: frame))\n".utf8)) }
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

/// What `screen` and `render` print: the recognised text, or the cells (text and pictures), coloured at
/// `level` (none: no escape sequences, pictures as ASCII shades).
enum ScreenOutput {
    static func render(screen: TextScreen, frame: Framebuffer, cells: Bool, level: ColourLevel,
                       pictureSize: (cols: Int, rows: Int)) -> String {
        guard cells else { return ScreenPrinter().text(screen) }
        let depth: ColourDepth
        switch level {
        case .none:
            let printer = ScreenPrinter()
            return printer.plain(printer.cells(screen: screen, frame: frame, pictureSize: pictureSize), picture: !screen.isText)
        case .ansi8: depth = .ansi8
        case .ansi16: depth = .ansi16
        case .xterm256: depth = .xterm256
        case .trueColour: depth = .trueColour
        }
        return ScreenPrinter(depth: depth).ansi(screen: screen, frame: frame, pictureSize: pictureSize)
    }
}

