import Testing
import Foundation
import FleetCore
import TestSupport

/// `fleettui export --metrics` (issue 15): the families served, the stats groups they need, and a body without
/// the families not served.
@Suite struct MetricFamilyTests {
    @Test func eachFamilyNeedsItsOwnGroupAndStateAlways() {
        #expect(MetricFamily.cpu.statGroups == .cpu)
        #expect(MetricFamily.memory.statGroups == .balloon)
        #expect(MetricFamily.block.statGroups == .block)
        #expect(MetricFamily.interface.statGroups == .interface)
        #expect(MetricFamily.statGroups([.cpu]) == [.state, .cpu])
        #expect(MetricFamily.statGroups([.cpu, .memory]) == [.state, .cpu, .balloon])
        #expect(MetricFamily.statGroups([]) == .state)
        // Every family: what the exporter read before --metrics existed (and never the vcpu group).
        #expect(MetricFamily.statGroups(MetricFamily.allCases) == .all)
        #expect(FleetDemand(everyDomain: MetricFamily.statGroups(MetricFamily.allCases)) == .everything)
        let cpuOnly = FleetDemand(everyDomain: MetricFamily.statGroups([.cpu]))
        #expect(cpuOnly.groups(for: DomainKey(hostID: "h", uuid: "u")).isDisjoint(with: [.block, .interface, .balloon, .vcpu]))
    }

    @Test func everyExportedDomainCounterBelongsToTheFamilyOfItsGroup() {
        for c in Counters.domain where c.metric != nil {
            let family = MetricFamily(domainStatsKey: c.statsKey)
            #expect(family != nil, "\(c.statsKey) (\(c.metric!.name)) belongs to no family: --metrics could not leave it out")
            #expect(family?.statGroups == (c.statsKey.hasPrefix("cpu.") ? .cpu : .balloon), "\(c.statsKey)")
        }
        #expect(MetricFamily(domainStatsKey: "cpu.time") == .cpu)
        #expect(MetricFamily(domainStatsKey: "balloon.rss") == .memory)
        #expect(MetricFamily(domainStatsKey: "state.state") == nil)
    }

    @Test func listsParseWithUnknownNamesReported() {
        let (some, none) = MetricFamily.parseList(" cpu, block,cpu,,")
        #expect(some == [.cpu, .block] && none.isEmpty)
        let (known, unknown) = MetricFamily.parseList("cpu,disk,net")
        #expect(known == [.cpu])
        #expect(unknown == ["disk", "net"])
        #expect(MetricFamily.parseList("").families.isEmpty)
        #expect(MetricFamily.valueList == "cpu, memory, block, interface")
    }

    func snapshot() -> FleetSnapshot {
        var row = FleetFixtures.row(host: "hv1", name: "web", uuid: "u-1", disks: [FleetFixtures.disk("vda", path: "/img/web.qcow2")], nics: [FleetFixtures.nic("vnet0")])
        row.sample.memUsedKiB = 300 * 1024
        return FleetSnapshot(generation: 1, time: Date(timeIntervalSince1970: 1000), hosts: [FleetFixtures.host("hv1")], domains: [row])
    }

    /// The metric names of a body, from its HELP lines (a family left out has none) and its samples.
    func names(_ families: Set<MetricFamily>) -> (help: Set<String>, samples: Set<String>) {
        let body = FleetMetrics.render(snapshot(), families: families)
        let help = String(decoding: body, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("# HELP ") }
            .map { String($0.split(separator: " ")[2]) }
        return (Set(help), Set(FleetFixtures.samples(body).compactMap { $0.labels["__name__"] }))
    }

    static let memory = ["libvirt_domain_info_maximum_memory_bytes", "libvirt_domain_info_memory_usage_bytes",
                         "libvirt_domain_memory_stats_actual_balloon_bytes", "libvirt_domain_memory_stats_rss_bytes",
                         "libvirt_domain_memory_stats_used_bytes"]
    static let always = ["libvirt_up", "libvirt_domains_number", "libvirt_domain_state_code", "libvirt_domain_info_state",
                         "libvirt_domain_info_virtual_cpus", "fleettui_domain_info", "fleettui_host_up", "fleettui_host_info",
                         "fleettui_snapshot_timestamp_seconds"]

    @Test func familiesNotServedAreAbsentNotZero() {
        let all = names(Set(MetricFamily.allCases))
        #expect(all.samples.contains("libvirt_domain_block_stats_read_bytes_total"))
        #expect(all.samples.contains("libvirt_domain_interface_stats_receive_bytes_total"))
        #expect(all.samples.isSuperset(of: Self.memory + Self.always + ["libvirt_domain_info_cpu_time_seconds_total"]))
        let snap = snapshot()
        #expect(String(decoding: FleetMetrics.render(snap), as: UTF8.self)
                    == String(decoding: FleetMetrics.render(snap, families: Set(MetricFamily.allCases)), as: UTF8.self),
                "the default serves every family, as before --metrics")

        let cpu = names([.cpu])
        #expect(cpu.samples.contains("libvirt_domain_info_cpu_time_seconds_total"))
        #expect(cpu.samples.isSuperset(of: Self.always))
        for name in cpu.help.union(cpu.samples) {
            #expect(!name.hasPrefix("libvirt_domain_block_stats_") && !name.hasPrefix("libvirt_domain_interface_stats_"), "\(name)")
            #expect(!Self.memory.contains(name), "\(name)")
        }

        let blockAndMemory = names([.block, .memory])
        #expect(blockAndMemory.samples.contains("libvirt_domain_block_stats_write_requests_total"))
        #expect(blockAndMemory.samples.isSuperset(of: Self.memory + Self.always))
        #expect(!blockAndMemory.help.contains("libvirt_domain_info_cpu_time_seconds_total"))
        #expect(!blockAndMemory.help.contains { $0.hasPrefix("libvirt_domain_interface_stats_") })

        let interface = names([.interface])
        #expect(interface.samples.contains("libvirt_domain_interface_stats_transmit_drops_total"))
        #expect(!interface.help.contains { $0.hasPrefix("libvirt_domain_block_stats_") || Self.memory.contains($0) })
    }
}
