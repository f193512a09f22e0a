import CollectorsCore
import Foundation
import FleetCore

/// The fleet as libvirt sees it: one collector thread per host (read-only connection, bulk stats
/// where possible, per-domain fallback elsewhere), merged into immutable `FleetSnapshot`s.
/// `latest()` is a lock and a copy; snapshots only ever move forward in `generation`.
public final class LibvirtFleet: FleetSource, @unchecked Sendable {
    public let hosts: [HostConfig]
    public let label: String?

    private let lock = NSLock()
    private var collectors: [HostCollector] = []
    private var statuses: [HostStatus]
    private var rowsByHost: [[DomainRow]]
    private var snapshot = FleetSnapshot.empty
    private var generation: UInt64 = 0
    private var onUpdate: (@Sendable () -> Void)?
    private var started = false
    private var stopped = false
    private var interval: Double

    /// false only in tests: behave as on a driver without bulk stats (Xen's libxl).
    let useBulkStats: Bool

    public convenience init(hosts: [HostConfig], interval: Double, label: String? = nil) {
        self.init(hosts: hosts, interval: interval, label: label, useBulkStats: true)
    }

    init(hosts: [HostConfig], interval: Double, label: String?, useBulkStats: Bool) {
        self.useBulkStats = useBulkStats
        self.hosts = hosts
        self.label = label
        self.interval = max(0.1, interval)
        statuses = hosts.map { HostStatus(config: $0, state: .connecting) }
        rowsByHost = hosts.map { _ in [] }
        snapshot = FleetSnapshot(generation: 0, time: Date(), hosts: statuses, domains: [], label: label)
    }

    deinit { stop() }

    public func start(onUpdate: @escaping @Sendable () -> Void) {
        lock.lock()
        self.onUpdate = onUpdate
        let already = started
        started = true
        lock.unlock()
        if !already { begin() }
    }

    /// Starts the collectors without a listener yet (the factory checks that some host answers
    /// before the UI takes over). `start(onUpdate:)` afterwards only sets the listener.
    public func startCollecting() {
        lock.lock()
        let already = started
        started = true
        lock.unlock()
        if !already { begin() }
    }

    private func begin() {
        LibvirtRuntime.start()
        let made = hosts.enumerated().map { i, h in
            HostCollector(config: h, index: i, interval: interval, useBulkStats: useBulkStats) { [weak self] i, st, rows in
                self?.publish(host: i, status: st, rows: rows)
            }
        }
        lock.lock(); collectors = made; lock.unlock()
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

    public func latest() -> FleetSnapshot {
        lock.lock(); defer { lock.unlock() }
        return snapshot
    }

    public func setInterval(_ seconds: Double) {
        lock.lock()
        interval = max(0.1, seconds)
        let cs = collectors
        lock.unlock()
        cs.forEach { $0.setInterval(max(0.1, seconds)) }
    }

    /// Ask every host for a refresh now.
    public func refreshNow() {
        lock.lock(); let cs = collectors; lock.unlock()
        cs.forEach { $0.wake() }
    }

    public func stop() {
        lock.lock()
        stopped = true
        let cs = collectors
        lock.unlock()
        cs.forEach { $0.stop() }   // a collector stuck in a libvirt call finishes on its own
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func publish(host i: Int, status: HostStatus, rows: [DomainRow]) {
        lock.lock()
        statuses[i] = status
        rowsByHost[i] = rows
        rebuildLocked()
        let cb = onUpdate
        lock.unlock()
        cb?()
    }

    /// A refresh running longer than the interval marks its host "slow" right away (the collector
    /// itself cannot: it is the one waiting on the host).
    private func watchSlowHosts() {
        lock.lock()
        let cs = collectors
        let limit = max(interval, 1.0)
        lock.unlock()
        var changed = false
        for c in cs {
            guard let running = c.inFlightSeconds(), running > limit else { continue }
            lock.lock()
            if statuses[c.index].state == .up {
                statuses[c.index].state = .slow
                statuses[c.index].since = Date()
                statuses[c.index].lastError = "no answer for \(Int(running)) s"
                changed = true
            }
            lock.unlock()
        }
        if changed {
            lock.lock(); rebuildLocked(); let cb = onUpdate; lock.unlock()
            cb?()
        }
    }

    private func rebuildLocked() {
        generation += 1
        var all: [DomainRow] = []
        all.reserveCapacity(rowsByHost.reduce(0) { $0 + $1.count })
        for r in rowsByHost { all.append(contentsOf: r) }
        snapshot = FleetSnapshot(generation: generation, time: Date(), hosts: statuses, domains: all, label: label)
    }
}
