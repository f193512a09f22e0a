import CNcursesw
import CCursesShims
import FleetCore
import Foundation

enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminal(String)
    var description: String {
        switch self {
        case .notATerminal: return "the monitor needs a terminal on stdin and stdout (use -b for batch output)"
        case .unknownTerminal(let t): return "cannot use terminal type '\(Sanitize.oneLine(t))' (check $TERM)"
        }
    }
}

/// The only code that touches curses. Draws CellBuffers (writing only the cells that changed), reads keys,
/// and always gives the terminal back: on close, on exit, on SIGINT/SIGTERM/SIGHUP/SIGQUIT and on a crash.
final class Terminal: TerminalIO {
    typealias ColorMode = TerminalColorMode

    let colorMode: ColorMode
    /// The locale's charset is UTF-8: box drawing, "…", blocks and sparklines can be shown.
    let unicode: Bool
    var width: Int { Int(fleet_getmaxx(fleet_stdscr())) }
    var height: Int { Int(fleet_getmaxy(fleet_stdscr())) }
    let waker: TerminalWaker
    var interrupted: Bool { fleet_terminal_guard_pending() != 0 }
    /// The signal that interrupted the session (exit with 128 + it), nil if none.
    var interruptSignal: Int32? { let s = fleet_terminal_guard_pending(); return s == 0 ? nil : s }

    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var last: CellBuffer?
    private var pairs: [PairKey: Int32] = [:]
    private var closed = false
    private var bracketedPaste = false
    private let attrBold = fleet_attr_bold(), attrDim = fleet_attr_dim(), attrReverse = fleet_attr_reverse()
    private let attrUnderline = fleet_attr_underline(), attrItalic = fleet_attr_italic()

    private struct PairKey: Hashable { var fg: Int32; var bg: Int32 }

    /// `colors`: --colors, by the rule every command follows (FleetCore/Render/ColourRule.swift).
    static func open(colors: ColourSetting = .auto, mouse: Bool = true) throws -> Terminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        return try Terminal(colors: colors, mouse: mouse)
    }

    private init(colors: ColourSetting, mouse: Bool) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.notATerminal }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        let wakeFD = fds[1]
        waker = TerminalWaker { var b: UInt8 = 0x77; _ = Glibc.write(wakeFD, &b, 1) }
        fleet_terminal_guard_install(fds[1])   // saves termios before curses changes it

        setlocale(LC_ALL, "")
        unicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        set_escdelay(25)
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard fleet_newterm() != nil else {
            Glibc.close(fds[0]); Glibc.close(fds[1])
            throw TerminalError.unknownTerminal(term.isEmpty ? "(unset)" : term)
        }
        raw(); noecho(); nonl()
        keypad(fleet_stdscr(), true)
        Self.defineKeyVariants()
        curs_set(0)

        // What the terminal can show (terminfo), capped by --colors / NO_COLOR.
        var can = ColourLevel.none
        if has_colors() {
            start_color()          // COLORS is known only after start_color()
            use_default_colors()
            switch fleet_colors() {
            case (1 << 24)...: can = .trueColour
            case 256...: can = .xterm256
            case 16...: can = .ansi16
            default: can = .ansi8
            }
        }
        let level = min(can, ColourRule.resolve(colors, environment: ProcessInfo.processInfo.environment, isTTY: true, terminalLevel: can))
        colorMode = ColorMode(rawValue: level.rawValue) ?? .none
        if mouse { mousemask(fleet_mouse_all(), nil); mouseinterval(0) }
    }

    deinit { close() }

    /// The sequences terminals send for these keys when $TERM describes another terminal (xterm's
    /// terminfo inside tmux or screen, rxvt, the Linux console): without them curses passes Home as
    /// ESC [ 1 ~ and the '1' switches the view. htop defines the same set.
    private static func defineKeyVariants() {
        let esc = "\u{1B}"
        var table: [(String, Int32)] = [
            ("[1~", KEY_HOME), ("[7~", KEY_HOME), ("[H", KEY_HOME), ("OH", KEY_HOME),
            ("[4~", KEY_END), ("[8~", KEY_END), ("[F", KEY_END), ("OF", KEY_END),
            ("[5~", KEY_PPAGE), ("[6~", KEY_NPAGE), ("[2~", KEY_IC), ("[3~", KEY_DC),
            ("[A", KEY_UP), ("[B", KEY_DOWN), ("[C", KEY_RIGHT), ("[D", KEY_LEFT),
            ("OA", KEY_UP), ("OB", KEY_DOWN), ("OC", KEY_RIGHT), ("OD", KEY_LEFT),
            ("[Z", KEY_BTAB),
        ]
        let fkeys: [(Int32, [String])] = [
            (1, ["OP", "[11~", "[[A"]), (2, ["OQ", "[12~", "[[B"]), (3, ["OR", "[13~", "[[C"]),
            (4, ["OS", "[14~", "[[D"]), (5, ["[15~", "[[E"]), (6, ["[17~"]), (7, ["[18~"]), (8, ["[19~"]),
            (9, ["[20~"]), (10, ["[21~"]), (11, ["[23~"]), (12, ["[24~"]),
        ]
        for (n, seqs) in fkeys { for q in seqs { table.append((q, fleet_key_f(n))) } }
        for (seq, code) in table { _ = define_key(esc + seq, code) }
    }

    /// Restores the terminal. Idempotent.
    func close() {
        guard !closed else { return }
        if bracketedPaste { setBracketedPaste(false) }
        closed = true
        mousemask(0, nil)
        curs_set(1)
        endwin()
        Glibc.close(wakeRead)
        Glibc.close(wakeWrite)
    }

    /// Curses has no call for it: the mode's sequence goes straight to the tty (flushed through curses first, so
    /// it lands after whatever stdio holds). The terminal guard's reset turns it off on signals and crashes.
    func setBracketedPaste(_ on: Bool) {
        guard !closed, on != bracketedPaste else { return }
        bracketedPaste = on
        fflush(nil)
        let bytes = Array((on ? "\u{1B}[?2004h" : "\u{1B}[?2004l").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Runs `body` with the terminal in its normal (shell) state, e.g. for an ssh password prompt.
    func suspended<T>(_ body: () throws -> T) rethrows -> T {
        def_prog_mode(); endwin()
        defer { reset_prog_mode(); invalidate() }
        return try body()
    }

    /// Belt and braces for SIGWINCH: ncurses can lose a resize that arrives while it handles the previous
    /// one (two resizes in quick succession), and then draws at the old size until the next signal. So
    /// every wake-up compares the tty's real size with curses' and resizes when they differ.
    private func followTTYSize() -> Bool {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return false }
        guard Int(ws.ws_row) != height || Int(ws.ws_col) != width else { return false }
        resize_term(Int32(ws.ws_row), Int32(ws.ws_col))
        invalidate()
        return true
    }

    /// The next draw repaints every cell.
    func invalidate() {
        last = nil
        clearok(fleet_stdscr(), true)
    }

    /// Writes the cells of `buffer` that differ from the previous frame, then one doupdate.
    func draw(_ buffer: CellBuffer) {
        guard !closed else { return }
        let win = fleet_stdscr()
        let maxX = width, maxY = height
        var cch = cchar_t()
        var wchars = [wchar_t](repeating: 0, count: 8)
        for (x, y) in buffer.changes(from: last) where x < maxX && y < maxY {
            let cell = buffer[x: x, y: y]
            if cell.symbol.isEmpty { continue }   // 2nd column of a wide character
            var n = 0
            for s in cell.symbol.unicodeScalars where n < 6 {
                wchars[n] = wchar_t(unicode || s.value < 0x80 ? s.value : 0x3F); n += 1
                if !unicode { break }
            }
            wchars[n] = 0
            var pair = pairNumber(cell.style)
            _ = setcchar(&cch, wchars, attr_t(attributes(cell.style)), 0, &pair)
            _ = mvwadd_wch(win, Int32(y), Int32(x), &cch)
        }
        if let c = buffer.cursor, c.x < maxX, c.y < maxY {
            curs_set(1); wmove(win, Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(win)
        doupdate()
        last = buffer
    }

    private func attributes(_ s: CellStyle) -> UInt32 {
        var a: UInt32 = 0
        if s.bold { a |= attrBold }
        if s.dim { a |= attrDim }
        if s.reverse { a |= attrReverse }
        if s.underline { a |= attrUnderline }
        if s.italic { a |= attrItalic }
        return a
    }

    private func pairNumber(_ s: CellStyle) -> Int32 {
        guard colorMode != .none else { return 0 }
        let key = PairKey(fg: colorNumber(s.fg), bg: colorNumber(s.bg))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        let p = alloc_pair(key.fg, key.bg)
        let pair = p < 0 ? 0 : p
        pairs[key] = pair
        return pair
    }

    /// A TermColor as a curses colour number for this terminal's colour mode (-1 = default).
    private func colorNumber(_ c: TermColor) -> Int32 {
        switch (c, colorMode) {
        case (.default, _), (_, .none): return -1
        case (.indexed(let n), .truecolor):
            if n < 8 { return Int32(n) }
            let (r, g, b) = Palette.rgb(ofIndex: n); return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        case (.indexed(let n), .c256): return Int32(n)
        case (.indexed(let n), .c16):
            if n < 16 { return Int32(n) }
            let (r, g, b) = Palette.rgb(ofIndex: n); return Int32(Palette.indexANSI(r, g, b))
        case (.indexed(let n), .c8):
            if n < 8 { return Int32(n) }
            let (r, g, b) = Palette.rgb(ofIndex: n); return Int32(Palette.indexANSI(r, g, b, count: 8))
        case (.rgb(let r, let g, let b), .truecolor): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        case (.rgb(let r, let g, let b), .c256): return Int32(Palette.index256(r, g, b))
        case (.rgb(let r, let g, let b), .c16): return Int32(Palette.indexANSI(r, g, b))
        case (.rgb(let r, let g, let b), .c8): return Int32(Palette.indexANSI(r, g, b, count: 8))
        }
    }

    /// Waits up to `timeout` seconds for a key or a wake(); nil on timeout, wake or signal.
    func nextKey(timeout: Double) -> Key? {
        guard !closed else { return nil }
        if followTTYSize() { return .resize }
        if let k = readPending() { return k }
        if interrupted { return nil }
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let ms = Int32(max(0, min(timeout, 3600)) * 1000)
        _ = poll(&fds, 2, ms)
        // The terminal is gone (hangup, or a closed fd): end the session instead of polling it forever.
        if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            fleet_terminal_guard_hangup()
            return nil
        }
        if fds[1].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wakeRead, &drain, drain.count) > 0 {}
        }
        if interrupted { return nil }
        return fds[0].revents != 0 ? readPending() : nil
    }

    private func readPending() -> Key? {
        let win = fleet_stdscr()
        wtimeout(win, 0)
        var ch: wint_t = 0
        let r = wget_wch(win, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return functionKey(Int32(ch)) }
        let v = UInt32(ch)
        if v == 0x1B {
            // ESC alone, or Alt+key (ESC immediately followed by a key).
            var next: wint_t = 0
            let r2 = wget_wch(win, &next)
            if r2 == OK, let s = Unicode.Scalar(UInt32(next)), next >= 0x20, next != 0x7F { return .alt(Character(s)) }
            if r2 == KEY_CODE_YES { ungetch(Int32(next)) } else if r2 == OK { unget_wch(wchar_t(next)) }
            return .escape
        }
        if let k = Key.fromControlByte(v) { return k }
        guard let s = Unicode.Scalar(v) else { return nil }
        return .char(Character(s))
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE:
            invalidate()
            return .resize
        case KEY_MOUSE:
            var ev = MEVENT()
            guard getmouse(&ev) == OK else { return nil }
            var button: Int32 = 0
            let kind: MouseEvent.Kind
            switch fleet_mouse_decode(ev.bstate, &button) {
            case 1: kind = .press(button: Int(button))
            case 2: kind = .release
            case 3: kind = .wheelUp
            case 4: kind = .wheelDown
            default: return nil
            }
            return .mouse(MouseEvent(x: Int(ev.x), y: Int(ev.y), kind: kind))
        case fleet_key_f(1)...fleet_key_f(12): return .function(Int(code - fleet_key_f(0)))
        default: return nil
        }
    }
}
