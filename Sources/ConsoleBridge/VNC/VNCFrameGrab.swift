import ConsoleCore
import FleetCore
import Foundation
import Synchronization

/// One look at a display: connect (shared, never exclusive), take the first complete picture, disconnect.
/// Nothing is ever sent but the handshake and update requests: no key, no pointer event.
public enum VNCFrameGrab {
    /// Why a look found no picture, sorted the way the screen states want it.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The display wants a password or security this look may not use (never asked for).
        case locked(String)
        /// Refused, hung, closed, or no picture in time.
        case unreachable(String)

        public var description: String {
            switch self {
            case .locked(let s), .unreachable(let s): return s
            }
        }
    }

    /// Blocks the calling thread (at most `deadline` seconds, plus a second to let a stuck session go).
    /// `configuration.password` is ignored: a display that asks for one is `locked`.
    public static func grab(_ configuration: VNCSessionConfiguration, deadline seconds: Double) throws(Failure) -> Framebuffer {
        var config = configuration
        config.password = { nil }
        let events = EventBox()
        let session = VNCSession(configuration: config) { events.post($0) }
        session.start()
        defer {
            session.close()
            // Wait for the session thread, so that a sweep never has more sessions than its concurrency.
            session.waitUntilFinished(timeout: 2)
        }
        let end = Monotonic.now() + seconds
        var latest: VNCFrameUpdate?
        var firstAt = 0.0
        while true {
            let now = Monotonic.now()
            // Generation 0 is the zeroed buffer the session allocated at the handshake, not a picture yet.
            if let u = session.takeUpdate(), u.generation > 0 {
                latest = u
                if firstAt == 0 { firstAt = now }
            }
            if let u = latest {
                // QEMU draws the screen for a client that connects, so its first picture is current; a uniform
                // one may be a display still switching modes: give it a moment to show something.
                if !u.isUniform || now - firstAt >= 0.6 || now >= end { return Framebuffer(width: u.width, height: u.height, pixels: u.pixels) }
            }
            if now >= end {
                throw .unreachable("no picture within \(formatSeconds(seconds))")
            }
            switch events.wait(until: min(end, now + (latest == nil ? 1 : 0.1))) {
            case .closed(let e)?:
                if let u = session.takeUpdate().flatMap({ $0.generation > 0 ? $0 : nil }) ?? latest {
                    return Framebuffer(width: u.width, height: u.height, pixels: u.pixels)
                }
                throw classify(e ?? .serverClosed)
            default:
                continue
            }
        }
    }

    static func classify(_ e: VNCError) -> Failure {
        switch e {
        case .authFailed(let why): return .locked("the display wants a VNC password (\(Sanitize.oneLine(why)))")
        case .authNotAllowed(let why): return .locked("the display wants security this look may not use: \(Sanitize.oneLine(why))")
        default: return .unreachable(e.description)
        }
    }

    /// Session events for a waiting thread: `.closed` is kept, any event wakes it.
    private final class EventBox: Sendable {
        private let closed = Mutex<VNCSessionEvent?>(nil)
        private let wakeups = DispatchSemaphore(value: 0)

        func post(_ e: VNCSessionEvent) {
            if case .closed = e { closed.withLock { $0 = e } }
            wakeups.signal()
        }

        func wait(until monotonic: Double) -> VNCSessionEvent? {
            if let c = closed.withLock({ $0 }) { return c }
            _ = wakeups.wait(timeout: .now() + max(0, monotonic - Monotonic.now()))
            return closed.withLock { $0 }
        }
    }
}

extension VNCFrameUpdate {
    /// Every pixel the same colour.
    var isUniform: Bool {
        pixels.withUnsafeBufferPointer { p in
            guard let first = p.first else { return true }
            for v in p where v != first { return false }
            return true
        }
    }
}
