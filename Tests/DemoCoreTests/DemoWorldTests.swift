import DemoCore
import FleetCore
import Testing

@Suite struct DemoWorldTests {
    func row(_ rows: [DomainRow], _ name: String) throws -> DomainRow { try #require(rows.first { $0.sample.name == name }) }

    @Test func theSameSeedGivesTheSameFleetAndAnotherSeedAnother() throws {
        let a = try DemoFixtures.run(count: 5), b = try DemoFixtures.run(count: 5)
        #expect(a == b)
        let c = try DemoFixtures.run(seed: 7, count: 5)
        #expect(a.last!.map(\.rates.cpuPercent) != c.last!.map(\.rates.cpuPercent))
    }

    @Test func busyAndIdleGuestsDifferAndTheirLoadMoves() throws {
        let refreshes = try DemoFixtures.run(count: 6)
        for rows in refreshes.dropFirst() {   // the first reading has no rates yet
            let running = rows.filter { $0.sample.state == .running }.compactMap(\.rates.cpuPercent).sorted(by: >)
            #expect(running.count >= 12)
            // The five busiest differ from each other (at the table's 0.1 precision).
            let top = running.prefix(5).map { ($0 * 10).rounded() }
            #expect(Set(top).count == 5, "top %CPU: \(running.prefix(5))")
        }
        // Busy guests' %CPU changes from one refresh to the next.
        for name in ["web-frontend-1", "db-primary-pvhvm", "k8s-worker-1", "gitlab"] {
            let series = try refreshes.dropFirst().map { try row($0, name).rates.cpuPercentPerVCPU ?? -1 }
            #expect(Set(series.map { ($0 * 10).rounded() }).count >= 4, "\(name): \(series)")
        }
        // A panicked guest spins one vCPU, no more, no less.
        let panicked = try row(refreshes.last!, "k8s-worker-2")
        #expect(abs((panicked.rates.cpuPercentPerVCPU ?? 0) - 12.5) < 0.01)
        #expect(panicked.rates.rdBytesPerSec == 0 && panicked.rates.rxBytesPerSec == 0)
    }

    @Test func pausedGuestsAreAtZeroCrashedAndShutOffOnesHaveNoRates() throws {
        let rows = try DemoFixtures.run(count: 3).last!
        for name in ["mail-relay", "db-replica-pvhvm", "postgres-16"] {
            let r = try row(rows, name)
            #expect(r.sample.state == .paused && r.sample.id != nil)
            #expect(r.rates.cpuPercent == 0 && r.rates.wrBytesPerSec == 0 && r.rates.txBytesPerSec == 0)
            #expect((r.sample.cpuTimeNs ?? 0) > 0, "\(name) ran before it was paused")
        }
        let crashed = try row(rows, "legacy-erp-hvm")
        #expect(crashed.sample.state == .crashed && crashed.sample.id == nil && crashed.rates.cpuPercent == nil)
        #expect(try row(rows, "old-centos7").sample.state == .shutoff)
        #expect(try row(rows, "Domain-0").sample.id == 0)
        #expect(try row(rows, "Domain-0").sample.kind == .xenPV)
        #expect(try row(rows, "dns-pvh").sample.kind == .xenPVH)
        #expect(try row(rows, "db-primary-pvhvm").sample.pvDrivers)
    }

    /// Over ten minutes: the CI runner stops and boots again (a new id, counters from zero: no rate across the
    /// restart, never a negative one), the nightly build starts and stops, the balloons move, disks burst.
    @Test func guestsStartStopBalloonAndBurstOverTime() throws {
        let refreshes = try DemoFixtures.run(step: 2, count: 300)
        func states(_ name: String) throws -> [DomainState] { try refreshes.map { try row($0, name).sample.state } }
        let runner = try states("ci-runner-01")
        #expect(runner.contains(.shutoff) && runner.contains(.running) && runner.contains(.shutdown))
        let build = try states("build-pvh")
        #expect(build.contains(.shutoff) && build.contains(.running))
        let ids = try Set(refreshes.compactMap { try row($0, "ci-runner-01").sample.id })
        #expect(ids.count >= 3, "a new domain id for every boot: \(ids.sorted())")
        for rows in refreshes {
            for r in rows { #expect((r.rates.cpuPercent ?? 0) >= 0 && (r.rates.wrBytesPerSec ?? 0) >= 0) }
        }
        // The first reading of a new boot has no rates (the counters started again).
        for (i, rows) in refreshes.enumerated().dropFirst() {
            let now = try row(rows, "ci-runner-01"), before = try row(refreshes[i - 1], "ci-runner-01")
            if now.sample.id != nil && before.sample.id != now.sample.id { #expect(now.rates.cpuPercent == nil) }
        }
        let balloon = try refreshes.map { try row($0, "k8s-worker-1").sample.memCurrentKiB ?? 0 }
        #expect(Set(balloon).count >= 5 && balloon.allSatisfy { $0 <= 16 << 20 && $0 >= 9 << 20 })
        let writes = try refreshes.compactMap { try row($0, "db-primary-pvhvm").rates.wrBytesPerSec }
        #expect(writes.max()! > 3 * writes.sorted()[writes.count / 2], "bursts of disk writes")
        let drops = try refreshes.compactMap { try row($0, "k8s-worker-1").rates.netDropsPerSec }
        #expect(drops.contains { $0 > 0 } && drops.contains(0))
    }

    @Test func hostsReportFactsLoadAndMemory() throws {
        var world = DemoWorld(hosts: try DemoFixtures.specs(), start: DemoFixtures.t0)
        _ = world.refresh(at: DemoFixtures.t0 + 1)
        let (hosts, rows) = world.refresh(at: DemoFixtures.t0 + 4)
        #expect(hosts.map(\.config.name) == ["xen-demo", "kvm-demo"])
        let xen = hosts[0], kvm = hosts[1]
        #expect(xen.hypervisor == "Xen" && kvm.hypervisor == "QEMU" && xen.state == .up && xen.everConnected)
        #expect(xen.cpus == 48 && kvm.cpus == 32 && xen.pcpuPercent?.count == 48)
        #expect(xen.bulkStats == false && kvm.bulkStats == true)
        let guestCPUs = rows.filter { $0.sample.key.hostID == "kvm-demo" }.compactMap(\.rates.cpuPercent).reduce(0, +)
        #expect(abs((kvm.cpuBusyPercent ?? 0) - guestCPUs) < 2, "host busy \(kvm.cpuBusyPercent ?? -1) vs guests \(guestCPUs)")
        #expect((kvm.freeMemoryKiB ?? 0) < (kvm.memoryKiB ?? 0))
        // The overcommit figure: KVM guests commit about the host's memory.
        let snap = FleetSnapshot(generation: 1, time: .now, hosts: hosts, domains: rows)
        let over = try #require(snap.summary(ofHost: "kvm-demo").overcommit)
        #expect(over > 0.8 && over < 1.3, "\(over)")
        // KVM guests report what KVM's bulk stats have (user/system time, RSS, balloon use); Xen's do not.
        let kvmGuest = try #require(rows.first { $0.sample.name == "gitlab" })
        #expect(kvmGuest.sample.memRSSKiB != nil && kvmGuest.sample.cpuUserNs != nil)
        let disk = try #require(kvmGuest.sample.disks.first)
        let capacity = try #require(disk.capacity), allocation = try #require(disk.allocation)
        #expect(capacity >= 20 << 30 && allocation > 0 && allocation <= capacity, "\(allocation) of \(capacity)")
        let xenGuest = try #require(rows.first { $0.sample.name == "web-frontend-1" })
        #expect(xenGuest.sample.memRSSKiB == nil && xenGuest.sample.disks.first?.capacity == nil)
        #expect(xenGuest.description?.graphics.first?.socket == "/run/demo/web-frontend-1.sock")
    }
}
