import ConsoleBridge
import ConsoleCore
import Foundation
import Testing

/// The VNC client against servers that lie, stall or send garbage: it must end with one clear error
/// within its timeouts, never crash or hang.
@Suite(.serialized) struct HostileServer {
    private func run(_ scenario: String, policy: VNCSecurityPolicy = .default, password: VNCPassword? = nil,
                     readTimeout: Double = 2, within limit: Double = 8) throws -> (VNCError??, SessionProbe, VNCSession) {
        let server = try FakeRFBServer(scenario)
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: server.port))
        c.connectTimeout = 2
        c.readTimeout = readTimeout
        c.security = policy
        if let password { c.password = { password } }
        let (s, probe) = startSession(c)
        let t0 = Date()
        let ended = probe.wait(timeout: limit) { probe.closed != nil }
        if !ended { s.close() }
        #expect(ended, "\(scenario): session did not end within \(limit) s")
        #expect(Date().timeIntervalSince(t0) < limit)
        #expect(s.waitUntilFinished(timeout: 3), "\(scenario): session thread still running")
        return (probe.closed, probe, s)
    }

    private func oneLine(_ e: VNCError??) -> String {
        guard case .some(.some(let err)) = e else { return "" }
        return err.description
    }

    private func expectClean(_ e: VNCError??, _ scenario: String) {
        let line = oneLine(e)
        #expect(!line.isEmpty, "\(scenario): no error reported")
        #expect(!line.contains("\n") && !line.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                "\(scenario): error line has control characters: \(line.debugDescription)")
        #expect(line.count < 400)
    }

    @Test func goodFakeServerDeliversExactPixels() throws {
        let server = try FakeRFBServer("good")
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: server.port))
        c.connectTimeout = 2
        let (s, probe) = startSession(c)
        defer { s.close(); s.waitUntilFinished(timeout: 3) }
        let f = try #require(waitForPicture(s, probe, timeout: 5))
        #expect(f.width == 64 && f.height == 48)
        for i in [0, 1, 77, 64 * 48 - 1] {
            let expected = UInt32((i * 7) & 0xFF) << 16 | UInt32((i * 3) & 0xFF) << 8 | UInt32(i & 0xFF)
            #expect(f.pixels[i] == expected, "pixel \(i)")
        }
        #expect(probe.connected?.name == "fake")
    }

    @Test func nothingListening() throws {
        // Bind a port, close it: nothing listens there any more.
        let port: Int = try {
            let s = try FakeRFBServer("close-early", linger: 0.1)
            let p = s.port
            Thread.sleep(forTimeInterval: 0.4)
            return p
        }()
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: port))
        c.connectTimeout = 2
        let (s, probe) = startSession(c)
        #expect(probe.wait(timeout: 5) { probe.closed != nil })
        s.waitUntilFinished(timeout: 3)
        guard case .some(.some(.refused)) = probe.closed else { Issue.record("got \(String(describing: probe.closed))"); return }
    }

    @Test func garbageGreeting() throws {
        let (e, probe, _) = try run("garbage")
        expectClean(e, "garbage")
        #expect(probe.connected == nil)
        guard case .some(.some(.protocolError)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func closesRightAway() throws {
        let (e, _, _) = try run("close-early")
        expectClean(e, "close-early")
    }

    @Test func stallsBeforeTheGreeting() throws {
        let (e, _, _) = try run("stall-greeting", within: 6)
        guard case .some(.some(.timeout)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func stallsInTheMiddleOfAnUpdate() throws {
        let (e, probe, _) = try run("stall-mid-message", readTimeout: 2, within: 8)
        #expect(probe.connected != nil)
        guard case .some(.some(.timeout)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    /// Keys queued while libvncclient is stuck reading an update are not sent (it sends nothing meanwhile): when the
    /// read times out, the session hands them back, in order, for the console's next session (KeyBacklog).
    @Test func keysQueuedDuringAStalledUpdateAreHandedBackUnsent() throws {
        let server = try FakeRFBServer("stall-mid-message")
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: server.port))
        c.connectTimeout = 2
        c.readTimeout = 4
        let (s, probe) = startSession(c)
        defer { s.close(); s.waitUntilFinished(timeout: 3) }
        #expect(probe.wait(timeout: 5) { probe.connected != nil })
        Thread.sleep(forTimeInterval: 1)   // the session thread is inside the half-sent update by now
        let typed = "ls -l".flatMap { KeyMapper.strokes(for: .char($0)) }
        s.send(typed)
        #expect(probe.wait(timeout: 10) { probe.closed != nil }, "the stalled read did not time out")
        guard case .some(.some(.timeout)) = probe.closed else { Issue.record("got \(String(describing: probe.closed))"); return }
        #expect(s.takeUnsentKeys() == typed)
        #expect(s.takeUnsentKeys().isEmpty, "taken once")
    }

    @Test func truncatedUpdateThenClose() throws {
        let (e, _, _) = try run("truncated-close")
        guard case .some(.some(.serverClosed)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func hugeFramebufferIsRefused() throws {
        let (e, _, _) = try run("huge-framebuffer")
        guard case .some(.some(.framebufferTooLarge(65535, 65535))) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func hugeDesktopNameIsRefused() throws {
        let (e, _, _) = try run("huge-name")
        expectClean(e, "huge-name")
        guard case .some(.some(.protocolError)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func desktopNameIsSanitised() throws {
        let server = try FakeRFBServer("evil-name")
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: server.port))
        c.connectTimeout = 2
        let (s, probe) = startSession(c)
        defer { s.close(); s.waitUntilFinished(timeout: 3) }
        #expect(probe.wait(timeout: 5) { probe.connected != nil })
        let name = try #require(probe.connected?.name)
        #expect(!name.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }, "\(name.debugDescription)")
        #expect(name.count <= VNCLimits.maxDesktopNameCharacters + 1)
        #expect(name.contains("evil"))
    }

    @Test func rectangleOutsideTheFramebuffer() throws {
        let (e, _, _) = try run("oversized-rect")
        expectClean(e, "oversized-rect")
        guard case .some(.some(.protocolError)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func resizeToAHugeFramebufferIsRefused() throws {
        let (e, probe, _) = try run("resize-huge")
        #expect(probe.connected != nil)
        guard case .some(.some(.framebufferTooLarge(30000, 30000))) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func desktopSizeChangeIsFollowed() throws {
        let server = try FakeRFBServer("resize-ok")
        var c = VNCSessionConfiguration(endpoint: .tcp(host: "127.0.0.1", port: server.port))
        c.connectTimeout = 2
        let (s, probe) = startSession(c)
        defer { s.close(); s.waitUntilFinished(timeout: 3) }
        var last: VNCFrameUpdate?
        let resized = probe.wait(timeout: 5) {
            if let u = s.takeUpdate() { last = u }
            return last?.width == 32 && last?.height == 16 && (last?.pixels.contains { $0 != 0 } ?? false)
        }
        #expect(resized, "last update: \(String(describing: last.map { ($0.width, $0.height) }))")
        #expect(last?.pixels.count == 32 * 16)
    }

    @Test func unknownMessageType() throws {
        let (e, _, s) = try run("unknown-message")
        expectClean(e, "unknown-message \(s.recentLog.suffix(4))")
        // libvncclient may try to read the unknown message's body: a protocol error or a read timeout, both bounded.
        switch e {
        case .some(.some(.protocolError)), .some(.some(.timeout)): break
        default: Issue.record("got \(String(describing: e))")
        }
    }

    @Test func passwordDemandedButServerOffersNone() throws {
        let (e, probe, _) = try run("none-only", policy: .passwordRequired)
        #expect(probe.connected == nil)
        guard case .some(.some(.authNotAllowed)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func rfb33ServerCannotDowngradeToNone() throws {
        let (e, probe, _) = try run("rfb33-none", policy: .passwordRequired)
        #expect(probe.connected == nil, "a 3.3 server dictating None must not get through")
        guard case .some(.some(.authNotAllowed(let why))) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(why.contains("None"))
    }

    @Test func wrongPassword() throws {
        let (e, _, _) = try run("auth-fail", password: VNCPassword(bytes: Array("secret".utf8)))
        expectClean(e, "auth-fail")
        guard case .some(.some(.authFailed)) = e else { Issue.record("got \(String(describing: e))"); return }
    }

    @Test func passwordWantedButNoneGiven() throws {
        let (e, _, _) = try run("auth-fail")
        guard case .some(.some(.authFailed(let why))) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(why.contains("none was given"))
    }

    @Test func onlyUnsupportedSecurityTypes() throws {
        let (e, _, _) = try run("bad-security-type")
        guard case .some(.some(.authNotAllowed(let why))) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(why.contains("type 30"))
    }
}
