/// What a consumer of the fleet shows, so that collectors read only that (issue 15): libvirt's stats groups
/// cost the daemon very different amounts (state ~0, cpu-total little; balloon, vcpu, interface and above all
/// block cost QEMU monitor queries per domain), and a 24-line terminal shows about 20 domains.

/// The stats groups of libvirt's bulk call (VIR_DOMAIN_STATS_*), as plain Swift, plus what each needs on the
/// per-domain path (state/cpu: virDomainGetInfo; balloon: virDomainMemoryStats; block: virDomainBlockStats per
/// disk; interface: virDomainInterfaceStats per NIC).
public struct StatGroups: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let state = StatGroups(rawValue: 1 << 0)
    public static let cpu = StatGroups(rawValue: 1 << 1)
    public static let balloon = StatGroups(rawValue: 1 << 2)
    public static let vcpu = StatGroups(rawValue: 1 << 3)
    public static let block = StatGroups(rawValue: 1 << 4)
    public static let interface = StatGroups(rawValue: 1 << 5)

    /// Read for every domain on every refresh: cheap in the daemon (no QEMU monitor query).
    public static let cheap: StatGroups = [.state, .cpu]
    /// A QEMU monitor query (or a per-device call) per domain: read only for what is shown.
    public static let expensive: StatGroups = [.balloon, .vcpu, .block, .interface]
    /// Everything the monitor, batch output and the exporter can show. vCPU counts come from the domain XML:
    /// the vcpu group (per-vCPU times) is never needed.
    public static let all: StatGroups = [.state, .cpu, .balloon, .block, .interface]

    public var description: String {
        let names: [(StatGroups, String)] = [(.state, "state"), (.cpu, "cpu-total"), (.balloon, "balloon"), (.vcpu, "vcpu"),
                                             (.block, "block"), (.interface, "interface")]
        let parts = names.filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }
}

/// What a fleet source's consumer shows, told to the source (`FleetSource.setDemand`) whenever it changes:
/// the groups every domain needs each refresh (sorting, filtering, header totals, batch columns, exported
/// families), and the domains shown in detail (rows on screen, the selection, the detail view) with the groups
/// those need. The collectors act on it on their own threads: a demand that asks for something not read yet
/// makes them read it at once, not at the next tick.
public struct FleetDemand: Sendable, Hashable {
    /// Groups read for every domain on every refresh. `.state` is always read.
    public var everyDomain: StatGroups
    /// Groups read, on every refresh, for the domains in `shown`.
    public var shownGroups: StatGroups
    /// Domains shown in detail: rows on screen, the selected domain, the detail view's domain.
    public var shown: Set<DomainKey>
    /// Paused domains that are not shown are re-read every `StatsPlanner.pausedEvery` seconds instead of every
    /// refresh (their vCPUs do not run; their IO is drained). For a screen, not for batch rows or metrics.
    public var slowPaused: Bool

    public init(everyDomain: StatGroups, shownGroups: StatGroups = [], shown: Set<DomainKey> = [], slowPaused: Bool = false) {
        self.everyDomain = everyDomain.union(.state)
        self.shownGroups = shownGroups
        self.shown = shown
        self.slowPaused = slowPaused
    }

    /// Every group for every domain: what a consumer that says nothing gets (and batch/export with every column).
    public static let everything = FleetDemand(everyDomain: .all)

    /// The groups domain `key` needs this refresh.
    @inline(__always) public func groups(for key: DomainKey) -> StatGroups {
        shown.contains(key) ? everyDomain.union(shownGroups) : everyDomain
    }

    /// Does `self` ask anything of `key` that `other` did not?
    public func asksMore(than other: FleetDemand, for key: DomainKey) -> Bool {
        !groups(for: key).isSubset(of: other.groups(for: key))
    }

    /// The demand restricted to one host's domains (what one host's collector acts on).
    public func forHost(_ hostID: String) -> FleetDemand {
        var d = self
        d.shown = shown.filter { $0.hostID == hostID }
        return d
    }
}

extension DomainColumn {
    /// The stats groups this column's values come from (on every driver path).
    public var statGroups: StatGroups {
        switch self {
        case .host, .id, .name, .state, .virt, .uuid, .vcpu: return .state   // virt and vCPUs: the domain XML
        case .screen: return .state                                          // the screen sampler's, not libvirt's
        case .cpu, .time: return .cpu
        case .mem, .memPercent: return .balloon
        case .rd, .wr, .rdrq, .wrrq: return .block
        case .rx, .tx: return .interface
        }
    }

    /// The groups a set of columns needs.
    public static func statGroups<S: Sequence>(_ columns: S) -> StatGroups where S.Element == DomainColumn {
        columns.reduce(into: StatGroups.state) { $0.formUnion($1.statGroups) }
    }
}
