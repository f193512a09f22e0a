// Entry point for the monitor (and `fleettui console`):
//
//     ConsoleScreen.attach(terminal: TerminalIO, target: ConsoleTarget, options: ConsoleOptions = ConsoleOptions(),
//                          palette: ThemeStyles) -> ConsoleOutcome
//
// Runs on an already-open terminal and returns when the user detaches (Ctrl+]), when the connection fails for
// good, or on SIGINT/SIGTERM/SIGHUP (`.interrupted`). attach invalidates the terminal on the way out.
//
// The shape is the monitor's: ConsoleState.handle turns keys into effects, ConsoleView.render draws a frame into
// a CellBuffer (both pure, in ConsoleCore); this class only connects, retries and passes messages between the
// connecting/session threads and the UI loop.

import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Synchronization

enum ConsoleOutcome: Equatable {
    case detached
    case failed(String)        // one line, sanitised
    case interrupted           // a signal arrived: the caller should exit
}

/// Finds and opens the display (blocking, off the UI thread): libvirt's lookup by default.
typealias DisplayOpener = @Sendable (_ cancelled: @escaping @Sendable () -> Bool, _ status: @escaping @Sendable (String) -> Void) throws -> OpenedDisplay

/// A message from a connecting or session thread to the UI loop; `attempt` tells a stale connection's apart.
enum ConsoleMessage: Sendable {
    case status(String)
    case opened(OpenedDisplay, VNCSession, attempt: Int)
    case openFailed(String, transient: Bool, attempt: Int)
    case session(VNCSessionEvent, attempt: Int)
    case passwordWanted(attempt: Int)
    case tableLoaded(GlyphTable?)
}

/// All that the console's threads share with the UI loop: the inbox, the password exchange, the cancel flag.
/// Threads see only this, never the loop's own fields.
final class ConsoleMailbox: Sendable {
    private let inbox = Mutex<[ConsoleMessage]>([])
    private let cancelled = Atomic<Bool>(false)
    let passwords = PasswordBroker()
    let waker: TerminalWaker

    init(waker: TerminalWaker) { self.waker = waker }

    func post(_ m: ConsoleMessage) {
        inbox.withLock { $0.append(m) }
        waker.wake()
    }

    func take() -> [ConsoleMessage] { inbox.withLock { box in defer { box.removeAll() }; return box } }

    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }
    func cancel() { cancelled.store(true, ordering: .releasing) }
}

/// The console loop: one guest's screen as text (or block-character pictures) with keyboard input.
final class ConsoleScreen {
    static func attach(terminal: TerminalIO, target: ConsoleTarget, options: ConsoleOptions = ConsoleOptions(),
                       palette: ThemeStyles, opener: DisplayOpener? = nil) -> ConsoleOutcome {
        let open = opener ?? { cancelled, status in try DisplayConnector.open(target, options: options, cancelled: cancelled, status: status) }
        let screen = ConsoleScreen(terminal: terminal, target: target, options: options, palette: palette, opener: open)
        let outcome = screen.run()
        terminal.invalidate()
        return outcome
    }

    private let terminal: TerminalIO
    private let options: ConsoleOptions
    private let palette: ThemeStyles
    private let opener: DisplayOpener
    private let mailbox: ConsoleMailbox

    private var state: ConsoleState
    private var attempt = 0                      // connection generation: events of older ones are ignored
    private var session: VNCSession?
    private var display: OpenedDisplay?
    private var everConnected = false
    private var retryAt: Double?
    private var retryDelay = 1.0
    private var needsDraw = true
    /// Keys typed while no session could take them, or left unsent by one that broke: for the next one.
    private var backlog = KeyBacklog()

    private var table: GlyphTable?
    private var reader: ScreenReader?
    private var frame: Framebuffer?
    private var guestCursor: CellPosition?

    private init(terminal: TerminalIO, target: ConsoleTarget, options: ConsoleOptions, palette: ThemeStyles, opener: @escaping DisplayOpener) {
        self.terminal = terminal
        self.options = options
        self.palette = palette
        self.opener = opener
        mailbox = ConsoleMailbox(waker: terminal.waker)
        state = ConsoleState(domainName: target.domain)
    }

    // MARK: - Loop

    private func run() -> ConsoleOutcome {
        terminal.setBracketedPaste(true)
        defer { terminal.setBracketedPaste(false) }
        loadGlyphTable()
        state.error = LibVNCClientVersion.warning
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
            if state.isBufferingPaste { timeout = min(timeout, ConsoleState.pasteHold) }
            let look = state.look
            let effects: [ConsoleEffect]
            if let key = terminal.nextKey(timeout: timeout) {
                if key == .resize { needsDraw = true }
                effects = state.handle(key, at: Monotonic.now())
            } else {
                effects = state.idle(at: Monotonic.now())
            }
            if state.look != look { needsDraw = true }
            for e in effects { outcome = outcome ?? perform(e) }
        }
        shutdown()
        return outcome ?? .detached
    }

    private func perform(_ effect: ConsoleEffect) -> ConsoleOutcome? {
        switch effect {
        case .send(let strokes):
            // Before the handshake ends (or between sessions) keys wait here, so that they go out in the order typed.
            if let session, state.connected { session.send(strokes) } else { backlog.hold(strokes, at: Monotonic.now()) }
        case .detach: return .detached
        case .refresh:
            if session == nil { retryAt = nil; retryDelay = 1; connect() } else { session?.requestFullUpdate() }
        case .password(let p): mailbox.passwords.answer(p)
        }
        return nil
    }

    private func shutdown() {
        backlog.clear()
        mailbox.cancel()
        mailbox.passwords.close()
        session?.close()
        display?.close()
        state.dismissPassword()
    }

    // MARK: - Connecting

    /// The font table is loaded once per process (hundreds of console fonts) and shared by every attach.
    private static let sharedTable = Mutex<GlyphTable?>(nil)

    private func loadGlyphTable() {
        if let t = Self.sharedTable.withLock({ $0 }) { table = t; return }
        let mailbox = mailbox
        Thread.detachNewThread {
            let t = try? GlyphTable.system()
            if let t { Self.sharedTable.withLock { $0 = t } }
            mailbox.post(.tableLoaded(t))
        }
    }

    private func connect() {
        attempt += 1
        let id = attempt
        state.connected = false
        state.status = everConnected ? "reconnecting…" : "connecting…"
        needsDraw = true
        let options = options, mailbox = mailbox, opener = opener
        Thread.detachNewThread {
            do {
                let display = try opener({ mailbox.isCancelled }, { mailbox.post(.status($0)) })
                if mailbox.isCancelled { display.close(); return }
                let fromXML = display.password
                let config = VNCSessionConfiguration(display: display, options: options, password: {
                    fromXML ?? mailbox.passwords.password(ask: { mailbox.post(.passwordWanted(attempt: id)) })
                })
                let s = VNCSession(configuration: config) { e in mailbox.post(.session(e, attempt: id)) }
                mailbox.post(.opened(display, s, attempt: id))
                s.start()
            } catch let f as ConsoleFailure {
                mailbox.post(.openFailed(f.description, transient: f.transient, attempt: id))
            } catch {
                mailbox.post(.openFailed(Sanitize.oneLine("\(error)"), transient: false, attempt: id))
            }
        }
    }

    private func drainInbox() -> ConsoleOutcome? {
        for item in mailbox.take() {
            switch item {
            case .tableLoaded(let t):
                table = t
                if t == nil { state.error = "no console fonts found: showing pictures only" }
                rebuildScreen()
            case .status(let s):
                state.status = s; needsDraw = true
            case .opened(let d, let s, let id):
                guard id == attempt else { s.close(); d.close(); continue }
                display?.close()
                display = d; session = s
                state.domainName = d.domainName
                state.status = "connecting to \(d.route)…"; needsDraw = true
            case .openFailed(let msg, let transient, let id):
                guard id == attempt else { continue }
                if let o = failed(msg, transient: transient) { return o }
            case .passwordWanted(let id):
                guard id == attempt else { mailbox.passwords.answer(nil); continue }
                state.askPassword()
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
        case .connected(_, _, _):
            state.connected = true; everConnected = true
            retryDelay = 1
            state.error = nil
            state.status = ""
            needsDraw = true
            let (keys, dropped) = backlog.release(at: Monotonic.now())
            session?.send(keys)
            if dropped > 0 { state.error = "\(dropped) key\(dropped == 1 ? "" : "s") typed while disconnected not sent (older than \(Int(KeyBacklog.maxAge)) s)" }
        case .frame:
            takeFrame()
        case .closed(let err):
            state.connected = false
            guard var err else { return nil }
            // Keys still queued in the broken session were never sent: they go to the next one.
            if let keys = session?.takeUnsentKeys(), !keys.isEmpty { backlog.hold(keys, at: Monotonic.now()) }
            if let why = display?.tunnel?.failure { err = .tunnelFailed(why) }
            if case .authFailed = err { mailbox.passwords.forget() }
            display?.close(); display = nil; session = nil
            return failed(err.description, transient: err.isTransient)
        }
        return nil
    }

    /// A connection attempt failed: retry later, or give up (only before the first success, unless asked).
    private func failed(_ message: String, transient: Bool) -> ConsoleOutcome? {
        let keepTrying = everConnected || options.reconnect || options.wait
        if transient && keepTrying {
            state.error = message
            state.status = "reconnecting in \(Int(retryDelay)) s"
            retryAt = Monotonic.now() + retryDelay
            retryDelay = min(5, retryDelay + 1)
            needsDraw = true
            return nil
        }
        if !everConnected { return .failed(message) }
        state.error = message
        state.status = "disconnected (F12 r: retry)"
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

    // MARK: - Drawing

    private func draw() {
        let context = ConsoleRenderContext(width: terminal.width, height: terminal.height, palette: palette)
        let screen = GuestScreen(frame: frame, text: reader?.screen, cursor: guestCursor)
        terminal.draw(ConsoleView.render(state, screen: screen, context: context))
    }
}
