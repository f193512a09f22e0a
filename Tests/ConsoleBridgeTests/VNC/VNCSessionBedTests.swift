import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Testing
import TestSupport

/// VNCSession against the test bed's real QEMU guests (Tests/Bed/bed up). A missing bed fails.
@Suite(.serialized) struct VNCSessionBed {
    private func guest(_ mode: String) throws -> TestBed.Guest {
        let bed = try TestBed.load()
        return try #require(bed.guests.first { $0.mode.hasPrefix(mode) }, "bed has no \(mode) guest")
    }

    private func config(_ g: TestBed.Guest) -> VNCSessionConfiguration {
        var c = VNCSessionConfiguration(endpoint: .tcp(host: g.vncHost, port: g.vncPort))
        c.connectTimeout = 5
        return c
    }

    @Test func vgaTextGuestGivesA720x400Picture() throws {
        let g = try guest("vgatext")
        let (s, probe) = startSession(config(g))
        defer { s.close(); s.waitUntilFinished(timeout: 5) }
        let frame = try #require(waitForPicture(s, probe, timeout: 10), "no frame; \(s.recentLog.suffix(3))")
        #expect(frame.width == 720 && frame.height == 400)
        #expect(Set(frame.pixels).count > 1, "blank frame")
        #expect(probe.connected?.name.contains(g.name) == true)
    }

    @Test func fbconGuestGivesA1024x768Picture() throws {
        let g = try guest("fbcon-1024x768")
        let (s, probe) = startSession(config(g))
        defer { s.close(); s.waitUntilFinished(timeout: 5) }
        let frame = try #require(waitForPicture(s, probe, timeout: 10), "no frame; \(s.recentLog.suffix(3))")
        #expect(frame.width == 1024 && frame.height == 768)
        #expect(Set(frame.pixels).count > 1, "blank frame")
    }

    @Test func typedKeysChangeTheScreen() throws {
        let g = try guest("vgatext")
        try TestBed.load().withGuest(g) { try typeAndErase(g) }
    }

    private func typeAndErase(_ g: TestBed.Guest) throws {
        let (s, probe) = startSession(config(g))
        defer { s.close(); s.waitUntilFinished(timeout: 5) }
        let before = try #require(waitForPicture(s, probe, timeout: 10))
        // Type without Enter, then erase it again: the guest's shell is left as it was.
        let word = "qz\(Int.random(in: 100...999))"
        s.send(word.flatMap { KeyMapper.strokes(forCharacter: $0) })
        var after: VNCFrameUpdate?
        let changed = probe.wait(timeout: 10) {
            if let u = s.takeUpdate() { after = u }
            return after.map { $0.pixels != before.pixels } ?? false
        }
        s.send(Array(repeating: KeyStroke.tap(KeySym.backSpace), count: word.count).flatMap { $0 })
        #expect(changed, "typing did not change the guest's screen")
        if let a = after { #expect(a.dirty.allSatisfy { $0.height < 400 }, "dirty rectangles should be partial: \(a.dirty)") }
    }

    @Test func demandingAPasswordNeverFallsBackToNone() throws {
        let g = try guest("vgatext")
        var c = config(g)
        c.security = .passwordRequired
        let (s, probe) = startSession(c)
        defer { s.close(); s.waitUntilFinished(timeout: 5) }
        #expect(probe.wait(timeout: 10) { probe.closed != nil })
        guard case .some(.some(.authNotAllowed(let why))) = probe.closed else {
            Issue.record("expected authNotAllowed, got \(String(describing: probe.closed))"); return
        }
        #expect(why.contains("None"))
        #expect(probe.connected == nil)
    }

    @Test func closeEndsTheSessionQuickly() throws {
        let g = try guest("vgatext")
        let (s, probe) = startSession(config(g))
        _ = waitForPicture(s, probe, timeout: 10)
        let t0 = Date()
        s.close()
        #expect(s.waitUntilFinished(timeout: 2))
        #expect(Date().timeIntervalSince(t0) < 1)
        guard case .some(.none) = probe.closed else { Issue.record("closed with \(String(describing: probe.closed))"); return }
    }
}
