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

    /// Blocks the calling thread (at most `deadline` seconds, plus a second to let a stuck session go). A display that
    /// answered the handshake within them gets `picture` seconds from then for its first whole picture, if that ends
    /// later (a slow display that did answer is waited for; one that never answers still costs `deadline` at most).
    /// `configuration.password` is ignored: a display that asks for one is `locked`.
    public static func grab(_ configuration: VNCSessionConfiguration, deadline seconds: Double,
                            picture: Double = 0) throws(Failure) -> Framebuffer {
        var config = configuration
        config.password = { nil }
        let events = EventBox()
        let session = VNCSession(configuration: config) { events.post($0) }
        session.start()
        defer {
            session.close()
            // Wait for the session thread, so that a sweep never has more sessions than its concurrency.
            session.waitUntilFinished(timeout: 2)
            session.releasePicture()
        }
        var end = Monotonic.now() + seconds
        var answered = false
        var latest: VNCFrameUpdate?
        // Updates come once a whole picture did (every pixel since the framebuffer was allocated:
        // VNCFrameUpdate.wholePictures), never a buffer still zeroed or half drawn. A uniform picture is believed only
        // when a second whole picture, asked for, is uniform too: a display switching modes (or a server that sends
        // its real picture late, as qemu-xen's PV framebuffer does) shows one black picture first. Before this, a
        // first update of pseudo-rectangles only (QEMU's acks) read as the zeroed buffer: 'screens' called scr-crash
        // and the 1080p/1600p fbcon guests blank at load 30.
        var confirmation = PictureConfirmation(start: Monotonic.now(), askAgainAfter: 2)
        while true {
            let now = Monotonic.now()
            if !answered, events.connected {
                answered = true
                end = max(end, now + picture)
            }
            if let u = session.takeUpdate() { latest = u }
            switch confirmation.step(latest: latest, quiet: 0, now: now) {
            case .accept:
                let u = latest!
                return Framebuffer(width: u.width, height: u.height, pixels: u.pixels)
            case .requestWholePicture:
                session.requestFullUpdate()
            case .wait:
                break
            }
            if now >= end {
                // A uniform picture no second one confirmed is still what the display showed.
                if let u = latest { return Framebuffer(width: u.width, height: u.height, pixels: u.pixels) }
                throw .unreachable(answered && picture > 0 ? "no picture within \(formatSeconds(picture)) of the handshake"
                                                           : "no picture within \(formatSeconds(seconds))")
            }
            switch events.wait(until: min(end, now + (latest == nil ? 1 : 0.1))) {
            case .closed(let e)?:
                if let u = session.takeUpdate() ?? latest {
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
        private let handshake = Mutex(false)
        private let wakeups = DispatchSemaphore(value: 0)

        func post(_ e: VNCSessionEvent) {
            if case .closed = e { closed.withLock { $0 = e } }
            if case .connected = e { handshake.withLock { $0 = true } }
            wakeups.signal()
        }

        /// The session got through the handshake.
        var connected: Bool { handshake.withLock { $0 } }

        func wait(until monotonic: Double) -> VNCSessionEvent? {
            if let c = closed.withLock({ $0 }) { return c }
            _ = wakeups.wait(timeout: .now() + max(0, monotonic - Monotonic.now()))
            return closed.withLock { $0 }
        }
    }
}
