import Foundation
import FleetCore
import Synchronization

/// A FleetSource that replays given snapshots, one per `advance()` (or all at once from the start), for running
/// the monitor loop in process with known data. It records what the loop asked of it.
public final class ScriptedFleetSource: FleetSource {
    private struct State {
        var snapshots: [FleetSnapshot]
        var index = 0
        var onUpdate: (@Sendable () -> Void)?
        var started = false
        var stopped = false
        var intervals: [Double] = []
    }
    private let state: Mutex<State>

    /// `snapshots` in order; the first is current from the start (FleetSnapshot.empty when there are none).
    public init(_ snapshots: [FleetSnapshot]) { state = Mutex(State(snapshots: snapshots)) }

    public func start(onUpdate: @escaping @Sendable () -> Void) {
        state.withLock { $0.onUpdate = onUpdate; $0.started = true }
        onUpdate()
    }

    public func latest() -> FleetSnapshot {
        state.withLock { s in s.snapshots.isEmpty ? .empty : s.snapshots[min(s.index, s.snapshots.count - 1)] }
    }

    public func setInterval(_ seconds: Double) { state.withLock { $0.intervals.append(seconds) } }

    public func stop() { state.withLock { $0.stopped = true } }

    /// The next snapshot becomes current and the loop is told, as a collector does after a refresh. False when
    /// there is none left.
    @discardableResult
    public func advance() -> Bool {
        let notify: (@Sendable () -> Void)?? = state.withLock { s in
            guard s.index + 1 < s.snapshots.count else { return .none }
            s.index += 1
            return .some(s.onUpdate)
        }
        guard case .some(let n) = notify else { return false }
        n?()
        return true
    }

    public var isStarted: Bool { state.withLock { $0.started } }
    public var isStopped: Bool { state.withLock { $0.stopped } }
    /// Every interval the loop set (the `d` key, the settings file).
    public var intervals: [Double] { state.withLock { $0.intervals } }
}
