import CollectorsCore
import Foundation
import FleetCore

/// What one host's collector remembers between refreshes, and the refresh itself: one bulk stats
/// call where the driver has it (QEMU), per-domain calls only for what the bulk call lacked (test
/// driver: only state; Xen's libxl: no bulk call at all). Domain XML is read once per domain and
/// again after a lifecycle event or a restart — not on every refresh.
struct HostReadState {
    /// nil = not tried yet; false = the driver has no bulk call (use list + per-domain calls).
    private(set) var bulkSupported: Bool?
    /// false: never try the bulk call (as on Xen's libxl driver, which has none) — for tests.
    var useBulkStats = true
    private var bulkNoWait = true
    /// Whether virDomainMemoryStats returns anything here (the test driver returns nothing).
    private var memoryStatsUseful: Bool?
    private var descriptions: [String: DomainDescription] = [:]
    private var previous: [String: DomainSample] = [:]
    private var previousCPU: [NodeCPUTimes] = []
    private var nodeCPUStatsWork = true

    struct Result {
        var rows: [DomainRow]
        var calls: Int
        /// Domain XML documents read in this refresh (many = a burst of transient memory).
        var xmlReads: Int
    }
    private var xmlReads = 0

    mutating func invalidate(_ uuids: Set<String>) {
        for u in uuids { descriptions[u] = nil }
    }

    /// Once per connection: what the host is.
    mutating func hostFacts(from c: Connection, into st: inout HostStatus) {
        st.hypervisor = try? c.hypervisorType()
        st.hypervisorVersion = try? c.hypervisorVersion()
        st.libvirtVersion = try? c.libvirtVersion()
        st.hostname = try? c.hostname()
        if let n = try? c.nodeInfo() {
            st.cpus = n.cpus; st.cpuModel = n.model; st.cpuMHz = n.mhz; st.memoryKiB = n.memoryKiB
        }
        // A new connection may be a different daemon build: probe capabilities again.
        bulkSupported = useBulkStats ? nil : false
        bulkNoWait = true
        memoryStatsUseful = nil
        nodeCPUStatsWork = true
        previousCPU = []
    }

    /// Every refresh: free memory and CPU load — the whole host (one call) and, on hosts with up to
    /// 16 CPUs, each CPU (one call each).
    mutating func hostLoad(from c: Connection, into st: inout HostStatus) {
        var calls = 0
        if let free = try? c.freeMemoryKiB() { st.freeMemoryKiB = free }
        calls += 1
        guard nodeCPUStatsWork, let cpus = st.cpus, cpus > 0 else { st.hostCallsLastRefresh = calls; return }
        var now: [NodeCPUTimes] = []
        calls += 1
        if let all = try? c.nodeCPUTimes() {
            now.append(all)
            if cpus <= 16 {
                for cpu in 0..<cpus {
                    calls += 1
                    guard let t = try? c.nodeCPUTimes(cpu: cpu) else { now = [all]; break }
                    now.append(t)
                }
            }
        } else {
            nodeCPUStatsWork = false
        }
        func busy(_ a: NodeCPUTimes, _ b: NodeCPUTimes) -> Double? {
            guard b.total > a.total, b.busy >= a.busy else { return nil }
            return min(100, 100 * Double(b.busy - a.busy) / Double(b.total - a.total))
        }
        if now.count == previousCPU.count, !now.isEmpty {
            st.cpuBusyPercent = busy(previousCPU[0], now[0])
            let per = zip(previousCPU.dropFirst(), now.dropFirst()).map { busy($0, $1) ?? 0 }
            st.pcpuPercent = per.isEmpty ? nil : per
        } else {
            st.cpuBusyPercent = nil
            st.pcpuPercent = nil
        }
        previousCPU = now
        st.hostCallsLastRefresh = calls
    }

    mutating func refresh(_ c: Connection, host: HostConfig, hostMemoryKiB: UInt64?, hostCPUs: Int?) throws -> Result {
        var calls = 0
        xmlReads = 0
        var samples: [(DomainSample, DomainDescription?)] = []

        if bulkSupported != false {
            var list: DomainStatsList?
            while list == nil {
                do {
                    calls += 1
                    list = try c.allDomainStats(groups: .monitor, flags: bulkNoWait ? StatsFlags.noWait : 0)
                    bulkSupported = true
                } catch let e as LibvirtError where e.isUnsupported {
                    if bulkNoWait { bulkNoWait = false; continue }   // old daemon: no NOWAIT flag
                    bulkSupported = false
                    break
                }
            }
            if let list {
                samples.reserveCapacity(list.count)
                list.forEach { dom, fields in
                    let now = MonotonicClock.now()
                    var s = DomainSample(key: DomainKey(hostID: host.id, uuid: dom.uuid), name: dom.name, id: dom.id,
                                         state: .nostate, monotonicNs: now)
                    let cov = BulkStats.apply(fields, to: &s)
                    let desc = describe(dom, &s, calls: &calls)
                    if s.state.isActive {
                        fillGaps(dom, &s, desc, cov, calls: &calls)
                    } else if !cov.state, let info = try? dom.info() {
                        calls += 1
                        s.state = DomainState(libvirtValue: info.state)
                    }
                    samples.append((s, desc))
                }
            }
        }
        if bulkSupported == false {
            calls += 1
            let doms = try c.listAllDomains()
            samples.reserveCapacity(doms.count)
            for dom in doms {
                var s = DomainSample(key: DomainKey(hostID: host.id, uuid: dom.uuid), name: dom.name, id: dom.id,
                                     state: dom.id == nil ? .shutoff : .running, monotonicNs: MonotonicClock.now())
                let desc = describe(dom, &s, calls: &calls)
                fillGaps(dom, &s, desc, BulkCoverage(), calls: &calls)
                samples.append((s, desc))
            }
        }

        // Per-domain calls swallow their own errors (a domain may vanish mid-refresh); a dead
        // connection must not pass for a host with fewer counters.
        guard c.isAlive else {
            throw LibvirtError(code: -1, domain: 0, message: "connection lost during refresh", operation: "refresh")
        }

        var rows: [DomainRow] = []
        rows.reserveCapacity(samples.count)
        var next: [String: DomainSample] = [:]
        next.reserveCapacity(samples.count)
        for (sample, desc) in samples {
            let row = DomainRow(reading: sample, previous: previous[sample.key.uuid], description: desc,
                                hostName: host.name, hostCPUs: hostCPUs, hostMemoryKiB: hostMemoryKiB)
            rows.append(row)
            next[sample.key.uuid] = row.sample
        }
        previous = next
        // Forget descriptions of domains that are gone (memory stays proportional to the fleet).
        if descriptions.count > next.count { descriptions = descriptions.filter { next[$0.key] != nil } }
        return Result(rows: rows, calls: calls, xmlReads: xmlReads)
    }

    /// The cached description (read now if new, restarted or invalidated by an event), and what
    /// rarely changes copied into the sample: guest kind, vCPUs, memory of inactive domains.
    private mutating func describe(_ dom: Domain, _ s: inout DomainSample, calls: inout Int) -> DomainDescription? {
        let uuid = s.key.uuid
        if let prev = previous[uuid], prev.id != s.id { descriptions[uuid] = nil }   // restarted: devices may differ
        var desc = descriptions[uuid]
        if desc == nil {
            calls += 1
            xmlReads += 1
            if let xml = try? dom.xmlDesc(), let d = try? DomainXML.parse(xml) {
                descriptions[uuid] = d
                desc = d
            }
        }
        if let d = desc {
            let k = GuestKind.detect(d)
            s.kind = k.kind
            s.pvDrivers = k.pvDrivers
            if s.vcpus == nil { s.vcpus = d.vcpus }
            if s.maxVcpus == nil { s.maxVcpus = d.maxVcpus }
            if !s.state.isActive || s.id == nil {
                if s.memMaximumKiB == nil { s.memMaximumKiB = d.memoryKiB }
                if s.memCurrentKiB == nil { s.memCurrentKiB = d.currentMemoryKiB }
            }
        }
        return desc
    }

    /// Per-domain calls for exactly what the bulk record lacked.
    private mutating func fillGaps(_ dom: Domain, _ s: inout DomainSample, _ desc: DomainDescription?,
                                   _ cov: BulkCoverage, calls: inout Int) {
        if !cov.state || s.cpuTimeNs == nil || (!cov.balloon && s.memCurrentKiB == nil) {
            calls += 1
            if let info = try? dom.info() {
                s.monotonicNs = MonotonicClock.now()   // the CPU time's instant
                if !cov.state {
                    s.state = DomainState(libvirtValue: info.state)
                    if !s.state.isActive { s.id = nil }
                }
                var fb = DomainSample(key: s.key, name: s.name, state: s.state, vcpus: info.vcpus,
                                      cpuTimeNs: s.state.isActive ? info.cpuTimeNs : nil,
                                      memCurrentKiB: info.memoryKiB, memMaximumKiB: info.maxMemKiB,
                                      monotonicNs: s.monotonicNs)
                fb.maxVcpus = desc?.maxVcpus
                s.fillMissing(from: fb)
            }
        }
        guard s.state.isActive else { return }
        if !cov.balloon && memoryStatsUseful != false {
            calls += 1
            if let m = try? dom.memoryStats() {
                if memoryStatsUseful == nil { memoryStatsUseful = !m.isEmpty }
                if let rss = m[7] { s.memRSSKiB = s.memRSSKiB ?? rss }                      // VIR_DOMAIN_MEMORY_STAT_RSS
                if let actual = m[6], s.memCurrentKiB == nil { s.memCurrentKiB = actual }     // ACTUAL_BALLOON
                if let avail = m[5], let unused = m[4], avail >= unused, s.memUsedKiB == nil {
                    s.memUsedKiB = avail - unused
                }
            } else if memoryStatsUseful == nil {
                memoryStatsUseful = false
            }
        }
        guard let desc else { return }
        if !cov.block {
            var disks: [DeviceCounters] = []
            for d in desc.disks where d.device != "cdrom" && d.device != "floppy" {
                calls += 1
                guard let b = try? dom.blockStats(device: d.target) else { continue }
                var dc = DeviceCounters(name: d.target, path: d.source)
                dc.rdBytes = b.rdBytes; dc.wrBytes = b.wrBytes; dc.rdReqs = b.rdReqs; dc.wrReqs = b.wrReqs
                dc.errors = b.errors
                disks.append(dc)
            }
            s.disks = DomainSample.merge(s.disks, disks)
        }
        if !cov.net {
            var nics: [DeviceCounters] = []
            for n in desc.nics {
                guard let target = n.target else { continue }
                calls += 1
                guard let i = try? dom.interfaceStats(device: target) else { continue }
                var dc = DeviceCounters(name: target, path: n.mac)
                dc.rxBytes = i.rxBytes; dc.txBytes = i.txBytes; dc.rxPkts = i.rxPackets; dc.txPkts = i.txPackets
                dc.rxErrs = i.rxErrs; dc.txErrs = i.txErrs; dc.rxDrop = i.rxDrop; dc.txDrop = i.txDrop
                nics.append(dc)
            }
            s.nics = DomainSample.merge(s.nics, nics)
        }
    }
}
