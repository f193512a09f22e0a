import CollectorsCore
import Foundation
import FleetCore

/// What one host's collector remembers between refreshes, and the reads themselves, driven by the demand
/// (what the consumer shows; issue 15):
///
/// - Bulk path (QEMU): one `virConnectGetAllDomainStats` for every domain with the groups everyone needs, then
///   one `virDomainListGetStats` per distinct set of missing groups — in practice the shown domains' balloon,
///   block and interface groups. With paused domains off screen (`slowPaused`), the first call asks only for
///   state, and the running domains' groups come from a `virDomainListGetStats` of their own: paused domains
///   off screen are re-read every `StatsPlanner.pausedEvery` seconds, not every refresh.
/// - CPU apart (local QEMU daemon, when the call for everyone needs nothing else from QEMU: the monitor, batch
///   `--columns name,cpu`): that call leaves out cpu-total, and each domain that needs its CPU gets one
///   `virDomainGetCPUStats` (the same cgroup counters). libvirt 9's cpu-total group also fills
///   cpu.haltpoll.*, a round trip to every QEMU (its wall time grows with the load, as for balloon and block): 28 ms of daemon CPU and (at load 50) 1.2-1.5 s
///   of wall time for 62 domains, against 8.6 ms and 12 ms for 62 GetCPUStats (Benchmarks/CallCostBench). Over a
///   network each call is a round trip: remote hosts keep the single bulk call.
/// - Per-domain path (test driver: bulk gives only state; Xen's libxl: no bulk call): GetInfo per active domain
///   (state, CPU, memory), and MemoryStats / BlockStats / InterfaceStats only for the domains whose demand
///   asks for them.
/// - `fill` reads, between refreshes, what a grown demand (scrolling, the detail view) needs at once.
///
/// Every group of a domain carries the time it was read: rates are taken between two readings of the same
/// group; a group not read in a refresh keeps its values (counters, gauges) but not its rates, and is listed in
/// the row's `held`; a rate over a window longer than `longWindow` (a row scrolled back into view) is listed
/// there too. Domain XML is read once per domain and again after a lifecycle event or a restart.
struct HostReadState {
    /// nil = not tried yet; false = the driver has no bulk call (use list + per-domain calls).
    private(set) var bulkSupported: Bool?
    /// false: never try the bulk call (as on Xen's libxl driver, which has none) — for tests.
    var useBulkStats = true
    private var bulkNoWait = true
    /// Does the bulk call answer the counter groups (QEMU), or only state (test driver)? nil = not known yet.
    private var bulkRich: Bool?
    /// Does virDomainListGetStats answer (a daemon older than 1.2.8 has none)?
    private var listStatsWorks = true
    /// Whether virDomainMemoryStats returns anything here (the test driver returns nothing).
    private var memoryStatsUseful: Bool?
    /// The daemon is on this machine (UNIX socket): a round trip is cheap.
    private(set) var localDaemon = false
    /// Does virDomainGetCPUStats answer here (false after a refresh where it answered no domain)?
    private var cpuStatsWork = true
    private var descriptions: [String: DomainDescription] = [:]
    private var tracked: [String: Tracked] = [:]
    /// Domains of the last full refresh, in the host's order.
    private var order: [String] = []
    /// Handles of the last full refresh (for fills); the stats lists own the borrowed ones.
    private var handles: [String: Domain] = [:]
    private var handleLists: [DomainStatsList] = []
    private var previousCPU: [NodeCPUTimes] = []
    private var nodeCPUStatsWork = true

    /// What the last full refresh read for every domain, and per domain what it and the fills since read.
    private(set) var everyRead: StatGroups = []
    private(set) var readSince: [DomainKey: StatGroups] = [:]
    /// Active domains of the last refresh.
    private(set) var active: Set<DomainKey> = []
    /// Some domain shown after the last refresh or fill has a value that is not current (`held`): its next
    /// reading should come soon (within a second), not a whole delay later.
    private(set) var shownHeld = false

    /// One domain between refreshes. Invariant: `sample`'s values of a group were read at `times[group]`.
    private struct Tracked {
        var sample: DomainSample
        var times = GroupReadTimes()
        var rates = DomainRates()
        var held: StatGroups = []
        var memPercent: Double?
    }

    /// A domain as read in this refresh or fill, before rates.
    private struct Fresh {
        var sample: DomainSample
        var read: StatGroups = []
        var times = GroupReadTimes()
        var desc: DomainDescription?
    }

    struct Result {
        var rows: [DomainRow]
        var calls: Int
        /// Domain XML documents read in this refresh (many = a burst of transient memory).
        var xmlReads: Int
        /// One entry per stats call: groups and number of domains (for the collect log).
        var log: [String]
    }
    private var xmlReads = 0
    private var calls = 0
    private var log: [String] = []

    mutating func invalidate(_ uuids: Set<String>) {
        for u in uuids { descriptions[u] = nil }
    }

    /// Once per connection: what the host is.
    mutating func hostFacts(from c: Connection, into st: inout HostStatus) {
        st.hypervisor = try? c.hypervisorType()
        // Xen's libxl says 4.17.0 of a 4.17.5: shown as 4.17.
        st.hypervisorVersion = (try? c.hypervisorVersion()).map { HypervisorVersion.display(type: st.hypervisor, version: $0) }
        st.libvirtVersion = try? c.libvirtVersion()
        st.hostname = try? c.hostname()
        if let n = try? c.nodeInfo() {
            st.cpus = n.cpus; st.cpuModel = n.model; st.cpuMHz = n.mhz; st.memoryKiB = n.memoryKiB
        }
        // A new connection may be a different daemon build: probe capabilities again.
        bulkSupported = useBulkStats ? nil : false
        bulkNoWait = true
        bulkRich = nil
        listStatsWorks = true
        memoryStatsUseful = nil
        nodeCPUStatsWork = true
        localDaemon = LibvirtURI.isLocal(c.connectedURI())
        cpuStatsWork = true
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

    // MARK: full refresh

    mutating func refresh(_ c: Connection, host: HostConfig, hostMemoryKiB: UInt64?, hostCPUs: Int?,
                          demand: FleetDemand, interval: Double, balloon: [String: UInt64] = [:]) throws -> Result {
        calls = 0; xmlReads = 0; log = []
        let every = demand.everyDomain.union(.state)
        var fresh: [String: Fresh] = [:]
        var newOrder: [String] = []
        var newHandles: [String: Domain] = [:]
        var lists: [DomainStatsList] = []
        // Paused domains off screen read slowly: then the call for everyone asks only for state.
        let split = demand.slowPaused && bulkRich == true && order.contains { u in
            tracked[u]?.sample.state == .paused && !demand.shown.contains(DomainKey(hostID: host.id, uuid: u))
        }

        // CPU apart: known only once the bulk call has shown that it has counters (bulkRich, from a first call
        // with cpu-total in it); only when the call for everyone asks QEMU nothing else. In a call that queries
        // every QEMU for balloon or block anyway, taking cpu-total out saved nothing: batch with every column, 62
        // guests, cost 128 and 105 ms a refresh (own + daemon) with it apart, 124 and 80 ms without.
        let cpuApart = bulkRich == true && localDaemon && cpuStatsWork && every.contains(.cpu)
            && every.isDisjoint(with: Self.queriesQEMU)
        if bulkSupported != false {
            let first: StatGroups = split ? .state : (cpuApart ? every.subtracting(.cpu) : every)
            if let list = try bulkAll(c, groups: first) {
                lists.append(list)
                log.append("all \(first) \(list.count)")
                newOrder.reserveCapacity(list.count)
                var sawActive = false, sawCPU = false
                list.forEach { dom, fields in
                    var f = Fresh(sample: DomainSample(key: DomainKey(hostID: host.id, uuid: dom.uuid), name: dom.name,
                                                       id: dom.id, state: .nostate, monotonicNs: MonotonicClock.now()))
                    let cov = BulkStats.apply(fields, to: &f.sample)
                    f.read = cov.groups
                    f.times.mark(cov.groups, at: f.sample.monotonicNs)
                    if f.sample.state.isActive { sawActive = true; if cov.cpu { sawCPU = true } }
                    f.desc = describe(dom, &f.sample)
                    if !cov.state, let info = try? dom.info() {
                        calls += 1
                        f.sample.state = DomainState(libvirtValue: info.state)
                        if !f.sample.state.isActive { f.sample.id = nil }
                        f.read.insert(.state)
                    }
                    let u = f.sample.key.uuid
                    newHandles[u] = dom
                    newOrder.append(u)
                    fresh[u] = f
                }
                // A NOWAIT-skipped domain lacks cpu on QEMU too: one active domain with it says the driver has it.
                if sawActive && first.contains(.cpu) { bulkRich = sawCPU }
            }
        }
        if bulkSupported == false {
            calls += 1
            let doms = try c.listAllDomains()
            newOrder.reserveCapacity(doms.count)
            for dom in doms {
                var f = Fresh(sample: DomainSample(key: DomainKey(hostID: host.id, uuid: dom.uuid), name: dom.name, id: dom.id,
                                                   state: dom.id == nil ? .shutoff : .running, monotonicNs: MonotonicClock.now()))
                f.desc = describe(dom, &f.sample)
                if dom.id != nil {
                    // No bulk call: the state (running or paused) comes with GetInfo, which every active domain gets.
                    f.read = readPerDomain(dom, &f.sample, f.desc, [.state, .cpu])
                    f.times.mark(f.read, at: f.sample.monotonicNs)
                } else {
                    f.read = .state
                }
                let u = f.sample.key.uuid
                newHandles[u] = dom
                newOrder.append(u)
                fresh[u] = f
            }
        }

        // What each active domain still lacks, grouped by the missing set: one list call per set (bulk path),
        // or per-domain calls.
        let now = MonotonicClock.now()
        var wanted: [String: StatGroups] = [:]
        var batches: [StatGroups: [String]] = [:]
        var cpuTried = 0, cpuRead = 0
        for u in newOrder {
            guard var f = fresh[u] else { continue }
            let want = StatsPlanner.wanted(demand, key: f.sample.key, state: f.sample.state,
                                           lastReadNs: tracked[u]?.times.cpu, nowNs: now, interval: interval)
            wanted[u] = want
            var missing = want.subtracting(f.read).subtracting(.vcpu)
            // A domain whose GetCPUStats fails keeps cpu in `missing`: the list call below reads it.
            if cpuApart && f.sample.state.isActive && missing.contains(.cpu), let dom = newHandles[u] {
                cpuTried += 1
                if readCPU(dom, &f) { cpuRead += 1; missing.remove(.cpu); fresh[u] = f }
            }
            if f.sample.state.isActive && !missing.isEmpty { batches[missing, default: []].append(u) }
        }
        if cpuTried > 0 {
            log.append("per-domain cpu-total \(cpuRead)" + (cpuRead < cpuTried ? " (\(cpuTried - cpuRead) failed)" : ""))
            if cpuRead == 0 { cpuStatsWork = false }   // answered none: the bulk call's cpu-total from now on
        }
        for (missing, uuids) in batches.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let got = try readMissing(c, uuids: uuids, groups: missing, handles: newHandles, fresh: &fresh, lists: &lists)
            _ = got
        }

        // Per-domain calls swallow their own errors (a domain may vanish mid-refresh); a dead
        // connection must not pass for a host with fewer counters.
        guard c.isAlive else {
            throw LibvirtError(code: -1, domain: 0, message: "connection lost during refresh", operation: "refresh")
        }

        var next: [String: Tracked] = [:]
        next.reserveCapacity(newOrder.count)
        var since: [DomainKey: StatGroups] = [:]
        var act = Set<DomainKey>()
        for u in newOrder {
            guard let f = fresh[u] else { continue }
            next[u] = settle(f, previous: tracked[u], fill: false, host: host, hostMemoryKiB: hostMemoryKiB,
                             hostCPUs: hostCPUs, interval: interval, balloonKiB: balloon[u])
            since[f.sample.key] = f.read
            if f.sample.state.isActive { act.insert(f.sample.key) }
        }
        tracked = next
        shownHeld = Self.anyShownHeld(next, demand: demand)
        order = newOrder
        handles = newHandles
        handleLists = lists
        everyRead = every
        readSince = since
        active = act
        // Forget descriptions of domains that are gone (memory stays proportional to the fleet).
        if descriptions.count > next.count { descriptions = descriptions.filter { next[$0.key] != nil } }
        return Result(rows: rows(host: host), calls: calls, xmlReads: xmlReads, log: log)
    }

    // MARK: fill between refreshes

    /// Reads now what `need` lists (domains of the last refresh), keeping every other value as it is.
    mutating func fill(_ c: Connection, need: [DomainKey: StatGroups], host: HostConfig, hostMemoryKiB: UInt64?,
                       hostCPUs: Int?, interval: Double) throws -> Result {
        calls = 0; xmlReads = 0; log = []
        var fresh: [String: Fresh] = [:]
        var batches: [StatGroups: [String]] = [:]
        for (key, groups) in need {
            guard let t = tracked[key.uuid], t.sample.state.isActive, handles[key.uuid] != nil else { continue }
            var f = Fresh(sample: t.sample)
            f.desc = descriptions[key.uuid]
            // Start from nothing for the groups read now (BulkStats fills them, device lists included).
            if groups.contains(.block) { f.sample.disks = [] }
            if groups.contains(.interface) { f.sample.nics = [] }
            fresh[key.uuid] = f
            batches[groups.subtracting(.vcpu), default: []].append(key.uuid)
        }
        var lists = handleLists
        for (missing, uuids) in batches.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !missing.isEmpty {
            _ = try readMissing(c, uuids: uuids, groups: missing, handles: handles, fresh: &fresh, lists: &lists)
        }
        handleLists = lists
        guard c.isAlive else {
            throw LibvirtError(code: -1, domain: 0, message: "connection lost during refresh", operation: "fill")
        }
        for (u, f) in fresh {
            tracked[u] = settle(f, previous: tracked[u], fill: true, host: host, hostMemoryKiB: hostMemoryKiB,
                                hostCPUs: hostCPUs, interval: interval, balloonKiB: nil)
            readSince[f.sample.key, default: everyRead].formUnion(f.read)
        }
        shownHeld = true   // what a fill read has its rate at the next reading
        return Result(rows: rows(host: host), calls: calls, xmlReads: xmlReads, log: log)
    }

    private static func anyShownHeld(_ t: [String: Tracked], demand: FleetDemand) -> Bool {
        for key in demand.shown {
            guard let d = t[key.uuid], d.sample.state.isActive else { continue }
            if !d.held.isDisjoint(with: demand.groups(for: key).subtracting(.state)) { return true }
        }
        return false
    }

    // MARK: reads

    /// The bulk call for every domain; nil when the driver has none (then `bulkSupported` is false).
    private mutating func bulkAll(_ c: Connection, groups: StatGroups) throws -> DomainStatsList? {
        while true {
            do {
                calls += 1
                let list = try c.allDomainStats(groups: StatsGroups(groups), flags: bulkNoWait ? StatsFlags.noWait : 0)
                bulkSupported = true
                return list
            } catch let e as LibvirtError where e.isUnsupported {
                if bulkNoWait { bulkNoWait = false; continue }   // old daemon: no NOWAIT flag
                bulkSupported = false
                return nil
            }
        }
    }

    /// Reads `groups` for `uuids` (active domains): one virDomainListGetStats on a driver whose bulk call has
    /// counters, else per-domain calls. Updates `fresh` (read groups and their times).
    private mutating func readMissing(_ c: Connection, uuids: [String], groups: StatGroups, handles: [String: Domain],
                                      fresh: inout [String: Fresh], lists: inout [DomainStatsList]) throws -> Int {
        let doms = uuids.compactMap { handles[$0] }
        if bulkRich == true && listStatsWorks && !doms.isEmpty {
            do {
                calls += 1
                let list = try c.domainListStats(doms, groups: StatsGroups(groups), flags: bulkNoWait ? StatsFlags.noWait : 0)
                lists.append(list)
                log.append("list \(groups) \(list.count)")
                list.forEach { dom, fields in
                    let u = dom.uuid
                    guard var f = fresh[u] else { return }
                    let at = MonotonicClock.now()
                    let cov = BulkStats.apply(fields, to: &f.sample)
                    let got = cov.groups.intersection(groups)
                    f.read.formUnion(got)
                    f.times.mark(got, at: at)
                    fresh[u] = f
                }
                return doms.count
            } catch let e as LibvirtError where e.isUnsupported {
                listStatsWorks = false
            }
        }
        var n = 0
        for u in uuids {
            guard var f = fresh[u], let dom = handles[u] else { continue }
            let at = MonotonicClock.now()
            // Only what was asked counts as read (GetInfo for memory also reads CPU: `settle` keeps the CPU value of
            // its own reading, so a fill never makes a %CPU over a few milliseconds).
            let asked = groups.union(.state).union(groups.contains(.cpu) && memoryStatsUseful == false ? .balloon : [])
            let got = readPerDomain(dom, &f.sample, f.desc, groups).intersection(asked)
            f.read.formUnion(got)
            f.times.mark(got, at: at)
            fresh[u] = f
            n += 1
        }
        log.append("per-domain \(groups) \(n)")
        return n
    }

    /// Groups for which libvirt's QEMU driver queries each QEMU over its monitor (interface reads the host's
    /// counters; state, libvirt's own; cpu-total, cgroups, and in libvirt 9 also QEMU's halt-polling stats).
    static let queriesQEMU: StatGroups = [.balloon, .vcpu, .block]

    /// One domain's CPU times with virDomainGetCPUStats (CPU apart); false when it did not answer.
    private mutating func readCPU(_ dom: Domain, _ f: inout Fresh) -> Bool {
        calls += 1
        guard let t = try? dom.cpuStats() else { return false }
        let at = MonotonicClock.now()
        f.sample.cpuTimeNs = t.total
        f.sample.cpuUserNs = t.user
        f.sample.cpuSystemNs = t.system
        f.read.insert(.cpu)
        f.times.mark(.cpu, at: at)
        return true
    }

    /// Per-domain calls for `groups` of one active domain; returns the groups read.
    private mutating func readPerDomain(_ dom: Domain, _ s: inout DomainSample, _ desc: DomainDescription?,
                                        _ groups: StatGroups) -> StatGroups {
        var got = StatGroups()
        if !groups.intersection([.state, .cpu]).isEmpty || (groups.contains(.balloon) && memoryStatsUseful == false) {
            calls += 1
            if let info = try? dom.info() {
                s.monotonicNs = MonotonicClock.now()   // the CPU time's instant
                s.state = DomainState(libvirtValue: info.state)
                if !s.state.isActive { s.id = nil }
                if s.state.isActive { s.cpuTimeNs = info.cpuTimeNs }
                s.memCurrentKiB = info.memoryKiB
                s.memMaximumKiB = info.maxMemKiB
                if s.vcpus == nil { s.vcpus = info.vcpus }
                got.formUnion([.state, .cpu])
                if memoryStatsUseful == false { got.insert(.balloon) }   // GetInfo's memory is all there is
            }
        }
        guard s.state.isActive else { return got }
        if groups.contains(.balloon) && memoryStatsUseful != false {
            calls += 1
            if let m = try? dom.memoryStats() {
                // Worth a call per domain only where it adds to GetInfo: RSS, or used memory (available − unused).
                // Xen's libxl answers only the balloon's current size and its maximum (as "available"), which GetInfo
                // gives already: there GetInfo alone reads memory from then on.
                if memoryStatsUseful == nil { memoryStatsUseful = m[7] != nil || (m[4] != nil && m[5] != nil) }
                if let rss = m[7] { s.memRSSKiB = rss }                                       // VIR_DOMAIN_MEMORY_STAT_RSS
                if let actual = m[6] { s.memCurrentKiB = actual }                               // ACTUAL_BALLOON
                if let avail = m[5], let unused = m[4], avail >= unused { s.memUsedKiB = avail - unused }
                if !m.isEmpty { got.insert(.balloon) }
            } else if memoryStatsUseful == nil {
                memoryStatsUseful = false
            }
            if memoryStatsUseful == false && !got.contains(.balloon) {
                calls += 1
                if let info = try? dom.info() {
                    s.memCurrentKiB = info.memoryKiB; s.memMaximumKiB = info.maxMemKiB
                    got.insert(.balloon)
                }
            }
        }
        guard let desc else { return got }
        if groups.contains(.block) {
            var disks: [DeviceCounters] = []
            for d in desc.disks where d.device != "cdrom" && d.device != "floppy" {
                calls += 1
                guard let b = try? dom.blockStats(device: d.target) else { continue }
                var dc = DeviceCounters(name: d.target, path: d.source)
                dc.rdBytes = b.rdBytes; dc.wrBytes = b.wrBytes; dc.rdReqs = b.rdReqs; dc.wrReqs = b.wrReqs
                dc.errors = b.errors
                disks.append(dc)
            }
            s.disks = disks
            got.insert(.block)
        }
        if groups.contains(.interface) {
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
            s.nics = nics
            got.insert(.interface)
        }
        return got
    }

    /// The cached description (read now if new, restarted or invalidated by an event), and what
    /// rarely changes copied into the sample: guest kind, vCPUs, memory of inactive domains.
    private mutating func describe(_ dom: Domain, _ s: inout DomainSample) -> DomainDescription? {
        let uuid = s.key.uuid
        if let prev = tracked[uuid], prev.sample.id != s.id { descriptions[uuid] = nil }   // restarted: devices may differ
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

    // MARK: rates and rows

    /// A domain's new state: values of the groups read now, the others kept from before (same run of the
    /// domain only), rates between readings of the same group, and what is held.
    private func settle(_ f: Fresh, previous: Tracked?, fill: Bool, host: HostConfig, hostMemoryKiB: UInt64?,
                        hostCPUs: Int?, interval: Double, balloonKiB: UInt64?) -> Tracked {
        var s = f.sample
        let active = s.state.isActive
        let sameRun = previous.map { $0.sample.state.isActive && active && $0.sample.id == s.id } ?? false
        let prev = sameRun ? previous : nil
        let read = f.read
        if let p = prev?.sample {
            if !read.contains(.cpu) { s.cpuTimeNs = p.cpuTimeNs; s.cpuUserNs = p.cpuUserNs; s.cpuSystemNs = p.cpuSystemNs }
            if !read.contains(.balloon) {
                s.memRSSKiB = p.memRSSKiB; s.memUsedKiB = p.memUsedKiB
                s.memCurrentKiB = p.memCurrentKiB ?? s.memCurrentKiB; s.memMaximumKiB = p.memMaximumKiB ?? s.memMaximumKiB
            } else {
                // NOWAIT may leave gauges out: keep the last ones rather than flicker to unknown.
                s.carryGauges(from: p)
            }
            if !read.contains(.block) { s.disks = p.disks }
            if !read.contains(.interface) { s.nics = p.nics }
        }
        if active, let d = f.desc {
            if !read.contains(.balloon) && s.memCurrentKiB == nil { s.memCurrentKiB = d.currentMemoryKiB }
            if !read.contains(.balloon) && s.memMaximumKiB == nil { s.memMaximumKiB = d.memoryKiB }
            // Never read: the devices by name (from the XML), without counters, so device lists stay whole.
            if s.disks.isEmpty && !read.contains(.block) {
                s.disks = d.disks.filter { $0.device != "cdrom" && $0.device != "floppy" }.map { DeviceCounters(name: $0.target, path: $0.source) }
            }
            if s.nics.isEmpty && !read.contains(.interface) {
                s.nics = d.nics.compactMap { n in n.target.map { DeviceCounters(name: $0, path: n.mac) } }
            }
        }
        if let kib = balloonKiB, active, !read.contains(.balloon) { s.memCurrentKiB = kib }

        var times = prev?.times ?? GroupReadTimes()
        for g in [StatGroups.cpu, .balloon, .block, .interface] where read.contains(g) {
            if let t = f.times[g] { times.mark(g, at: t) }
        }
        let longNs = UInt64(max(2.5 * interval, interval + 1.5) * 1e9)
        var (rates, long) = RateCalculator.rates(previous: prev?.sample, previousTimes: prev?.times ?? GroupReadTimes(),
                                                 current: s, currentTimes: times, read: read, hostCPUs: hostCPUs,
                                                 longWindowNs: longNs)
        var held = StatGroups()
        if active {
            held = StatGroups.all.subtracting(.state).subtracting(read).union(long)
            // Kept from before: in a fill, the groups not read are as current as the last refresh made them; in
            // a refresh, a paused domain off screen keeps its last %CPU (held: it is that old).
            if let p = prev {
                let keep = fill ? StatGroups.all.subtracting(read) : (read.contains(.cpu) ? [] : StatGroups.cpu)
                if keep.contains(.cpu) { rates.cpuPercent = p.rates.cpuPercent; rates.cpuPercentPerVCPU = p.rates.cpuPercentPerVCPU }
                if fill {
                    if keep.contains(.block) {
                        rates.rdBytesPerSec = p.rates.rdBytesPerSec; rates.wrBytesPerSec = p.rates.wrBytesPerSec
                        rates.rdReqsPerSec = p.rates.rdReqsPerSec; rates.wrReqsPerSec = p.rates.wrReqsPerSec
                        rates.perDisk = p.rates.perDisk
                    }
                    if keep.contains(.interface) {
                        rates.rxBytesPerSec = p.rates.rxBytesPerSec; rates.txBytesPerSec = p.rates.txBytesPerSec
                        rates.rxPktsPerSec = p.rates.rxPktsPerSec; rates.txPktsPerSec = p.rates.txPktsPerSec
                        rates.netErrsPerSec = p.rates.netErrsPerSec; rates.netDropsPerSec = p.rates.netDropsPerSec
                        rates.perNIC = p.rates.perNIC
                    }
                    held = p.held.subtracting(read).union(long)
                }
            }
        }
        var memPercent: Double?
        if let mem = s.memCurrentKiB, let hm = hostMemoryKiB, hm > 0, active { memPercent = 100 * Double(mem) / Double(hm) }
        return Tracked(sample: s, times: times, rates: rates, held: held, memPercent: memPercent)
    }

    private func rows(host: HostConfig) -> [DomainRow] {
        var out: [DomainRow] = []
        out.reserveCapacity(order.count)
        for u in order {
            guard let t = tracked[u] else { continue }
            var row = DomainRow(sample: t.sample, rates: t.rates, hostName: host.name)
            row.memPercent = t.memPercent
            row.held = t.held
            row.description = descriptions[u]
            out.append(row)
        }
        return out
    }
}

extension BulkCoverage {
    /// The groups a record answered.
    var groups: StatGroups {
        var g = StatGroups()
        if state { g.insert(.state) }
        if cpu { g.insert(.cpu) }
        if balloon { g.insert(.balloon) }
        if vcpu { g.insert(.vcpu) }
        if block { g.insert(.block) }
        if net { g.insert(.interface) }
        return g
    }
}
