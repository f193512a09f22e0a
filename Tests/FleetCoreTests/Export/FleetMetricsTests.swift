import Testing
import Foundation
import FleetCore
import TestSupport

@Suite struct FleetMetricsTests {
    func snapshot() -> FleetSnapshot {
        let rows = [
            FleetFixtures.row(host: "hv1", name: "web \"1\"\\x", uuid: "u-1", disks: [FleetFixtures.disk("vda", path: "/img/a b.qcow2")], nics: [FleetFixtures.nic("vnet0")]),
            FleetFixtures.row(host: "hv1", name: "db", uuid: "u-2", state: .paused, cpuNs: nil),
            FleetFixtures.row(host: "hv2", name: "gone", uuid: "u-3", stale: true),
        ]
        return FleetSnapshot(generation: 7, time: Date(timeIntervalSince1970: 1000), hosts: [FleetFixtures.host("hv1"), FleetFixtures.host("hv2", state: .down)], domains: rows)
    }

    @Test func everyFamilyHasOneHelpAndTypeAndItsSamplesFollowIt() {
        let text = String(decoding: FleetMetrics.render(snapshot()), as: UTF8.self)
        var seenFamilies = Set<String>()
        var current: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                let name = String(line.split(separator: " ")[2])
                #expect(!seenFamilies.contains(name), "family \(name) appears twice")
                seenFamilies.insert(name); current = name
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(String(parts[2]) == current)
                #expect(["counter", "gauge"].contains(String(parts[3])))
            } else {
                let name = line.prefix { $0 != "{" && $0 != " " }
                #expect(String(name) == current, "sample \(line) outside its family")
            }
        }
        #expect(seenFamilies.contains("libvirt_up"))
        #expect(seenFamilies.contains("libvirt_domain_info_cpu_time_seconds_total"))
    }

    @Test func domainSeriesCarryHostDomainUUIDAndDeviceLabels() {
        let series = FleetFixtures.samples(FleetMetrics.render(snapshot()))
        let cpu = series.filter { $0.labels["__name__"] == "libvirt_domain_info_cpu_time_seconds_total" }
        #expect(cpu.count == 1)    // db has no cpu time: left out, not 0; the stale row is left out
        #expect(cpu.first?.labels == ["__name__": "libvirt_domain_info_cpu_time_seconds_total", "host": "hv1", "domain": "web \"1\"\\x", "uuid": "u-1"])
        #expect(cpu.first?.value == 5)
        let rd = series.first { $0.labels["__name__"] == "libvirt_domain_block_stats_read_bytes_total" }
        #expect(rd?.labels["target_device"] == "vda")
        #expect(rd?.labels["source_file"] == "/img/a b.qcow2")
        #expect(rd?.value == 4096)
        let tx = series.first { $0.labels["__name__"] == "libvirt_domain_interface_stats_transmit_bytes_total" }
        #expect(tx?.labels["target_device"] == "vnet0")
        #expect(tx?.labels["source_bridge"] == "")
        let mem = series.first { $0.labels["__name__"] == "libvirt_domain_info_memory_usage_bytes" && $0.labels["uuid"] == "u-2" }
        #expect(mem?.value == Double(1 << 30))
        let state = series.first { $0.labels["__name__"] == "libvirt_domain_state_code" && $0.labels["uuid"] == "u-2" }
        #expect(state?.value == 3)
        #expect(!series.contains { $0.labels["uuid"] == "u-3" })
    }

    @Test func hostSeriesShowUpDownOvercommitAndRefreshCost() {
        let series = FleetFixtures.samples(FleetMetrics.render(snapshot()))
        func value(_ name: String, _ host: String) -> Double? {
            series.first { $0.labels["__name__"] == name && $0.labels["host"] == host }?.value
        }
        #expect(value("libvirt_up", "hv1") == 1)
        #expect(value("libvirt_up", "hv2") == 0)
        #expect(value("fleettui_host_up", "hv2") == 0)
        #expect(value("libvirt_domains_number", "hv1") == 2)
        #expect(value("fleettui_host_refresh_latency_seconds", "hv1") == 0.012)
        #expect(value("fleettui_host_libvirt_calls_per_refresh", "hv1") == 1)
        // two active domains of 1 GiB on 16 GiB
        #expect(value("fleettui_host_memory_overcommit_ratio", "hv1") == 2.0 / 16.0)
        let info = series.first { $0.labels["__name__"] == "fleettui_host_info" && $0.labels["host"] == "hv1" }
        #expect(info?.labels["uri"] == "test+tcp://127.0.0.1:16610/hv1.xml")
    }

    @Test func renderedSeriesReadBackThroughThePromQLBuilder() {
        // What Prometheus would hand back for our own series (plus rate series) rebuilds the rows.
        var series = FleetFixtures.samples(FleetMetrics.render(snapshot()))
        series.append(PromSeries(labels: ["fleettui_rate": FleetMetrics.Name.cpuTime, "host": "hv1", "domain": "web \"1\"\\x", "uuid": "u-1"], value: 2))
        series.append(PromSeries(labels: ["fleettui_rate": FleetMetrics.Name.blockReadBytes, "host": "hv1", "domain": "web \"1\"\\x", "uuid": "u-1", "target_device": "vda"], value: 512))
        let snap = PromQLFleetBuilder.snapshot(from: series, context: .init(generation: 1, time: Date(), monotonicNs: 0))
        #expect(snap.hosts.map(\.config.name) == ["hv1", "hv2"])
        #expect(snap.hosts.map(\.state) == [.up, .down])
        #expect(snap.hosts[0].config.uri == "test+tcp://127.0.0.1:16610/hv1.xml")
        #expect(snap.domains.count == 2)
        let web = snap.domains.first { $0.sample.key == DomainKey(hostID: "hv1", uuid: "u-1") }
        #expect(web?.sample.name == "web \"1\"\\x")
        #expect(web?.sample.cpuTimeNs == 5_000_000_000)
        #expect(web?.sample.vcpus == 2)
        #expect(web?.sample.kind == .kvm)
        #expect(web?.sample.memCurrentKiB == 1 << 20)
        #expect(web?.sample.disks.first?.wrBytes == 8192)
        #expect(web?.sample.nics.first?.txDrop == 3)
        #expect(web?.rates.cpuPercent == 25.0)   // 2 CPU-seconds per second of 8 host CPUs
        #expect(web?.rates.cpuPercentPerVCPU == 100)
        #expect(web?.rates.rdBytesPerSec == 512)
        #expect(web?.rates.perDisk["vda"]?.rdBytesPerSec == 512)
        #expect(web?.description?.disks.first?.source == "/img/a b.qcow2")
        let db = snap.domains.first { $0.sample.key.uuid == "u-2" }
        #expect(db?.sample.state == .paused)
        #expect(db?.sample.cpuTimeNs == nil)
        #expect(db?.rates.cpuPercent == nil)
    }
}
