import Foundation
import Testing
@testable import FleetApp
import FleetCore
import TestSupport

/// The monitor's real loop (MonitorApp.run, the code `fleettui` runs) in process, on an in-memory terminal, fed
/// by a scripted source: keys in, screens out, settings written, no tmux and no libvirt.
@Suite struct MonitorLoopTests {
    typealias F = FleetFixtures

    static func snapshot(generation: UInt64, webMemGiB: UInt64) -> FleetSnapshot {
        var web = F.row(host: "hv1", name: "web-1", uuid: "u-web")
        web.sample.memCurrentKiB = webMemGiB << 20
        var db = F.row(host: "hv1", name: "db-1", uuid: "u-db")
        db.sample.memCurrentKiB = 4 << 20
        let cache = F.row(host: "hv2", name: "cache", uuid: "u-cache", state: .paused)
        return FleetSnapshot(generation: generation, time: Date(timeIntervalSince1970: 0), hosts: [F.host("hv1"), F.host("hv2")],
                             domains: [web, db, cache], label: "scripted")
    }

    private func names(_ lines: [String]) -> [String] {
        lines.compactMap { l in ["web-1", "db-1", "cache"].first { l.contains(" \($0) ") } }
    }

    @Test func keysSortFilterAndQuitOnTheRealLoop() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-loop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config.toml").path
        let source = ScriptedFleetSource([Self.snapshot(generation: 1, webMemGiB: 1), Self.snapshot(generation: 2, webMemGiB: 8)])
        let terminal = MemoryTerminal(width: 100, height: 12)
        let options = try UIOptions.parse(["--config", config, "--sort", "name"])
        let app = MonitorApp(source: source, options: options, delay: 3, delayGiven: false)
        let loop = LoopRunner { () -> String? in
            do { try app.run(on: terminal); return nil } catch { return "\(error)" }
        }

        var seen = terminal.waitFor(timeout: 30) { $0.first?.contains("FleetTUI - scripted") == true && $0.contains { $0.contains(" web-1 ") } }
        #expect(seen.ok, "\(seen.lines)")
        #expect(names(seen.lines) == ["cache", "db-1", "web-1"], "sorted by name (--sort name): \(seen.lines)")
        #expect(source.isStarted)

        terminal.type("M")   // memory, largest first
        seen = terminal.waitFor(timeout: 10) { self.names($0) == ["db-1", "web-1", "cache"] }
        #expect(seen.ok, "by memory: \(seen.lines)")

        source.advance()     // web-1 grows to 8G: the order follows the new snapshot
        seen = terminal.waitFor(timeout: 10) { self.names($0) == ["web-1", "db-1", "cache"] }
        #expect(seen.ok, "after the refresh: \(seen.lines)")

        terminal.type("/web")
        seen = terminal.waitFor(timeout: 10) { self.names($0) == ["web-1"] && $0.last?.contains("web") == true }
        #expect(seen.ok, "filtered: \(seen.lines)")
        terminal.type([.enter])

        terminal.type("d")
        terminal.type([.backspace, .backspace, .backspace])
        terminal.type("5")
        terminal.type([.enter])
        terminal.type("W")
        seen = terminal.waitFor(timeout: 10) { $0.last?.contains("Settings written to") == true }
        #expect(seen.ok, "\(seen.lines)")
        #expect(source.intervals.contains(5))
        let written = try String(contentsOfFile: config, encoding: .utf8)
        #expect(written.contains("delay = 5") && written.contains("mem"), "\(written)")

        terminal.resize(width: 30, height: 8)
        seen = terminal.waitFor(timeout: 10) { $0.first?.hasPrefix("Terminal too small (30x8)") == true }
        #expect(seen.ok, "\(seen.lines)")

        terminal.type("q")
        let outcome = loop.wait(timeout: 10)
        #expect(outcome == .some(nil), "the loop returns on q: \(String(describing: outcome))")
        #expect(source.isStopped)
        #expect(terminal.bracketedPasteChanges.isEmpty, "the monitor never turns bracketed paste on")
    }

    @Test func aSignalEndsTheLoop() throws {
        let source = ScriptedFleetSource([Self.snapshot(generation: 1, webMemGiB: 1)])
        let terminal = MemoryTerminal(width: 80, height: 10)
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString).toml").path
        let app = MonitorApp(source: source, options: try UIOptions.parse(["--config", config]), delay: 3, delayGiven: false)
        let loop = LoopRunner { () -> Bool in (try? app.run(on: terminal)) != nil }
        let shown = terminal.waitFor(timeout: 30) { $0.contains { $0.contains(" web-1 ") } }
        #expect(shown.ok, "\(shown.lines)")
        terminal.interrupt(15)
        #expect(loop.wait(timeout: 10) == true)
        #expect(terminal.interruptSignal == 15 && source.isStopped)
        #expect(!FileManager.default.fileExists(atPath: config), "nothing written unless W is pressed")
    }
}
