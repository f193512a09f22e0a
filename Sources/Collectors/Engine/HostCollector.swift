import CollectorsCore
import Foundation
import FleetCore
import CLibvirtShims

/// Collects one host on its own thread, so a host whose calls hang never delays another host or
/// the screen. Owns the host's read-only connection: opens it, reconnects with backoff after a drop,
/// listens to lifecycle events (an event triggers an early refresh), and hands every refresh's
/// status and rows to `publish`.
final class HostCollector: @unchecked Sendable {
    let config: HostConfig
    let index: Int
    private let publish: @Sendable (Int, HostStatus, [DomainRow]) -> Void

    // Shared with other threads (events, the fleet): guarded by `cond`.
    private let cond = NSCondition()
    private var stopped = false
    private var wakeRequested = false
    private var connectionLost: String?
    private var invalidatedXML: Set<String> = []
    private var intervalSeconds: Double
    /// Monotonic start of the refresh under way, nil when idle (read by the fleet's watchdog).
    private var inFlightSince: UInt64?

    // Only the collector thread touches these.
    private var connection: Connection?
    private var status: HostStatus
    private var rows: [DomainRow] = []
    private var state = HostReadState()
    private var backoff: Double = 1

    init(config: HostConfig, index: Int, interval: Double, useBulkStats: Bool = true,
         publish: @escaping @Sendable (Int, HostStatus, [DomainRow]) -> Void) {
        self.config = config; self.index = index; self.intervalSeconds = interval; self.publish = publish
        state.useBulkStats = useBulkStats
        status = HostStatus(config: config, state: .connecting)
    }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "collector \(config.name)"
        t.stackSize = 1 << 20
        t.start()
    }

    func stop() {
        cond.lock(); stopped = true; cond.broadcast(); cond.unlock()
    }

    func setInterval(_ s: Double) {
        cond.lock(); intervalSeconds = s; cond.unlock()
    }

    /// Refresh now instead of at the next tick (a lifecycle event, or a user request).
    func wake() {
        cond.lock(); wakeRequested = true; cond.broadcast(); cond.unlock()
    }

    /// Seconds the current refresh has been running, nil when idle.
    func inFlightSeconds() -> Double? {
        cond.lock(); defer { cond.unlock() }
        return inFlightSince.map { MonotonicClock.seconds(since: $0) }
    }

    var interval: Double { cond.lock(); defer { cond.unlock() }; return intervalSeconds }

    // MARK: the collector thread

    private func run() {
        while !isStopped {
            if connection == nil && !connect() {
                waitFor(seconds: backoff)
                backoff = min(backoff * 2, 30)
                continue
            }
            let started = MonotonicClock.now()
            setInFlight(started)
            refreshOnce()
            setInFlight(nil)
            let elapsed = MonotonicClock.seconds(since: started)
            waitFor(seconds: max(0.05, interval - elapsed))
        }
        connection?.close()
        connection = nil
    }

    private var isStopped: Bool { cond.lock(); defer { cond.unlock() }; return stopped }

    private func setInFlight(_ v: UInt64?) { cond.lock(); inFlightSince = v; cond.unlock() }

    /// Sleeps until the deadline, a wake request, a lost connection or stop.
    private func waitFor(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        cond.lock()
        while !stopped && !wakeRequested && connectionLost == nil {
            if !cond.wait(until: deadline) { break }
        }
        wakeRequested = false
        cond.unlock()
    }

    private func connect() -> Bool {
        do {
            let c = try Connection.open(config.uri.isEmpty ? nil : config.uri, readOnly: true)
            // Keepalive (remote hosts only): a silent host is declared gone after ~3 missed pings.
            c.setKeepAlive(interval: 2, count: 3)
            try? c.onClose { [weak self] reason in self?.lost(reason.text) }
            try? c.onLifecycle { [weak self] ev in self?.lifecycle(ev) }
            state.hostFacts(from: c, into: &status)
            cond.lock(); connectionLost = nil; cond.unlock()
            connection = c
            backoff = 1
            return true
        } catch {
            markDown(reason: Sanitize.oneLine(String(describing: error)))
            return false
        }
    }

    private func lost(_ why: String) {
        cond.lock(); if connectionLost == nil { connectionLost = why }; cond.broadcast(); cond.unlock()
    }

    private func lifecycle(_ ev: LifecycleEvent) {
        cond.lock()
        invalidatedXML.insert(ev.uuid)
        wakeRequested = true
        cond.broadcast()
        cond.unlock()
    }

    private func refreshOnce() {
        guard let c = connection else { return }
        cond.lock()
        let lostReason = connectionLost
        let invalid = invalidatedXML
        invalidatedXML.removeAll()
        cond.unlock()
        if let lostReason { drop(c, reason: lostReason); return }
        state.invalidate(invalid)

        let t0 = MonotonicClock.now()
        do {
            let result = try state.refresh(c, host: config, hostMemoryKiB: status.memoryKiB, hostCPUs: status.cpus)
            let latency = MonotonicClock.seconds(since: t0)
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
