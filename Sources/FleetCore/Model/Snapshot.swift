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
        var a = Accumulator()
        withUnsafePointer(to: row) { a.add($0) }
        a.merge(into: &self)
    }

    /// Sums rows without a dictionary update per row (states counted in a fixed array): the table sums
    /// a run of one host's rows here and merges the run once.
    struct Accumulator {
        private var byState = SIMD8<Int>.zero   // DomainState has 8 cases
        private var cpu = 0.0, mem: UInt64 = 0, memMax: UInt64 = 0, vcpus = 0, count = 0

        /// Through a pointer: the row's fields are read in place, never copied out (strings and all).
        @inline(__always) mutating func add(_ row: UnsafePointer<DomainRow>) {
            let state = row.pointee.sample.state
            byState[state.ordinal] += 1
            count += 1
            guard state.isActive else { return }
            cpu += row.pointee.rates.cpuPercent ?? 0
            mem += row.pointee.sample.memCurrentKiB ?? 0
            memMax += row.pointee.sample.memMaximumKiB ?? 0
            vcpus += row.pointee.sample.vcpus ?? 0
        }

        func merge(into summary: inout HostSummary) {
            guard count > 0 else { return }
            for (i, state) in DomainState.allCases.enumerated() where byState[i] > 0 {
                summary.domainsByState[state, default: 0] += byState[i]
            }
            summary.guestCPUPercent += cpu
            summary.memCommittedKiB += mem
            summary.memMaximumKiB += memMax
            summary.vcpus += vcpus
        }
    }
}

extension DomainState {
    /// Position in `allCases`, for arrays indexed by state.
    @inline(__always) var ordinal: Int {
        switch self {
        case .nostate: 0
        case .running: 1
        case .blocked: 2
        case .paused: 3
        case .shutdown: 4
        case .shutoff: 5
        case .crashed: 6
        case .pmsuspended: 7
        }
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
    /// What the consumer shows (issue 15): the source reads at least that, on its own threads, and at once when
    /// it asks for something not read yet. Never blocks. A source that is not told reads everything.
    func setDemand(_ demand: FleetDemand)
}

extension FleetSource {
    /// Sources that read everything anyway (Prometheus: one query) ignore the demand.
    public func setDemand(_ demand: FleetDemand) {}
}
