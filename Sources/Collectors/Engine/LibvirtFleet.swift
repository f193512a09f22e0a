import CollectorsCore
import Foundation
import FleetCore
import Synchronization

/// The fleet as libvirt sees it: one collector thread per host (read-only connection, bulk stats
/// where possible, per-domain fallback elsewhere), merged into immutable `FleetSnapshot`s.
/// `latest()` is a lock and a copy; snapshots only ever move forward in `generation`.
public final class LibvirtFleet: FleetSource, Sendable {
    public let hosts: [HostConfig]
    public let label: String?

    /// Everything the collector threads, the watchdog and the UI share: only under the lock.
    private struct State {
        var collectors: [HostCollector] = []
        var statuses: [HostStatus]
        var rowsByHost: [[DomainRow]]
        var snapshot: FleetSnapshot
        var generation: UInt64 = 0
        var onUpdate: (@Sendable () -> Void)?
        var started = false
        var stopped = false
        var interval: Double
        let label: String?
        /// The consumer's demand (issue 15); collectors made later start with it.
        var demand: FleetDemand?

        /// A new snapshot from every host's latest status and rows (one more generation).
        mutating func rebuild() {
            generation += 1
            var all: [DomainRow] = []
            all.reserveCapacity(rowsByHost.reduce(0) { $0 + $1.count })
            for r in rowsByHost { all.append(contentsOf: r) }
            snapshot = FleetSnapshot(generation: generation, time: Date(), hosts: statuses, domains: all, label: label)
        }
    }
    private let state: Mutex<State>

    /// false only in tests: behave as on a driver without bulk stats (Xen's libxl).
    let useBulkStats: Bool

    public convenience init(hosts: [HostConfig], interval: Double, label: String? = nil) {
        self.init(hosts: hosts, interval: interval, label: label, useBulkStats: true)
    }

    init(hosts: [HostConfig], interval: Double, label: String?, useBulkStats: Bool) {
        self.useBulkStats = useBulkStats
        self.hosts = hosts
        self.label = label
        let statuses = hosts.map { HostStatus(config: $0, state: .connecting) }
        state = Mutex(State(statuses: statuses, rowsByHost: hosts.map { _ in [] },
                            snapshot: FleetSnapshot(generation: 0, time: Date(), hosts: statuses, domains: [], label: label),
                            interval: max(0.1, interval), label: label))
    }

    deinit { stop() }

    public func start(onUpdate: @escaping @Sendable () -> Void) {
        let already = state.withLock { s in
            s.onUpdate = onUpdate
            defer { s.started = true }
            return s.started
        }
        if !already { begin() }
    }

    /// Starts the collectors without a listener yet (the factory checks that some host answers
    /// before the UI takes over). `start(onUpdate:)` afterwards only sets the listener.
    public func startCollecting() {
        let already = state.withLock { s in
            defer { s.started = true }
            return s.started
        }
        if !already { begin() }
    }

    private func begin() {
        LibvirtRuntime.start()
        let interval = state.withLock { $0.interval }
        let made = hosts.enumerated().map { i, h in
            HostCollector(config: h, index: i, interval: interval, useBulkStats: useBulkStats) { [weak self] i, st, rows in
                self?.publish(host: i, status: st, rows: rows)
            }
        }
        let demand = state.withLock { s in s.collectors = made; return s.demand }
        if let demand { made.forEach { $0.setDemand(demand) } }
        made.forEach { $0.start() }
        let w = Thread { [weak self] in
            while let s = self, !s.isStopped {
                s.watchSlowHosts()
                Thread.sleep(forTimeInterval: 0.25)
            }
        }
        w.name = "collector watchdog"
        w.stackSize = 256 << 10
        w.start()
    }

    public func latest() -> FleetSnapshot { state.withLock { $0.snapshot } }

    public func setInterval(_ seconds: Double) {
        let cs = state.withLock { s in
            s.interval = max(0.1, seconds)
            return s.collectors
        }
        cs.forEach { $0.setInterval(max(0.1, seconds)) }
    }

    /// What the consumer shows (issue 15). Only stores it and signals the collector threads, which read what it
    /// asks and was not read yet at once; never waits for a host.
    public func setDemand(_ demand: FleetDemand) {
        let cs = state.withLock { s in s.demand = demand; return s.collectors }
        cs.forEach { $0.setDemand(demand) }
    }

    /// Ask every host for a refresh now.
    public func refreshNow() {
        state.withLock { $0.collectors }.forEach { $0.wake() }
    }

    public func stop() {
        let cs = state.withLock { s in
            s.stopped = true
            return s.collectors
        }
        cs.forEach { $0.stop() }   // a collector stuck in a libvirt call finishes on its own
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func publish(host i: Int, status: HostStatus, rows: [DomainRow]) {
        let cb = state.withLock { s in
            s.statuses[i] = status
            s.rowsByHost[i] = rows
            s.rebuild()
            return s.onUpdate
        }
        cb?()
    }

    /// A refresh running longer than the interval marks its host "slow" right away (the collector
    /// itself cannot: it is the one waiting on the host).
    private func watchSlowHosts() {
        let (cs, limit) = state.withLock { ($0.collectors, max($0.interval, 1.0)) }
        let slow = cs.compactMap { c in c.inFlightSeconds().flatMap { $0 > limit ? (c.index, $0) : nil } }
        guard !slow.isEmpty else { return }
        let cb = state.withLock { s -> (@Sendable () -> Void)? in
            var changed = false
            for (i, running) in slow where s.statuses[i].state == .up {
                s.statuses[i].state = .slow
                s.statuses[i].since = Date()
                s.statuses[i].lastError = "no answer for \(Int(running)) s"
                changed = true
            }
            guard changed else { return nil }
            s.rebuild()
            return s.onUpdate
        }
        cb?()
    }
}
