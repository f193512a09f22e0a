import Synchronization

/// Shared mutable state is only ever reached through its lock: a class keeps its shared fields in one struct in a
/// `Mutex` (the standard library's, Synchronization) — `private let state = Mutex(State())` — so reading or
/// changing one without the lock does not compile. `Locked` is the same Mutex in a class, for the one case a
/// Mutex cannot serve by itself: a value that closures or threads hold (a Mutex cannot be copied into them).
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) { mutex = Mutex(value) }

    public func withLock<R, E: Error>(_ body: (inout sending Value) throws(E) -> sending R) throws(E) -> sending R {
        try mutex.withLock(body)
    }
}

extension Locked where Value: Sendable {
    /// A copy of the value.
    public var value: Value { mutex.withLock { $0 } }
}
