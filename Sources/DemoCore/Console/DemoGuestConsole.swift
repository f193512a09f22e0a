import ConsoleCore
import FleetCore
import Foundation

/// One demo guest's screen and keyboard: what its VNC display shows, as its firmware and kernel would draw it,
/// and what typing on it does. Pure: keys and time come in, pixels go out (only the cells that changed).
///
/// - `.login`: the boot log ends at getty's prompt; any user name logs in (no password) to a small shell
///   (`DemoShell`); `exit` goes back to the prompt, `reboot` boots again.
/// - `.panic`: a kernel oops and panic, frozen; keys do nothing.
/// - `.grub`: GRUB's menu in VGA text mode; Enter boots Linux on the same console, down to a login prompt.
/// - `.picture`: not text.
public struct DemoGuestConsole: Sendable {
    public let spec: DemoConsoleSpec
    public let guest: DemoGuest
    public var width: Int { spec.size.width }
    public var height: Int { spec.size.height }

    enum Stage: Sendable {
        case grub(GrubMenu)
        case grubError(GrubMenu)
        /// Printing the boot log line by line, then showing the login prompt.
        case booting
        case login
        case shell
        case panicked
        case picture
    }

    private var stage: Stage
    private var text: TextConsole?
    private let font: ConsoleFont?
    private var keyboard = KeysymDecoder()
    private var editor = LineEditor(words: DemoShell.commands)
    private var user = "root"
    private var inputStart = (col: 0, row: 0)
    private var drawnInput = 0
    private var queue: [ConsoleLine] = []
    private var nextLineAt = 0.0
    private var pictureDrawn = false
    private var fullRedraw = true
    /// Lines a second while booting (a real boot prints faster than anyone reads).
    static let bootLinesPerSecond = 40.0

    /// `font` must be the framebuffer font for `.framebuffer` displays and the VGA font for `.vgaText`.
    public init(spec: DemoConsoleSpec, guest: DemoGuest, font: ConsoleFont?, now: Double) {
        self.spec = spec
        self.guest = guest
        self.font = font
        if case .picture = spec.screen { stage = .picture; return }
        guard let font else { stage = .picture; return }
        text = TextConsole(cols: spec.size.width / font.cellWidth, rows: spec.size.height / font.cellHeight)
        switch spec.screen {
        case .picture: stage = .picture
        case .grub:
            let menu = GrubMenu()
            stage = .grub(menu)
            menu.draw(into: &text!, font: font)
        case .login:
            stage = .login
            for l in LinuxBootLog.boot(guest) { emit(l) }
            showLoginPrompt(clear: false)
        case .panic:
            stage = .panicked
            for l in LinuxBootLog.boot(guest) { emit(l) }
            for l in LinuxBootLog.issue(guest) { emit(l) }
            text!.write(LinuxBootLog.loginPrompt(guest))
            text!.newline()
            // It died a while before the demo started.
            let diedAt = max(60, guest.uptime(at: now) - 600 - 3000 * DemoNoise.unit(guest.seed, guest.stream, 21))
            for l in LinuxBootLog.panic(guest, uptime: diedAt) { emit(l) }
            text!.cursorVisible = false
        }
    }

    // MARK: - Reading (tests, troubleshooting)

    /// The screen as text, one string per row (nil for pictures).
    public var lines: [String]? { text?.lines }
    public var isText: Bool { text != nil }
    public var cursor: (col: Int, row: Int)? {
        guard let t = text, t.cursorVisible else { return nil }
        return (t.cursorCol, t.cursorRow)
    }

    // MARK: - Input and time

    /// An RFB key event (X11 keysym, press or release) at wall-clock time `now`.
    public mutating func key(_ keysym: UInt32, down: Bool, now: Double) {
        guard let k = keyboard.decode(keysym, down: down) else { return }
        switch stage {
        case .picture, .panicked, .booting: return
        case .grub(var menu):
            guard let font else { return }
            switch menu.key(k) {
            case .none: stage = .grub(menu)
            case .redraw:
                stage = .grub(menu)
                menu.draw(into: &text!, font: font)
            case .error(let lines):
                stage = .grubError(menu)
                text!.clear()
                for l in lines { text!.write(l); text!.newline() }
            case .boot(let title):
                text!.clear()
                text!.write("  Booting `\(title)'"); text!.newline(); text!.newline()
                text!.write("Loading Linux \(LinuxBootLog.kernel) ..."); text!.newline()
                text!.write("Loading initial ramdisk ..."); text!.newline()
                boot(after: now + 1.2, clear: true)
            }
        case .grubError(let menu):
            guard let font else { return }
            stage = .grub(menu)
            menu.draw(into: &text!, font: font)
        case .login:
            switch editor.handle(k) {
            case .edited: drawInput()
            case .submitted(let name):
                finishInput()
                let u = name.trimmingCharacters(in: .whitespaces)
                if u.isEmpty { text!.write(LinuxBootLog.loginPrompt(guest)); markInput(); return }
                guard u.count <= 32, u.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                    text!.newline(); text!.write("Login incorrect"); text!.newline()
                    text!.write(LinuxBootLog.loginPrompt(guest)); markInput(); return
                }
                user = u
                for l in motd() { emit(l) }
                showPrompt(now: now)
            case .interrupted:
                text!.write("^C"); text!.newline()
                for l in LinuxBootLog.issue(guest) { emit(l) }
                text!.write(LinuxBootLog.loginPrompt(guest)); markInput()
            case .clearScreen: showLoginPrompt(clear: true)
            default: break
            }
        case .shell:
            switch editor.handle(k) {
            case .edited: drawInput()
            case .submitted(let line):
                finishInput()
                let r = DemoShell.run(line, context(now: now))
                for l in r.output { emit(ConsoleLine(l)) }
                switch r.action {
                case .none: showPrompt(now: now)
                case .clear: text!.clear(); showPrompt(now: now)
                case .logout: showLoginPrompt(clear: true)
                case .reboot:
                    emit(ConsoleLine("reboot: Restarting system"))
                    if case .grub = spec.screen {
                        stage = .grub(GrubMenu())
                        nextLineAt = now + 1.5
                    } else {
                        boot(after: now + 1.5, clear: true)
                    }
                }
            case .interrupted:
                text!.write("^C"); text!.newline(); showPrompt(now: now)
            case .endOfInput:
                text!.write("logout"); text!.newline()
                showLoginPrompt(clear: true)
            case .clearScreen:
                text!.clear(); showPrompt(now: now, keepLine: true)
            default: break
            }
        }
    }

    /// When `advance` next has something to do (a boot printing), nil when the screen waits for keys.
    public var wakeAt: Double? {
        switch stage {
        case .booting: return nextLineAt
        case .grub where nextLineAt > 0: return nextLineAt
        default: return nil
        }
    }

    /// Lets time pass: a boot prints its next lines.
    public mutating func advance(to now: Double) {
        switch stage {
        case .grub(let menu) where nextLineAt > 0 && now >= nextLineAt:
            nextLineAt = 0
            if let font { menu.draw(into: &text!, font: font) }
        case .booting:
            while now >= nextLineAt, !queue.isEmpty {
                if pendingClear { text!.clear(); pendingClear = false }
                emit(queue.removeFirst())
                nextLineAt += 1 / DemoGuestConsole.bootLinesPerSecond
            }
            if queue.isEmpty {
                for l in LinuxBootLog.issue(guest) { emit(l) }
                text!.write(LinuxBootLog.loginPrompt(guest))
                text!.cursorVisible = true
                markInput()
                stage = .login
            }
        default: break
        }
    }

    // MARK: - Drawing

    /// Draws what changed since the last call (everything the first time, or after `redrawAll`) into a buffer
    /// of `width`x`height` pixels with `stride` words a row. Returns the rectangle drawn, nil if nothing.
    public mutating func draw(into px: UnsafeMutableBufferPointer<UInt32>, stride: Int) -> PixelRect? {
        if text == nil || font == nil {
            guard !pictureDrawn || fullRedraw else { return nil }
            pictureDrawn = true; fullRedraw = false
            if case .picture(let style) = spec.screen {
                DemoPicture.draw(style, into: px, width: width, height: height, stride: stride)
            } else {
                for y in 0..<height { for x in 0..<width { px[y * stride + x] = 0 } }
            }
            return PixelRect(x: 0, y: 0, width: width, height: height)
        }
        if fullRedraw { text!.touchAll(); fullRedraw = false }
        let changed = text!.takeChanges()
        return ConsoleRasterizer.draw(text!, cells: changed, font: font!, into: px, stride: stride)
    }

    /// The next `draw` draws everything (a new framebuffer).
    public mutating func redrawAll() { fullRedraw = true }

    public var hasChanges: Bool { fullRedraw || (text?.hasChanges ?? !pictureDrawn) }

    // MARK: - Helpers

    private mutating func emit(_ line: ConsoleLine) {
        for run in line.runs {
            if let fg = run.fg { text!.write(run.text, fg: fg) } else { text!.write(run.text) }
        }
        text!.newline()
    }

    private mutating func boot(after at: Double, clear: Bool) {
        stage = .booting
        queue = LinuxBootLog.boot(guest)
        nextLineAt = at
        pendingClear = clear
        text!.cursorVisible = false
    }
    private var pendingClear = false

    private mutating func showLoginPrompt(clear: Bool) {
        stage = .login
        if clear { text!.clear() }
        text!.cursorVisible = true
        for l in LinuxBootLog.issue(guest) { emit(l) }
        text!.write(LinuxBootLog.loginPrompt(guest))
        markInput()
    }

    private mutating func showPrompt(now: Double, keepLine: Bool = false) {
        stage = .shell
        text!.write(DemoShell.prompt(context(now: now)))
        markInput()
        if keepLine { drawInput() }
    }

    private func motd() -> [ConsoleLine] {
        [ConsoleLine("Linux \(guest.name) \(LinuxBootLog.kernel) \(LinuxBootLog.kernelBuild) x86_64"), ConsoleLine(""),
         ConsoleLine("The programs included with the Debian GNU/Linux system are free software;"),
         ConsoleLine("the exact distribution terms for each program are described in the"),
         ConsoleLine("individual files in /usr/share/doc/*/copyright."), ConsoleLine(""),
         ConsoleLine("Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent"),
         ConsoleLine("permitted by applicable law.")]
    }

    private func context(now: Double) -> DemoShell.Context {
        let used = Double(guest.memoryMiB) * (guest.profile.used.lowerBound + guest.profile.used.upperBound) / 2
        return DemoShell.Context(hostname: guest.name, user: user, now: now, uptime: guest.uptime(at: now),
                                 load: guest.loadAverage(at: now), memoryMiB: guest.memoryMiB, usedMiB: Int(used))
    }

    /// The input line starts at the cursor.
    private mutating func markInput() {
        inputStart = (text!.cursorCol, text!.cursorRow)
        drawnInput = 0
    }

    /// Draws the editor's line from `inputStart`, wrapping and scrolling as needed, and places the cursor.
    private mutating func drawInput() {
        let cols = text!.cols, rows = text!.rows
        let chars = editor.text
        let cells = inputStart.col + max(chars.count, editor.cursor + 1)
        while inputStart.row + (cells - 1) / cols >= rows && inputStart.row > 0 {
            text!.scroll()
            inputStart.row -= 1
        }
        for i in 0..<max(chars.count, drawnInput) {
            let p = inputStart.col + i
            let row = inputStart.row + p / cols
            guard row < rows else { break }
            text!.put(i < chars.count ? String(chars[i]) : " ", col: p % cols, row: row)
        }
        drawnInput = chars.count
        let p = inputStart.col + editor.cursor
        text!.setCursor(col: p % cols, row: min(rows - 1, inputStart.row + p / cols))
    }

    /// Enter: the cursor goes past the line's end, to the next line.
    private mutating func finishInput() {
        let cols = text!.cols
        let end = inputStart.col + drawnInput
        text!.setCursor(col: end % cols, row: min(text!.rows - 1, inputStart.row + end / cols))
        text!.newline()
        drawnInput = 0
    }
}
