import Foundation

/// A host of the fleet as configured: from `-c URI`, a fleet file, or the default.
public struct HostConfig: Sendable, Hashable, Codable {
    /// Stable id used in DomainKey; defaults to the name.
    public var id: String
    public var name: String
    public var uri: String
    public var group: String?

    public init(id: String? = nil, name: String, uri: String, group: String? = nil) {
        self.id = id ?? name; self.name = name; self.uri = uri; self.group = group
    }
}

/// A host's connection as the collector sees it.
public enum ConnectionState: String, Sendable, Codable {
    case connecting     // first attempt under way
    case up             // last refresh answered
    case slow           // a refresh is taking longer than the refresh interval
    case down           // connection lost or refused; reconnecting with backoff
}

/// What a host said about itself, plus the collector's view of the connection.
public struct HostStatus: Sendable, Hashable {
    public var config: HostConfig
    public var state: ConnectionState
    /// Since when `state` holds (wall clock, for display).
    public var since: Date
    /// One line, no control characters: why the host is down or slow.
    public var lastError: String?
    public var hypervisor: String?      // virConnectGetType: "QEMU", "Xen", "LIBXL", "TEST"
    public var hypervisorVersion: String?
    public var libvirtVersion: String?
    public var hostname: String?
    public var cpus: Int?               // physical CPUs (nodeinfo)
    public var cpuModel: String?
    public var cpuMHz: Int?
    public var memoryKiB: UInt64?       // physical memory
    public var freeMemoryKiB: UInt64?
    /// Busy % of each physical CPU over the last interval (virNodeGetCPUStats deltas); nil if unknown
    /// (collected on hosts with up to 16 CPUs: one call per CPU).
    public var pcpuPercent: [Double]?
    /// Busy % of the whole host over the last interval (one virNodeGetCPUStats call); nil if unknown.
    public var cpuBusyPercent: Double?
    /// Wall time of the last refresh round trip(s), seconds.
    public var refreshLatency: Double?
    /// libvirt calls made for the last refresh (bulk path: 1).
    public var callsLastRefresh: Int?
    /// Whether this host answers the bulk stats call (virConnectGetAllDomainStats).
    public var bulkStats: Bool?
    /// Host-level libvirt calls of the last refresh (free memory, physical CPU times), not in
    /// `callsLastRefresh`, which counts the domain calls (bulk stats, per-domain fallback, XML reads).
    public var hostCallsLastRefresh: Int?
    /// Refreshes completed since start (batch mode waits on it; 0 = no data yet).
    public var refreshCount: UInt64 = 0
    /// Whether the host ever answered since start (a host that never did is a "cannot open").
    public var everConnected: Bool = false

    public init(config: HostConfig, state: ConnectionState, since: Date = Date()) {
        self.config = config; self.state = state; self.since = since
    }
}

/// Per-host totals, derived from a host's rows (see `FleetSnapshot.summary(of:)`).
public struct HostSummary: Sendable, Hashable {
    public var domainsByState: [DomainState: Int] = [:]
    public var guestCPUPercent: Double = 0          // sum of domains' %CPU of this host
    public var memCommittedKiB: UInt64 = 0          // sum of running domains' current memory
    public var memMaximumKiB: UInt64 = 0            // sum of running domains' maximum memory
    public var vcpus: Int = 0
    /// Committed memory / physical memory; nil when physical memory is unknown.
    public var overcommit: Double?
    public init() {}
}
