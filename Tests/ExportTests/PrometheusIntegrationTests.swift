import Testing
import Foundation
import FleetCore
import Export
import TestSupport

/// Real processes end to end: the bed's TCP hosts (real libvirtd RPC, test-driver fleets) →
/// `fleettui export` or Debian's prometheus-libvirt-exporter → a real Prometheus (1 s scrapes)
/// → PromQL → `PrometheusSource` / `fleettui -b --source prometheus=…`.
@Suite(.serialized) struct PrometheusIntegrationTests {
    /// Starts `fleettui export` on every TCP host of the bed; returns it with its /metrics URL.
    static func startExport(_ bed: TestBed, dir: String) throws -> (Child, Int) {
        let port = Ports.free()
        var args = ["export", "--listen", "127.0.0.1:\(port)", "-d", "1"]
        for h in bed.tcpHosts { args += ["-c", h.uri] }
        let child = try Child("fleettui-export", try Paths.fleettui(), args, dir: dir)
        _ = try eventually("fleettui export to serve every bed domain", timeout: 60) {
            guard child.process.isRunning else { throw TestFailure(description: "fleettui export exited: \(child.stderr.suffix(500))") }
            let r = try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 5)
            let n = r.text.split(separator: "\n").filter { $0.hasPrefix("libvirt_domain_state_code{") }.count
            return n == bed.tcpHosts.reduce(0) { $0 + $1.domains } ? true : nil
        }
        return (child, port)
    }

    @Test func prometheusScrapingExportSeesEveryBedDomainAndTheMonitorShowsThemWithRates() throws {
        let bed = try TestBed.load()
        #expect(!bed.tcpHosts.isEmpty)
        let total = bed.tcpHosts.reduce(0) { $0 + $1.domains }
        let dir = try Paths.tempDir("prom-export")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (export, exportPort) = try Self.startExport(bed, dir: dir)
        defer { export.stop() }
        let prom = try PrometheusServer(jobs: ["fleettui": ["127.0.0.1:\(exportPort)"]], dir: dir)
        defer { prom.stop() }

        // One series per bed domain, each with host, domain and uuid labels.
        let states = try eventually("Prometheus to hold one state series per bed domain", timeout: 30) { () -> [PromSeries]? in
            let s = try prom.query("libvirt_domain_state_code")
            return s.count == total ? s : nil
        }
        #expect(Set(states.map { "\($0.labels["host"] ?? "")/\($0.labels["uuid"] ?? "")" }).count == total)
        #expect(states.allSatisfy { $0.labels["domain"] != nil && $0.labels["host"] != nil })
        #expect(try prom.query("libvirt_up").count == bed.tcpHosts.count)
        #expect(try prom.query("libvirt_up").allSatisfy { $0.value == 1 })
        // Rates need two scrapes with moving counters, for every domain that has a CPU counter.
        let withCPU = try prom.query("libvirt_domain_info_cpu_time_seconds_total").count
        #expect(withCPU > 0)
        _ = try eventually("non-zero CPU rates in Prometheus for all \(withCPU) active domains", timeout: 30) {
            try prom.query("rate(libvirt_domain_info_cpu_time_seconds_total[1m]) > 0").count == withCPU ? true : nil
        }

        // The PromQL-fed source: same domains, keyed by host + uuid, rates from Prometheus.
        let source = try PrometheusSource(spec: prom.url, interval: 1)
        try source.probe()
        let snap = source.latest()
        #expect(snap.domains.count == total)
        #expect(snap.hosts.count == bed.tcpHosts.count)
        #expect(Set(snap.domains.map(\.sample.key)) == Set(states.map { DomainKey(hostID: $0.labels["host"]!, uuid: $0.labels["uuid"]!) }))
        let running = snap.domains.filter { $0.sample.state == .running }
        #expect(!running.isEmpty)
        #expect(running.allSatisfy { ($0.rates.cpuPercent ?? 0) > 0 }, "every running domain has a CPU rate")
        #expect(snap.domains.filter { $0.sample.state == .shutoff }.allSatisfy { $0.rates.cpuPercent == nil || $0.rates.cpuPercent == 0 })

        // The monitor in batch mode, fed by Prometheus: the same domains, with non-zero rates.
        let out = dir + "/batch.csv"
        let batch = try Child("fleettui-batch", try Paths.fleettui(),
                              ["-b", "-n", "2", "-d", "1", "--source", "prometheus=\(prom.url)", "--csv", out], dir: dir)
        batch.process.wait(timeout: 120)
        #expect(batch.process.terminationStatus == 0, "batch: \(batch.stderr.suffix(400))")
        let csv = try BatchCSV(path: out)
        let lastIteration = csv.rows(inIteration: csv.iterations.last ?? "")
        // Keyed by host + uuid: names are sanitized in CSV (a tab in a name becomes \t).
        let csvKeys = Set(lastIteration.map { "\($0.fields["host"] ?? "")/\($0.fields["uuid"] ?? "")" })
        let promKeys = Set(states.map { "\($0.labels["host"]!)/\($0.labels["uuid"]!)" })
        #expect(csvKeys == promKeys, "CSV lacks \(promKeys.subtracting(csvKeys).sorted().prefix(5)), has extra \(csvKeys.subtracting(promKeys).sorted().prefix(5))")
        let runningUUIDs = Set(running.map(\.sample.key.uuid))
        // When a refresh outlasts the batch's wait (a loaded machine), two printed iterations show the same
        // snapshot under the same time label: one row per host + uuid of what the last label shows.
        var lastByKey: [String: BatchCSV.Row] = [:]
        for r in lastIteration { lastByKey["\(r.fields["host"] ?? "")/\(r.fields["uuid"] ?? "")"] = r }
        let runningRows = lastByKey.values.filter { runningUUIDs.contains($0.fields["uuid"] ?? "") }
        #expect(runningRows.count == running.count)
        #expect(runningRows.allSatisfy { ($0.cpu ?? 0) > 0 }, "every running domain has a non-zero %CPU in the CSV: \(runningRows.filter { ($0.cpu ?? 0) <= 0 }.prefix(3).map(\.fields))")
    }

    @Test func debianLibvirtExporterSeriesFeedTheSameTable() throws {
        let bed = try TestBed.load()
        let host = try #require(bed.tcpHosts.first)
        let dir = try Paths.tempDir("prom-debian")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exporterPort = Ports.free()
        let exporter = try Child("prometheus-libvirt-exporter", try Paths.which("prometheus-libvirt-exporter"),
                                 ["--web.listen-address=127.0.0.1:\(exporterPort)", "--libvirt.uri=\(host.uri)"], dir: dir)
        defer { exporter.stop() }
        // Debian's exporter takes 0.7-1.5 s a scrape of 200 domains here (make bench): 1 s scrapes would all
        // time out on a loaded machine.
        let prom = try PrometheusServer(jobs: ["libvirt": ["127.0.0.1:\(exporterPort)"]], dir: dir, interval: 4)
        defer { prom.stop() }
        let states = try eventually("Debian exporter's series in Prometheus", timeout: 60) { () -> [PromSeries]? in
            let s = try prom.query("libvirt_domain_state_code")
            return s.isEmpty ? nil : s
        }
        _ = try eventually("non-zero CPU rates", timeout: 60) {
            try prom.query("rate(libvirt_domain_info_cpu_time_seconds_total[1m]) > 0").count == states.count ? true : nil
        }
        let source = try PrometheusSource(spec: prom.url + "/", interval: 1)
        try source.probe()
        let snap = source.latest()
        // No host label there: the scrape target (instance) is the host.
        #expect(snap.hosts.map(\.config.id) == ["127.0.0.1:\(exporterPort)"])
        #expect(snap.hosts.first?.state == .up)
        #expect(snap.domains.count == states.count)
        #expect(Set(snap.domains.map(\.sample.name)) == Set(states.map { $0.labels["domain"]! }))
        let uuidByName = Dictionary(states.map { ($0.labels["domain"]!, $0.labels["uuid"]!) }, uniquingKeysWith: { a, _ in a })
        #expect(snap.domains.allSatisfy { $0.sample.key.uuid == uuidByName[$0.sample.name] })
        #expect(snap.domains.allSatisfy { ($0.rates.cpuPercent ?? 0) > 0 && $0.sample.memCurrentKiB != nil && $0.sample.vcpus != nil })
        #expect(snap.domains.contains { ($0.rates.rxBytesPerSec ?? 0) > 0 })
    }

    @Test func unreachableAndMisconfiguredPrometheusAreOneLineErrors() throws {
        let fleettui = try Paths.fleettui()
        let dir = try Paths.tempDir("prom-errors")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let closed = Ports.free()
        let a = try Child("unreachable", fleettui, ["-b", "--source", "prometheus=http://127.0.0.1:\(closed)"], dir: dir)
        a.process.wait(timeout: 120)
        #expect(a.process.terminationStatus != 0)
        #expect(a.stderr.contains("prometheus at http://127.0.0.1:\(closed) is unreachable"))
        #expect(a.stderr.split(separator: "\n").count == 1, "\(a.stderr)")

        // A server that is not Prometheus: our own exporter refuses the POST to /api/v1/query.
        let body = MetricsBody(snapshot: { .empty })
        let server = try MetricsServer(host: "127.0.0.1", port: 0, body: body)
        defer { server.stop() }
        let b = try Child("not-prometheus", fleettui, ["-b", "--source", "prometheus=http://127.0.0.1:\(server.boundPort)"], dir: dir)
        b.process.wait(timeout: 120)
        #expect(b.process.terminationStatus != 0)
        #expect(b.stderr.contains("answered HTTP 405"), "\(b.stderr)")   // it takes GET only
        #expect(b.stderr.split(separator: "\n").count == 1, "\(b.stderr)")
    }

    @Test func exportRefusesAPortInUseWithOneLine() throws {
        let dir = try Paths.tempDir("export-port")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let body = MetricsBody(snapshot: { .empty })
        let server = try MetricsServer(host: "127.0.0.1", port: 0, body: body)
        defer { server.stop() }
        let c = try Child("export-busy", try Paths.fleettui(), ["export", "--listen", "127.0.0.1:\(server.boundPort)", "-c", "test:///default"], dir: dir)
        c.process.wait(timeout: 120)
        #expect(c.process.terminationStatus != 0)
        #expect(c.process.terminationStatus == 2)
        #expect(c.stderr == "fleettui: export: cannot listen on 127.0.0.1:\(server.boundPort): address already in use\n")
    }

    @Test func exportStopsCleanlyOnSIGTERM() throws {
        let dir = try Paths.tempDir("export-term")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = Ports.free()
        let c = try Child("export-term", try Paths.fleettui(), ["export", "--listen", "127.0.0.1:\(port)", "-d", "1", "-c", "test:///default"], dir: dir)
        defer { c.stop() }
        _ = try eventually("export to serve", timeout: 30) {
            (try? HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 2))?.text.contains("libvirt_up{") == true ? true : nil
        }
        kill(c.process.processIdentifier, SIGTERM)
        _ = try eventually("export to exit after SIGTERM", timeout: 15) { c.process.isRunning ? nil : true }
        #expect(c.process.terminationStatus == 0)
        #expect(throws: (any Error).self) { try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 2) }
    }
}
