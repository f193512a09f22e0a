import DemoCore
import FleetCore
import Foundation
import Synchronization

/// The demo fleet's stats: `DemoWorld` refreshed on a thread every interval, handed out as snapshots like
/// LibvirtFleet's. The world is primed with a first reading a moment ago, so the first snapshot has rates.
public final class DemoFleetSource: FleetSource {
    private struct State {
        var world: DemoWorld
        var snapshot: FleetSnapshot
        var interval: Double
        var onUpdate: (@Sendable () -> Void)?
        var started = false
        var stopped = false
    }

    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    public let label: String

    init(specs: [DemoHostSpec], seed: UInt64, interval: Double, label: String) {
        self.label = label
        let now = Date().timeIntervalSince1970
        var world = DemoWorld(hosts: specs, seed: seed, start: now - 2)
        _ = world.refresh(at: now - 2)
        let (hosts, rows) = world.refresh(at: now)
        let snap = FleetSnapshot(generation: 1, time: Date(timeIntervalSince1970: now), hosts: hosts, domains: rows, label: label)
        state = Mutex(State(world: world, snapshot: snap, interval: max(0.1, interval)))
    }

    public func start(onUpdate: @escaping @Sendable () -> Void) {
        let first = state.withLock { s -> Bool in
            s.onUpdate = onUpdate
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        let t = Thread { [weak self] in self?.run() }
        t.name = "demo fleet"
        t.stackSize = 1 << 20
        t.start()
    }

    public func latest() -> FleetSnapshot { state.withLock { $0.snapshot } }

    public func setInterval(_ seconds: Double) {
        state.withLock { $0.interval = max(0.1, seconds) }
        wake.signal()
    }

    public func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    private func run() {
        while true {
            let (interval, stopped) = state.withLock { ($0.interval, $0.stopped) }
            if stopped { return }
            _ = wake.wait(timeout: .now() + interval)
            let started = Monotonic.now()
            let cb = state.withLock { s -> (@Sendable () -> Void)? in
                guard !s.stopped else { return nil }
                let now = Date().timeIntervalSince1970
                var (hosts, rows) = s.world.refresh(at: now)
                let took = Monotonic.now() - started
                for i in hosts.indices { hosts[i].refreshLatency = took }
                s.snapshot = FleetSnapshot(generation: s.snapshot.generation + 1, time: Date(timeIntervalSince1970: now),
                                           hosts: hosts, domains: rows, label: label)
                return s.onUpdate
            }
            cb?()
        }
    }
}
