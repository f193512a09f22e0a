import Foundation

/// An immutable picture of the whole fleet, handed from the collectors to the UI, batch output and
/// exporters. Built off the UI thread; the UI only reads it.
public struct FleetSnapshot: Sendable {
    /// Increases with every new snapshot; the UI redraws only when it changes.
    public var generation: UInt64
    /// Wall-clock time the snapshot was assembled.
    public var time: Date
    public var hosts: [HostStatus]
    public var domains: [DomainRow]
    /// Shown in the header, e.g. "demo fleet".
    public var label: String?

    public init(generation: UInt64, time: Date, hosts: [HostStatus], domains: [DomainRow], label: String? = nil) {
        self.generation = generation; self.time = time; self.hosts = hosts; self.domains = domains; self.label = label
    }

    public static let empty = FleetSnapshot(generation: 0, time: Date(timeIntervalSince1970: 0), hosts: [], domains: [])

    /// Totals for one host's rows.
    public func summary(ofHost hostID: String) -> HostSummary {
        var s = HostSummary()
        for row in domains where row.sample.key.hostID == hostID { s.add(row) }
        if let mem = hosts.first(where: { $0.config.id == hostID })?.memoryKiB, mem > 0 {
            s.overcommit = Double(s.memCommittedKiB) / Double(mem)
        }
        return s
    }

    /// Totals for the whole fleet.
    public var fleetSummary: HostSummary {
        var s = HostSummary()
        for row in domains { s.add(row) }
        let mem = hosts.compactMap(\.memoryKiB).reduce(0, +)
        if mem > 0 { s.overcommit = Double(s.memCommittedKiB) / Double(mem) }
        return s
    }
}

extension HostSummary {
    mutating func add(_ row: DomainRow) {
        domainsByState[row.sample.state, default: 0] += 1
        guard row.sample.state.isActive else { return }
        guestCPUPercent += row.rates.cpuPercent ?? 0
        memCommittedKiB += row.sample.memCurrentKiB ?? 0
        memMaximumKiB += row.sample.memMaximumKiB ?? 0
        vcpus += row.sample.vcpus ?? 0
    }
}

/// Where snapshots come from: libvirt collectors (Collectors.LibvirtFleet) or a Prometheus server.
/// Implementations do all their I/O on their own threads; `latest()` is cheap and thread-safe.
public protocol FleetSource: AnyObject, Sendable {
    /// Start collecting. `onUpdate` is called (from any thread) after each new snapshot.
    func start(onUpdate: @escaping @Sendable () -> Void)
    /// The newest snapshot (FleetSnapshot.empty before the first).
    func latest() -> FleetSnapshot
    /// Change the refresh interval (seconds).
    func setInterval(_ seconds: Double)
    /// Stop collecting and close connections. Idempotent.
    func stop()
}
