import Testing
import Foundation
import FleetCore
import TestSupport

/// `fleettui export` publishes what each console shows: fleettui_console_state{host,domain,state} = 1 and how long
/// the screen has not changed, for alerts such as "a panic on screen" fleet-wide.
@Suite struct ScreenMetricsTests {
    @Test func consoleStateAndSecondsSinceTheScreenChanged() throws {
        let seen = Date(timeIntervalSince1970: 2000)
        var rows = [FleetFixtures.row(host: "hv1", name: "web", uuid: "u-1"), FleetFixtures.row(host: "hv1", name: "db", uuid: "u-2"),
                    FleetFixtures.row(host: "hv2", name: "old", uuid: "u-3", stale: true)]
        let panic = ScreenObservation.text(ScreenText(lines: ["Kernel panic - not syncing: VFS: Unable to mount root fs"], cols: 80))
        rows[0].screen = DomainScreen(key: rows[0].sample.key, hostName: "hv1", domainName: "web",
                                      state: ScreenClassifier.builtIn.classify(panic), observation: panic,
                                      seenAt: seen, changedAt: seen.addingTimeInterval(-300), route: "127.0.0.1:5900")
        rows[2].screen = rows[0].screen   // a stale row's screen is not current either: left out
        let snap = FleetSnapshot(generation: 1, time: seen, hosts: [FleetFixtures.host("hv1"), FleetFixtures.host("hv2", state: .down)],
                                 domains: rows)
        let series = FleetFixtures.samples(FleetMetrics.render(snap, now: seen.addingTimeInterval(10)))
        let state = series.filter { $0.labels["__name__"] == "fleettui_console_state" }
        #expect(state.count == 1)
        let s = try #require(state.first)
        #expect(s.labels["host"] == "hv1" && s.labels["domain"] == "web" && s.labels["state"] == "panic"
                && s.labels["severity"] == "critical" && s.value == 1)
        let unchanged = series.filter { $0.labels["__name__"] == "fleettui_console_screen_unchanged_seconds" }
        #expect(unchanged.map(\.value) == [310])
        #expect(series.first { $0.labels["__name__"] == "fleettui_console_screen_seen_seconds" }?.value == 10)
        // No screens: no console families at all (a Prometheus-fed or screen-less exporter).
        let plain = String(decoding: FleetMetrics.render(FleetSnapshot(generation: 1, time: seen, hosts: [], domains: [])), as: UTF8.self)
        #expect(!plain.contains("fleettui_console"))
    }
}
