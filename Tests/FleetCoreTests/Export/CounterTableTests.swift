import Foundation
import Testing
@testable import FleetCore
import TestSupport

/// The one counter table drives the exporter and the Prometheus source: every counter it exports comes back from
/// the exporter's own text with the same value, and every rate it names is asked for and lands where it says.
@Suite struct CounterTableTests {
    /// A row whose every table counter has a distinct value (so a swapped field shows).
    static func fullRow() -> DomainRow {
        var row = FleetFixtures.row(host: "hv1", name: "full", uuid: "u-full")
        var n: UInt64 = 1
        for c in Counters.domain { row.sample[keyPath: c.field] = n * 1_000; n += 1 }
        var disk = DeviceCounters(name: "vda", path: "/img/full.qcow2"), nic = DeviceCounters(name: "vnet0")
        for c in Counters.disk { disk[keyPath: c.field] = n * 1_000; n += 1 }
        for c in Counters.nic { nic[keyPath: c.field] = n * 1_000; n += 1 }
        row.sample.disks = [disk]
        row.sample.nics = [nic]
        return row
    }

    @Test func everyExportedCounterComesBackThroughTheExportersText() throws {
        let row = Self.fullRow()
        let snap = FleetSnapshot(generation: 1, time: Date(timeIntervalSince1970: 0), hosts: [FleetFixtures.host("hv1")], domains: [row])
        let series = FleetFixtures.samples(FleetMetrics.render(snap))
        let back = PromQLFleetBuilder.snapshot(from: series, context: .init(generation: 1, time: Date(), monotonicNs: 1))
        let got = try #require(back.domains.first)
        for c in Counters.domain where c.metric != nil {
            #expect(got.sample[keyPath: c.field] == row.sample[keyPath: c.field], "\(c.statsKey) → \(c.metric!.name)")
        }
        for c in Counters.disk where c.metric != nil {
            #expect(got.sample.disks.first?[keyPath: c.field] == row.sample.disks[0][keyPath: c.field], "\(c.metric!.name)")
        }
        for c in Counters.nic where c.metric != nil {
            #expect(got.sample.nics.first?[keyPath: c.field] == row.sample.nics[0][keyPath: c.field], "\(c.metric!.name)")
        }
    }

    @Test func metricsAreUniqueAndTheirUnitsScale() {
        let names = Counters.domain.compactMap { $0.metric?.name } + (Counters.disk + Counters.nic).compactMap { $0.metric?.name }
        #expect(Set(names).count == names.count, "one metric per counter")
        let cpu = Counters.domainByMetric[FleetMetrics.Name.cpuTime]!.first!
        var s = FleetFixtures.row(host: "h", name: "d", uuid: "u").sample
        s.cpuTimeNs = 2_500_000_000
        #expect(cpu.metricValue(s) == 2.5)
        cpu.store(metricValue: -1, into: &s)
        #expect(s.cpuTimeNs == nil, "a negative reading is unknown, not a huge counter")
    }

    /// Every counter with a rate is in the one PromQL query, and its rate lands in the device's and the domain's.
    @Test func ratesFollowTheTable() throws {
        let rated = (Counters.disk + Counters.nic).filter { $0.rate != nil }
        for c in rated { #expect(PromQLFleetQuery.rateCounters.contains(c.metric!.name)) }
        #expect(PromQLFleetQuery.rateCounters.count == rated.count + 1, "plus CPU time")
        var series: [PromSeries] = [PromSeries(labels: ["__name__": FleetMetrics.Name.stateCode, "host": "hv1", "domain": "d", "uuid": "u"], value: 1)]
        for (i, c) in rated.enumerated() {
            let dev = Counters.disk.contains { $0.metric?.name == c.metric!.name } ? "vda" : "vnet0"
            series.append(PromSeries(labels: [PromQLFleetQuery.rateLabel: c.metric!.name, "host": "hv1", "domain": "d", "uuid": "u",
                                              "target_device": dev], value: Double(i + 1)))
        }
        let snap = PromQLFleetBuilder.snapshot(from: series, context: .init(generation: 1, time: Date(), monotonicNs: 1))
        let r = try #require(snap.domains.first).rates
        for (i, c) in rated.enumerated() {
            let dev = Counters.disk.contains { $0.metric?.name == c.metric!.name } ? r.perDisk["vda"] : r.perNIC["vnet0"]
            if let f = c.rate!.device { #expect(dev?[keyPath: f] == Double(i + 1), "\(c.metric!.name)") }
            let sharing = rated.enumerated().filter { $0.element.rate!.domain == c.rate!.domain }.map { Double($0.offset + 1) }
            #expect(r[keyPath: c.rate!.domain] == sharing.reduce(0, +), "\(c.metric!.name) in the domain's rate")
        }
    }
}
