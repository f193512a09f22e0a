import Foundation
import Testing
import TestSupport

/// UEFI firmware screens and large fbcon screens, read as text from the bed's real guests (Tests/Bed/uefi):
/// OVMF's UEFI shell, its setup front page and boot manager (reached with real keys), and Linux fbcon at
/// 1920x1080 and 2560x1600. The firmware's expected text is the firmware's own: OVMF mirrors its console on
/// the serial port, replayed by Benchmarks/capture/serial_screen.py (--edk2: with the graphics console's arrows and
/// triangles where the terminal driver sends ASCII stand-ins).
@Suite(.serialized) struct UEFIEndToEnd {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    init() {
        // As ConsoleEndToEnd: a tmux server started with no pipes, kept up by a session that ends by itself.
        _ = try? Spawn.run("/usr/bin/tmux", ["-L", Tmux.socket, "-f", "/dev/null", "new-session", "-d", "-s",
                                             "uefi-keeper-\(getpid())", "sleep", "900"],
                           stdout: .discard, stderr: .discard, timeout: 60)
    }

    private func shellGuest(_ bed: TestBed) throws -> TestBed.Guest {
        try #require(bed.uefiGuests.first { $0.mode.hasPrefix("uefi-shell") }, "bed.json has no UEFI shell guest (bed up)")
    }

    /// The firmware's screen as it wrote it to its serial console (COLSxROWS text mode), trailing blank lines cut.
    private func serialScreen(_ g: TestBed.Guest, cols: Int, rows: Int) throws -> [String] {
        let log = try #require(g.serialLog)
        let script = Self.repo.appendingPathComponent("Benchmarks/capture/serial_screen.py").path
        let r = try Spawn.run("/usr/bin/python3", [script, log, "\(cols)", "\(rows)", "--edk2"], timeout: 60)
        #expect(r.status == 0, "serial_screen.py: \(r.err)")
        return lines(r.out)
    }

    private func lines(_ s: String) -> [String] {
        var l = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while l.last == "" { l.removeLast() }
        return l
    }

    /// `fleettui screen --text`: the lines and the unsure count it reports on stderr.
    private func screenText(_ bed: TestBed, _ g: TestBed.Guest, _ extra: [String] = []) throws -> (lines: [String], unsure: Int?, err: String) {
        let r = try Spawn.run(try FleetBinary.path(), ["screen", "-c", bed.qemuURI, g.name, "--text"] + extra, timeout: 300)
        #expect(r.status == 0, "screen --text \(g.name): \(r.err)")
        // "fleettui: screen: N of M cells with ink unsure"
        let unsure = r.err.split(separator: "\n").first { $0.contains("cells with ink unsure") }
            .flatMap { $0.split(separator: " ").dropFirst(2).first }.flatMap { Int($0) }
        return (lines(r.out), unsure, r.err)
    }

    /// Waits until the serial console has been quiet for a moment: the firmware has drawn its screen.
    private func settle(_ g: TestBed.Guest) throws {
        let log = try #require(g.serialLog)
        func size() -> Int { (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0 }
        var last = size()
        let deadline = Date(timeIntervalSinceNow: 120)
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 2)
            let now = size()
            if now == last { return }
            last = now
        }
    }

    /// Real key presses through QEMU (virsh send-key: Linux key names).
    private func press(_ bed: TestBed, _ g: TestBed.Guest, _ keys: [String]) throws {
        for k in keys {
            let r = try Spawn.run("/usr/bin/virsh", ["-c", bed.qemuURI, "send-key", g.name, k], timeout: 30)
            #expect(r.status == 0, "send-key \(k): \(r.err)")
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    private func typeWord(_ bed: TestBed, _ g: TestBed.Guest, _ word: String) throws {
        try press(bed, g, word.map { c in c == " " ? "KEY_SPACE" : c == "-" ? "KEY_MINUS" : "KEY_\(c.uppercased())" })
    }

    /// `screen --text` until it equals the firmware's own text (a loaded machine may show the frame late). In a
    /// bigger frame (width x height) the text goes where EDK2's graphics console draws its text mode: centred, the
    /// frame's 8x19 grid starting at the centring offset modulo a cell.
    private func expectScreenEqualsFirmwareText(_ bed: TestBed, _ g: TestBed.Guest, cols: Int, rows: Int,
                                                in frame: (width: Int, height: Int)? = nil,
                                                _ what: String) throws -> [String] {
        var got: (lines: [String], unsure: Int?, err: String) = ([], nil, "")
        var want: [String] = []
        for _ in 0..<4 {
            try settle(g)
            want = try serialScreen(g, cols: cols, rows: rows)
            if let frame {
                let left = String(repeating: " ", count: (frame.width - cols * 8) / 2 / 8)
                want = Array(repeating: "", count: (frame.height - rows * 19) / 2 / 19) + want.map { $0.isEmpty ? "" : left + $0 }
            }
            got = try screenText(bed, g)
            if got.lines == want { break }
            Thread.sleep(forTimeInterval: 3)
        }
        #expect(got.lines == want, "\(what): screen --text\n\(got.lines.joined(separator: "\n"))\nfirmware's text\n\(want.joined(separator: "\n"))")
        #expect(got.unsure == 0, "\(what): stderr \(got.err)")
        return got.lines
    }

    /// The shell, the setup front page (`exit`), the boot manager (two lines down, Enter): each read as exactly
    /// the text the firmware wrote, frames, arrows and highlighted entries included. Then back to the shell.
    @Test func screenReadsTheShellTheSetupPageAndTheBootManager() throws {
        let bed = try TestBed.load()
        let g = try shellGuest(bed)
        try bed.withGuest(g) {
            // From a known state: the shell just booted (another test may have left the setup pages open).
            #expect(try bed.run(["uefi-reset", g.name]) == 0)
            let shell = try expectScreenEqualsFirmwareText(bed, g, cols: 100, rows: 31, "UEFI shell")
            #expect(shell.first == "UEFI Interactive Shell v2.2")
            #expect(shell.last?.hasPrefix("Shell>") == true)

            try typeWord(bed, g, "exit")
            try press(bed, g, ["KEY_ENTER"])
            let setup = try expectScreenEqualsFirmwareText(bed, g, cols: 80, rows: 25, "setup front page")
            for item in ["Device Manager", "Boot Manager", "Boot Maintenance Manager", "Continue", "Reset"] {
                #expect(setup.contains { $0.contains(item) }, "no '\(item)' on the front page")
            }
            #expect(setup.contains { $0.contains("↑↓=Move Highlight") && $0.contains("<Enter>=Select Entry") })

            try press(bed, g, ["KEY_DOWN", "KEY_DOWN", "KEY_ENTER"])
            let boot = try expectScreenEqualsFirmwareText(bed, g, cols: 80, rows: 25, "boot manager")
            #expect(boot.contains { $0.contains("Boot Manager") })
            #expect(boot.contains { $0.contains("EFI Internal Shell") })
            #expect(boot.contains { $0.contains("┌") || $0.contains("─") }, "the page frame")

            #expect(try bed.run(["uefi-reset", g.name]) == 0)
        }
    }

    /// The setup at a bigger mode: fleet-setup shows it at the display's own 1024x768 (Debian's OVMF would switch
    /// to 640x480; Tests/Bed/efi/setupres.c keeps the display's mode and the 100x31 text, as newer OVMF does). Its
    /// front page and boot manager read as exactly the text the firmware wrote, no cell unsure.
    @Test func screenReadsTheSetupAndTheBootManagerAt1024x768() throws {
        let bed = try TestBed.load()
        let g = try #require(bed.uefiGuests.first { $0.mode == "uefi-setup-1024x768" }, "bed.json has no uefi-setup-1024x768 guest (bed up)")
        try bed.withGuest(g) {
            #expect(try bed.run(["uefi-reset", g.name]) == 0)
            let setup = try expectScreenEqualsFirmwareText(bed, g, cols: 100, rows: 31, in: (1024, 768), "setup front page at 1024x768")
            for item in g.expectText ?? [] { #expect(setup.contains { $0.contains(item) }, "no '\(item)' on the front page") }
            #expect(setup.contains { $0.contains("↑↓=Move Highlight") && $0.contains("<Enter>=Select Entry") })

            try press(bed, g, ["KEY_DOWN", "KEY_DOWN", "KEY_ENTER"])
            let boot = try expectScreenEqualsFirmwareText(bed, g, cols: 100, rows: 31, in: (1024, 768), "boot manager at 1024x768")
            #expect(boot.contains { $0.contains("EFI Internal Shell") })
            #expect(boot.contains { $0.contains("UEFI QEMU HARDDISK") }, "the setup disk as a boot option")
            #expect(boot.contains { $0.contains("┌") && $0.contains("─") }, "the page frame")

            #expect(try bed.run(["uefi-reset", g.name]) == 0)
        }
    }

    /// In `fleettui console`: `echo hello-<random>` typed in the UEFI shell comes back as that line of text.
    @Test func echoTypedInTheUEFIShellComesBackAsText() throws {
        let bed = try TestBed.load()
        let g = try shellGuest(bed)
        try bed.withGuest(g) {
            let t = try Tmux(prefix: "uefi-e2e", width: 140, height: 52)
            try t.type("\(try FleetBinary.path()) console -c \(bed.qemuURI) \(g.name)")
            try t.waitFor("the UEFI shell of \(g.name) as text", timeout: 90) { lines in
                lines.contains { $0.contains("\(g.name) │ text") } && lines.contains { $0.contains("Shell>") }
            }
            let word = "hello-\(UInt32.random(in: 0..<UInt32.max))"
            try t.text("echo \(word)")
            try t.keys("Enter")
            try t.waitFor("'\(word)' echoed by the UEFI shell", timeout: 90) { lines in
                lines.contains { $0.trimmingCharacters(in: .whitespaces) == word }
            }
            try t.keys("C-]")
            try t.waitFor("the shell prompt after fleettui", timeout: 15) { lines in
                lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) ?? false
            }
        }
    }

    /// Linux fbcon on efifb at 1920x1080 and 2560x1600 (the kernel picks its built-in font for the size: 8x16, and
    /// TER16x32 at 2560x1600, read out of the guest's kernel image with --font as a jump host reads its own
    /// /boot/vmlinuz-*): the banner and prompt read exactly, no cell unsure.
    @Test(arguments: ["fbcon-1920x1080", "fbcon-2560x1600"])
    func largeFbconReadsExactly(mode: String) throws {
        let bed = try TestBed.load()
        let g = try #require(bed.uefiGuests.first { $0.mode == mode }, "bed.json has no \(mode) guest (bed up)")
        let kernel = try #require(g.kernel, "bed.json names no kernel for \(g.name)")
        let got = try bed.withGuest(g) { try screenText(bed, g, ["--font", kernel]) }
        for expected in g.expectText ?? [] { #expect(got.lines.contains(expected), "missing '\(expected)' in:\n\(got.lines.joined(separator: "\n"))") }
        #expect(got.lines.contains { $0.hasPrefix(g.prompt ?? "?") })
        #expect(got.unsure == 0, "stderr: \(got.err)")
    }
}
