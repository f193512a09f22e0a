import CollectorsCore
import Foundation
import FleetCore
import CLibvirtShims
import Synchronization

/// Collects one host on its own thread, so a host whose calls hang never delays another host or
/// the screen. Owns the host's read-only connection: opens it, reconnects with backoff after a drop,
/// listens to lifecycle events (an event triggers an early refresh), and hands every refresh's
/// status and rows to `publish`.
final class HostCollector: Sendable {
    let config: HostConfig
    let index: Int
    fileprivate let publish: @Sendable (Int, HostStatus, [DomainRow]) -> Void

    /// What other threads (libvirt's events, the fleet) share with the collector thread: only under the lock.
    fileprivate struct Shared {
        var stopped = false
        var wakeRequested = false
        var connectionLost: String?
        var invalidatedXML: Set<String> = []
        var intervalSeconds: Double
        /// Monotonic start of the refresh under way, nil when idle (read by the fleet's watchdog).
        var inFlightSince: UInt64?
        /// What the consumer shows (issue 15); `demandChanged` until the collector thread has looked at it.
        var demand = FleetDemand.everything
        var demandChanged = false
    }
    fileprivate let shared: Mutex<Shared>
    /// Signalled when `shared` changes in a way the sleeping collector thread must see (stop, wake, a lost
    /// connection): the sleep ends early and the thread looks again.
    private let wakeups = DispatchSemaphore(value: 0)
    private let useBulkStats: Bool

    init(config: HostConfig, index: Int, interval: Double, useBulkStats: Bool = true,
         publish: @escaping @Sendable (Int, HostStatus, [DomainRow]) -> Void) {
        self.config = config; self.index = index; self.publish = publish
        self.useBulkStats = useBulkStats
        shared = Mutex(Shared(intervalSeconds: interval))
    }

    func start() {
        let t = Thread { [self] in
            let worker = CollectorThread(self, useBulkStats: useBulkStats)
            worker.run()
        }
        t.name = "collector \(config.name)"
        t.stackSize = 1 << 20
        t.start()
    }

    func stop() {
        shared.withLock { $0.stopped = true }
        wakeups.signal()
    }

    func setInterval(_ s: Double) {
        shared.withLock { $0.intervalSeconds = s }
    }

    /// The consumer's demand changed: the collector thread reads at once what it now asks and was not read.
    func setDemand(_ d: FleetDemand) {
        let changed = shared.withLock { s in
            guard s.demand != d else { return false }
            s.demand = d
            s.demandChanged = true
            return true
        }
        if changed { wakeups.signal() }
    }

    fileprivate var demand: FleetDemand { shared.withLock { $0.demand } }

    /// Refresh now instead of at the next tick (a lifecycle event, or a user request).
    func wake() {
        shared.withLock { $0.wakeRequested = true }
        wakeups.signal()
    }

    /// Seconds the current refresh has been running, nil when idle.
    func inFlightSeconds() -> Double? {
        shared.withLock { $0.inFlightSince }.map { MonotonicClock.seconds(since: $0) }
    }

    var interval: Double { shared.withLock { $0.intervalSeconds } }

    fileprivate var isStopped: Bool { shared.withLock { $0.stopped } }

    fileprivate func setInFlight(_ v: UInt64?) { shared.withLock { $0.inFlightSince = v } }

    fileprivate enum WakeReason { case deadline, wake, demand }

    /// Sleeps until `deadline`, a wake request, a lost connection, stop (`.wake`) or a new demand (`.demand`).
    fileprivate func waitUntil(_ deadline: DispatchTime) -> WakeReason {
        while true {
            let why: WakeReason? = shared.withLock { s in
                if s.stopped || s.wakeRequested || s.connectionLost != nil {
                    // The refresh that follows reads the newest demand.
                    s.wakeRequested = false; s.demandChanged = false
                    return .wake
                }
                if s.demandChanged { s.demandChanged = false; return .demand }
                return nil
            }
            if let why { return why }
            if wakeups.wait(timeout: deadline) == .timedOut { return .deadline }
        }
    }

    /// Sleeps until the deadline, a wake request, a lost connection or stop.
    fileprivate func waitFor(seconds: Double) {
        let deadline = DispatchTime.now() + seconds
        while true {
            let done = shared.withLock { s in s.stopped || s.wakeRequested || s.connectionLost != nil }
            if done || wakeups.wait(timeout: deadline) == .timedOut { break }
        }
        shared.withLock { $0.wakeRequested = false }
    }

    /// libvirt closed the connection underneath us (its event thread).
    fileprivate func lost(_ why: String) {
        shared.withLock { s in if s.connectionLost == nil { s.connectionLost = why } }
        wakeups.signal()
    }

    /// A domain was defined, started, stopped…: its XML is read again, and the host refreshed now.
    fileprivate func lifecycle(_ ev: LifecycleEvent) {
        shared.withLock { s in
            s.invalidatedXML.insert(ev.uuid)
            s.wakeRequested = true
        }
        wakeups.signal()
    }
}

/// The collector thread's own state (the connection, the last status and rows, what is known of the domains):
/// only that thread ever has it, so none of it needs a lock.
private final class CollectorThread {
    private let collector: HostCollector
    private var config: HostConfig { collector.config }
    private var index: Int { collector.index }
    private var interval: Double { collector.interval }
    private var connection: Connection?
    private var status: HostStatus
    private var rows: [DomainRow] = []
    private var state = HostReadState()
    private var backoff: Double = 1

    init(_ collector: HostCollector, useBulkStats: Bool) {
        self.collector = collector
        state.useBulkStats = useBulkStats
        status = HostStatus(config: collector.config, state: .connecting)
    }

    func run() {
        while !collector.isStopped {
            if connection == nil && !connect() {
                collector.waitFor(seconds: backoff)
                backoff = min(backoff * 2, 30)
                continue
            }
            let started = MonotonicClock.now()
            collector.setInFlight(started)
            refreshOnce()
            collector.setInFlight(nil)
            var deadline = DispatchTime.now() + max(0.05, interval - MonotonicClock.seconds(since: started))
            // A row on screen whose value is not current yet (just read for the first time, or after a long while)
            // gets its next reading within a second.
            if state.shownHeld { deadline = min(deadline, DispatchTime.now() + min(interval, 1.0)) }
            // Between ticks: a demand that asks for more (scrolling, a sort key, the detail view) is read at once,
            // and the next refresh comes at most a second later (what was just read needs a second reading for
            // its rates).
            wait: while collector.waitUntil(deadline) == .demand {
                switch fillIfNeeded() {
                case .none: continue
                case .filled: deadline = min(deadline, DispatchTime.now() + min(interval, 1.0))
                case .full: break wait
                }
            }
        }
        connection?.close()
        connection = nil
    }

    private func publish(_ index: Int, _ status: HostStatus, _ rows: [DomainRow]) { collector.publish(index, status, rows) }

    private enum FillOutcome { case none, filled, full }

    /// Reads what the new demand asks and the last refresh did not; `.full` when every domain needs a new group
    /// (a new sort key: the caller refreshes the host now).
    private func fillIfNeeded() -> FillOutcome {
        guard let c = connection, state.bulkSupported != nil else { return .none }
        let d = collector.demand.forHost(config.id)
        switch StatsPlanner.fill(d, everyRead: state.everyRead, readSince: state.readSince, active: state.active) {
        case .none: return .none
        case .full: return .full
        case .domains(let need):
            let t0 = MonotonicClock.now()
            collector.setInFlight(t0)
            defer { collector.setInFlight(nil) }
            do {
                let result = try state.fill(c, need: need, host: config, hostMemoryKiB: status.memoryKiB,
                                            hostCPUs: status.cpus, interval: interval)
                CollectLog.write(host: config.name, kind: "fill", seconds: MonotonicClock.seconds(since: t0),
                                 calls: result.calls, entries: result.log)
                rows = result.rows
                publish(index, status, rows)
                return .filled
            } catch let e as LibvirtError where e.isConnectionLost || !c.isAlive {
                drop(c, reason: e.message)
                return .none
            } catch {
                return .none   // the next refresh reads it
            }
        }
    }

    private func connect() -> Bool {
        do {
            let c = try Connection.open(config.uri.isEmpty ? nil : config.uri, readOnly: true)
            // Keepalive (remote hosts only): a silent host is declared gone after ~3 missed pings.
            c.setKeepAlive(interval: 2, count: 3)
            try? c.onClose { [weak collector] reason in collector?.lost(reason.text) }
            try? c.onLifecycle { [weak collector] ev in collector?.lifecycle(ev) }
            state.hostFacts(from: c, into: &status)
            collector.shared.withLock { $0.connectionLost = nil }
            connection = c
            backoff = 1
            return true
        } catch {
            markDown(reason: Sanitize.oneLine(String(describing: error)))
            return false
        }
    }

    private func refreshOnce() {
        guard let c = connection else { return }
        let (lostReason, invalid) = collector.shared.withLock { s in
            defer { s.invalidatedXML.removeAll() }
            return (s.connectionLost, s.invalidatedXML)
        }
        if let lostReason { drop(c, reason: lostReason); return }
        state.invalidate(invalid)

        let t0 = MonotonicClock.now()
        do {
            let result = try state.refresh(c, host: config, hostMemoryKiB: status.memoryKiB, hostCPUs: status.cpus,
                                           demand: collector.demand.forHost(config.id), interval: interval)
            let latency = MonotonicClock.seconds(since: t0)
            CollectLog.write(host: config.name, kind: "refresh", seconds: latency, calls: result.calls, entries: result.log)
            var st = status
            state.hostLoad(from: c, into: &st)
            st.refreshLatency = latency
            st.callsLastRefresh = result.calls
            st.bulkStats = state.bulkSupported
            st.refreshCount += 1
            st.everConnected = true
            st.lastError = nil
            let newState: ConnectionState = latency > interval ? .slow : .up
            if st.state != newState { st.state = newState; st.since = Date() }
            status = st
            rows = result.rows
            // A large refresh (hundreds of domain XMLs, or of RPC replies on the per-domain path) leaves
            // the heap full of freed buffers that glibc keeps: hand them back before the next one
            // (2000 domains a host: ~30 MiB of 112 MiB resident). Costs a few ms on this thread only.
            if result.xmlReads >= 100 || result.calls >= 500 || result.rows.count >= 500 { fleet_malloc_trim() }
            publish(index, status, rows)
        } catch let e as LibvirtError {
            if e.isConnectionLost || !c.isAlive {
                drop(c, reason: e.message)
            } else {
                // The host answers but the listing failed: report it, keep the connection.
                status.lastError = e.message
                status.refreshCount += 1
                publish(index, status, rows)
            }
        } catch {
            drop(c, reason: Sanitize.oneLine(String(describing: error)))
        }
    }

    private func drop(_ c: Connection, reason: String) {
        c.close()
        connection = nil
        markDown(reason: reason)
    }

    /// Host unreachable: keep its domains, marked stale with no rates (old rates are not current).
    private func markDown(reason: String) {
        if status.state != .down { status.state = .down; status.since = Date() }
        status.lastError = reason
        status.refreshLatency = nil
        status.pcpuPercent = nil
        status.refreshCount += 1
        for k in rows.indices {
            rows[k].stale = true
            rows[k].rates = DomainRates()
        }
        publish(index, status, rows)
    }
}

/// FLEETTUI_COLLECT_LOG=FILE: one line per refresh and per fill of each host — the stats calls made (groups and
/// number of domains). For benchmarks and tests; costs nothing when unset.
enum CollectLog {
    private static let handle: Mutex<FileHandle?> = Mutex({
        guard let path = ProcessInfo.processInfo.environment["FLEETTUI_COLLECT_LOG"], !path.isEmpty else { return nil }
        return OutputFile.open(path, append: true)
    }())

    static func write(host: String, kind: String, seconds: Double, calls: Int, entries: [String]) {
        let line = "\(Sanitize.oneLine(host)) \(kind) ms=\(Int((seconds * 1000).rounded())) calls=\(calls) \(entries.map { "[\($0)]" }.joined(separator: " "))\n"
        handle.withLock { $0?.write(Data(line.utf8)) }
    }
}
