import Dispatch
import Synchronization

/// Hands a VNC password from the UI thread (the prompt) to the session thread that asked for it, and keeps the
/// one given for reconnects. Everything it holds is in one Mutex, so no field can be read, replaced or cleared
/// without the lock (a cached password cleared by the UI while the session thread read it was a data race on a
/// secret).
public final class PasswordBroker: Sendable {
    private struct State {
        var cached: VNCPassword?
        var answer: VNCPassword?
        var waiting = 0
        var closed = false
    }
    private let state = Mutex(State())
    private let answered = DispatchSemaphore(value: 0)

    public init() {}

    /// Session thread: the cached password, or else `ask()` (which shows the prompt on the UI thread) and wait
    /// for `answer(_:)`; nil when the user cancelled or the console is closing.
    public func password(ask: () -> Void) -> VNCPassword? {
        let known: VNCPassword?? = state.withLock { s in
            if s.closed { return .some(nil) }
            if let c = s.cached { return .some(c) }
            s.waiting += 1
            return nil
        }
        if let known { return known }
        ask()
        answered.wait()
        return state.withLock { s in
            let p = s.answer
            s.answer = nil
            if s.closed { p?.wipe(); return nil }
            if let p { s.cached = p }
            return p
        }
    }

    /// UI thread: the prompt's answer (nil = cancelled) for the session thread waiting in `password(ask:)`.
    public func answer(_ p: VNCPassword?) {
        let wake = state.withLock { s in
            guard s.waiting > 0, !s.closed else { p?.wipe(); return false }
            s.waiting -= 1
            s.answer?.wipe()
            s.answer = p
            return true
        }
        if wake { answered.signal() }
    }

    /// The server refused the password: forget it (wiped), so the next attempt asks again.
    public func forget() {
        state.withLock { s in
            s.cached?.wipe()
            s.cached = nil
        }
    }

    /// The console is going away: wipe everything and let a waiting session thread go on (with no password).
    public func close() {
        let waiters = state.withLock { s in
            s.closed = true
            s.cached?.wipe(); s.cached = nil
            s.answer?.wipe(); s.answer = nil
            defer { s.waiting = 0 }
            return s.waiting
        }
        for _ in 0..<waiters { answered.signal() }
    }

    /// Whether a password is cached (for tests).
    package var hasCachedPassword: Bool { state.withLock { $0.cached != nil } }
}
