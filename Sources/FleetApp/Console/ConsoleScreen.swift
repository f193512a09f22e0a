// Entry point for the monitor (and `fleettui console`):
//
//     ConsoleScreen.attach(terminal: Terminal, target: ConsoleTarget, options: ConsoleOptions = ConsoleOptions()) -> ConsoleOutcome
//
// Runs on an already-open Terminal and returns when the user detaches (Ctrl+]), when the connection
// fails for good, or on SIGINT/SIGTERM/SIGHUP (`.interrupted`). Call `terminal.invalidate()` afterwards
// is not needed: attach invalidates on the way out. Example from the monitor:
//
//     let outcome = ConsoleScreen.attach(terminal: term, target: ConsoleTarget(uri: host.uri, domain: row.uuid))
//     if case .failed(let line) = outcome { showStatus(line) }

import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation

enum ConsoleOutcome: Equatable {
    case detached
    case failed(String)        // one line, sanitised
    case interrupted           // a signal arrived: the caller should exit
}

/// The console view: a guest's screen as text (or block-character pictures) with keyboard input.
final class ConsoleScreen: @unchecked Sendable {
    static func attach(terminal: Terminal, target: ConsoleTarget, options: ConsoleOptions = ConsoleOptions()) -> ConsoleOutcome {
        let screen = ConsoleScreen(terminal: terminal, target: target, options: options)
        let outcome = screen.run()
        terminal.invalidate()
        return outcome
    }

    // MARK: state (UI thread unless noted)

    private let terminal: Terminal
    private let target: ConsoleTarget
    private let options: ConsoleOptions
    private let waker: TerminalWaker

    private enum Inbox {
        case status(String)
        case opened(OpenedDisplay, VNCSession, Int)
        case openFailed(String, transient: Bool, Int)
        case session(VNCSessionEvent, Int)
        case passwordWanted(Int)
        case tableLoaded(GlyphTable?)
    }
    private let inboxLock = NSLock()
    private var inbox: [Inbox] = []

    private var attempt = 0                      // connection generation: events of older ones are ignored
    private var session: VNCSession?
    private var display: OpenedDisplay?
    private var everConnected = false
    private var connected = false
    private var statusText = "connecting…"
    private var errorText: String?
    private var retryAt: Double?
    private var retryDelay = 1.0
    private let cancelFlag = CancelFlag()

    private var table: GlyphTable?
    private var reader: ScreenReader?
    private var frame: Framebuffer?
    /// The recognised screen lives in `reader.screen` (no copy kept: updates then cost in proportion).
    private var textScreen: TextScreen? { reader?.screen }
    private var guestCursor: CellPosition?
    private var desktopName = ""

    enum Mode: String { case auto, text, picture }
    private var mode = Mode.auto
    private var viewport = Viewport()
    private var menuOpen = false
    private var awaitingSysRq = false
    private var paste = PasteDecoder()
    private var lastKeyAt = 0.0
    private var needsDraw = true

    // Password prompt: the session thread waits on `passwordReady` while the UI collects keys.
    private var passwordPrompt: [UInt8]?
    private var cachedPassword: VNCPassword?
    private let passwordLock = NSLock()
    private var passwordAnswer: VNCPassword?
    private let passwordReady = DispatchSemaphore(value: 0)

    private init(terminal: Terminal, target: ConsoleTarget, options: ConsoleOptions) {
        self.terminal = terminal
        self.target = target
        self.options = options
        self.waker = terminal.waker
    }

    // MARK: - Loop

    private func run() -> ConsoleOutcome {
        BracketedPaste.enable()
        defer { BracketedPaste.disable() }
        loadGlyphTable()
        errorText = LibVNCClientVersion.warning
        connect()
        var outcome: ConsoleOutcome?
        while outcome == nil {
            if terminal.interrupted { outcome = .interrupted; break }
            outcome = drainInbox()
            if outcome != nil { break }
            if let at = retryAt, Monotonic.now() >= at { retryAt = nil; connect() }
            if needsDraw { draw(); needsDraw = false }
            var timeout = 1.0
            if let at = retryAt { timeout = max(0.01, min(timeout, at - Monotonic.now())) }
            if paste.isBuffering { timeout = min(timeout, 0.05) }
            if let key = terminal.nextKey(timeout: timeout) {
                lastKeyAt = Monotonic.now()
                outcome = handle(key)
            } else if paste.isBuffering && Monotonic.now() - lastKeyAt > 0.05 {
                for out in paste.flush() { outcome = outcome ?? deliver(out) }
            }
        }
        shutdown()
        return outcome ?? .detached
    }

    private func shutdown() {
        cancelFlag.set()
        answerPassword(nil)
        session?.close()
        display?.close()
        cachedPassword?.wipe()
        cachedPassword = nil
        if let p = passwordPrompt { wipe(p) }
        passwordPrompt = nil
    }

    private func post(_ m: Inbox) {
        inboxLock.lock(); inbox.append(m); inboxLock.unlock()
        waker.wake()
    }

    // MARK: - Connecting

    private static let sharedTable = SharedTable()

    private func loadGlyphTable() {
        if let t = Self.sharedTable.get() { table = t; return }
        Thread.detachNewThread { [self] in
            let t = try? GlyphTable.system()
            if let t { Self.sharedTable.set(t) }
            post(.tableLoaded(t))
        }
    }

    private func connect() {
        attempt += 1
        let id = attempt
        connected = false
        statusText = everConnected ? "reconnecting…" : "connecting…"
        needsDraw = true
        let target = target, options = options, cancel = cancelFlag
        Thread.detachNewThread { [self] in
            do {
                let display = try DisplayConnector.open(target, options: options, cancelled: { cancel.isSet }) { [self] s in
                    post(.status(s))
                }
                if cancel.isSet { display.close(); return }
                var config = VNCSessionConfiguration(endpoint: display.endpoint)
                config.connectTimeout = options.connectTimeout
                config.readTimeout = options.readTimeout
                config.security = options.security
                config.tlsServerName = display.hostName
                config.compress = display.tunnel != nil
                let fromXML = display.password
                config.password = { [weak self] in fromXML ?? self?.askPassword(id) }
                let s = VNCSession(configuration: config) { [weak self] e in self?.post(.session(e, id)) }
                post(.opened(display, s, id))
                s.start()
            } catch let f as ConsoleFailure {
                post(.openFailed(f.description, transient: f.transient, id))
            } catch {
                post(.openFailed(Sanitize.oneLine("\(error)"), transient: false, id))
            }
        }
    }

    /// Called on the session thread when the server wants a VNC password.
    private func askPassword(_ id: Int) -> VNCPassword? {
        passwordLock.lock()
        if let c = cachedPassword { passwordLock.unlock(); return c }
        passwordLock.unlock()
        post(.passwordWanted(id))
        passwordReady.wait()
        passwordLock.lock(); defer { passwordLock.unlock() }
        let p = passwordAnswer
        passwordAnswer = nil
        if let p { cachedPassword = p }
        return p
    }

    private func answerPassword(_ p: VNCPassword?) {
        passwordLock.lock(); passwordAnswer = p; passwordLock.unlock()
        passwordReady.signal()
    }

    private func drainInbox() -> ConsoleOutcome? {
        inboxLock.lock(); let items = inbox; inbox.removeAll(); inboxLock.unlock()
        for item in items {
            switch item {
            case .tableLoaded(let t):
                table = t
                if t == nil { errorText = "no console fonts found: showing pictures only" }
                rebuildScreen()
            case .status(let s):
                statusText = s; needsDraw = true
            case .opened(let d, let s, let id):
                guard id == attempt else { s.close(); d.close(); continue }
                display?.close()
                display = d; session = s
                statusText = "connecting to \(d.route)…"; needsDraw = true
            case .openFailed(let msg, let transient, let id):
                guard id == attempt else { continue }
                if let o = failed(msg, transient: transient) { return o }
            case .passwordWanted(let id):
                guard id == attempt else { answerPassword(nil); continue }
                passwordPrompt = []
                needsDraw = true
            case .session(let e, let id):
                guard id == attempt else { continue }
                if let o = sessionEvent(e) { return o }
            }
        }
        return nil
    }

    private func sessionEvent(_ e: VNCSessionEvent) -> ConsoleOutcome? {
        switch e {
        case .connected(_, _, let name):
            connected = true; everConnected = true
            retryDelay = 1
            desktopName = name
            errorText = nil
            statusText = ""
            needsDraw = true
        case .frame:
            takeFrame()
        case .closed(let err):
            connected = false
            guard var err else { return nil }
            if let why = display?.tunnel?.failure { err = .tunnelFailed(why) }
            if case .authFailed = err {
                passwordLock.lock(); cachedPassword?.wipe(); cachedPassword = nil; passwordLock.unlock()
            }
            display?.close(); display = nil; session = nil
            return failed(err.description, transient: err.isTransient)
        }
        return nil
    }

    /// A connection attempt failed: retry later, or give up (only before the first success, unless asked).
    private func failed(_ message: String, transient: Bool) -> ConsoleOutcome? {
        let keepTrying = everConnected || options.reconnect || options.wait
        if transient && keepTrying {
            errorText = message
            statusText = "reconnecting in \(Int(retryDelay)) s"
            retryAt = Monotonic.now() + retryDelay
            retryDelay = min(5, retryDelay + 1)
            needsDraw = true
            return nil
        }
        if !everConnected { return .failed(message) }
        errorText = message
        statusText = "disconnected (F12 r: retry)"
        needsDraw = true
        return nil
    }

    // MARK: - Frames

    private func takeFrame() {
        guard let u = session?.takeUpdate() else { return }
        if u.resized || frame == nil || frame!.width != u.width || frame!.height != u.height {
            frame = Framebuffer(width: u.width, height: u.height, pixels: u.pixels)
            rebuildScreen()
            return
        }
        frame!.pixels = u.pixels
        if reader != nil, let f = frame {
            for d in u.dirty { _ = reader!.update(f, dirty: PixelRect(x: d.x, y: d.y, width: d.width, height: d.height)) }
            noteCursor()
        }
        needsDraw = true
    }

    private func rebuildScreen() {
        needsDraw = true
        guard let table, let f = frame else { return }
        if reader == nil { reader = ScreenReader(table: table) }
        reader!.read(f)
        noteCursor()
    }

    /// A blinking cursor is missing from every other frame: keep the last place it was seen.
    private func noteCursor() {
        guard let s = reader?.screen else { return }
        if let c = s.cursor { guestCursor = c }
        if let c = guestCursor, c.col >= s.cols || c.row >= s.rows { guestCursor = nil }
    }

    // MARK: - Keys

    private func handle(_ key: Key) -> ConsoleOutcome? {
        if key == .resize { needsDraw = true; return nil }
        if passwordPrompt != nil { handlePasswordKey(key); return nil }
        if awaitingSysRq {
            awaitingSysRq = false; menuOpen = false; needsDraw = true
            if case .char(let c) = key { session?.send(SendKeyCombo.sysRq(c).strokes) }
            return nil
        }
        if menuOpen { return handleMenuKey(key) }
        var outcome: ConsoleOutcome?
        for out in paste.feed(key) { outcome = outcome ?? deliver(out) }
        return outcome
    }

    private func deliver(_ out: PasteDecoder.Output) -> ConsoleOutcome? {
        switch out {
        case .paste(let text):
            session?.send(KeyMapper.strokes(forPaste: text))
        case .key(let key):
            switch key {
            case .ctrl("]"): return .detached
            case .function(12): menuOpen = true; needsDraw = true
            case .mouse: break
            default: session?.send(KeyMapper.strokes(for: key))
            }
        }
        return nil
    }

    private func handleMenuKey(_ key: Key) -> ConsoleOutcome? {
        needsDraw = true
        var close = true
        switch key {
        case .escape, .ctrl("]"): break
        case .delete, .char("1"): session?.send(SendKeyCombo.ctrlAltDelete.strokes)
        case .backspace, .char("2"): session?.send(SendKeyCombo.ctrlAltBackspace.strokes)
        case .function(12): session?.send(KeyMapper.strokes(for: .function(12)))
        case .function(let n): session?.send(SendKeyCombo.ctrlAltFunction(n).strokes)
        case .char("c"): session?.send(SendKeyCombo.ctrlAltFunction(12).strokes)   // F12 itself is taken
        case .char("s"): awaitingSysRq = true; close = false
        case .char("p"): session?.send(SendKeyCombo.printScreen.strokes)
        case .char("t"): mode = .text
        case .char("g"): mode = .picture
        case .char("a"): mode = .auto
        case .char("+"), .char("="): viewport.zoom = min(16, viewport.zoom * 1.5); close = false
        case .char("-"): viewport.zoom = max(1, viewport.zoom / 1.5); close = false
        case .char("0"): viewport = Viewport(); close = false
        case .left: viewport.panX = max(0, viewport.panX - 0.1); close = false
        case .right: viewport.panX = min(1, viewport.panX + 0.1); close = false
        case .up: viewport.panY = max(0, viewport.panY - 0.1); close = false
        case .down: viewport.panY = min(1, viewport.panY + 0.1); close = false
        case .char("r"):
            if session == nil { retryAt = nil; retryDelay = 1; connect() } else { session?.requestFullUpdate() }
        case .char("d"): return .detached
        case .resize: close = false
        default: close = false
        }
        if close { menuOpen = false }
        return nil
    }

    private func handlePasswordKey(_ key: Key) {
        guard var typed = passwordPrompt else { return }
        needsDraw = true
        switch key {
        case .enter:
            passwordPrompt = nil
            let p = VNCPassword(bytes: typed)
            wipe(typed)
            answerPassword(p)
            return
        case .escape, .ctrl("]"), .ctrl("c"):
            passwordPrompt = nil
            wipe(typed)
            answerPassword(nil)
            return
        case .backspace:
            if let last = typed.indices.last { typed[last] = 0; typed.removeLast() }
        case .char(let c):
            typed += Array(String(c).utf8)
        default: break
        }
        passwordPrompt = typed
    }

    private func wipe(_ b: [UInt8]) {
        var b = b
        for i in b.indices { b[i] = 0 }
    }

    // MARK: - Drawing

    private func draw() {
        let w = terminal.width, h = terminal.height
        guard w > 0, h > 0 else { return }
        var buf = CellBuffer(width: w, height: h)
        let viewH = max(0, h - 1)
        var cursor: (x: Int, y: Int)?
        var shown = "—"
        if let f = frame {
            let showText: Bool
            switch mode {
            case .auto: showText = textScreen?.isText ?? false
            case .text: showText = textScreen != nil
            case .picture: showText = false
            }
            if showText, let s = textScreen {
                cursor = drawText(s, frame: f, into: &buf, width: w, height: viewH)
                shown = "text \(s.cols)x\(s.rows)"
            } else {
                drawPicture(f, into: &buf, width: w, height: viewH)
                shown = "picture" + (viewport.zoom > 1 ? " ×\(String(format: "%.1f", viewport.zoom))" : "")
            }
        }
        drawStatus(&buf, shown: shown, y: h - 1, width: w)
        if menuOpen { drawMenu(&buf, width: w, height: h) }
        if let p = passwordPrompt { drawPrompt(&buf, typed: p.count, width: w, height: h); cursor = nil }
        else if menuOpen { cursor = nil }
        terminal.showCursor(at: cursor)
        terminal.draw(buf)
    }

    /// The recognised text; returns where the guest's cursor is on the terminal (if visible).
    private func drawText(_ s: TextScreen, frame f: Framebuffer, into buf: inout CellBuffer, width: Int, height: Int) -> (x: Int, y: Int)? {
        // If the guest screen is larger than the terminal, keep the cursor in view.
        var ox = 0, oy = 0
        if let c = guestCursor {
            if s.rows > height { oy = min(max(0, c.row - height + 1), s.rows - height) }
            if s.cols > width { ox = min(max(0, c.col - width + 1), s.cols - width) }
        }
        let g = s.geometry
        for row in 0..<min(height, s.rows - oy) {
            for col in 0..<min(width, s.cols - ox) {
                let c = s[col + ox, row + oy]
                if c.recognised {
                    // A space shows no ink: its foreground must not matter, or the guest's blinking cursor
                    // (a space that is underlined every other frame) would make output on an idle screen.
                    let fg = c.character == " " ? c.bg : c.fg
                    buf[x: col, y: row] = Cell(symbol: String(c.character), style: CellStyle(fg: rgb(fg), bg: rgb(c.bg)))
                } else {
                    let area = PixelRect(x: g.originX + (col + ox) * g.cellWidth, y: g.originY + (row + oy) * g.cellHeight,
                                         width: g.cellWidth, height: g.cellHeight)
                    let two = Downscale.average(f, area: area, width: 1, height: 2)
                    let d = BlockRenderer.cell(two.pixels, style: .halfBlocks)
                    buf[x: col, y: row] = Cell(symbol: String(d.character), style: CellStyle(fg: rgb(d.fg), bg: rgb(d.bg)))
                }
            }
        }
        guard let c = guestCursor, c.col - ox < width, c.row - oy < height, c.col >= ox, c.row >= oy else { return nil }
        return (c.col - ox, c.row - oy)
    }

    /// Half blocks (1x2 pixels a cell, square pixels), scaled to fit with the aspect ratio kept.
    private func drawPicture(_ f: Framebuffer, into buf: inout CellBuffer, width: Int, height: Int) {
        guard f.width > 0, f.height > 0, width > 0, height > 0 else { return }
        let src = viewport.source(in: f)
        let scale = min(Double(width) / Double(src.width), Double(height * 2) / Double(src.height))
        let cols = max(1, min(width, Int(Double(src.width) * scale)))
        let rows = max(1, min(height, Int(Double(src.height) * scale / 2)))
        let grid = BlockRenderer.render(f, cols: cols, rows: rows, style: .halfBlocks, viewport: viewport)
        let x0 = (width - cols) / 2, y0 = (height - rows) / 2
        for r in 0..<rows {
            for c in 0..<cols {
                let d = grid[c, r]
                buf[x: x0 + c, y: y0 + r] = Cell(symbol: String(d.character), style: CellStyle(fg: rgb(d.fg), bg: rgb(d.bg)))
            }
        }
    }

    private func drawStatus(_ buf: inout CellBuffer, shown: String, y: Int, width: Int) {
        let bar = CellStyle(reverse: true)
        buf.fill(x: 0, y: y, width: width, height: 1, style: bar)
        var parts = [Sanitize.oneLine(display?.domainName ?? target.domain)]
        if connected {
            parts.append(shown + (mode == .auto ? "" : " (\(mode.rawValue))"))
            if let f = frame { parts.append("\(f.width)x\(f.height)") }
        }
        if !statusText.isEmpty { parts.append(statusText) }
        if let e = errorText { parts.append(e) }
        let right = "Ctrl+] detach · F12 menu"
        let left = " " + parts.joined(separator: " │ ")
        let rw = DisplayWidth.of(right) + 1
        buf.put(left, x: 0, y: y, style: bar, maxWidth: max(0, width - rw - 1))
        if width > rw + 10 { buf.put(right, x: width - rw, y: y, style: CellStyle(bold: true, reverse: true)) }
    }

    private func drawMenu(_ buf: inout CellBuffer, width: Int, height: Int) {
        let lines = awaitingSysRq ? [" SysRq: press the command key (h = help, s = sync, b = reboot …) "] : [
            " Send to the guest:                 ",
            "  Del / 1   Ctrl+Alt+Del            ",
            "  Bksp / 2  Ctrl+Alt+Backspace      ",
            "  F1…F11    Ctrl+Alt+F1…F11         ",
            "  F12       F12 itself              ",
            "  c         Ctrl+Alt+F12            ",
            "  s         Alt+SysRq+<key>         ",
            "  p         PrintScreen             ",
            " View:                              ",
            "  t / g / a text / picture / auto   ",
            "  + - 0     zoom in / out / reset   ",
            "  arrows    pan (pictures)          ",
            "  r         refresh / reconnect     ",
            "  d         detach                  ",
            "  Esc       close this menu         ",
        ]
        let bw = lines.map { DisplayWidth.of($0) }.max() ?? 0
        let x0 = max(0, (width - bw) / 2), y0 = max(0, (height - lines.count) / 2)
        let style = CellStyle(fg: .indexed(15), bg: .indexed(4))
        for (i, l) in lines.enumerated() {
            buf.fill(x: x0, y: y0 + i, width: bw, height: 1, style: style)
            buf.put(l, x: x0, y: y0 + i, style: i == 0 || l.hasPrefix(" View:") ? CellStyle(fg: .indexed(15), bg: .indexed(4), bold: true) : style)
        }
    }

    private func drawPrompt(_ buf: inout CellBuffer, typed: Int, width: Int, height: Int) {
        let text = " VNC password for \(Sanitize.oneLine(display?.domainName ?? target.domain)) (not shown; Enter: OK, Esc: cancel): "
        let w = min(width, DisplayWidth.of(text) + 2)
        let x0 = max(0, (width - w) / 2), y0 = max(0, height / 2 - 1)
        let style = CellStyle(fg: .indexed(0), bg: .indexed(7))
        buf.fill(x: x0, y: y0, width: w, height: 1, style: style)
        buf.put(text, x: x0, y: y0, style: style, maxWidth: w)
    }

    private func rgb(_ v: UInt32) -> TermColor {
        .rgb(UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }
}

/// A flag set once from any thread.
final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// The font table is loaded once per process (hundreds of console fonts) and shared by every attach.
final class SharedTable: @unchecked Sendable {
    private let lock = NSLock()
    private var table: GlyphTable?
    func get() -> GlyphTable? { lock.lock(); defer { lock.unlock() }; return table }
    func set(_ t: GlyphTable) { lock.lock(); table = t; lock.unlock() }
}

/// Bracketed paste mode: the terminal marks pasted text (ESC[200~ … ESC[201~) so it can go to the
/// guest as text and never be taken for commands.
enum BracketedPaste {
    static func enable() { write("\u{1B}[?2004h") }
    static func disable() { write("\u{1B}[?2004l") }
    private static func write(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}
