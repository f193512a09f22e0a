/// The one PromQL expression that fetches a whole fleet in one instant query: current values of
/// the libvirt/FleetTUI series, `or` the per-second rates of the counters, computed by Prometheus.
///
/// `rate()` over a window, not `irate()`: when Prometheus scrapes faster than an exporter collects,
/// the last two samples are often the same reading and `irate()` says 0. Device counters are not
/// fetched raw: their rate series carry the device labels, which halves the series per refresh.
///
/// `rate()` drops the metric name, so each rate is tagged with a `fleettui_rate` label naming the
/// counter it came from; that also keeps the rates of different counters of one device apart
/// (without it `or` would keep only the first of two series with equal label sets).
public enum PromQLFleetQuery {
    /// Label that names the counter a rate series was computed from.
    public static let rateLabel = "fleettui_rate"

    /// Counters whose rates the table shows: CPU time, and every device counter of the table that has a rate.
    public static let rateCounters: [String] = [FleetMetrics.Name.cpuTime]
        + (Counters.disk + Counters.nic).compactMap { $0.rate == nil ? nil : $0.metric?.name }

    /// Current values: names shared by FleetTUI's exporter and Debian's prometheus-libvirt-exporter
    /// (kumina's names), plus FleetTUI's host/domain info series. The domain's counters come from the one counter
    /// table (Counters.domain), one series per sample field (the balloon's second name for the current memory is
    /// not fetched twice); state, vCPUs, the guest's used memory and the info series need more than a copy.
    public static let currentSelector: String = {
        typealias N = FleetMetrics.Name
        var fields: [PartialKeyPath<DomainSample>] = []
        var counters: [String] = []
        for c in Counters.domain {
            guard let m = c.metric, !fields.contains(c.field) else { continue }
            fields.append(c.field)
            counters.append(m.name)
        }
        let names = [N.up, N.stateCode, N.vcpus, N.memUsed, N.domainInfo] + counters
        return #"{__name__=~""# + names.joined(separator: "|") + #"|fleettui_host_[a-z_]+"}"#
    }()

    public static let defaultWindow = "1m"

    /// `window` is a PromQL duration covering several scrapes (rate() needs at least two samples).
    public static func expression(window: String = defaultWindow) -> String {
        var parts = [currentSelector]
        for counter in rateCounters {
            parts.append(#"label_replace(rate(\#(counter)[\#(window)]), "\#(rateLabel)", "\#(counter)", "", "")"#)
        }
        return parts.joined(separator: " or ")
    }

    /// Is `s` a PromQL duration such as 30s, 2m, 1h?
    public static func isDuration(_ s: String) -> Bool {
        guard let unit = s.last, "smhdwy".contains(unit), s.count > 1 else { return false }
        return s.dropLast().allSatisfy(\.isNumber)
    }
}
