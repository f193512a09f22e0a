import Testing
import Foundation
@testable import Collectors
import FleetCore
import TestSupport

/// Collectors and batch mode against the bed's real Xen host (Tests/Bed/xen): Xen 4.17 and a Debian dom0 under
/// QEMU, libvirt's libxl driver on xen+tcp:// (and xen+ssh://), Domain-0 and two PV guests started through
/// libvirt. libxl has no bulk stats call: every figure here comes from per-domain calls.
/// Skipped only when the bed was brought up with BED_XEN=0; in CI a missing Xen host fails them.
@Suite(.serialized, .enabled(if: TestBed.xenTestsEnabled, "the bed was brought up without its Xen host (BED_XEN=0)"))
struct XenHostTests {
    func bed() throws -> TestBed {
        do { return try TestBed.load() } catch { Issue.record("\(error)"); throw error }
    }

    /// Watches the Xen host for `seconds` of 1-s refreshes and keeps each domain's highest rates.
    private func watch(_ uri: String, seconds: Double) -> (FleetSnapshot, [String: DomainRates], [String: Double]) {
        let fleet = LibvirtFleet(hosts: [HostConfig(name: "xen", uri: uri)], interval: 1)
        fleet.start {}
        defer { fleet.stop() }
        var snap = waitForSnapshot(fleet, timeout: 60) { $0.hosts[0].refreshCount >= 2 }
        var peak: [String: DomainRates] = [:], low: [String: Double] = [:]
        let deadline = Date(timeIntervalSinceNow: seconds)
        var last = snap.hosts[0].refreshCount
        while Date() < deadline {
            snap = waitForSnapshot(fleet, timeout: 10) { $0.hosts[0].refreshCount > last }
            last = snap.hosts[0].refreshCount
            for r in snap.domains {
                var p = peak[r.sample.name] ?? DomainRates()
                func mx(_ a: Double?, _ b: Double?) -> Double? { guard let b else { return a }; return max(a ?? 0, b) }
                p.cpuPercent = mx(p.cpuPercent, r.rates.cpuPercent)
                p.rdBytesPerSec = mx(p.rdBytesPerSec, r.rates.rdBytesPerSec)
                p.wrBytesPerSec = mx(p.wrBytesPerSec, r.rates.wrBytesPerSec)
                p.rxBytesPerSec = mx(p.rxBytesPerSec, r.rates.rxBytesPerSec)
                p.txBytesPerSec = mx(p.txBytesPerSec, r.rates.txBytesPerSec)
                peak[r.sample.name] = p
                if let c = r.rates.cpuPercent { low[r.sample.name] = min(low[r.sample.name] ?? c, c) }
            }
        }
        return (snap, peak, low)
    }

    @Test func domain0AndThePVGuestsWithRealCPUMemoryBlockAndNetworkFigures() throws {
        let bed = try bed()
        try bed.withXen { xen in
            // xen-busy spins 1 s in 4 and writes, reads and pings every 4 s: 20 s sees several of each.
            let (snap, peak, low) = watch(xen.uri, seconds: 20)
            let host = snap.hosts[0]
            #expect(host.state == .up || host.state == .slow, "\(host.state) \(host.lastError ?? "")")
            #expect(host.hypervisor == "Xen", "virConnectGetType: \(host.hypervisor ?? "nil")")
            #expect(host.bulkStats == false, "libxl has no bulk stats call")
            // Per refresh: the list, GetInfo of each domain, then xen-busy's disk and NIC (domain XML read once;
            // memory stats tried once: on Xen they only repeat GetInfo's balloon sizes, so GetInfo alone reads memory).
            let devices = snap.domains.reduce(0) { $0 + Self.deviceCalls($1) }
            #expect(devices == 2, "xen-busy's one disk and one NIC: \(devices) device calls")
            #expect(host.callsLastRefresh == 1 + 3 + devices, "domain calls per refresh: \(host.callsLastRefresh ?? -1)")
            let names = snap.domains.map(\.sample.name).sorted()
            #expect(names == ["Domain-0", "xen-busy", "xen-fb"], "\(names)")

            let dom0 = try #require(snap.domains.first { $0.sample.name == "Domain-0" })
            #expect(dom0.sample.id == 0 && dom0.sample.state == .running)
            #expect(dom0.sample.kind == .xenPV, "Domain-0 is a PV domain here: \(dom0.sample.kind)")
            #expect(dom0.sample.key.uuid == "00000000-0000-0000-0000-000000000000")
            let dom0Mem = try #require(dom0.sample.memCurrentKiB)
            #expect(abs(Double(dom0Mem) - Double(xen.dom0MemoryMib * 1024)) < Double(xen.dom0MemoryMib * 1024) * 0.05,
                    "Domain-0 memory \(dom0Mem) KiB, dom0_mem=\(xen.dom0MemoryMib)M")
            #expect((peak["Domain-0"]?.cpuPercent ?? 0) > 0, "Domain-0 has no %CPU")
            #expect(dom0.sample.vcpus == xen.cpus)

            for g in xen.guests {
                let row = try #require(snap.domains.first { $0.sample.name == g.name }, "no \(g.name)")
                #expect(row.sample.state == .running, "\(g.name): \(row.sample.state)")
                #expect(row.sample.kind == .xenPV, "\(g.name): \(row.sample.kind)")
                #expect(row.sample.vcpus == 1)
                let mem = try #require(row.sample.memCurrentKiB, "\(g.name) has no memory figure")
                #expect(abs(Double(mem) - Double(g.memoryMib * 1024)) <= Double(g.memoryMib * 1024) * 0.05, "\(g.name): \(mem) KiB")
                #expect(row.memPercent != nil)
                #expect(row.rates.cpuPercent != nil, "\(g.name) has no %CPU")
            }
            let fb = try #require(snap.domains.first { $0.sample.name == "xen-fb" })
            #expect(fb.description?.graphics.first?.port == xen.vncPort)

            // xen-busy's figures are real: its busy loop, its PV disk (blkback) and its PV NIC (netback).
            let busy = try #require(peak["xen-busy"])
            let busyCPU = try #require(busy.cpuPercent)
            #expect(busyCPU > 5, "xen-busy peak %CPU \(busyCPU)")
            #expect(busyCPU - (low["xen-busy"] ?? busyCPU) > 5, "xen-busy's %CPU does not follow its busy/idle loop")
            #expect((busy.rdBytesPerSec ?? 0) > 0 && (busy.wrBytesPerSec ?? 0) > 0,
                    "xen-busy's PV disk: read \(busy.rdBytesPerSec ?? -1) B/s, write \(busy.wrBytesPerSec ?? -1) B/s")
            #expect((busy.rxBytesPerSec ?? 0) > 0 && (busy.txBytesPerSec ?? 0) > 0,
                    "xen-busy's PV NIC: rx \(busy.rxBytesPerSec ?? -1) B/s, tx \(busy.txBytesPerSec ?? -1) B/s")
            let busyRow = try #require(snap.domains.first { $0.sample.name == "xen-busy" })
            #expect(busyRow.sample.disks.map(\.name) == ["xvda"], "\(busyRow.sample.disks.map(\.name))")
            #expect(busyRow.sample.nics.count == 1, "\(busyRow.sample.nics.map(\.name))")
        }
    }

    /// The per-domain calls a refresh makes for a row's devices (a block call per disk, an interface call per NIC).
    static func deviceCalls(_ r: DomainRow) -> Int {
        guard let d = r.description else { return 0 }
        return d.disks.filter { $0.device != "cdrom" && $0.device != "floppy" }.count + d.nics.filter { $0.target != nil }.count
    }

    /// The monitor's demand on the per-domain path (issue 15): every refresh lists the domains and asks each running
    /// one GetInfo (state, %CPU and, on Xen, memory); block and interface calls are made only for the rows shown.
    /// Domain-0 and the PV guests keep their real figures whichever rows are shown; a row scrolled into view gets its
    /// IO rates back.
    @Test func perDomainCallsOnlyForTheRowsShownWithRealFiguresForEveryRow() throws {
        let bed = try bed()
        try bed.withXen { xen in
            let config = HostConfig(name: "xen", uri: xen.uri)
            let fleet = LibvirtFleet(hosts: [config], interval: 1)
            fleet.start {}
            defer { fleet.stop() }
            var snap = waitForSnapshot(fleet, timeout: 60) { $0.hosts[0].refreshCount >= 3 && $0.domains.count == 3 }
            try #require(snap.domains.count == 3, "\(snap.hosts[0].state) \(snap.hosts[0].lastError ?? "")")
            func key(_ name: String) throws -> DomainKey {
                try #require(snap.domains.first { $0.sample.name == name }, "no \(name)").sample.key
            }
            let dom0 = try key("Domain-0"), busy = try key("xen-busy"), fb = try key("xen-fb")
            // The monitor's demand (MonitorState.demand): %CPU for every row, every column for the rows on screen.
            func show(_ keys: Set<DomainKey>) -> FleetSnapshot {
                fleet.setDemand(FleetDemand(everyDomain: [.state, .cpu], shownGroups: .all, shown: keys, slowPaused: true))
                let from = fleet.latest().hosts[0].refreshCount
                // The refresh under way may have started before the demand changed: judge the third one after.
                return waitForSnapshot(fleet, timeout: 60) { $0.hosts[0].refreshCount >= from + 3 }
            }
            func mem(_ s: FleetSnapshot, _ name: String) -> UInt64 { s.domains.first { $0.sample.name == name }?.sample.memCurrentKiB ?? 0 }
            func row(_ s: FleetSnapshot, _ name: String) throws -> DomainRow { try #require(s.domains.first { $0.sample.name == name }) }
            func expectEveryRowsFigures(_ s: FleetSnapshot, _ what: String) throws {
                for name in ["Domain-0", "xen-busy", "xen-fb"] {
                    let r = try row(s, name)
                    #expect(r.sample.state == .running && r.rates.cpuPercent != nil, "\(what): \(name) has no %CPU")
                    // Memory is current for every row (GetInfo's; a %CPU may be marked held after a slow refresh).
                    #expect(!r.held.contains(.balloon), "\(what): \(name)'s memory held: \(r.held)")
                    let want = UInt64(name == "Domain-0" ? xen.dom0MemoryMib : xen.guests.first { $0.name == name }!.memoryMib) * 1024
                    #expect(abs(Double(mem(s, name)) - Double(want)) <= Double(want) * 0.05, "\(what): \(name) memory \(mem(s, name)) KiB")
                }
            }

            snap = show([dom0, fb])   // Domain-0 and xen-fb on screen: neither has a disk or a NIC
            #expect(snap.hosts[0].callsLastRefresh == 1 + 3, "list + GetInfo × 3, no device calls: \(snap.hosts[0].callsLastRefresh ?? -1)")
            try expectEveryRowsFigures(snap, "xen-busy off screen")
            let off = try row(snap, "xen-busy")
            #expect(off.held.contains(.block) && off.held.contains(.interface), "xen-busy off screen: IO not current, held \(off.held)")
            #expect(off.rates.rdBytesPerSec == nil && off.rates.rxBytesPerSec == nil, "xen-busy off screen has no IO rates")
            #expect(off.sample.disks.map(\.name) == ["xvda"] && off.sample.nics.count == 1, "its devices stay listed")

            snap = show([busy])        // xen-busy scrolled into view: its disk and NIC are read again
            #expect(snap.hosts[0].callsLastRefresh == 1 + 3 + 2, "list + GetInfo × 3 + xen-busy's disk and NIC: \(snap.hosts[0].callsLastRefresh ?? -1)")
            try expectEveryRowsFigures(snap, "xen-busy on screen")
            // Its IO comes in bursts every 4 s: some refresh within 20 s has a rate over both devices.
            var sawDisk = false, sawNet = false
            let deadline = Date(timeIntervalSinceNow: 20)
            while Date() < deadline && !(sawDisk && sawNet) {
                let last = fleet.latest().hosts[0].refreshCount
                snap = waitForSnapshot(fleet, timeout: 10) { $0.hosts[0].refreshCount > last }
                let r = try row(snap, "xen-busy")
                if (r.rates.rdBytesPerSec ?? 0) + (r.rates.wrBytesPerSec ?? 0) > 0 { sawDisk = true }
                if (r.rates.rxBytesPerSec ?? 0) + (r.rates.txBytesPerSec ?? 0) > 0 { sawNet = true }
            }
            #expect(sawDisk && sawNet, "xen-busy on screen: disk rate seen \(sawDisk), network rate seen \(sawNet)")
        }
    }

    /// What the host says about itself: the Xen version, its CPUs and memory (the whole machine Xen runs on,
    /// not dom0's share), and the overcommit that follows from its domains.
    @Test func hostFactsAreXensNotDom0s() throws {
        let bed = try bed()
        try bed.withXen { xen in
            let fleet = LibvirtFleet(hosts: [HostConfig(name: "xen", uri: xen.uri)], interval: 1)
            fleet.start {}
            defer { fleet.stop() }
            let snap = waitForSnapshot(fleet, timeout: 60) { $0.hosts[0].refreshCount >= 2 }
            let h = snap.hosts[0]
            #expect(h.state == .up || h.state == .slow, "\(h.lastError ?? "")")
            // libxl passes on major.minor only (virsh version says 4.17.0 of a 4.17.5): FleetTUI shows 4.17.
            let version = try #require(h.hypervisorVersion)
            #expect(version == "4.17", "hypervisor version \(version)")
            let booted = try #require(xen.xenVersion, "no Xen version in bed.json")
            #expect(booted.hasPrefix(version + "."), "Xen booted as \(booted), FleetTUI says \(version)")
            #expect(h.cpus == xen.cpus)
            let mem = try #require(h.memoryKiB)
            // Xen's physinfo: the machine's memory less what Xen keeps for itself.
            #expect(mem <= UInt64(xen.memoryMib * 1024) && mem > UInt64(xen.memoryMib * 1024) * 9 / 10,
                    "host memory \(mem) KiB of a \(xen.memoryMib) MiB machine")
            let free = try #require(h.freeMemoryKiB)
            #expect(free < mem)
            let sum = snap.summary(ofHost: h.config.id)
            let over = try #require(sum.overcommit)
            let expected = Double(xen.dom0MemoryMib + xen.guests.map(\.memoryMib).reduce(0, +)) * 1024 / Double(mem)
            #expect(abs(over - expected) < 0.05, "overcommit \(over), expected \(expected)")
            #expect(sum.vcpus == xen.cpus + xen.guests.count)
        }
    }

    /// A PV guest started and destroyed through libvirt: the lifecycle events alone (the poll interval is far
    /// longer than the test) make it appear and vanish.
    @Test func pvGuestStartedOrDestroyedAppearsAndVanishesWithoutWaitingForAPoll() throws {
        let bed = try bed()
        try bed.withXen { xen in
            let name = "xen-probe-\(getpid())"
            let xml = """
            <domain type='xen'><name>\(name)</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
            <os><type arch='x86_64' machine='xenpv'>linux</type><kernel>/seed/guest/vmlinux</kernel>
            <cmdline>console=hvc0 quiet</cmdline></os><on_crash>destroy</on_crash><devices/></domain>
            """
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).xml").path
            try xml.write(toFile: file, atomically: true, encoding: .utf8)
            defer {
                _ = try? runProgram("/usr/bin/virsh", ["-c", xen.uri, "destroy", name])
                try? FileManager.default.removeItem(atPath: file)
            }
            let fleet = LibvirtFleet(hosts: [HostConfig(name: "xen", uri: xen.uri)], interval: 300)
            fleet.start {}
            defer { fleet.stop() }
            _ = waitForSnapshot(fleet, timeout: 60) { $0.hosts[0].refreshCount >= 1 }
            #expect(!fleet.latest().domains.contains { $0.sample.name == name })

            let created = try runProgram("/usr/bin/virsh", ["-c", xen.uri, "create", file], timeout: 600)
            try #require(created.status == 0, "virsh create: \(created.err)")
            var snap = waitForSnapshot(fleet, timeout: 30) { $0.domains.contains { $0.sample.name == name && $0.sample.state.isActive } }
            let row = try #require(snap.domains.first { $0.sample.name == name }, "started PV guest did not appear")
            #expect(row.sample.kind == .xenPV && row.sample.id != nil && row.sample.id != 0, "\(row.sample.kind) id \(row.sample.id ?? -1)")

            let destroyed = try runProgram("/usr/bin/virsh", ["-c", xen.uri, "destroy", name], timeout: 120)
            #expect(destroyed.status == 0, "virsh destroy: \(destroyed.err)")
            snap = waitForSnapshot(fleet, timeout: 30) { !$0.domains.contains { $0.sample.name == name } }
            #expect(!snap.domains.contains { $0.sample.name == name }, "destroyed PV guest did not vanish")
        }
    }

    /// Xen over libvirt's ssh transport (the bed's key, dom0's sshd, virt-ssh-helper there): the same domains.
    @Test func xenOverSSHGivesTheSameDomains() throws {
        let bed = try bed()
        try bed.withXen { xen in
            let fleet = LibvirtFleet(hosts: [HostConfig(name: "xen-ssh", uri: xen.sshUri)], interval: 1)
            fleet.start {}
            defer { fleet.stop() }
            // An ssh login into dom0 takes seconds, or most of a minute when the machine is loaded.
            let snap = waitForSnapshot(fleet, timeout: 300) { s in
                s.hosts[0].refreshCount >= 3 && s.domains.contains { $0.sample.name == "xen-busy" && $0.rates.cpuPercent != nil }
            }
            let h = snap.hosts[0]
            #expect(h.state == .up || h.state == .slow, "\(h.state): \(h.lastError ?? "")")
            #expect(h.hypervisor == "Xen")
            #expect(Set(snap.domains.map(\.sample.name)) == ["Domain-0", "xen-busy", "xen-fb"])
        }
    }

    /// dom0 hangs (its QEMU SIGSTOPped: sockets open, nothing answers): the Xen host is marked down while the
    /// other hosts go on refreshing, and comes back by itself once resumed.
    @Test func stoppedDom0IsMarkedDownWithoutHoldingUpTheOthers() throws {
        let bed = try bed()
        try bed.withXen(exclusive: true) { xen in
            let hosts = [HostConfig(name: "xen", uri: xen.uri)] + bed.tcpHosts.prefix(2).map { HostConfig(name: $0.name, uri: $0.uri) }
            let fleet = LibvirtFleet(hosts: hosts, interval: 1)
            fleet.start {}
            defer { fleet.stop() }
            var snap = waitForSnapshot(fleet, timeout: 60) { s in s.hosts.allSatisfy { $0.refreshCount >= 2 && $0.state != .connecting } }
            #expect(snap.hosts[0].state == .up || snap.hosts[0].state == .slow, "\(snap.hosts[0].lastError ?? "")")
            let before = snap.domains.filter { $0.hostName == "xen" }.count
            #expect(before == 3)

            #expect(kill(xen.qemuPid, SIGSTOP) == 0, "kill -STOP \(xen.qemuPid): errno \(errno)")
            var resumed = false
            defer { if !resumed { kill(xen.qemuPid, SIGCONT) } }
            let stoppedAt = Date()
            let counts = snap.hosts.map(\.refreshCount)
            snap = waitForSnapshot(fleet, timeout: 40) { s in
                s.hosts[0].state == .down && s.hosts.indices.dropFirst().allSatisfy { s.hosts[$0].refreshCount >= counts[$0] + 3 }
            }
            #expect(snap.hosts[0].state == .down, "a hung dom0 is marked down: \(snap.hosts[0].state) after \(Date().timeIntervalSince(stoppedAt)) s")
            #expect(snap.hosts[0].lastError != nil)
            for (i, h) in snap.hosts.enumerated() where i > 0 {
                #expect(h.refreshCount >= counts[i] + 3, "\(h.config.name) waited for the hung Xen host")
            }
            let stale = snap.domains.filter { $0.hostName == "xen" }
            #expect(stale.count == before && stale.allSatisfy { $0.stale }, "the hung host's domains are kept, marked stale")
            let t0 = Date()
            _ = fleet.latest()
            #expect(Date().timeIntervalSince(t0) < 0.05, "latest() must never wait for a host")

            #expect(kill(xen.qemuPid, SIGCONT) == 0)
            resumed = true
            let down = snap.hosts[0].refreshCount
            snap = waitForSnapshot(fleet, timeout: 120) { s in
                (s.hosts[0].state == .up || s.hosts[0].state == .slow) && s.hosts[0].refreshCount > down
                    && s.domains.filter { $0.hostName == "xen" && !$0.stale }.count == before
            }
            #expect(snap.hosts[0].state == .up || snap.hosts[0].state == .slow, "resumed Xen host back: \(snap.hosts[0].state) \(snap.hosts[0].lastError ?? "")")
        }
    }

    /// `fleettui -b --json` on the Xen host: Domain-0 and both PV guests, kind PV, with figures.
    @Test func batchJSONListsDomain0AndThePVGuests() throws {
        let bed = try bed()
        try bed.withXen { xen in
            let r = try runProgram(fleettuiBinary(), ["-b", "--json", "-n", "3", "-d", "2", "-c", xen.uri], timeout: 180)
            #expect(r.status == 0, "stderr: \(r.err)")
            let objects = r.out.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            let last = objects.suffix(3)
            #expect(Set(last.compactMap { $0["domain"] as? String }) == ["Domain-0", "xen-busy", "xen-fb"], "\(r.out)")
            for o in last {
                #expect(o["kind"] as? String == "PV", "\(o)")
                #expect(o["state"] as? String == "running")
                #expect(o["cpu_pct"] is NSNumber && o["mem_kib"] is NSNumber, "\(o)")
            }
            let dom0 = try #require(last.first { $0["domain"] as? String == "Domain-0" })
            #expect((dom0["id"] as? NSNumber)?.intValue == 0)
            let busy = try #require(last.first { $0["domain"] as? String == "xen-busy" })
            #expect(busy["rd_bytes_s"] is NSNumber && busy["rx_bytes_s"] is NSNumber, "\(busy)")
        }
    }
}
