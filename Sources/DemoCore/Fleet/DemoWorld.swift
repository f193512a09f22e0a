import CollectorsCore
import FleetCore
import Foundation

/// One demo host as its node file describes it.
public struct DemoHostSpec: Sendable {
    public var config: HostConfig
    public var node: NodeXML
    public init(config: HostConfig, node: NodeXML) { self.config = config; self.node = node }
}

/// The demo fleet, simulated: every guest's counters (CPU time, disk and network bytes and requests, memory)
/// move as its `DemoProfile` says, are read as `DomainSample`s like a collector's, and become rows through the
/// same rate and merge code as real samples. Pure: time comes in as an argument, randomness from the seed, so
/// the same seed and the same refresh times give the same fleet.
public struct DemoWorld: Sendable {
    public static let defaultSeed: UInt64 = 0x0F1E_E7DE_0000_0012

    public let seed: UInt64
    /// Wall-clock seconds when the world was made (counters were counting for the guests' uptime before).
    public let start: Double
    private var hosts: [HostSim]
    private var lastTime: Double
    private var refreshCount: UInt64 = 0

    public init(hosts specs: [DemoHostSpec], seed: UInt64 = DemoWorld.defaultSeed, start: Double) {
        self.seed = seed
        self.start = start
        lastTime = start
        hosts = specs.map { HostSim(spec: $0, seed: seed, start: start) }
    }

    /// The profile of a demo guest (by host id and name).
    public func profile(host: String, domain: String) -> DemoProfile? {
        hosts.first { $0.spec.config.id == host }?.domains.first { $0.spec.name == domain }?.profile
    }

    func domainSpec(host: String, name: String) -> NodeXML.Domain? {
        hosts.first { $0.spec.config.id == host }?.spec.node.domains.first { $0.name == name }
    }

    /// The hosts as their node files describe them.
    public var specs: [DemoHostSpec] { hosts.map(\.spec) }

    /// Every host's status and rows at time `t` (wall-clock seconds, not before the previous refresh).
    public mutating func refresh(at t: Double) -> (hosts: [HostStatus], rows: [DomainRow]) {
        let now = max(t, lastTime)
        refreshCount += 1
        var statuses: [HostStatus] = []
        var rows: [DomainRow] = []
        for i in hosts.indices {
            let (status, hostRows) = hosts[i].refresh(from: lastTime, to: now, seed: seed, start: start, count: refreshCount)
            statuses.append(status)
            rows += hostRows
        }
        lastTime = now
        return (statuses, rows)
    }
}

// MARK: - one host

private struct HostSim: Sendable {
    let spec: DemoHostSpec
    var domains: [DomainSim]
    var nextID: Int
    let since: Double

    init(spec: DemoHostSpec, seed: UInt64, start: Double) {
        self.spec = spec
        since = start
        var id = 1
        domains = spec.node.domains.map { d in
            let sim = DomainSim(spec: d, host: spec.config, seed: seed, start: start,
                                id: d.name == "Domain-0" ? 0 : (d.state.isActive ? id : nil))
            if d.state.isActive && d.name != "Domain-0" { id += 1 }
            return sim
        }
        nextID = id
    }

    mutating func refresh(from t0: Double, to t1: Double, seed: UInt64, start: Double, count: UInt64) -> (HostStatus, [DomainRow]) {
        let cpus = spec.node.cpus
        var rows: [DomainRow] = []
        rows.reserveCapacity(domains.count)
        for k in domains.indices {
            let sample = domains[k].advance(from: t0, to: t1, seed: seed, start: start, nextID: &nextID)
            let row = DomainRow(reading: sample, previous: domains[k].previous, description: domains[k].spec.description,
                                hostName: spec.config.name, hostCPUs: cpus, hostMemoryKiB: spec.node.memoryKiB)
            domains[k].previous = row.sample
            rows.append(row)
        }

        var st = HostStatus(config: spec.config, state: .up, since: Date(timeIntervalSince1970: since))
        let facts = DemoCatalog.facts(group: spec.config.group)
        st.hypervisor = facts.hypervisor
        st.hypervisorVersion = facts.version
        st.libvirtVersion = facts.libvirt
        st.hostname = spec.config.name
        st.cpus = cpus
        st.cpuModel = spec.node.cpuModel
        st.cpuMHz = spec.node.mhz
        st.memoryKiB = spec.node.memoryKiB
        st.refreshCount = count
        st.everConnected = true
        st.bulkStats = spec.config.group != "xen"         // libxl has no bulk stats call; QEMU has
        let committed = rows.reduce(UInt64(0)) { $0 + ($1.sample.state.isActive ? $1.sample.memCurrentKiB ?? 0 : 0) }
        if let mem = spec.node.memoryKiB {
            // The KVM host itself keeps a few GiB; on Xen, Domain-0 is one of the rows.
            let hostOwn = spec.config.group == "xen" ? 0 : mem / 32
            st.freeMemoryKiB = mem > committed + hostOwn ? mem - committed - hostOwn : 0
        }
        if let cpus, cpus > 0 {
            // Busy CPUs: the guests' (from their rates) plus the host's own work.
            var busy = rows.reduce(0.0) { $0 + ($1.rates.cpuPercent ?? 0) / 100 * Double(cpus) }
            busy += spec.config.group == "xen" ? 0.05 : 0.3
            st.cpuBusyPercent = min(100, 100 * busy / Double(cpus))
            // Spread over the physical CPUs unevenly, as a scheduler does, the weights changing every few seconds.
            let slot = Int64((t1 / 4).rounded(.down))
            let hostStream = DemoNoise.stream(spec.config.id, 99)
            let weights = (0..<cpus).map { 0.3 + 1.4 * DemoNoise.unit(seed, hostStream &+ UInt64($0), slot) }
            let total = weights.reduce(0, +)
            st.pcpuPercent = weights.map { min(100, 100 * busy * $0 / total) }
        }
        return (st, rows)
    }
}

// MARK: - one guest

private struct DomainSim: Sendable {
    let spec: NodeXML.Domain
    let hostID: String
    let xen: Bool
    let profile: DemoProfile
    let stream: UInt64
    let kind: VirtKind
    let pvDrivers: Bool
    /// Disks with counters (not CD-ROMs), NICs with a target device.
    let disks: [DiskInfo]
    let nics: [NICInfo]
    let capacities: [UInt64]

    var id: Int?
    var run: Int?               // which run of a cycling guest the counters belong to
    var counters: Counters?
    var previous: DomainSample?

    struct Counters: Sendable {
        var cpuNs = 0.0
        var rd: [Double], wr: [Double], rdReq: [Double], wrReq: [Double], alloc: [Double]
        var rx: [Double], tx: [Double], rxPkt: [Double], txPkt: [Double], drops: [Double]
    }

    init(spec: NodeXML.Domain, host: HostConfig, seed: UInt64, start: Double, id: Int?) {
        self.spec = spec
        hostID = host.id
        xen = spec.description.domainType == "xen"
        profile = DemoCatalog.profile(for: spec.name, seed: seed)
        stream = DemoNoise.stream(host.id + "/" + spec.name)
        (kind, pvDrivers) = GuestKind.detect(spec.description)
        disks = spec.description.disks.filter { $0.device != "cdrom" && $0.device != "floppy" }
        nics = spec.description.nics.filter { $0.target != nil }
        let s = stream
        capacities = disks.indices.map { i in UInt64(20 + 180 * DemoNoise.unit(seed, s, Int64(100 + i))) << 30 }
        self.id = id
    }

    /// Where the guest's lifecycle is at `t`: its state, and for an active guest which run and since when.
    func phase(at t: Double, seed: UInt64, start: Double) -> (state: DomainState, run: Int, since: Double) {
        let bootedAt = DemoWorld.bootedAt(profile: profile, seed: seed, stream: stream, start: start)
        switch profile.lifecycle {
        case .asDefined:
            return (spec.state, 0, bootedAt)
        case .cycle(let period, let runFor):
            let offset = period * DemoNoise.unit(seed, stream, 8)
            let k = ((t - offset) / period).rounded(.down)
            let runStart = offset + k * period
            let into = t - runStart
            let state: DomainState = into < runFor - DemoProfile.shutdownSeconds ? .running : into < runFor ? .shutdown : .shutoff
            return (state, Int(k), runStart)
        }
    }

    mutating func advance(from t0: Double, to t1: Double, seed: UInt64, start: Double, nextID: inout Int) -> DomainSample {
        let (state, runIndex, since) = phase(at: t1, seed: seed, start: start)
        let monotonic = UInt64(max(0, (t1 - start + 1000) * 1e9))
        var s = DomainSample(key: DomainKey(hostID: hostID, uuid: spec.uuid), name: spec.name, state: state,
                             kind: kind, pvDrivers: pvDrivers, vcpus: spec.description.vcpus, maxVcpus: spec.description.maxVcpus,
                             memMaximumKiB: spec.description.memoryKiB, monotonicNs: monotonic)
        guard state.isActive else {
            counters = nil
            run = nil
            if case .cycle = profile.lifecycle { id = nil }
            s.id = nil
            s.memCurrentKiB = spec.description.currentMemoryKiB
            return s
        }
        if counters == nil || run != runIndex {
            // A new boot (or the demo's first look at a guest that has been up a while).
            if run != nil || (counters == nil && id == nil) { id = nextID; nextID += 1 }
            run = runIndex
            counters = initialCounters(upFor: max(0, t0 - since), seed: seed)
        }
        if state != .paused {
            integrate(from: max(t0, since), to: t1, state: state, since: since, seed: seed)
        }
        s.id = id
        fill(&s, at: t1, seed: seed)
        return s
    }

    private func initialCounters(upFor seconds: Double, seed: UInt64) -> Counters {
        let vcpus = Double(spec.description.vcpus ?? 1)
        let nd = disks.count, nn = nics.count
        var c = Counters(rd: Array(repeating: 0, count: nd), wr: Array(repeating: 0, count: nd),
                         rdReq: Array(repeating: 0, count: nd), wrReq: Array(repeating: 0, count: nd),
                         alloc: capacities.enumerated().map { i, cap in Double(cap) * (0.25 + 0.4 * DemoNoise.unit(seed, stream, Int64(110 + i))) },
                         rx: Array(repeating: 0, count: nn), tx: Array(repeating: 0, count: nn),
                         rxPkt: Array(repeating: 0, count: nn), txPkt: Array(repeating: 0, count: nn),
                         drops: Array(repeating: 0, count: nn))
        guard seconds > 0 else { return c }
        c.cpuNs = seconds * profile.cpu.mean * vcpus * 1e9
        spread(&c, seconds: seconds, read: profile.diskRead.mean, write: profile.diskWrite.mean,
               rx: profile.netRx.mean, tx: profile.netTx.mean, drops: 0)
        for i in c.alloc.indices { c.alloc[i] = min(Double(capacities[i]), c.alloc[i]) }
        return c
    }

    /// Adds `seconds` of the given rates to the counters, spread over the devices (the first disk and NIC take
    /// most: the system disk of a one-disk guest, the data disk of a two-disk one takes the bulk).
    private func spread(_ c: inout Counters, seconds: Double, read: Double, write: Double, rx: Double, tx: Double, drops: Double) {
        for i in disks.indices {
            let share = disks.count == 1 ? 1 : (i == 0 ? 0.25 : 0.75 / Double(disks.count - 1))
            c.rd[i] += read * share * seconds
            c.wr[i] += write * share * seconds
            c.rdReq[i] += read * share * seconds / profile.readRequestBytes
            c.wrReq[i] += write * share * seconds / profile.writeRequestBytes
            c.alloc[i] = min(Double(capacities[i]), c.alloc[i] + write * share * seconds * 0.02)
        }
        for i in nics.indices {
            let share = nics.count == 1 ? 1 : (i == 0 ? 0.7 : 0.3 / Double(nics.count - 1))
            c.rx[i] += rx * share * seconds
            c.tx[i] += tx * share * seconds
            c.rxPkt[i] += rx * share * seconds / profile.rxPacketBytes
            c.txPkt[i] += tx * share * seconds / profile.txPacketBytes
            if i == 0 { c.drops[i] += drops * seconds }
        }
    }

    /// Integrates the activity levels over (a, b] in steps of at most half a second (midpoint rule).
    private mutating func integrate(from a: Double, to b: Double, state: DomainState, since: Double, seed: UInt64) {
        guard b > a, var c = counters else { return }
        let vcpus = Double(spec.description.vcpus ?? 1)
        let steps = min(4000, max(1, Int(((b - a) / 0.5).rounded(.up))))
        let h = (b - a) / Double(steps)
        let p = profile
        for k in 0..<steps {
            let t = a + (Double(k) + 0.5) * h
            var cpu = p.cpu.level(seed: seed, stream: stream, t: t, cap: 1)
            var read = p.diskRead.level(seed: seed, stream: stream ^ 1, t: t)
            var write = p.diskWrite.level(seed: seed, stream: stream ^ 2, t: t)
            var rx = p.netRx.level(seed: seed, stream: stream ^ 3, t: t)
            var tx = p.netTx.level(seed: seed, stream: stream ^ 4, t: t)
            let drops = p.dropsInBursts > 0 && p.netRx.isBurst(seed: seed, stream: stream ^ 3, t: t) ? p.dropsInBursts : 0
            if state == .shutdown {
                // Services stopping, caches flushed, connections closed.
                cpu *= 0.3; read *= 0.1; write = max(write, 30e6); rx *= 0.05; tx *= 0.05
            } else if t - since < DemoProfile.bootSeconds, case .cycle = p.lifecycle {
                cpu = max(cpu, 0.7); read += 45e6; rx *= 0.2; tx *= 0.2
            }
            c.cpuNs += cpu * vcpus * h * 1e9
            spread(&c, seconds: h, read: read, write: write, rx: rx, tx: tx, drops: drops)
        }
        counters = c
    }

    /// Counters and gauges into the sample, as the host's driver would report them: KVM's bulk stats have
    /// user/system CPU time, the QEMU process's RSS, the balloon's view of used memory and disk allocation;
    /// Xen's libxl has none of those.
    private func fill(_ s: inout DomainSample, at t: Double, seed: UInt64) {
        guard let c = counters else { return }
        s.cpuTimeNs = UInt64(c.cpuNs)
        let maxKiB = spec.description.memoryKiB ?? 1 << 20
        var current = spec.description.currentMemoryKiB ?? maxKiB
        if let b = profile.balloon {
            let f = b.lowerBound + (b.upperBound - b.lowerBound) * DemoNoise.smooth(seed, stream ^ 5, t: t, period: profile.balloonPeriod)
            let step: UInt64 = 128 * 1024                      // the balloon moves in 128 MiB steps here
            current = min(maxKiB, UInt64(Double(maxKiB) * f) / step * step)
        }
        s.memCurrentKiB = current
        if !xen {
            let u = profile.used
            let usedFraction = u.lowerBound + (u.upperBound - u.lowerBound) * DemoNoise.smooth(seed, stream ^ 6, t: t, period: 40)
            let used = UInt64(Double(current) * usedFraction)
            s.memUsedKiB = used
            s.memRSSKiB = min(maxKiB, used + current / 8 + 180 * 1024)
            s.cpuUserNs = UInt64(c.cpuNs * 0.82)
            s.cpuSystemNs = UInt64(c.cpuNs * 0.18)
        }
        s.disks = disks.enumerated().map { i, d in
            var dc = DeviceCounters(name: d.target, path: d.source)
            dc.rdBytes = UInt64(c.rd[i]); dc.wrBytes = UInt64(c.wr[i])
            dc.rdReqs = UInt64(c.rdReq[i]); dc.wrReqs = UInt64(c.wrReq[i])
            dc.errors = 0
            if !xen { dc.capacity = capacities[i]; dc.allocation = UInt64(c.alloc[i]) }
            return dc
        }
        s.nics = nics.enumerated().map { i, n in
            var dc = DeviceCounters(name: n.target!, path: n.mac)
            dc.rxBytes = UInt64(c.rx[i]); dc.txBytes = UInt64(c.tx[i])
            dc.rxPkts = UInt64(c.rxPkt[i]); dc.txPkts = UInt64(c.txPkt[i])
            dc.rxErrs = 0; dc.txErrs = 0
            dc.rxDrop = UInt64(c.drops[i]); dc.txDrop = 0
            return dc
        }
    }
}
