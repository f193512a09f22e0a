import Testing
@testable import ConsoleCore
import FleetCore

/// The console's drawing is a pure function into a CellBuffer: these compare whole screens as text, and the
/// styles FleetTUI adds (status line, menu, prompt) with the theme's.
@Suite struct ConsoleViewRenderTests {
    typealias F = ConsoleFixtures

    @Test func textConsoleWithItsCursorAndTheStatusLine() {
        let screen = F.textScreen(["login: root", "Password:", "$"], cols: 20, rows: 3, cursor: CellPosition(col: 2, row: 2))
        let buf = F.render(F.connected(), screen, width: 60, height: 5)
        #expect(F.text(buf) == [
            "login: root",
            "Password:",
            "$",
            "",
            " web-01 │ text 20x3 │ 160x48       Ctrl+] detach · F12 menu",
        ])
        #expect(buf.cursor == CursorPosition(x: 2, y: 2))
        #expect(buf[x: 0, y: 0].style == CellStyle(fg: .rgb(255, 255, 255), bg: .rgb(0, 0, 0)), "the guest's own colours")
        #expect(buf[x: 1, y: 4].style == F.palette.status)
        #expect(buf[x: 35, y: 4].style == F.palette.keyHint)
    }

    /// A guest screen larger than the terminal scrolls to keep the guest's cursor in view.
    @Test func aLargerGuestScreenFollowsItsCursor() {
        var lines = [String](repeating: "", count: 25)
        lines[20] = String(repeating: " ", count: 41) + "tail -f /var/log/syslog"
        let screen = F.textScreen(lines, cols: 80, rows: 25, cursor: CellPosition(col: 70, row: 20))
        let buf = F.render(F.connected(), screen, width: 30, height: 6)
        #expect(Array(F.text(buf).prefix(5)) == ["", "", "", "", "tail -f /var/log/syslog"])
        #expect(buf.cursor == CursorPosition(x: 29, y: 4))
    }

    @Test func theMenuOverTheScreenHidesTheCursor() {
        var state = F.connected()
        state.mode = .text
        state.overlay = .menu
        let screen = F.textScreen(["$"], cols: 10, rows: 2, cursor: CellPosition(col: 2, row: 0))
        let buf = F.render(state, screen, width: 60, height: 19)
        #expect(F.text(buf) == [
            "$",
            "",
            "             Send to the guest:",
            "              Del / 1   Ctrl+Alt+Del",
            "              Bksp / 2  Ctrl+Alt+Backspace",
            "              F1…F11    Ctrl+Alt+F1…F11",
            "              F12       F12 itself",
            "              c         Ctrl+Alt+F12",
            "              s         Alt+SysRq+<key>",
            "              p         PrintScreen",
            "             View:",
            "              t / g / a text / picture / auto",
            "              + - 0     zoom in / out / reset",
            "              arrows    pan (pictures)",
            "              r         refresh / reconnect",
            "              d         detach",
            "              Esc       close this menu",
            "",
            " web-01 │ text 10x2 (text) │ 80x32 Ctrl+] detach · F12 menu",
        ])
        #expect(buf.cursor == nil)
        #expect(buf[x: 12, y: 2].style == F.palette.menuHeading)
        #expect(buf[x: 12, y: 3].style == F.palette.menu)
        #expect(buf[x: 47, y: 3].style == F.palette.menu, "the menu's box is filled to its widest line")
    }

    @Test func sysRqAsksForItsKey() {
        var state = F.connected()
        state.overlay = .sysRq
        let lines = F.text(F.render(state, GuestScreen(), width: 70, height: 5))
        #expect(lines[2] == "   SysRq: press the command key (h = help, s = sync, b = reboot …)")
    }

    @Test func thePasswordPromptShowsNothingTyped() {
        var state = ConsoleState(domainName: "vault")
        state.status = "connecting to 127.0.0.1:5901…"
        state.askPassword()
        _ = state.handle(.char("s"), at: 0)
        _ = state.handle(.char("3"), at: 0)
        let buf = F.render(state, GuestScreen(), width: 80, height: 6)
        #expect(F.text(buf) == [
            "",
            "",
            "         VNC password for vault (not shown; Enter: OK, Esc: cancel):",
            "",
            "",
            " vault │ connecting to 127.0.0.1:5901…                 Ctrl+] detach · F12 menu",
        ])
        #expect(buf.cursor == nil)
        // The box: the 61 columns of text and one more, centred (columns 8 to 70).
        #expect((8...70).allSatisfy { buf[x: $0, y: 2].style == F.palette.dialog })
        #expect(buf[x: 7, y: 2].style == F.palette.base && buf[x: 71, y: 2].style == F.palette.base)
    }

    /// Not connected: the status line says why (the error), and nothing of the guest is shown.
    @Test func disconnectedShowsTheStatusAndTheError() {
        var state = ConsoleState(domainName: "web-01")
        state.status = "reconnecting in 2 s"
        state.error = "VNC server closed the connection"
        let lines = F.text(F.render(state, GuestScreen(), width: 100, height: 3))
        #expect(lines == ["", "", " web-01 │ reconnecting in 2 s │ VNC server closed the connection" + String(repeating: " ", count: 11) + "Ctrl+] detach · F12 menu"])
    }

    /// A picture (not text) is drawn with half blocks, scaled to fit and centred; the status line says so.
    @Test func aPictureIsHalfBlocksInTheGuestsColours() {
        var f = Framebuffer(width: 4, height: 4, fill: 0xFF0000)
        for y in 2..<4 { for x in 0..<4 { f[x, y] = 0x0000FF } }
        let buf = F.render(F.connected(), GuestScreen(frame: f), width: 60, height: 3)
        let lines = F.text(buf)
        #expect(lines[2].hasPrefix(" web-01 │ picture │ 4x4"))
        for x in 28..<32 {
            let top = buf[x: x, y: 0], bottom = buf[x: x, y: 1]
            #expect(top.style.fg == .rgb(255, 0, 0) || top.style.bg == .rgb(255, 0, 0), "\(top)")
            #expect(bottom.style.fg == .rgb(0, 0, 255) || bottom.style.bg == .rgb(0, 0, 255), "\(bottom)")
        }
        #expect(buf[x: 27, y: 0].style == F.palette.base, "outside the picture: the theme's background")
    }

    @Test func zoomIsShownInTheStatusLine() {
        var state = F.connected()
        state.mode = .picture
        state.viewport.zoom = 2.25
        let lines = F.text(F.render(state, GuestScreen(frame: Framebuffer(width: 8, height: 8)), width: 80, height: 4))
        #expect(lines[3].hasPrefix(" web-01 │ picture ×2.2 (picture) │ 8x8") || lines[3].hasPrefix(" web-01 │ picture ×2.3 (picture) │ 8x8"), "\(lines[3])")
    }

    /// Monochrome (NO_COLOR, colourless terminals): the status line and the menu fall back to reverse video.
    @Test func monochromeUsesAttributes() {
        let mono = ThemeStyles(theme: BuiltinThemes.theme("monochrome")!)
        var state = F.connected()
        state.overlay = .menu
        let buf = F.render(state, GuestScreen(), width: 60, height: 20, palette: mono)
        #expect(buf[x: 0, y: 19].style.reverse)
        #expect(buf[x: 12, y: 3].style.reverse)
    }

    @Test func nothingToDrawOnAZeroSizedTerminal() {
        #expect(F.render(F.connected(), GuestScreen(), width: 0, height: 0).lines().isEmpty)
    }
}
