import Foundation

/// Renders a `FleetSnapshot` as Prometheus metrics.
///
/// Names and labels follow the libvirt exporters people already have dashboards for
/// (kumina's `libvirt_exporter`, packaged by Debian as `prometheus-libvirt-exporter`, and its
/// forks): `libvirt_domain_info_*`, `libvirt_domain_block_stats_*` with `target_device` and
/// `source_file`, `libvirt_domain_interface_stats_*` with `target_device` and `source_bridge`,
/// plus `host` on everything because one FleetTUI exporter serves many hosts. FleetTUI's own view
/// of each host (connection, overcommit, refresh cost) is under `fleettui_*`.
public enum FleetMetrics {
    /// Names of the metrics this renderer emits; the PromQL source asks for exactly these.
    public enum Name {
        public static let up = "libvirt_up"
        public static let domainsNumber = "libvirt_domains_number"
        public static let stateCode = "libvirt_domain_state_code"
        public static let infoState = "libvirt_domain_info_state"
        public static let cpuTime = "libvirt_domain_info_cpu_time_seconds_total"
        public static let maxMemory = "libvirt_domain_info_maximum_memory_bytes"
        public static let memoryUsage = "libvirt_domain_info_memory_usage_bytes"
        public static let vcpus = "libvirt_domain_info_virtual_cpus"
        public static let memRSS = "libvirt_domain_memory_stats_rss_bytes"
        public static let memUsed = "libvirt_domain_memory_stats_used_bytes"
        public static let memBalloon = "libvirt_domain_memory_stats_actual_balloon_bytes"
        public static let blockReadBytes = "libvirt_domain_block_stats_read_bytes_total"
        public static let blockReadReqs = "libvirt_domain_block_stats_read_requests_total"
        public static let blockWriteBytes = "libvirt_domain_block_stats_write_bytes_total"
        public static let blockWriteReqs = "libvirt_domain_block_stats_write_requests_total"
        public static let blockCapacity = "libvirt_domain_block_stats_capacity_bytes"
        public static let netRxBytes = "libvirt_domain_interface_stats_receive_bytes_total"
        public static let netRxPkts = "libvirt_domain_interface_stats_receive_packets_total"
        public static let netRxErrs = "libvirt_domain_interface_stats_receive_errors_total"
        public static let netRxDrop = "libvirt_domain_interface_stats_receive_drops_total"
        public static let netTxBytes = "libvirt_domain_interface_stats_transmit_bytes_total"
        public static let netTxPkts = "libvirt_domain_interface_stats_transmit_packets_total"
        public static let netTxErrs = "libvirt_domain_interface_stats_transmit_errors_total"
        public static let netTxDrop = "libvirt_domain_interface_stats_transmit_drops_total"
        public static let domainInfo = "fleettui_domain_info"
        public static let hostUp = "fleettui_host_up"
        public static let hostInfo = "fleettui_host_info"
        public static let hostCPUs = "fleettui_host_cpus"
        public static let hostMemory = "fleettui_host_memory_bytes"
        public static let hostFreeMemory = "fleettui_host_free_memory_bytes"
        public static let hostOvercommit = "fleettui_host_memory_overcommit_ratio"
        public static let hostLatency = "fleettui_host_refresh_latency_seconds"
        public static let hostCalls = "fleettui_host_libvirt_calls_per_refresh"
        public static let snapshotTime = "fleettui_snapshot_timestamp_seconds"
        public static let consoleState = "fleettui_console_state"
        public static let consoleUnchanged = "fleettui_console_screen_unchanged_seconds"
        public static let consoleSeen = "fleettui_console_screen_seen_seconds"
    }

    private struct DomainFamily: Sendable {
        let name: String, help: String, type: PrometheusTextWriter.MetricType
        /// The `--metrics` family it belongs to; nil: always served (state, vCPUs).
        let family: MetricFamily?
        let value: @Sendable (DomainSample) -> Double?
    }
    private struct DeviceFamily: Sendable {
        let name: String, help: String, type: PrometheusTextWriter.MetricType
        let value: @Sendable (DeviceCounters) -> Double?
    }

    private static func kib(_ v: UInt64?) -> Double? { v.map { Double($0) * 1024 } }

    /// State and vCPUs first, then the domain counters of the table (Counters.domain), then guest-reported memory.
    private static let domainFamilies: [DomainFamily] = [
        .init(name: Name.stateCode, help: "State of the domain (virDomainState: 1 running, 3 paused, 5 shutoff …).", type: .gauge, family: nil,
              value: { Double($0.state.exportedStateCode) }),
        .init(name: Name.infoState, help: "State of the domain (virDomainState: 1 running, 3 paused, 5 shutoff …).", type: .gauge, family: nil,
              value: { Double($0.state.exportedStateCode) }),
        .init(name: Name.vcpus, help: "Number of virtual CPUs for the domain.", type: .gauge, family: nil,
              value: { $0.vcpus.map { Double($0) } }),
    ] + Counters.domain.compactMap { c in
        c.metric.map { m in
            DomainFamily(name: m.name, help: m.help, type: m.type, family: MetricFamily(domainStatsKey: c.statsKey), value: { c.metricValue($0) })
        }
    } + [
        .init(name: Name.memUsed, help: "Memory in use as reported by the guest (available - unused), in bytes.", type: .gauge, family: .memory,
              value: { kib($0.memUsedKiB) }),
    ]

    private static func families(_ counters: [Counter<DeviceCounters>]) -> [DeviceFamily] {
        counters.compactMap { c in
            c.metric.map { m in DeviceFamily(name: m.name, help: m.help, type: m.type, value: { c.metricValue($0) }) }
        }
    }
    private static let blockFamilies = families(Counters.disk)
    private static let interfaceFamilies = families(Counters.nic)

    /// The whole /metrics body. Rows of hosts that are not answering (stale) are left out:
    /// their last values would otherwise look current to Prometheus. Families not in `families` are left out
    /// altogether (no HELP, no samples): their groups were not read, and a 0 would be a lie.
    public static func render(_ snap: FleetSnapshot, families: Set<MetricFamily> = Set(MetricFamily.allCases),
                              now: Date = Date()) -> [UInt8] {
        let rows = snap.domains.filter { !$0.stale }
        let servesBlock = families.contains(.block), servesInterface = families.contains(.interface)
        var w = PrometheusTextWriter(reservingCapacity: 256 + rows.count * 3000)

        // Label sets rendered once per domain / device, reused by every family.
        let domainLabels = rows.map { row in
            PrometheusTextWriter.labelSet([("host", row.hostName), ("domain", row.sample.name), ("uuid", row.sample.key.uuid)])
        }
        func deviceLabels(_ row: DomainRow, _ dev: DeviceCounters, sourceKey: String, source: String?) -> String {
            PrometheusTextWriter.labelSet([("host", row.hostName), ("domain", row.sample.name), ("uuid", row.sample.key.uuid),
                                          ("target_device", dev.name), (sourceKey, source ?? "")])
        }
        let diskLabels: [[String]] = !servesBlock ? [] : rows.map { row in
            row.sample.disks.map { dev in
                let src = dev.path ?? row.description?.disks.first(where: { $0.target == dev.name })?.source
                return deviceLabels(row, dev, sourceKey: "source_file", source: src)
            }
        }
        let nicLabels: [[String]] = !servesInterface ? [] : rows.map { row in
            row.sample.nics.map { dev in
                let src = row.description?.nics.first(where: { $0.target == dev.name })?.source
                return deviceLabels(row, dev, sourceKey: "source_bridge", source: src)
            }
        }

        // ---- hosts
        let hostLabels = snap.hosts.map { PrometheusTextWriter.labelSet([("host", $0.config.name)]) }
        let domainsPerHost = Dictionary(grouping: rows, by: { $0.sample.key.hostID }).mapValues(\.count)
        func hostFamily(_ name: String, _ help: String, _ type: PrometheusTextWriter.MetricType, _ value: (HostStatus) -> Double?) {
            w.family(name, help: help, type: type)
            for (i, h) in snap.hosts.enumerated() { if let v = value(h) { w.sample(name, hostLabels[i], v) } }
        }
        hostFamily(Name.up, "Whether scraping libvirt's metrics was successful.", .gauge) { $0.isAnswering ? 1 : 0 }
        hostFamily(Name.domainsNumber, "Number of domains.", .gauge) { h in
            h.isAnswering ? Double(domainsPerHost[h.config.id] ?? 0) : nil
        }
        hostFamily(Name.hostUp, "1 when FleetTUI's last refresh of the host answered, else 0.", .gauge) { $0.isAnswering ? 1 : 0 }
        w.family(Name.hostInfo, help: "Host identity as FleetTUI sees it (value is always 1).", type: .gauge)
        for h in snap.hosts {
            w.sample(Name.hostInfo, PrometheusTextWriter.labelSet([
                ("host", h.config.name), ("uri", h.config.uri), ("state", h.state.rawValue),
                ("hypervisor", h.hypervisor ?? ""), ("hostname", h.hostname ?? ""),
            ]), 1)
        }
        hostFamily(Name.hostCPUs, "Physical CPUs of the host.", .gauge) { $0.cpus.map { Double($0) } }
        hostFamily(Name.hostMemory, "Physical memory of the host, in bytes.", .gauge) { kib($0.memoryKiB) }
        hostFamily(Name.hostFreeMemory, "Free memory of the host, in bytes.", .gauge) { kib($0.freeMemoryKiB) }
        hostFamily(Name.hostOvercommit, "Memory of active domains / physical memory of the host.", .gauge) { h in
            h.isAnswering ? snap.summary(ofHost: h.config.id).overcommit : nil
        }
        hostFamily(Name.hostLatency, "Wall time of FleetTUI's last refresh of the host, in seconds.", .gauge) { $0.refreshLatency }
        hostFamily(Name.hostCalls, "libvirt calls FleetTUI made for its last refresh of the host.", .gauge) { $0.callsLastRefresh.map { Double($0) } }

        // ---- domains
        w.family(Name.domainInfo, help: "Domain identity as FleetTUI sees it (value is always 1).", type: .gauge)
        for row in rows {
            let s = row.sample
            w.sample(Name.domainInfo, PrometheusTextWriter.labelSet([
                ("host", row.hostName), ("domain", s.name), ("uuid", s.key.uuid),
                ("kind", s.kind.rawValue), ("id", s.id.map(String.init) ?? ""),
            ]), 1)
        }
        for f in domainFamilies where f.family.map(families.contains) ?? true {
            w.family(f.name, help: f.help, type: f.type)
            for (i, row) in rows.enumerated() { if let v = f.value(row.sample) { w.sample(f.name, domainLabels[i], v) } }
        }
        for f in blockFamilies where servesBlock {
            w.family(f.name, help: f.help, type: f.type)
            for (i, row) in rows.enumerated() {
                for (j, dev) in row.sample.disks.enumerated() { if let v = f.value(dev) { w.sample(f.name, diskLabels[i][j], v) } }
            }
        }
        for f in interfaceFamilies where servesInterface {
            w.family(f.name, help: f.help, type: f.type)
            for (i, row) in rows.enumerated() {
                for (j, dev) in row.sample.nics.enumerated() { if let v = f.value(dev) { w.sample(f.name, nicLabels[i][j], v) } }
            }
        }
        // ---- screens: what each console shows (fleettui screens), for alerts on "panic on screen"
        let screened = rows.indices.filter { rows[$0].screen != nil }
        if !screened.isEmpty {
            w.family(Name.consoleState, help: "What the domain's console shows, by the screen rules (value is always 1; state and severity in labels).", type: .gauge)
            for i in screened {
                let s = rows[i].screen!
                w.sample(Name.consoleState, PrometheusTextWriter.labelSet([
                    ("host", rows[i].hostName), ("domain", rows[i].sample.name), ("uuid", rows[i].sample.key.uuid),
                    ("state", s.state.name), ("severity", s.state.severity.description),
                ]), 1)
            }
            w.family(Name.consoleUnchanged, help: "Seconds since the domain's screen last changed (as last seen).", type: .gauge)
            for i in screened { w.sample(Name.consoleUnchanged, domainLabels[i], rows[i].screen!.secondsSinceChange(at: now).rounded()) }
            w.family(Name.consoleSeen, help: "Seconds since the domain's screen was last looked at.", type: .gauge)
            for i in screened { w.sample(Name.consoleSeen, domainLabels[i], max(0, now.timeIntervalSince(rows[i].screen!.seenAt)).rounded()) }
        }
        w.family(Name.snapshotTime, help: "When FleetTUI assembled the snapshot served here (Unix time, seconds).", type: .gauge)
        w.sample(Name.snapshotTime, "", snap.time.timeIntervalSince1970)
        return w.bytes
    }
}

extension HostStatus {
    /// Up or merely slow: the last refresh answered.
    fileprivate var isAnswering: Bool { state == .up || state == .slow }
}

extension DomainState {
    /// The raw `virDomainState` value (inverse of `init(libvirtValue:)`).
    fileprivate var exportedStateCode: Int {
        switch self {
        case .nostate: return 0
        case .running: return 1
        case .blocked: return 2
        case .paused: return 3
        case .shutdown: return 4
        case .shutoff: return 5
        case .crashed: return 6
        case .pmsuspended: return 7
        }
    }
}
