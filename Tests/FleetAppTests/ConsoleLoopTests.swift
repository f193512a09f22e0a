import ConsoleCore
import Foundation
import Testing
@testable import FleetApp
import FleetCore
import TestSupport

/// The console's real loop (ConsoleScreen.attach, as the monitor's `c` and `fleettui console` run it) in process,
/// on an in-memory terminal, against a real VNC server (QEMU's, serving the BIOS screen). Only the libvirt lookup
/// is skipped: the display is given by address (the e2e tests cover the lookup).
@Suite(.serialized) struct ConsoleLoopTests {
    private func attach(_ terminal: MemoryTerminal, port: Int, name: String, options: ConsoleOptions = ConsoleOptions()) -> LoopRunner<ConsoleOutcome> {
        let palette = ThemeStyles(theme: BuiltinThemes.defaultTheme)
        return LoopRunner {
            ConsoleScreen.attach(terminal: terminal, target: ConsoleTarget(uri: nil, domain: name), options: options, palette: palette,
                                 opener: { _, _ in
                                     OpenedDisplay(endpoint: .tcp(host: "127.0.0.1", port: port), domainName: name,
                                                   route: "127.0.0.1:\(port)", tunnel: nil, password: nil, hostName: "127.0.0.1")
                                 })
        }
    }

    @Test func theBIOSScreenAsTextMenuModesAndDetach() throws {
        let qemu = try QEMUVNCDisplay()
        let terminal = MemoryTerminal(width: 100, height: 30)
        let loop = attach(terminal, port: qemu.port, name: "bios")

        var seen = terminal.waitFor(timeout: 90) { l in l.contains { $0.contains("SeaBIOS") } && l.last?.contains("bios │ text 80x25 │ 720x400") == true }
        #expect(seen.ok, "the BIOS screen as text: \(seen.lines)")
        #expect(terminal.bracketedPaste, "bracketed paste is on while attached")
        #expect(seen.lines.last?.hasSuffix("Ctrl+] detach · F12 menu") == true)

        terminal.type([.function(12)])
        seen = terminal.waitFor(timeout: 10) { $0.contains { $0.contains("Send to the guest:") } }
        #expect(seen.ok, "the menu: \(seen.lines)")
        #expect(terminal.frame?.cursor == nil, "no cursor over the menu")
        terminal.type("g")
        seen = terminal.waitFor(timeout: 10) { l in !l.contains { $0.contains("Send to the guest:") } && l.last?.contains("bios │ picture (picture) │ 720x400") == true }
        #expect(seen.ok, "picture mode: \(seen.lines)")
        #expect(!seen.lines.contains { $0.contains("SeaBIOS") }, "a picture, not text")
        terminal.type([.function(12)])
        terminal.type("a")
        seen = terminal.waitFor(timeout: 10) { l in l.contains { $0.contains("SeaBIOS") } && l.last?.contains("bios │ text 80x25 │") == true }
        #expect(seen.ok, "back to automatic: \(seen.lines)")

        terminal.type([.ctrl("]")])
        #expect(loop.wait(timeout: 15) == .detached)
        #expect(terminal.bracketedPasteChanges == [true, false], "bracketed paste turned on, then off on the way out")
    }

    @Test func thePasswordIsAskedForInTheConsoleAndOpensTheDisplay() throws {
        let qemu = try QEMUVNCDisplay(vncOptions: "password-secret=pw0", objects: ["secret,id=pw0,data=s3cret"])
        let terminal = MemoryTerminal(width: 100, height: 30)
        let loop = attach(terminal, port: qemu.port, name: "locked")

        var seen = terminal.waitFor(timeout: 60) { $0.contains { $0.contains("VNC password for locked (not shown") } }
        #expect(seen.ok, "the prompt: \(seen.lines)")
        terminal.type("s3cret")
        seen = terminal.waitFor(timeout: 5) { _ in false }
        #expect(!seen.lines.joined().contains("s3cret"), "what is typed is never shown")
        terminal.type([.enter])
        seen = terminal.waitFor(timeout: 60) { l in l.contains { $0.contains("SeaBIOS") } && l.last?.contains("locked │ text") == true }
        #expect(seen.ok, "the screen after the right password: \(seen.lines)")

        terminal.type([.ctrl("]")])
        #expect(loop.wait(timeout: 15) == .detached)
    }

    @Test func aRefusedPasswordEndsTheFirstAttachWithOneLine() throws {
        let qemu = try QEMUVNCDisplay(vncOptions: "password-secret=pw0", objects: ["secret,id=pw0,data=s3cret"])
        let terminal = MemoryTerminal(width: 100, height: 30)
        let loop = attach(terminal, port: qemu.port, name: "locked")
        let shown = terminal.waitFor(timeout: 60) { $0.contains { $0.contains("VNC password for locked") } }
        #expect(shown.ok, "\(shown.lines)")
        terminal.type("guess")
        terminal.type([.enter])
        guard case .failed(let line)? = loop.wait(timeout: 60) else { Issue.record("the console did not end"); return }
        #expect(line.contains("authentication") || line.contains("password"), "\(line)")
        #expect(!line.contains("\n"))
    }

    @Test func aSignalWhileConnectingReturnsInterrupted() throws {
        let terminal = MemoryTerminal(width: 80, height: 24)
        // A port nobody listens on, retried (--reconnect): the loop keeps waiting until the signal.
        let port = Ports.free()
        var options = ConsoleOptions()
        options.reconnect = true
        let loop = attach(terminal, port: port, name: "nothing", options: options)
        let shown = terminal.waitFor(timeout: 30) { $0.last?.contains("reconnecting in") == true }
        #expect(shown.ok, "\(shown.lines)")
        terminal.interrupt(1)
        #expect(loop.wait(timeout: 15) == .interrupted)
        #expect(terminal.bracketedPasteChanges == [true, false])
    }
}
