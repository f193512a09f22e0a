import Testing
@testable import ConsoleCore
import FleetCore

/// Keys → effects, as MonitorState's tests do for the monitor: pure, no terminal, no VNC server.
@Suite struct ConsoleStateTests {
    private func keys(_ state: inout ConsoleState, _ keys: [Key]) -> [ConsoleEffect] {
        keys.flatMap { state.handle($0, at: 0) }
    }

    @Test func typedKeysGoToTheGuestAndCtrlBracketDetaches() {
        var s = ConsoleState(domainName: "g")
        #expect(keys(&s, [.char("a")]) == [.send(KeyMapper.strokes(for: .char("a")))])
        #expect(keys(&s, [.enter]) == [.send(KeyMapper.strokes(for: .enter))])
        #expect(keys(&s, [.ctrl("]")]) == [.detach])
        #expect(keys(&s, [.mouse(MouseEvent(x: 1, y: 1, kind: .press(button: 1)))]).isEmpty, "clicks are not sent")
        #expect(keys(&s, [.resize]).isEmpty)
    }

    @Test func f12OpensTheMenuWhoseKeysSendCombinationsAndClose() {
        var s = ConsoleState(domainName: "g")
        #expect(keys(&s, [.function(12)]).isEmpty && s.overlay == .menu)
        #expect(keys(&s, [.delete]) == [.send(SendKeyCombo.ctrlAltDelete.strokes)] && s.overlay == nil)
        _ = keys(&s, [.function(12)])
        #expect(keys(&s, [.function(2)]) == [.send(SendKeyCombo.ctrlAltFunction(2).strokes)])
        _ = keys(&s, [.function(12)])
        #expect(keys(&s, [.function(12)]) == [.send(KeyMapper.strokes(for: .function(12)))], "F12 twice sends F12")
        _ = keys(&s, [.function(12)])
        #expect(keys(&s, [.char("c")]) == [.send(SendKeyCombo.ctrlAltFunction(12).strokes)])
        _ = keys(&s, [.function(12)])
        #expect(keys(&s, [.escape]).isEmpty && s.overlay == nil, "Esc closes without sending")
        _ = keys(&s, [.function(12)])
        #expect(keys(&s, [.char("r")]) == [.refresh] && s.overlay == nil)
        _ = keys(&s, [.function(12)])
        #expect(keys(&s, [.char("d")]) == [.detach])
    }

    @Test func sysRqTakesTheNextKey() {
        var s = ConsoleState(domainName: "g")
        #expect(keys(&s, [.function(12), .char("s")]).isEmpty && s.overlay == .sysRq)
        #expect(keys(&s, [.char("b")]) == [.send(SendKeyCombo.sysRq("b").strokes)] && s.overlay == nil)
        _ = keys(&s, [.function(12), .char("s")])
        #expect(keys(&s, [.escape]).isEmpty && s.overlay == nil, "anything but a letter cancels")
    }

    @Test func modeZoomAndPanStayInTheMenu() {
        var s = ConsoleState(domainName: "g")
        _ = keys(&s, [.function(12), .char("g")])
        #expect(s.mode == .picture && s.overlay == nil)
        _ = keys(&s, [.function(12), .char("+"), .char("+"), .right, .down])
        #expect(s.overlay == .menu, "zoom and pan keep the menu open")
        #expect(s.viewport.zoom == 2.25 && s.viewport.panX == 0.1 && s.viewport.panY == 0.1)
        _ = keys(&s, [.char("-"), .left])
        #expect(s.viewport.zoom == 1.5 && s.viewport.panX == 0)
        _ = keys(&s, [.char("0")])
        #expect(s.viewport == Viewport())
        for _ in 0..<20 { _ = keys(&s, [.char("+")]) }
        #expect(s.viewport.zoom == 16, "zoom stops at 16")
        _ = keys(&s, [.char("t")])
        #expect(s.mode == .text && s.overlay == nil)
        _ = keys(&s, [.function(12), .char("a")])
        #expect(s.mode == .auto)
    }

    /// Bracketed paste: the text goes as text (a pasted Ctrl+] does not detach); a lone Alt+[ is released
    /// as typed keys once the terminal goes quiet.
    @Test func pasteIsTextAndALoneAltBracketIsReleasedWhenIdle() {
        var s = ConsoleState(domainName: "g")
        let opened = keys(&s, [.alt("["), .char("2"), .char("0"), .char("0"), .char("~"), .char("x"), .ctrl("]"), .enter])
        #expect(opened.isEmpty && s.isBufferingPaste)
        let pasted = keys(&s, [.alt("["), .char("2"), .char("0"), .char("1"), .char("~")])
        #expect(pasted == [.send(KeyMapper.strokes(forPaste: "x\u{1D}\n"))])
        #expect(!s.isBufferingPaste)

        #expect(s.handle(.alt("["), at: 10).isEmpty)
        #expect(s.idle(at: 10.01).isEmpty, "held back for a moment")
        #expect(s.idle(at: 10.1) == [.send(KeyMapper.strokes(for: .alt("[")))])
    }

    @Test func thePasswordIsHandedOverAndTheTypedBytesAreGone() throws {
        var s = ConsoleState(domainName: "g")
        s.askPassword()
        let typed = try #require(s.passwordPrompt)
        #expect(keys(&s, "hunter2x".map { Key.char($0) }).isEmpty)
        _ = keys(&s, [.backspace])
        #expect(typed.withBytes { Array($0) } == Array("hunter2".utf8))
        #expect(typed.allocationBytes().prefix(8) == Array("hunter2\0".utf8)[...], "backspace zeroes the byte it removes")
        let effects = keys(&s, [.enter])
        guard case .password(let p?)? = effects.first else { Issue.record("no password: \(effects)"); return }
        #expect(p.count == 7 && s.passwordPrompt == nil)
        // What was typed is zeroed in the prompt's own storage, not in a copy of it.
        #expect(typed.allocationBytes().allSatisfy { $0 == 0 })
        #expect(p.allocationBytes().prefix(7) == Array("hunter2".utf8)[...])
    }

    @Test func cancellingThePromptWipesWhatWasTyped() throws {
        var s = ConsoleState(domainName: "g")
        s.askPassword()
        let typed = try #require(s.passwordPrompt)
        // Longer than the first allocation: it grows, and the old allocation is zeroed before it is freed.
        _ = keys(&s, String(repeating: "s3cret", count: 12).map { Key.char($0) })
        #expect(typed.count == 72)
        #expect(keys(&s, [.escape]) == [.password(nil)])
        #expect(typed.allocationBytes().allSatisfy { $0 == 0 } && typed.isEmpty)
        #expect(s.passwordPrompt == nil)
    }

    @Test func promptKeysNeverReachTheGuestAndBackspaceTakesAWholeCharacter() throws {
        var s = ConsoleState(domainName: "g")
        _ = keys(&s, [.function(12)])
        s.askPassword()
        let typed = try #require(s.passwordPrompt)
        #expect(keys(&s, [.char("é"), .char("€"), .ctrl("]"), ]) == [.password(nil)], "Ctrl+] cancels the prompt, it does not detach")
        s.askPassword()
        let again = try #require(s.passwordPrompt)
        _ = keys(&s, [.char("a"), .char("€"), .backspace])
        #expect(again.withBytes { Array($0) } == Array("a".utf8))
        #expect(typed.allocationBytes().allSatisfy { $0 == 0 })
        s.dismissPassword()
        #expect(again.allocationBytes().allSatisfy { $0 == 0 } && s.passwordPrompt == nil)
    }
}
