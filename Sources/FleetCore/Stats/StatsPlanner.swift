/// Turns a host's demand into libvirt reads (pure: the collectors do the calls). Issue 15.
///
/// A refresh on the bulk path (QEMU) is one `virConnectGetAllDomainStats` for every domain with the groups
/// everyone needs (state, cpu-total, whatever the sort key needs), then — only when the shown domains need more
/// (balloon, block, interface) — one `virDomainListGetStats` for just those domains with just those groups.
/// On the per-domain path (test driver, Xen's libxl) the same demand decides which per-domain calls a domain gets.
/// When the demand grows between refreshes (scrolling, a new sort key, the detail view), `fill` says what to
/// read at once so that nothing shown waits for the next tick.
public enum StatsPlanner {
    /// One full refresh of one host on the bulk path.
    public struct Bulk: Sendable, Hashable {
        /// Groups of the call for every domain.
        public var all: StatGroups
        /// Groups the shown domains need beyond `all` (empty: no second call).
        public var shownExtra: StatGroups
    }

    public static func bulk(_ demand: FleetDemand) -> Bulk {
        let all = demand.everyDomain.union(.state)
        return Bulk(all: all, shownExtra: demand.shownGroups.subtracting(all))
    }

    /// How often a paused domain that is not shown is re-read when the demand says `slowPaused`, seconds
    /// (at least three refresh intervals).
    public static func pausedEvery(interval: Double) -> Double { max(10, 3 * interval) }

    /// The groups one domain must have this full refresh: nothing for an inactive domain; for a paused one that
    /// is not shown under `slowPaused`, only its state unless its last reading (`lastReadNs`) is older than
    /// `pausedEvery`; else what the demand asks of it.
    public static func wanted(_ demand: FleetDemand, key: DomainKey, state: DomainState, lastReadNs: UInt64?,
                              nowNs: UInt64, interval: Double) -> StatGroups {
        guard state.isActive else { return .state }
        let shown = demand.shown.contains(key)
        if demand.slowPaused && state == .paused && !shown, let last = lastReadNs, nowNs >= last,
           Double(nowNs - last) / 1e9 < pausedEvery(interval: interval) {
            return .state
        }
        return demand.groups(for: key)
    }

    /// The domains of the second call: active (an inactive domain has no counters) and shown, in host order.
    public static func shownActive(_ demand: FleetDemand, domains: [(key: DomainKey, state: DomainState)]) -> [DomainKey] {
        guard !demand.shown.isEmpty else { return [] }
        return domains.compactMap { $0.state.isActive && demand.shown.contains($0.key) ? $0.key : nil }
    }

    /// Per-domain path: the groups domain `key` gets calls for this refresh. State and CPU come from one
    /// virDomainGetInfo (which also gives memory); an inactive domain gets nothing more.
    public static func perDomain(_ demand: FleetDemand, key: DomainKey, active: Bool) -> StatGroups {
        active ? demand.groups(for: key).union(.cheap) : .state
    }

    /// What to read now after the demand changed.
    public enum Fill: Sendable, Hashable {
        /// Everything shown is already current.
        case none
        /// Every domain needs a group the last refresh did not read (a new sort key): refresh the host now.
        case full
        /// These domains need these groups (read with one call for all of them on the bulk path).
        case domains([DomainKey: StatGroups])
    }

    /// - Parameters:
    ///   - demand: the new demand (this host's part).
    ///   - everyRead: the groups the last full refresh read for every domain.
    ///   - readSince: per domain, the groups read for it in the last full refresh and the fills after it (a
    ///     domain missing here read `everyRead`).
    ///   - active: the host's active domains (inactive ones have nothing to read).
    public static func fill(_ demand: FleetDemand, everyRead: StatGroups, readSince: [DomainKey: StatGroups],
                            active: Set<DomainKey>) -> Fill {
        if !demand.everyDomain.union(.state).isSubset(of: everyRead) { return .full }
        var need: [DomainKey: StatGroups] = [:]
        for key in demand.shown where active.contains(key) {
            let have = readSince[key] ?? everyRead
            let missing = demand.groups(for: key).subtracting(have)
            if !missing.isEmpty { need[key] = missing }
        }
        return need.isEmpty ? .none : .domains(need)
    }

    /// The union of the groups a fill reads (one call on the bulk path asks every domain of it for all of them).
    public static func groups(of need: [DomainKey: StatGroups]) -> StatGroups {
        need.values.reduce(into: StatGroups()) { $0.formUnion($1) }
    }
}
