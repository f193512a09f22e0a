import ConsoleCore
import DemoCore
import FleetCore
import Testing

@Suite struct TextConsoleTests {
    @Test func writingWrapsAtTheLastColumnAndScrollsAtTheBottom() {
        var c = TextConsole(cols: 10, rows: 3)
        c.write("0123456789")
        #expect(c.cursorRow == 0 && c.cursorCol == 9, "the wrap waits for the next character")
        c.write("ab\nc")
        #expect(c.lines == ["0123456789", "ab", "c"])
        c.write("\nlast")
        #expect(c.lines == ["ab", "c", "last"])
        c.write("\rL")
        #expect(c.line(2) == "Last")
        #expect(!c.takeChanges().isEmpty && c.takeChanges().isEmpty)
        c.put("xyz", col: 8, row: 0)
        #expect(c.line(0) == "ab      xy")
        #expect(c.takeChanges() == [8, 9])
    }
}

@Suite struct LineEditorTests {
    @Test func editingHistoryAndCompletion() {
        var e = LineEditor(words: DemoShell.commands)
        for ch in "ecox" { _ = e.handle(.char(ch)) }
        _ = e.handle(.backspace); _ = e.handle(.left)
        #expect(e.line == "eco" && e.cursor == 2)
        _ = e.handle(.char("h")); _ = e.handle(.end)
        #expect(e.line == "echo" && e.cursor == 4)
        #expect(e.handle(.enter) == .submitted("echo"))
        for ch in "upt" { _ = e.handle(.char(ch)) }
        _ = e.handle(.tab)
        #expect(e.line == "uptime ")
        _ = e.handle(.ctrl("u"))
        #expect(e.line.isEmpty)
        _ = e.handle(.up)
        #expect(e.line == "echo")
        _ = e.handle(.down)
        #expect(e.line.isEmpty)
        _ = e.handle(.char("x"))
        #expect(e.handle(.ctrl("c")) == .interrupted && e.line.isEmpty)
        #expect(e.handle(.ctrl("d")) == .endOfInput)
        #expect(e.handle(.backspace) == .unchanged)
    }

    @Test func keysymsBecomeKeys() {
        var d = KeysymDecoder()
        #expect(d.decode(0x61, down: true) == .char("a"))
        #expect(d.decode(0x61, down: false) == nil)
        #expect(d.decode(KeySym.shiftL, down: true) == nil)
        #expect(d.decode(0x41, down: true) == .char("A"))
        _ = d.decode(KeySym.shiftL, down: false)
        _ = d.decode(KeySym.controlL, down: true)
        #expect(d.decode(0x63, down: true) == .ctrl("c"))
        _ = d.decode(KeySym.controlL, down: false)
        #expect(d.decode(KeySym.returnKey, down: true) == .enter)
        #expect(d.decode(0x0100_20AC, down: true) == .char("€"))
        #expect(d.decode(0x7F, down: true) == nil)
    }
}

@Suite struct DemoShellTests {
    let context = DemoShell.Context(hostname: "gitlab", user: "root", now: 1_789_948_800 + 3723, uptime: 12 * 86400 + 3 * 3600 + 4 * 60,
                                    load: (2.13, 1.98, 1.5), memoryMiB: 12288, usedMiB: 9000)

    @Test func commands() {
        #expect(DemoShell.run("echo  'hi  there' \"x\\\"y\" z", context).output == ["hi  there x\"y z"])
        #expect(DemoShell.run("uptime", context).output == [" 01:02:03 up 12 days,  3:04,  1 user,  load average: 2.13, 1.98, 1.50"])
        #expect(DemoShell.run("frobnicate now", context).output == ["-bash: frobnicate: command not found"])
        #expect(DemoShell.run("clear", context).action == .clear)
        #expect(DemoShell.run("exit", context).action == .logout)
        #expect(DemoShell.run("help", context).output.contains { $0.hasPrefix("  uptime") })
        #expect(DemoShell.run("   ", context) == DemoShell.Result())
        #expect(DemoShell.prompt(context) == "root@gitlab:~# ")
    }
}

@Suite struct DemoGuestConsoleTests {
    let now = DemoFixtures.t0

    @Test func aLinuxGuestBootsToALoginPromptAndItsShellAnswers() throws {
        var c = try DemoFixtures.console("web-frontend-1", now: now)
        #expect(c.width == 800 && c.height == 600)
        var lines = try #require(c.lines)
        #expect(lines.count == 37 && lines[0].count <= 100)
        #expect(lastNonEmpty(lines) == "web-frontend-1 login:")
        #expect(lines.contains("Debian GNU/Linux 12 web-frontend-1 tty1"))
        #expect(lines.contains { $0.contains("[  OK  ] Started nginx.service") })
        #expect(c.cursor?.col == "web-frontend-1 login: ".count)

        DemoFixtures.type("root\n", into: &c, now: now)
        lines = c.lines!
        #expect(lastNonEmpty(lines) == "root@web-frontend-1:~#")
        DemoFixtures.type("echo hi-42 there\n", into: &c, now: now)
        lines = c.lines!
        let echoed = try #require(lines.firstIndex(of: "hi-42 there"))
        #expect(lines[echoed - 1] == "root@web-frontend-1:~# echo hi-42 there")
        #expect(lines[echoed + 1] == "root@web-frontend-1:~#")
        DemoFixtures.type("uptime\n", into: &c, now: now)
        #expect(c.lines!.contains { $0.contains(" up 2") && $0.contains("load average: ") })
        DemoFixtures.type("clear\n", into: &c, now: now)
        #expect(c.lines!.filter { !$0.isEmpty } == ["root@web-frontend-1:~#"])
        DemoFixtures.press(0x64, &c, now: now, ctrl: true)        // Ctrl+D: logout
        #expect(lastNonEmpty(c.lines!) == "web-frontend-1 login:")
    }

    @Test func aLongLineWrapsAndScrollsTheScreen() throws {
        var c = try DemoFixtures.console("qemu-tcg-arm-test", now: now)   // VGA text, 80x25
        DemoFixtures.type("root\n", into: &c, now: now)
        let word = String(repeating: "x", count: 150)
        DemoFixtures.type("echo \(word)\n", into: &c, now: now)
        let lines = c.lines!
        #expect(lines.count == 25)
        let i = try #require(lines.lastIndex { $0.hasPrefix("root@qemu-tcg-arm-test:~# echo xxx") })
        let prompt = "root@qemu-tcg-arm-test:~# echo "
        #expect(lines[i] + lines[i + 1] + lines[i + 2] == prompt + word)
        #expect(lines[i + 3] + lines[i + 4] == word)
        #expect(lines[i + 5] == "root@qemu-tcg-arm-test:~#" && i + 5 == 24)
    }

    @Test func grubWaitsInItsMenuThenBootsToALoginPrompt() throws {
        var c = try DemoFixtures.console("grafana", now: now)
        #expect(c.width == 720 && c.height == 400)
        var lines = c.lines!
        #expect(lines[1].trimmingCharacters(in: .whitespaces) == "GNU GRUB  version 2.06-13+deb12u1")
        #expect(lines[3].hasPrefix(" ┌──") && lines[16].hasPrefix(" └──"))
        #expect(lines[4] == " │*Debian GNU/Linux" + String(repeating: " ", count: 59) + "│")
        #expect(c.wakeAt == nil)
        DemoFixtures.press(KeySym.down, &c, now: now)
        lines = c.lines!
        #expect(lines[4].hasPrefix(" │ Debian GNU/Linux") && lines[5].hasPrefix(" │*Advanced options"))
        DemoFixtures.press(KeySym.up, &c, now: now)
        DemoFixtures.press(KeySym.returnKey, &c, now: now)
        #expect(c.lines!.contains("  Booting `Debian GNU/Linux'"))
        var t = now
        while let wake = c.wakeAt, t < now + 30 { t = max(t + 0.05, wake); c.advance(to: t) }
        #expect(t < now + 10, "the boot takes a few seconds")
        #expect(lastNonEmpty(c.lines!) == "grafana login:")
        #expect(c.lines!.contains { $0.contains("Started grafana-server.service") })
    }

    @Test func aPanickedGuestShowsItsPanicAndIgnoresKeys() throws {
        var c = try DemoFixtures.console("k8s-worker-2", now: now)
        let lines = c.lines!
        #expect(lastNonEmpty(lines).hasSuffix("---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---"))
        #expect(lines.contains { $0.hasSuffix("] Kernel panic - not syncing: Fatal exception in interrupt") })
        #expect(c.cursor == nil)
        DemoFixtures.type("root\n", into: &c, now: now)
        #expect(c.lines! == lines)
    }

    @Test func picturesAreNotText() throws {
        var c = try DemoFixtures.console("windows-11-desktop", now: now)
        #expect(!c.isText && c.width == 1280)
        var px = [UInt32](repeating: 0, count: c.width * c.height)
        let rect = px.withUnsafeMutableBufferPointer { c.draw(into: $0, stride: 1280) }
        #expect(rect == PixelRect(x: 0, y: 0, width: 1280, height: 800))
        #expect(Set(px).count > 200)
        #expect(px.withUnsafeMutableBufferPointer { c.draw(into: $0, stride: 1280) } == nil, "nothing new to draw")
    }
}

/// The screens feature's rules (FleetCore/Screens) see in the demo what they would see on real guests.
@Suite struct DemoScreenStatesTests {
    func state(_ name: String, typing: String? = nil) throws -> String {
        var c = try DemoFixtures.console(name)
        if let typing { DemoFixtures.type(typing, into: &c, now: DemoFixtures.t0) }
        guard let lines = c.lines else { return ScreenClassifier.builtIn.classify(.picture(width: c.width, height: c.height)).name }
        return ScreenClassifier.builtIn.classify(.text(ScreenText(lines: lines, cols: lines.count))).name
    }

    @Test func loginPanicGrubShellAndPicture() throws {
        #expect(try state("web-frontend-1") == "login")
        #expect(try state("qemu-tcg-arm-test") == "login")
        #expect(try state("k8s-worker-2") == "panic")
        #expect(try state("grafana") == "grub")
        #expect(try state("gitlab", typing: "root\n") == "shell")
        #expect(try state("win2019-hvm") == "picture")
    }
}
