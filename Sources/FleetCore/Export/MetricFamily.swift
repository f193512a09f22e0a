/// The metric families `fleettui export --metrics` can serve, each with the libvirt stats group it reads (issue 15:
/// the exporter reads only what it serves). Whatever comes from the state group, the domain XML or the host is
/// always served: `libvirt_up`, `libvirt_domains_number`, `libvirt_domain_state_code`, `libvirt_domain_info_state`,
/// `libvirt_domain_info_virtual_cpus`, `fleettui_domain_info`, `fleettui_host_*`; the screens
/// (`fleettui_console_*`) have their own switch, `--no-screens`.
public enum MetricFamily: String, CaseIterable, Sendable, Hashable {
    /// `libvirt_domain_info_cpu_time_seconds_total` (cpu-total).
    case cpu
    /// `libvirt_domain_info_maximum_memory_bytes`, `libvirt_domain_info_memory_usage_bytes`,
    /// `libvirt_domain_memory_stats_*` (balloon).
    case memory
    /// `libvirt_domain_block_stats_*` (block).
    case block
    /// `libvirt_domain_interface_stats_*` (interface).
    case interface

    /// The stats group the family's values come from, on every driver path.
    public var statGroups: StatGroups {
        switch self {
        case .cpu: return .cpu
        case .memory: return .balloon
        case .block: return .block
        case .interface: return .interface
        }
    }

    /// The groups a set of families needs (state always: what every family's rows are keyed and labelled by).
    public static func statGroups<S: Sequence>(_ families: S) -> StatGroups where S.Element == MetricFamily {
        families.reduce(into: StatGroups.state) { $0.formUnion($1.statGroups) }
    }

    /// The family of a domain counter, by the libvirt group its bulk-stats key belongs to ("cpu.time" is the
    /// cpu-total group's, "balloon.current" the balloon group's); nil for none of them.
    public init?(domainStatsKey key: String) {
        if key.hasPrefix("cpu.") {
            self = .cpu
        } else if key.hasPrefix("balloon.") {
            self = .memory
        } else {
            return nil
        }
    }

    /// The names `--metrics` accepts, for help texts and error messages.
    public static var valueList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a comma-separated list ("cpu,memory"); unknown names are reported.
    public static func parseList(_ text: String) -> (families: Set<MetricFamily>, unknown: [String]) {
        let (families, unknown) = parseNameList(text) { MetricFamily(rawValue: $0) }
        return (Set(families), unknown)
    }
}
