import Testing
@testable import FleetCore

@Suite struct RateCalculatorTests {
    static let key = DomainKey(hostID: "h", uuid: "u")
    func sample(at sec: Double, cpu: UInt64?, vcpus: Int? = 2, disks: [DeviceCounters] = [], nics: [DeviceCounters] = []) -> DomainSample {
        var s = DomainSample(key: Self.key, name: "d", state: .running, vcpus: vcpus, cpuTimeNs: cpu,
                             disks: disks, nics: nics, monotonicNs: UInt64(sec * 1e9))
        s.id = 1
        return s
    }
    func disk(_ name: String, rd: UInt64?, wr: UInt64?) -> DeviceCounters {
        var d = DeviceCounters(name: name); d.rdBytes = rd; d.wrBytes = wr; d.rdReqs = rd.map { $0 / 512 }; return d
    }
    func nic(_ name: String, rx: UInt64, tx: UInt64, errs: UInt64 = 0) -> DeviceCounters {
        var d = DeviceCounters(name: name); d.rxBytes = rx; d.txBytes = tx; d.rxPkts = rx / 100; d.txPkts = tx / 100
        d.rxErrs = errs; d.txErrs = 0; d.rxDrop = 0; d.txDrop = 0; return d
    }

    @Test func firstSampleHasNoRates() {
        let r = RateCalculator.rates(previous: nil, current: sample(at: 1, cpu: 5_000_000_000), hostCPUs: 4)
        #expect(r == DomainRates())
    }

    @Test func cpuPercentFollowsVirtTop() {
        // 1 s of CPU over 2 s of wall on a 4-CPU host = 12.5 % of the host, 25 % per vCPU (2 vCPUs).
        let r = RateCalculator.rates(previous: sample(at: 10, cpu: 1_000_000_000),
                                     current: sample(at: 12, cpu: 2_000_000_000), hostCPUs: 4)
        #expect(r.cpuPercent == 12.5)
        #expect(r.cpuPercentPerVCPU == 25)
    }

    @Test func counterGoingBackwardsIsAResetNotANegativeRate() {
        let r = RateCalculator.rates(previous: sample(at: 10, cpu: 9_000_000_000, disks: [disk("vda", rd: 5000, wr: 100)]),
                                     current: sample(at: 11, cpu: 1_000_000, disks: [disk("vda", rd: 10, wr: 200)]), hostCPUs: 4)
        #expect(r.cpuPercent == nil)
        #expect(r.cpuPercentPerVCPU == nil)
        #expect(r.rdBytesPerSec == nil)
        #expect(r.perDisk["vda"]?.rdBytesPerSec == nil)
        #expect(r.perDisk["vda"]?.wrBytesPerSec == 100)
        #expect(r.wrBytesPerSec == 100)
    }

    @Test func zeroOrNegativeElapsedGivesNothing() {
        let a = sample(at: 10, cpu: 1), b = sample(at: 10, cpu: 2)
        #expect(RateCalculator.rates(previous: a, current: b, hostCPUs: 1) == DomainRates())
        #expect(RateCalculator.rates(previous: b, current: sample(at: 9, cpu: 3), hostCPUs: 1) == DomainRates())
    }

    @Test func missingCountersStayUnknown() {
        let r = RateCalculator.rates(previous: sample(at: 1, cpu: nil), current: sample(at: 2, cpu: 5), hostCPUs: 1)
        #expect(r.cpuPercent == nil)
        #expect(r.rdBytesPerSec == nil)   // no disks at all: unknown, not 0
        #expect(r.rxBytesPerSec == nil)
        let noCPUs = RateCalculator.rates(previous: sample(at: 1, cpu: 0), current: sample(at: 2, cpu: 5), hostCPUs: nil)
        #expect(noCPUs.cpuPercent == nil)
        #expect(noCPUs.cpuPercentPerVCPU != nil)
    }

    @Test func blockAndNetworkRatesSumPerDevice() {
        let prev = sample(at: 0, cpu: 0, disks: [disk("vda", rd: 0, wr: 0), disk("vdb", rd: 1000, wr: 0)],
                          nics: [nic("vnet0", rx: 0, tx: 0), nic("vnet1", rx: 100, tx: 100, errs: 1)])
        let cur = sample(at: 2, cpu: 0, disks: [disk("vda", rd: 4096, wr: 2048), disk("vdb", rd: 3048, wr: 0)],
                         nics: [nic("vnet0", rx: 2000, tx: 1000), nic("vnet1", rx: 300, tx: 100, errs: 5)])
        let r = RateCalculator.rates(previous: prev, current: cur, hostCPUs: 1)
        #expect(r.rdBytesPerSec == 3072.0)
        #expect(r.wrBytesPerSec == 1024)
        #expect(r.perDisk["vdb"]?.rdBytesPerSec == 1024)
        #expect(r.rxBytesPerSec == 1100.0)
        #expect(r.txBytesPerSec == 500)
        #expect(r.perNIC["vnet0"]?.rxPktsPerSec == 10)
        #expect(r.netErrsPerSec == 2)
        #expect(r.netDropsPerSec == 0)
    }

    @Test func hotpluggedDeviceHasNoRateUntilItsSecondSample() {
        let prev = sample(at: 0, cpu: 0, disks: [disk("vda", rd: 0, wr: 0)])
        let cur = sample(at: 1, cpu: 0, disks: [disk("vda", rd: 10, wr: 0), disk("vdb", rd: 999_999, wr: 0)])
        let r = RateCalculator.rates(previous: prev, current: cur, hostCPUs: 1)
        #expect(r.rdBytesPerSec == 10)
        #expect(r.perDisk["vdb"] == nil)
    }
    /// Errors and drops: the domain's one rate each is rx + tx (Counters.nic routes both to it); a direction not
    /// known counts as absent, neither known is no rate; per device there is none.
    @Test func errorsAndDropsAddBothDirections() {
        func n(_ rxE: UInt64?, _ txE: UInt64?, _ rxD: UInt64?, _ txD: UInt64?) -> DeviceCounters {
            var d = DeviceCounters(name: "vnet0"); d.rxErrs = rxE; d.txErrs = txE; d.rxDrop = rxD; d.txDrop = txD; return d
        }
        let r = RateCalculator.rates(previous: sample(at: 0, cpu: 0, nics: [n(0, 10, nil, 0)]),
                                     current: sample(at: 2, cpu: 0, nics: [n(4, 16, nil, 8)]), hostCPUs: 1)
        #expect(r.netErrsPerSec == 5)      // (4 + 6) / 2 s
        #expect(r.netDropsPerSec == 4)     // rx unknown, tx 8 / 2 s
        let none = RateCalculator.rates(previous: sample(at: 0, cpu: 0, nics: [n(nil, nil, nil, nil)]),
                                        current: sample(at: 2, cpu: 0, nics: [n(nil, nil, nil, nil)]), hostCPUs: 1)
        #expect(none.netErrsPerSec == nil && none.netDropsPerSec == nil)
        #expect(r.perNIC["vnet0"] == DeviceRates())
    }
}

@Suite struct SampleMergeTests {
    @Test func bulkValuesWinAndFallbackFillsGaps() {
        let key = DomainKey(hostID: "h", uuid: "u")
        var bulk = DomainSample(key: key, name: "d", state: .paused, stateReason: 3, monotonicNs: 5)
        bulk.cpuTimeNs = 100
        var vda = DeviceCounters(name: "vda"); vda.rdBytes = 7
        bulk.disks = [vda]
        var fb = DomainSample(key: key, name: "d", id: 4, state: .running, vcpus: 2, cpuTimeNs: 999,
                              memCurrentKiB: 1024, memMaximumKiB: 2048, monotonicNs: 6)
        var vda2 = DeviceCounters(name: "vda"); vda2.rdBytes = 1; vda2.wrBytes = 9
        var vnet = DeviceCounters(name: "vnet0"); vnet.rxBytes = 3
        fb.disks = [vda2]; fb.nics = [vnet]
        bulk.fillMissing(from: fb)
        #expect(bulk.state == .paused && bulk.stateReason == 3)
        #expect(bulk.cpuTimeNs == 100)
        #expect(bulk.id == 4 && bulk.vcpus == 2 && bulk.memCurrentKiB == 1024 && bulk.memMaximumKiB == 2048)
        #expect(bulk.disks.count == 1 && bulk.disks[0].rdBytes == 7 && bulk.disks[0].wrBytes == 9)
        #expect(bulk.nics.map(\.name) == ["vnet0"] && bulk.nics[0].rxBytes == 3)
        #expect(bulk.monotonicNs == 5)
    }

    @Test func gaugesCarryOverAPartialRefreshButCountersDoNot() {
        let key = DomainKey(hostID: "h", uuid: "u")
        var before = DomainSample(key: key, name: "d", id: 3, state: .running, vcpus: 1, cpuTimeNs: 100,
                                  memCurrentKiB: 1024, monotonicNs: 1)
        before.memRSSKiB = 900
        before.memUsedKiB = 500
        // NOWAIT: the next refresh has state and CPU, but no balloon group.
        var partial = DomainSample(key: key, name: "d", id: 3, state: .running, vcpus: 1, cpuTimeNs: nil, monotonicNs: 2)
        partial.carryGauges(from: before)
        #expect(partial.memRSSKiB == 900 && partial.memUsedKiB == 500 && partial.memCurrentKiB == 1024)
        #expect(partial.cpuTimeNs == nil, "counters are never carried")
        // A restarted domain (new id) or one that stopped keeps nothing of the old run.
        var restarted = DomainSample(key: key, name: "d", id: 4, state: .running, vcpus: 1, cpuTimeNs: 5, monotonicNs: 3)
        restarted.carryGauges(from: before)
        #expect(restarted.memRSSKiB == nil)
        var stopped = DomainSample(key: key, name: "d", id: nil, state: .shutoff, vcpus: 1, cpuTimeNs: nil, monotonicNs: 3)
        stopped.carryGauges(from: before)
        #expect(stopped.memCurrentKiB == nil)
    }
}
