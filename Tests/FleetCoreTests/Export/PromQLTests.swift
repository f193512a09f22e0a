import Testing
import Foundation
@testable import FleetCore

@Suite struct PromQLResponseTests {
    let url = "http://prom:9090"

    @Test func vectorResultGivesLabelsAndValues() throws {
        let json = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"libvirt_up","instance":"h:9177"},"value":[1795836349.686,"1"]},{"metric":{"domain":"d","fleettui_rate":"x"},"value":[1795836349.686,"NaN"]},{"metric":{},"value":[1,"+Inf"]},{"metric":{},"value":[1,"1.5e-3"]}]}}"#
        let s = try PromQLResponse.parseVector(Data(json.utf8), url: url)
        #expect(s.count == 4)
        #expect(s[0].labels == ["__name__": "libvirt_up", "instance": "h:9177"])
        #expect(s[0].value == 1)
        #expect(s[1].value.isNaN)
        #expect(s[2].value == .infinity)
        #expect(s[3].value == 0.0015)
    }

    @Test func errorStatusBecomesOneLine() {
        let json = #"{"status":"error","errorType":"bad_data","error":"1:5: parse error:\nunexpected"}"#
        #expect(throws: PromQLError.queryFailed(url: url, errorType: "bad_data", message: "1:5: parse error:\nunexpected")) {
            try PromQLResponse.parseVector(Data(json.utf8), url: url)
        }
        let line = PromQLError.queryFailed(url: url, errorType: "bad_data", message: "1:5: parse error:\nunexpected").description
        #expect(!line.contains("\n"))
    }

    @Test func nonVectorAndGarbageAreRejected() {
        #expect(throws: PromQLError.unexpectedResult(url: url, resultType: "matrix")) {
            try PromQLResponse.parseVector(Data(#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#.utf8), url: url)
        }
        #expect(throws: PromQLError.self) { try PromQLResponse.parseVector(Data("<html>nginx</html>".utf8), url: url) }
        #expect(throws: PromQLError.self) {
            try PromQLResponse.parseVector(Data(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#.utf8), url: url)
        }
    }

    @Test func errorDetailPrefersPrometheusMessage() {
        #expect(PromQLResponse.errorDetail(Data(#"{"status":"error","errorType":"timeout","error":"query timed out"}"#.utf8)) == "query timed out")
        #expect(PromQLResponse.errorDetail(Data("404 page not found\nmore".utf8)) == "404 page not found")
    }

    @Test func queryAsksForEveryRateWithItsOwnLabel() {
        let q = PromQLFleetQuery.expression(window: "30s")
        for c in PromQLFleetQuery.rateCounters {
            #expect(q.contains(#"rate(\#(c)[30s]), "fleettui_rate", "\#(c)""#))
        }
        #expect(PromQLFleetQuery.isDuration("30s") && PromQLFleetQuery.isDuration("5m") && !PromQLFleetQuery.isDuration("5") && !PromQLFleetQuery.isDuration("m"))
    }

    /// The current-values selector asks for one series per sample field of the counter table, and the series that
    /// need more than a copy; the same set the hand-written selector had.
    @Test func currentSelectorComesFromTheCounterTable() throws {
        let s = PromQLFleetQuery.currentSelector
        let names = try #require(s.split(separator: "\"").dropFirst().first).split(separator: "|").map(String.init)
        typealias N = FleetMetrics.Name
        #expect(Set(names) == [N.up, N.stateCode, N.vcpus, N.memUsed, N.domainInfo, N.cpuTime, N.maxMemory, N.memoryUsage,
                               N.memRSS, "fleettui_host_[a-z_]+"])
        // Every domain counter the exporter serves is read back through a name asked for (or its field's first name).
        for c in Counters.domain where c.metric != nil {
            #expect(Counters.domain.contains { $0.field == c.field && names.contains($0.metric?.name ?? "") }, "\(c.statsKey)")
        }
    }
}

@Suite struct PromQLFleetBuilderTests {
    let ctx = PromQLFleetBuilder.Context(generation: 3, time: Date(), monotonicNs: 9, queryLatency: 0.05)

    /// Series as Debian's prometheus-libvirt-exporter has them in Prometheus: no host label.
    @Test func debianExporterSeriesAreKeyedByInstanceAndUUID() {
        let base = ["instance": "hv9:9177", "job": "libvirt", "domain": "test", "uuid": "6695eb01"]
        func s(_ name: String, _ v: Double, _ extra: [String: String] = [:]) -> PromSeries {
            PromSeries(labels: base.merging(["__name__": name].merging(extra) { a, _ in a }) { a, _ in a }, value: v)
        }
        let series = [
            PromSeries(labels: ["__name__": "libvirt_up", "instance": "hv9:9177", "job": "libvirt"], value: 1),
            s("libvirt_domain_state_code", 1),
            s("libvirt_domain_info_virtual_cpus", 2),
            s("libvirt_domain_info_memory_usage_bytes", 2_147_483_648),
            s("libvirt_domain_info_cpu_time_seconds_total", 1.5),
            s("libvirt_domain_interface_stats_receive_bytes_total", 100, ["target_device": "testnet0", "source_bridge": "br0"]),
            PromSeries(labels: base.merging(["fleettui_rate": FleetMetrics.Name.cpuTime]) { a, _ in a }, value: 0.5),
            PromSeries(labels: base.merging(["fleettui_rate": FleetMetrics.Name.netRxBytes, "target_device": "testnet0"]) { a, _ in a }, value: 1000),
            PromSeries(labels: base.merging(["fleettui_rate": FleetMetrics.Name.netTxBytes, "target_device": "testnet0"]) { a, _ in a }, value: 10),
        ]
        let snap = PromQLFleetBuilder.snapshot(from: series, context: ctx)
        #expect(snap.hosts.count == 1)
        #expect(snap.hosts[0].config.id == "hv9:9177")
        #expect(snap.hosts[0].state == .up)
        #expect(snap.hosts[0].refreshLatency == 0.05)
        #expect(snap.domains.count == 1)
        let d = snap.domains[0]
        #expect(d.sample.key == DomainKey(hostID: "hv9:9177", uuid: "6695eb01"))
        #expect(d.hostName == "hv9:9177")
        #expect(d.sample.state == .running)
        #expect(d.sample.memCurrentKiB == 2 << 20)
        #expect(d.sample.cpuTimeNs == 1_500_000_000)
        #expect(d.rates.cpuPercent == 50)          // host size unknown: % of one CPU
        #expect(d.rates.cpuPercentPerVCPU == 25)
        #expect(d.rates.rxBytesPerSec == 1000)
        #expect(d.rates.txBytesPerSec == 10)
        #expect(d.rates.rdBytesPerSec == nil)       // no disk series: unknown, not 0
        #expect(d.description?.nics.first?.source == "br0")
        #expect(snap.generation == 3)
    }

    @Test func domainsWithoutUUIDAreKeyedByName() {
        let series = [PromSeries(labels: ["__name__": "libvirt_domain_state_code", "host": "a", "domain": "x"], value: 5)]
        let snap = PromQLFleetBuilder.snapshot(from: series, context: ctx)
        #expect(snap.domains.first?.sample.key == DomainKey(hostID: "a", uuid: "name:x"))
        #expect(snap.domains.first?.sample.state == .shutoff)
    }

    @Test func aRateWithoutCurrentValuesIsNotADomain() {
        let series = [PromSeries(labels: ["fleettui_rate": FleetMetrics.Name.cpuTime, "host": "a", "domain": "x", "uuid": "u"], value: 1)]
        #expect(PromQLFleetBuilder.snapshot(from: series, context: ctx).domains.isEmpty)
    }

    @Test func hostDownIsReportedWithAReason() {
        let series = [PromSeries(labels: ["__name__": "fleettui_host_up", "host": "a"], value: 0)]
        let snap = PromQLFleetBuilder.snapshot(from: series, context: ctx)
        #expect(snap.hosts.first?.state == .down)
        #expect(snap.hosts.first?.lastError != nil)
    }

    @Test func sameDomainNameOnTwoHostsStaysTwoRows() {
        let series = ["a", "b"].map { PromSeries(labels: ["__name__": "libvirt_domain_state_code", "host": $0, "domain": "web", "uuid": "same"], value: 1) }
        #expect(PromQLFleetBuilder.snapshot(from: series, context: ctx).domains.count == 2)
    }
}

@Suite struct PromQLVectorScannerTests {
    /// The fast reader and JSONDecoder must agree on every answer the fast reader accepts.
    @Test func agreesWithJSONDecoderIncludingEscapesAndUnicode() throws {
        let json = #"""
            { "status" : "success", "warnings": ["x", {"a": [1, 2.5e3, true, false, null]}],
              "data": {"result": [
                {"metric": {"__name__": "libvirt_domain_state_code", "domain": "q\"uo\\te\/d\n\t\u00fc\ud83d\ude80 é 数据库", "uuid": ""}, "value": [1795836349.686, "1"]},
                {"value": [1, "-Inf"], "metric": {}},
                {"metric": {"a": "b"}, "value": [-1.5E+2, "4.25e-3"]}
              ], "resultType": "vector"}, "infos": [] }
            """#
        let data = Data(json.utf8)
        let fast = try #require(data.withUnsafeBytes { PromQLVectorScanner.scan($0.bindMemory(to: UInt8.self)) })
        let slow = try PromQLResponse.decodeVector(data, url: "u")
        #expect(fast == slow)
        #expect(fast[0].labels["domain"] == "q\"uo\\te/d\n\tü🚀 é 数据库")
        #expect(fast[1].value == -.infinity)
        #expect(fast[2].value == 0.00425)
    }

    @Test func givesUpOnAnythingElseSoTheGeneralPathWordsTheError() {
        for bad in [#"{"status":"error","errorType":"bad_data","error":"x"}"#,
                    #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#,
                    #"{"status":"success","data":{"resultType":"vector","result":[]}} trailing"#,
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"\x"},"value":[1,"1"]}]}}"#,
                    "", "<html>"] {
            #expect(Data(bad.utf8).withUnsafeBytes { PromQLVectorScanner.scan($0.bindMemory(to: UInt8.self)) } == nil, "\(bad)")
        }
        #expect(Data(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#.utf8)
            .withUnsafeBytes { PromQLVectorScanner.scan($0.bindMemory(to: UInt8.self)) } == [])
    }

    /// Found by `scripts/fuzz promql` (Fuzz/regressions/promql): a label given twice in one series' metric object.
    /// The scanner kept the last value, JSONDecoder another: JSON leaves duplicate keys open, so the scanner gives
    /// up on any key it reads twice and the general decoder decides, as for everything else it does not expect.
    @Test func aKeyGivenTwiceIsLeftToTheGeneralDecoder() throws {
        for twice in [#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"a","instance":"b"},"value":[1,"1"]}]}}"#,
                      #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"],"value":[1,"2"]}]}}"#,
                      #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"metric":{"b":"2"},"value":[1,"1"]}]}}"#,
                      #"{"status":"success","status":"success","data":{"resultType":"vector","result":[]}}"#] {
            #expect(Data(twice.utf8).withUnsafeBytes { PromQLVectorScanner.scan($0.bindMemory(to: UInt8.self)) } == nil, "\(twice)")
        }
        let found = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/promql")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: found.path)) ?? []
        #expect(!files.isEmpty)
        for name in files {
            let data = try Data(contentsOf: found.appendingPathComponent(name))
            let fast = data.withUnsafeBytes { PromQLVectorScanner.scan($0.bindMemory(to: UInt8.self)) }
            if let fast, let slow = try? PromQLResponse.decodeVector(data, url: "u") { #expect(fast == slow, "\(name)") }
        }
    }
}
