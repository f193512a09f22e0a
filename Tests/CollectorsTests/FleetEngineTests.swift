import Testing
import Foundation
@testable import Collectors
import FleetCore
import Synchronization

/// Waits (polling the fleet) until `ok` holds for its latest snapshot; returns that snapshot, or the
/// last one seen when the timeout passes.
func waitForSnapshot(_ fleet: LibvirtFleet, timeout: Double, _ ok: (FleetSnapshot) -> Bool) -> FleetSnapshot {
    let deadline = Date(timeIntervalSinceNow: timeout)
    var snap = fleet.latest()
    while !ok(snap) && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.05)
        snap = fleet.latest()
    }
    return snap
}

/// The fleet engine against libvirt's in-process test driver: the per-domain fallback path.
@Suite struct FleetEngineTests {
    @Test func fallbackPathGivesEveryColumnARealValue() throws {
        let uri = try Fixtures.writeNode(Fixtures.xenNode(domains: 20))
        let fleet = LibvirtFleet(hosts: [HostConfig(name: "xen-test", uri: uri)], interval: 0.3)
        fleet.start {}
        defer { fleet.stop() }
        let snap = waitForSnapshot(fleet, timeout: 10) { $0.hosts[0].refreshCount >= 3 }
        let host = try #require(snap.hosts.first)
        #expect(host.state == .up && host.hypervisor == "TEST" && host.cpus == 8 && host.memoryKiB == 16777216)
        #expect(host.bulkStats == true)
        #expect((host.callsLastRefresh ?? 0) > 1, "the test driver's bulk call has only state: per-domain calls fill in")
        #expect(snap.domains.count == 23)
        #expect(snap.generation > 1)
        let pv = try #require(snap.domains.first { $0.sample.name == "pv1" })
        #expect(pv.sample.kind == .xenPV)
        #expect(pv.description?.graphics.first?.port == 5905)
        #expect(pv.rates.cpuPercent != nil && pv.rates.cpuPercent! > 0)
        #expect(pv.rates.rdBytesPerSec != nil && pv.rates.rdBytesPerSec! > 0)
        #expect(pv.rates.rxBytesPerSec != nil && pv.rates.rxBytesPerSec! > 0)
        #expect(pv.sample.memCurrentKiB != nil && pv.memPercent != nil)
        let hvm = try #require(snap.domains.first { $0.sample.name == "hvm-pvdrivers" })
        #expect(hvm.sample.kind == .xenHVM && hvm.sample.pvDrivers)
        #expect(snap.domains.filter { $0.sample.name.hasPrefix("gen-") }.allSatisfy { ($0.rates.wrBytesPerSec ?? 0) > 0 })
        #expect(Set(snap.domains.map(\.id)).count == snap.domains.count, "domains are keyed by host + UUID")
    }

    @Test func withoutBulkStatsTheListAndPerDomainCallsGiveTheSameColumns() throws {
        let uri = try Fixtures.writeNode(Fixtures.xenNode(domains: 3))
        let fleet = LibvirtFleet(hosts: [HostConfig(name: "libxl-like", uri: uri)], interval: 0.3, label: nil, useBulkStats: false)
        fleet.start {}
        defer { fleet.stop() }
        let snap = waitForSnapshot(fleet, timeout: 10) { $0.hosts[0].refreshCount >= 3 }
        let host = try #require(snap.hosts.first)
        #expect(host.bulkStats == false)
        // list + (GetInfo, BlockStats, InterfaceStats) per device-bearing domain, and no bulk call
        #expect((host.callsLastRefresh ?? 0) >= 1 + 6 * 2)
        #expect(snap.domains.count == 6)
        let pv = try #require(snap.domains.first { $0.sample.name == "pv1" })
        #expect(pv.sample.state == .running && pv.sample.id != nil && pv.sample.kind == .xenPV)
        #expect((pv.rates.cpuPercent ?? 0) > 0 && (pv.rates.rdBytesPerSec ?? 0) > 0 && (pv.rates.txBytesPerSec ?? 0) > 0)
        #expect(pv.sample.vcpus == 1 && pv.sample.maxVcpus == 2 && pv.sample.memMaximumKiB == 524288)
    }

    @Test func hostThatCannotBeOpenedIsDownWithOneLineReasonAndOthersGoOn() throws {
        let fleet = LibvirtFleet(hosts: [HostConfig(name: "good", uri: "test:///default"),
                                         HostConfig(name: "bad", uri: "test+tcp://127.0.0.1:1/nothing.xml")],
                                 interval: 0.2)
        fleet.start {}
        defer { fleet.stop() }
        let snap = waitForSnapshot(fleet, timeout: 10) { s in s.hosts[0].refreshCount >= 3 && s.hosts[1].refreshCount >= 1 }
        #expect(snap.hosts[0].state == .up)
        #expect(snap.hosts[1].state == .down && !snap.hosts[1].everConnected)
        let err = try #require(snap.hosts[1].lastError)
        #expect(err.contains("127.0.0.1:1") && !err.contains("\n"))
        #expect(snap.domains.allSatisfy { $0.sample.key.hostID == "good" })
    }

    @Test func snapshotsAreImmutableAndGenerationsIncrease() throws {
        let fleet = LibvirtFleet(hosts: [HostConfig(name: "t", uri: "test:///default")], interval: 0.1)
        let counter = UpdateCounter()
        fleet.start { counter.bump() }
        defer { fleet.stop() }
        let first = waitForSnapshot(fleet, timeout: 5) { $0.hosts[0].refreshCount >= 1 }
        let later = waitForSnapshot(fleet, timeout: 5) { $0.generation > first.generation + 2 }
        #expect(later.generation > first.generation)
        #expect(first.hosts[0].refreshCount < later.hosts[0].refreshCount)
        #expect(counter.value >= 3)
    }
}

final class UpdateCounter: Sendable {
    private let n = Mutex(0)
    func bump() { n.withLock { $0 += 1 } }
    var value: Int { n.withLock { $0 } }
}
