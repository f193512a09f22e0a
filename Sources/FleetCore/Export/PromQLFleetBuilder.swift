import Foundation

/// Turns the series of one `PromQLFleetQuery` answer into a `FleetSnapshot`.
///
/// Works with FleetTUI's exporter (labels `host`, `domain`, `uuid`, devices `target_device`) and
/// Debian's prometheus-libvirt-exporter (no `host`: Prometheus' `instance` names the host; the
/// same metric names). Domains are keyed by host + UUID, or host + name when there is no UUID.
/// Rates come from Prometheus (`fleettui_rate` series); nothing is derived from sample deltas here.
public enum PromQLFleetBuilder {
    public struct Context: Sendable {
        public var generation: UInt64
        public var time: Date
        public var monotonicNs: UInt64
        /// Wall time of the HTTP round trip that fetched the series.
        public var queryLatency: Double?
        public var label: String?
        public init(generation: UInt64, time: Date, monotonicNs: UInt64, queryLatency: Double? = nil, label: String? = nil) {
            self.generation = generation; self.time = time; self.monotonicNs = monotonicNs
            self.queryLatency = queryLatency; self.label = label
        }
    }

    private struct DomainAcc {
        var key: DomainKey
        var host: String
        var name: String
        var hasCurrent = false
        var sample: DomainSample
        var disks: [String: DeviceCounters] = [:]
        var diskSource: [String: String] = [:]
        var nics: [String: DeviceCounters] = [:]
        var nicSource: [String: String] = [:]
        var rates: [String: Double] = [:]                   // counter name → per second, whole domain
        var diskRates: [String: [String: Double]] = [:]     // device → counter → per second
        var nicRates: [String: [String: Double]] = [:]
    }

    private struct HostAcc {
        var name: String
        var up: Double?
        var libvirtUp: Double?
        var info: [String: String]?
        var cpus: Double?
        var memory: Double?
        var freeMemory: Double?
        var latency: Double?
        var calls: Double?
    }

    typealias N = FleetMetrics.Name

    public static func snapshot(from series: [PromSeries], context ctx: Context) -> FleetSnapshot {
        var hosts: [String: HostAcc] = [:]
        var domains: [DomainKey: DomainAcc] = [:]

        func hostName(_ l: [String: String]) -> String { l["host"] ?? l["instance"] ?? "prometheus" }
        func touchHost(_ h: String) { if hosts[h] == nil { hosts[h] = HostAcc(name: h) } }

        for s in series {
            let l = s.labels
            let host = hostName(l)
            if let counter = l[PromQLFleetQuery.rateLabel] {
                guard let dom = l["domain"], !s.value.isNaN else { continue }
                let key = domainKey(host: host, labels: l, domain: dom)
                var acc = domains[key] ?? newDomain(key, host: host, name: dom, ctx)
                if let dev = l["target_device"] {
                    // Devices are known from their rate series (raw device counters are not fetched).
                    if counter.hasPrefix("libvirt_domain_block_stats_") {
                        acc.diskRates[dev, default: [:]][counter] = s.value
                        if acc.disks[dev] == nil { acc.disks[dev] = DeviceCounters(name: dev) }
                        if let src = l["source_file"], !src.isEmpty { acc.diskSource[dev] = src; acc.disks[dev]?.path = src }
                    } else {
                        acc.nicRates[dev, default: [:]][counter] = s.value
                        if acc.nics[dev] == nil { acc.nics[dev] = DeviceCounters(name: dev) }
                        if let src = l["source_bridge"], !src.isEmpty { acc.nicSource[dev] = src }
                    }
                } else {
                    acc.rates[counter] = s.value
                }
                domains[key] = acc
                continue
            }
            guard let name = l["__name__"] else { continue }
            if name.hasPrefix("fleettui_host_") || name == N.up {
                touchHost(host)
                var h = hosts[host]!
                switch name {
                case N.up: h.libvirtUp = s.value
                case N.hostUp: h.up = s.value
                case N.hostInfo: h.info = l
                case N.hostCPUs: h.cpus = s.value
                case N.hostMemory: h.memory = s.value
                case N.hostFreeMemory: h.freeMemory = s.value
                case N.hostLatency: h.latency = s.value
                case N.hostCalls: h.calls = s.value
                default: break
                }
                hosts[host] = h
                continue
            }
            guard let dom = l["domain"] else { continue }
            touchHost(host)
            let key = domainKey(host: host, labels: l, domain: dom)
            var acc = domains[key] ?? newDomain(key, host: host, name: dom, ctx)
            acc.hasCurrent = true
            let v = s.value
            func count(_ x: Double) -> UInt64? { x.isFinite && x >= 0 ? UInt64(min(x, 1.8e19)) : nil }
            if let counters = Counters.domainByMetric[name] {
                for c in counters { c.store(metricValue: v, into: &acc.sample) }
                domains[key] = acc
                continue
            }
            switch name {
            case N.stateCode: acc.sample.state = DomainState(libvirtValue: Int(v.isFinite ? v : 0))
            case N.vcpus: acc.sample.vcpus = v.isFinite ? Int(v) : nil
            case N.memUsed: acc.sample.memUsedKiB = count(v / 1024)
            case N.domainInfo:
                if let k = l["kind"], let kind = VirtKind(rawValue: k) { acc.sample.kind = kind }
                if let id = l["id"], let n = Int(id) { acc.sample.id = n }
            default:
                guard let dev = l["target_device"] else { break }
                if name.hasPrefix("libvirt_domain_block_stats_") {
                    var d = acc.disks[dev] ?? DeviceCounters(name: dev)
                    for c in Counters.diskByMetric[name] ?? [] { c.store(metricValue: v, into: &d) }
                    if let src = l["source_file"], !src.isEmpty { acc.diskSource[dev] = src; d.path = src }
                    acc.disks[dev] = d
                } else if name.hasPrefix("libvirt_domain_interface_stats_") {
                    var d = acc.nics[dev] ?? DeviceCounters(name: dev)
                    for c in Counters.nicByMetric[name] ?? [] { c.store(metricValue: v, into: &d) }
                    if let src = l["source_bridge"], !src.isEmpty { acc.nicSource[dev] = src }
                    acc.nics[dev] = d
                }
            }
            domains[key] = acc
        }

        // Hosts
        var statuses: [String: HostStatus] = [:]
        for (name, h) in hosts {
            let uri = h.info?["uri"] ?? ""
            var st = HostStatus(config: HostConfig(id: name, name: name, uri: uri), state: hostState(h), since: ctx.time)
            if let hv = h.info?["hypervisor"], !hv.isEmpty { st.hypervisor = hv }
            if let hn = h.info?["hostname"], !hn.isEmpty { st.hostname = hn }
            st.cpus = h.cpus.map { Int($0) }
            st.memoryKiB = h.memory.map { UInt64($0 / 1024) }
            st.freeMemoryKiB = h.freeMemory.map { UInt64($0 / 1024) }
            st.refreshLatency = h.latency ?? ctx.queryLatency
            st.callsLastRefresh = h.calls.map { Int($0) }
            if st.state == .down { st.lastError = "the exporter reports the host down" }
            statuses[name] = st
        }

        // Domains: only those with current values (a rate alone may outlive its domain by the window).
        var rows: [DomainRow] = []
        rows.reserveCapacity(domains.count)
        for acc in domains.values where acc.hasCurrent {
            let host = statuses[acc.host]
            var sample = acc.sample
            sample.disks = acc.disks.keys.sorted().map { acc.disks[$0]! }
            sample.nics = acc.nics.keys.sorted().map { acc.nics[$0]! }
            var row = DomainRow(sample: sample, rates: rates(acc, hostCPUs: host?.cpus), hostName: acc.host)
            if let mem = host?.memoryKiB, mem > 0, let cur = sample.memCurrentKiB {
                row.memPercent = 100 * Double(cur) / Double(mem)
            }
            var desc = DomainDescription()
            desc.disks = sample.disks.map { DiskInfo(target: $0.name, source: acc.diskSource[$0.name]) }
            desc.nics = sample.nics.map { NICInfo(target: $0.name, source: acc.nicSource[$0.name]) }
            row.description = desc
            rows.append(row)
        }
        rows.sort { $0.sample.key < $1.sample.key }
        let hostList = statuses.keys.sorted().map { statuses[$0]! }
        return FleetSnapshot(generation: ctx.generation, time: ctx.time, hosts: hostList, domains: rows, label: ctx.label)
    }

    private static func domainKey(host: String, labels l: [String: String], domain: String) -> DomainKey {
        if let u = l["uuid"], !u.isEmpty { return DomainKey(hostID: host, uuid: u) }
        return DomainKey(hostID: host, uuid: "name:" + domain)
    }

    private static func newDomain(_ key: DomainKey, host: String, name: String, _ ctx: Context) -> DomainAcc {
        DomainAcc(key: key, host: host, name: name,
                  sample: DomainSample(key: key, name: name, state: .nostate, monotonicNs: ctx.monotonicNs))
    }

    private static func hostState(_ h: HostAcc) -> ConnectionState {
        if let s = h.info?["state"], let st = ConnectionState(rawValue: s), h.up != 0 { return st }
        if let up = h.up ?? h.libvirtUp { return up >= 1 ? .up : .down }
        return .up     // domains seen but no up series: the exporter answered
    }

    private static func rates(_ acc: DomainAcc, hostCPUs: Int?) -> DomainRates {
        var r = DomainRates()
        if let cpu = acc.rates[N.cpuTime] {
            // virt-top's %CPU is of the whole host; without the host's size it is % of one CPU.
            r.cpuPercent = 100 * cpu / Double(max(hostCPUs ?? 1, 1))
            if let v = acc.sample.vcpus, v > 0 { r.cpuPercentPerVCPU = 100 * cpu / Double(v) }
        }
        // Each device counter's rate goes to the device and is summed into the domain's (the table says where).
        func spread(_ perDev: [String: [String: Double]], _ counters: [Counter<DeviceCounters>]) -> [String: DeviceRates] {
            var perDevice: [String: DeviceRates] = [:]
            for (dev, m) in perDev {
                var dr = DeviceRates()
                for c in counters {
                    guard let rate = c.rate, let name = c.metric?.name, let v = m[name] else { continue }
                    if let f = rate.device { dr[keyPath: f] = v }
                    r[keyPath: rate.domain] = (r[keyPath: rate.domain] ?? 0) + v
                }
                perDevice[dev] = dr
            }
            return perDevice
        }
        let disks = spread(acc.diskRates, Counters.disk)
        let nics = spread(acc.nicRates, Counters.nic)
        r.perDisk = disks
        r.perNIC = nics
        return r
    }
}
