import Testing
import Foundation
@testable import FleetCore

@Suite struct SnapshotTests {
    @Test func fleetSummaryCountsOnlyActiveDomainsForCPUAndMemory() {
        func row(_ host: String, _ uuid: String, _ st: DomainState, cpu: Double, mem: UInt64) -> DomainRow {
            var s = DomainSample(key: DomainKey(hostID: host, uuid: uuid), name: uuid, state: st, memCurrentKiB: mem, monotonicNs: 0)
            s.vcpus = 2
            var r = DomainRates(); r.cpuPercent = cpu
            return DomainRow(sample: s, rates: r, hostName: host)
        }
        var h = HostStatus(config: HostConfig(name: "a", uri: "test:///default"), state: .up)
        h.memoryKiB = 1000
        let snap = FleetSnapshot(generation: 1, time: Date(), hosts: [h], domains: [
            row("a", "1", .running, cpu: 10, mem: 300), row("a", "2", .shutoff, cpu: 50, mem: 400), row("a", "3", .paused, cpu: 0, mem: 500),
        ])
        let s = snap.summary(ofHost: "a")
        #expect(s.domainsByState[.running] == 1 && s.domainsByState[.shutoff] == 1 && s.domainsByState[.paused] == 1)
        #expect(s.guestCPUPercent == 10)
        #expect(s.memCommittedKiB == 800)
        #expect(s.overcommit == 0.8)
        #expect(s.vcpus == 4)
    }
}
