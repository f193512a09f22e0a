/// Every counter FleetTUI reads from libvirt, serves to Prometheus and reads back from it, in one table: where it
/// lives in a sample, its key in a bulk-stats record (virConnectGetAllDomainStats), and its Prometheus metric. The
/// bulk-stats parser (CollectorsCore.BulkStats), the exporter (FleetMetrics) and the Prometheus source
/// (PromQLFleetQuery, PromQLFleetBuilder) all read it, so a counter added here is parsed, exported and read back.
public struct Counter<Root>: Sendable {
    /// Where the value lives (nil = unknown).
    public let field: WritableKeyPath<Root, UInt64?> & Sendable
    /// Its key in a bulk-stats record: "cpu.time", or for a device the part after "block.N." / "net.N.".
    public let statsKey: String
    /// Its Prometheus metric; nil when it is not exported.
    public let metric: Metric?
    /// The per-second rate the table shows, for device counters: the device's own (if it has one), and the
    /// domain's, which sums it over devices (and over rx and tx for errors and drops).
    public let rate: CounterRate?

    public struct Metric: Sendable {
        public let name: String
        public let type: PrometheusTextWriter.MetricType
        public let help: String
        /// Metric value = sample value × scale (nanoseconds → seconds, KiB → bytes).
        public let scale: Double
    }

    init(_ field: WritableKeyPath<Root, UInt64?> & Sendable, _ statsKey: String, _ metric: String? = nil,
         _ type: PrometheusTextWriter.MetricType = .counter, scale: Double = 1, help: String = "",
         rate: CounterRate? = nil) {
        self.field = field
        self.statsKey = statsKey
        self.metric = metric.map { Metric(name: $0, type: type, help: help, scale: scale) }
        self.rate = rate
    }

    /// The metric's value for `root` (nil when the counter or the metric is missing).
    public func metricValue(_ root: Root) -> Double? {
        guard let m = metric, let v = root[keyPath: field] else { return nil }
        return Double(v) * m.scale
    }

    /// Stores a metric's value back into `root` (the inverse of `metricValue`; negative or not finite: unknown).
    public func store(metricValue v: Double, into root: inout Root) {
        let x = v / (metric?.scale ?? 1)
        root[keyPath: field] = x.isFinite && x >= 0 ? UInt64(min(x, 1.8e19)) : nil
    }
}

/// Where a device counter's per-second rate goes: the device's own (if it has one) and the domain's sum.
public struct CounterRate: Sendable {
    public let device: (WritableKeyPath<DeviceRates, Double?> & Sendable)?
    public let domain: WritableKeyPath<DomainRates, Double?> & Sendable
}

public enum Counters {
    typealias N = FleetMetrics.Name

    /// A domain's own counters (besides state, vCPUs and guest-reported used memory, which need more than a copy).
    public static let domain: [Counter<DomainSample>] = [
        Counter(\.cpuTimeNs, "cpu.time", N.cpuTime, .counter, scale: 1e-9, help: "Amount of CPU time used by the domain, in seconds."),
        Counter(\.cpuUserNs, "cpu.user"),
        Counter(\.cpuSystemNs, "cpu.system"),
        Counter(\.memMaximumKiB, "balloon.maximum", N.maxMemory, .gauge, scale: 1024, help: "Maximum allowed memory of the domain, in bytes."),
        Counter(\.memCurrentKiB, "balloon.current", N.memoryUsage, .gauge, scale: 1024, help: "Memory usage of the domain, in bytes."),
        Counter(\.memCurrentKiB, "balloon.current", N.memBalloon, .gauge, scale: 1024, help: "Current balloon size of the domain, in bytes."),
        Counter(\.memRSSKiB, "balloon.rss", N.memRSS, .gauge, scale: 1024, help: "Resident set size of the domain's process on the host, in bytes."),
    ]

    /// Block devices ("block.N.…" in a bulk-stats record, `target_device` and `source_file` labels).
    public static let disk: [Counter<DeviceCounters>] = [
        Counter(\.rdBytes, "rd.bytes", N.blockReadBytes, help: "Number of bytes read from a block device, in bytes.",
                rate: CounterRate(device: \DeviceRates.rdBytesPerSec, domain: \DomainRates.rdBytesPerSec)),
        Counter(\.rdReqs, "rd.reqs", N.blockReadReqs, help: "Number of read requests from a block device.",
                rate: CounterRate(device: \DeviceRates.rdReqsPerSec, domain: \DomainRates.rdReqsPerSec)),
        Counter(\.wrBytes, "wr.bytes", N.blockWriteBytes, help: "Number of bytes written to a block device, in bytes.",
                rate: CounterRate(device: \DeviceRates.wrBytesPerSec, domain: \DomainRates.wrBytesPerSec)),
        Counter(\.wrReqs, "wr.reqs", N.blockWriteReqs, help: "Number of write requests to a block device.",
                rate: CounterRate(device: \DeviceRates.wrReqsPerSec, domain: \DomainRates.wrReqsPerSec)),
        Counter(\.capacity, "capacity", N.blockCapacity, .gauge, help: "Logical size of a block device, in bytes."),
        Counter(\.errors, "errors"),
        Counter(\.allocation, "allocation"),
    ]

    /// Network interfaces ("net.N.…", `target_device` and `source_bridge` labels). Errors and drops of both
    /// directions add up to the domain's one errors and one drops rate.
    public static let nic: [Counter<DeviceCounters>] = [
        Counter(\.rxBytes, "rx.bytes", N.netRxBytes, help: "Number of bytes received on a network interface, in bytes.",
                rate: CounterRate(device: \DeviceRates.rxBytesPerSec, domain: \DomainRates.rxBytesPerSec)),
        Counter(\.rxPkts, "rx.pkts", N.netRxPkts, help: "Number of packets received on a network interface.",
                rate: CounterRate(device: \DeviceRates.rxPktsPerSec, domain: \DomainRates.rxPktsPerSec)),
        Counter(\.rxErrs, "rx.errs", N.netRxErrs, help: "Number of packet receive errors on a network interface.",
                rate: CounterRate(device: nil, domain: \DomainRates.netErrsPerSec)),
        Counter(\.rxDrop, "rx.drop", N.netRxDrop, help: "Number of packet receive drops on a network interface.",
                rate: CounterRate(device: nil, domain: \DomainRates.netDropsPerSec)),
        Counter(\.txBytes, "tx.bytes", N.netTxBytes, help: "Number of bytes transmitted on a network interface, in bytes.",
                rate: CounterRate(device: \DeviceRates.txBytesPerSec, domain: \DomainRates.txBytesPerSec)),
        Counter(\.txPkts, "tx.pkts", N.netTxPkts, help: "Number of packets transmitted on a network interface.",
                rate: CounterRate(device: \DeviceRates.txPktsPerSec, domain: \DomainRates.txPktsPerSec)),
        Counter(\.txErrs, "tx.errs", N.netTxErrs, help: "Number of packet transmit errors on a network interface.",
                rate: CounterRate(device: nil, domain: \DomainRates.netErrsPerSec)),
        Counter(\.txDrop, "tx.drop", N.netTxDrop, help: "Number of packet transmit drops on a network interface.",
                rate: CounterRate(device: nil, domain: \DomainRates.netDropsPerSec)),
    ]

    /// Lookups by bulk-stats key and by metric name (built once).
    public static let domainByStatsKey = index(domain, by: \.statsKey)
    public static let diskByStatsKey = index(disk, by: \.statsKey)
    public static let nicByStatsKey = index(nic, by: \.statsKey)
    public static let domainByMetric = index(domain.filter { $0.metric != nil }, by: { $0.metric!.name })
    public static let diskByMetric = index(disk.filter { $0.metric != nil }, by: { $0.metric!.name })
    public static let nicByMetric = index(nic.filter { $0.metric != nil }, by: { $0.metric!.name })

    private static func index<R>(_ list: [Counter<R>], by key: (Counter<R>) -> String) -> [String: [Counter<R>]] {
        Dictionary(grouping: list, by: key)
    }
}
