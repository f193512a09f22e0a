import Foundation
import FleetCore
import NIOCore

/// The /metrics body of the newest snapshot, rendered once per snapshot generation.
///
/// The collector's update callback calls `refresh()` (rendering happens on the collector's
/// thread, not on the HTTP event loop); a scrape calls `current()`, which only renders if no
/// update has been seen yet for the newest generation. Scrapes never reach libvirt: they read
/// `FleetSource.latest()`, which is a cached snapshot.
public final class MetricsBody: @unchecked Sendable {
    private let snapshot: @Sendable () -> FleetSnapshot
    private let lock = NSLock()
    private var generation: UInt64?
    private var body = ByteBuffer()
    /// How many times a body was rendered (for tests: scrapes must not multiply renders).
    public private(set) var renders = 0

    public init(snapshot: @escaping @Sendable () -> FleetSnapshot) { self.snapshot = snapshot }

    /// Render the newest snapshot if it is new.
    public func refresh() { _ = current() }

    /// The body for the newest snapshot (shared storage: no copy per scrape).
    public func current() -> ByteBuffer {
        let snap = snapshot()
        lock.lock(); defer { lock.unlock() }
        if generation != snap.generation {
            body = ByteBuffer(bytes: FleetMetrics.render(snap))
            generation = snap.generation
            renders += 1
        }
        return body
    }

    static let indexPage = """
        <!doctype html>
        <html><head><title>FleetTUI exporter</title></head>
        <body><h1>FleetTUI exporter</h1>
        <p>libvirt domain and host metrics for every host of the fleet: <a href="/metrics">/metrics</a></p>
        </body></html>

        """
}
