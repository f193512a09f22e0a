import Testing
import Foundation
import FleetCore
import TestSupport

/// `fleettui export` publishes what each console shows: every state guest of the bed (Tests/Bed/screens) has its
/// `fleettui_console_state{host,domain,state}` = 1 with the state its real screen shows, and the seconds since the
/// screen last changed.
@Suite(.serialized) struct ScreenExportTests {
    @Test func metricsCarryEveryStateGuestsScreenState() throws {
        let bed = try TestBed.load()
        let dir = try Paths.tempDir("screen-export")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = Ports.free()
        let child = try Child("fleettui-export", try Paths.fleettui(),
                              ["export", "--listen", "127.0.0.1:\(port)", "-d", "1", "-c", bed.qemuURI], dir: dir)
        defer { child.stop() }
        let expected = Dictionary(uniqueKeysWithValues: bed.stateGuests.map { ($0.name, $0.state) })
        let states = try bed.withGuest(named: "scr-login") {
            try eventually("every state guest's console state on /metrics", timeout: 90) { () -> [String: String]? in
                guard child.process.isRunning else { throw TestFailure(description: "fleettui export exited: \(child.stderr.suffix(500))") }
                let series = FleetFixtures.samples(Array(try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 5).body))
                var got: [String: String] = [:]
                for s in series where s.labels["__name__"] == "fleettui_console_state" && s.value == 1 {
                    if let d = s.labels["domain"], expected[d] != nil { got[d] = s.labels["state"] }
                }
                return got == expected ? got : nil
            }
        }
        #expect(states == expected)
        let series = FleetFixtures.samples(Array(try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 5).body))
        let panic = try #require(series.first { $0.labels["__name__"] == "fleettui_console_state" && $0.labels["state"] == "panic" })
        #expect(panic.labels["host"] != nil && panic.labels["severity"] == "critical")
        let unchanged = series.filter { $0.labels["__name__"] == "fleettui_console_screen_unchanged_seconds" && expected[$0.labels["domain"] ?? ""] != nil }
        #expect(unchanged.count == expected.count && unchanged.allSatisfy { $0.value >= 0 })
    }
}
