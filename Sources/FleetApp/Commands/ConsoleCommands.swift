import ArgumentParser
import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Synchronization

/// VNC security and connection flags shared by `console` and `screen`.
struct VNCOptions: ParsableArguments {
    @Flag(name: .long, help: "Read the VNC password from the domain's secure XML (needs a read-write libvirt connection). Otherwise it is asked for in the console view.")
    var passwordFromXml = false

    @Flag(name: .long, help: "Refuse displays without a password (no silent fall-back to no authentication).")
    var requirePassword = false

    @Flag(name: .long, help: "Also accept VeNCrypt/TLS displays.")
    var tls = false

    @Flag(name: .long, help: "Accept only TLS-protected (VeNCrypt) displays.")
    var tlsOnly = false

    @Option(name: .long, help: ArgumentHelp("CA certificate for X509 VeNCrypt displays.", valueName: "FILE"))
    var tlsCa: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the display to answer (on +ssh hosts: also for the ssh tunnel to connect; a display stalling in the middle of a picture gets as long, at least 15 s).", valueName: "SECONDS"))
    var timeout: Double = 10

    @Flag(name: .long, help: "Do not ask libvirt for a socket to the display (virDomainOpenGraphicsFD); use its TCP/UNIX address.")
    var noGraphicsFd = false

    func apply(to o: inout ConsoleOptions) {
        o.passwordFromXML = passwordFromXml
        o.security = VNCSecurityPolicy(allowNone: !requirePassword, allowVNCAuth: true, allowTLS: tls || tlsOnly,
                                       requireTLS: tlsOnly, tlsCACertFile: tlsCa)
        o.connectTimeout = max(1, timeout)
        // A display that may take that long to answer may pause that long inside a picture too (qemu-xen's PV
        // framebuffer in an emulated dom0 sends 1.9 MB raw frames through a slow network).
        o.readTimeout = max(o.readTimeout, o.connectTimeout)
        o.useGraphicsFD = !noGraphicsFd
    }
}

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Attach to a guest's graphical console (VNC) and show it as text.",
        discussion: """
        Text consoles (BIOS, boot loaders, the Linux console on VGA text, fbcon or a Xen PV framebuffer) are shown \
        as real text; anything else as a picture of block characters. Ctrl+] detaches; F12 opens the menu \
        (Ctrl+Alt+Del, Ctrl+Alt+Fn, SysRq, text/picture mode, zoom and pan).
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var vnc: VNCOptions
    @Argument(help: "Domain name or UUID") var domain: String
    @Flag(name: .long, help: "Wait for the domain to start if it is not running.") var wait = false
    @Flag(name: .long, help: "Keep retrying when the display cannot be reached (once attached, reconnecting is automatic).")
    var reconnect = false
    @OptionGroup(title: "Colours") var colours: ColourOptions

    func validate() throws {
        if connection.connect.count > 1 { throw ValidationError("console attaches to one host: give one -c URI") }
    }

    func run() throws { try runConsole() }

    private func runConsole() throws {
        var options = ConsoleOptions()
        options.wait = wait
        options.reconnect = reconnect
        vnc.apply(to: &options)
        let target = try ConsoleTargetResolver.resolve(connection, domain: domain, command: "console")
        let terminal: Terminal
        do { terminal = try Terminal.open(colors: colours.setting) } catch {
            throw CommandFailure("console: \(error)")
        }
        let theme = terminal.colorMode == .none ? BuiltinThemes.theme("monochrome")! : BuiltinThemes.defaultTheme
        let outcome = ConsoleScreen.attach(terminal: terminal, target: target, options: options, palette: ThemeStyles(theme: theme))
        let signal = terminal.interruptSignal
        terminal.close()
        switch outcome {
        case .detached: return
        case .failed(let line): throw CommandFailure("console: \(line)")
        case .interrupted: throw ExitCode(128 + (signal ?? 2))
        }
    }
}

struct ScreenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Print a guest's current screen once and exit (for scripts).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var vnc: VNCOptions
    @Argument(help: "Domain name or UUID") var domain: String
    @Flag(help: "Print the recognised text, one screen line per output line (default for text consoles).") var text = false
    @Flag(help: "Print as cells: text as characters, pictures as half blocks, in colour where --colors allows (else shades).") var ansi = false
    @OptionGroup(title: "Colours") var colours: ColourOptions
    @Option(name: .customLong("font"), help: "Extra console font (PSF1/PSF2, .gz ok) to recognise with; repeatable.")
    var fonts: [String] = []
    @Option(help: ArgumentHelp("Also save the frame as a binary PPM (as virsh screenshot does).", valueName: "FILE"))
    var ppm: String?
    @Flag(name: .long, help: "Wait for the domain to start if it is not running.") var wait = false

    func validate() throws {
        if text && ansi { throw ValidationError("--text and --ansi are exclusive") }
        if connection.connect.count > 1 { throw ValidationError("screen reads one guest: give one -c URI") }
    }

    func run() throws { try runScreen() }

    private func runScreen() throws {
        var options = ConsoleOptions()
        options.wait = wait
        vnc.apply(to: &options)
        let target = try ConsoleTargetResolver.resolve(connection, domain: domain, command: "screen")
        // Fonts load while the display is being reached.
        let tableBox = FirstResult<GlyphTable>()
        let fonts = fonts
        Thread.detachNewThread { tableBox.set(Result { try GlyphTable.system(extraFonts: fonts) }) }

        if let w = LibVNCClientVersion.warning { FileHandle.standardError.write(Data("fleettui: warning: \(w)\n".utf8)) }
        let frame = try ScreenGrab.grab(target: target, options: options)
        if let ppm {
            do { try Data(frame.ppmData()).write(to: URL(fileURLWithPath: ppm)) } catch {
                throw CommandFailure("screen: cannot write \(Sanitize.oneLine(ppm)): \(error.localizedDescription)")
            }
        }
        let table: GlyphTable
        do { table = try tableBox.wait().get() } catch { throw CommandFailure("screen: \(error)") }
        var reader = ScreenReader(table: table)
        let screen = reader.screen(of: frame)
        let env = ProcessInfo.processInfo.environment
        let size = (cols: Int(env["COLUMNS"] ?? "") ?? 80, rows: max(1, (Int(env["LINES"] ?? "") ?? 25) - 1))
        let asText = !(ansi || (!text && !screen.isText))
        let out = ScreenOutput.render(screen: screen, frame: frame, cells: !asText, level: colours.stdoutLevel, pictureSize: size)
        FileHandle.standardOutput.write(Data(out.utf8))
        // Scripts learn how far to trust the text: how many cells were unsure (printed as the unsure mark).
        if asText { FileHandle.standardError.write(Data("fleettui: screen: \(ScreenPrinter().report(screen, table: table, frame: frame))\n".utf8)) }
    }
}

/// Connects, takes the first complete picture, disconnects.
enum ScreenGrab {
    static func grab(target: ConsoleTarget, options: ConsoleOptions) throws -> Framebuffer {
        let display: OpenedDisplay
        do {
            display = try DisplayConnector.open(target, options: options, cancelled: { false }, status: { _ in })
        } catch {
            throw CommandFailure("screen: \(error)")
        }
        defer { display.close() }
        let pw = display.password
        let config = VNCSessionConfiguration(display: display, options: options, password: { pw })
        let closedBox = FirstResult<Bool>()
        let session = VNCSession(configuration: config) { event in
            if case .closed(let err) = event {
                closedBox.set(.failure(err.map { e -> Error in
                    if let why = display.tunnel?.failure { return VNCError.tunnelFailed(why) }
                    if case .authFailed = e, pw == nil {
                        return CommandFailure("the display of \(display.domainName) wants a VNC password: use --password-from-xml")
                    }
                    return e
                } ?? VNCError.serverClosed))
            }
        }
        session.start()
        defer { session.close() }
        // Updates come once a whole picture did (every pixel, VNCFrameUpdate.wholePictures). QEMU renders a
        // text-mode screen into its framebuffer only while a client is connected: the first whole picture can be
        // stale. Take updates until they settle (quiet for a moment).
        let start = Monotonic.now()
        let deadline = start + options.connectTimeout + options.readTimeout
        var latest: VNCFrameUpdate?
        var lastAt = 0.0
        // A uniform picture is most likely the stale one: it is believed only when a second whole picture, asked for,
        // says so too (PictureConfirmation). A server that has sent no whole picture for a while is asked again
        // (qemu-xen's PV framebuffer in an emulated dom0 can take 20 s or more).
        var confirmation = PictureConfirmation(start: start, settle: 0.3, uniformSettle: 1, askAgainAfter: 8)
        while true {
            let now = Monotonic.now()
            if let u = session.takeUpdate() { latest = u; lastAt = now }
            let step = confirmation.step(latest: latest, quiet: now - lastAt, now: now)
            if step == .accept { break }
            if step == .requestWholePicture { session.requestFullUpdate() }
            if let r = closedBox.wait(timeout: 0.02) {
                // What came is kept, unless it is a uniform picture no second one confirmed (most likely stale).
                if let l = latest, confirmation.isConfirmed(l) { break }
                do { _ = try r.get() } catch { throw CommandFailure(error, context: "screen") }
                throw CommandFailure("screen: the display of \(display.domainName) closed before a whole picture came")
            }
            if now > deadline {
                if let l = latest {
                    if l.isUniform && l.wholePictures < max(2, confirmation.wanted) {
                        FileHandle.standardError.write(Data("fleettui: screen: \(display.domainName)'s display showed one uniform picture and sent no second one within \(Int(options.connectTimeout + options.readTimeout)) s: it may be stale\n".utf8))
                    }
                    break
                }
                throw CommandFailure("screen: no whole picture from \(display.domainName) within \(Int(options.connectTimeout + options.readTimeout)) s")
            }
        }
        let u = latest!
        return Framebuffer(width: u.width, height: u.height, pixels: u.pixels)
    }
}

/// The first result set from any thread, waited for on another.
final class FirstResult<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func set(_ r: Result<T, any Error>) {
        let first = value.withLock { v in
            guard v == nil else { return false }
            v = r
            return true
        }
        if first { ready.signal() }
    }

    func wait() -> Result<T, any Error> {
        ready.wait(); ready.signal()
        return value.withLock { $0! }
    }

    func wait(timeout: Double) -> Result<T, any Error>? {
        guard ready.wait(timeout: .now() + timeout) == .success else { return nil }
        ready.signal()
        return value.withLock { $0 }
    }
}
