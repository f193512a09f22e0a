import ConsoleBridge
import ConsoleCore
import Foundation
import Synchronization

/// Collects a session's events for tests.
final class SessionProbe: Sendable {
    private let events = Mutex<[VNCSessionEvent]>([])
    private let signal = DispatchSemaphore(value: 0)

    func record(_ e: VNCSessionEvent) {
        events.withLock { $0.append(e) }
        signal.signal()
    }

    var connected: (width: Int, height: Int, name: String)? {
        for e in events.withLock({ $0 }) { if case .connected(let w, let h, let n) = e { return (w, h, n) } }
        return nil
    }

    /// nil = not closed yet; .some(nil) = closed by us.
    var closed: VNCError?? {
        for e in events.withLock({ $0 }) { if case .closed(let err) = e { return .some(err) } }
        return nil
    }

    /// Waits until `condition` holds or `timeout` passes; returns whether it holds.
    func wait(timeout: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return false }
            _ = signal.wait(timeout: .now() + min(left, 0.05))
        }
        return true
    }
}

/// Starts a session and returns it with its probe.
func startSession(_ config: VNCSessionConfiguration) -> (VNCSession, SessionProbe) {
    let probe = SessionProbe()
    let s = VNCSession(configuration: config) { probe.record($0) }
    s.start()
    return (s, probe)
}

/// Waits for a non-blank frame (some pixel differs from the first) or times out.
func waitForPicture(_ s: VNCSession, _ probe: SessionProbe, timeout: Double) -> VNCFrameUpdate? {
    var latest: VNCFrameUpdate?
    _ = probe.wait(timeout: timeout) {
        if let u = s.takeUpdate() { latest = u }
        guard let l = latest, let first = l.pixels.first else { return probe.closed != nil }
        return l.pixels.contains { $0 != first }
    }
    return latest
}
