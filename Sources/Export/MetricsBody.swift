import Foundation
import FleetCore
import NIOCore
import Synchronization

/// The /metrics body of the newest snapshot, rendered once per snapshot generation.
///
/// The collector's update callback calls `refresh()`, which renders on the collector's thread; a
/// scrape calls `current()`, which only takes the last rendered buffer (it never waits for a
/// render, and renders itself only before the first one). Scrapes never reach libvirt: they read
/// `FleetSource.latest()`, a cached snapshot. Only the metric families in `families` are served (`--metrics`).
public final class MetricsBody: Sendable {
    private let snapshot: @Sendable () -> FleetSnapshot
    public let families: Set<MetricFamily>
    /// What scrapes read: held for a pointer copy only.
    private struct Published {
        var generation: UInt64?
        var body = ByteBuffer()
        var renders = 0
    }
    private let published = Mutex(Published())
    /// The generation last rendered: one render at a time (updates may come from several threads).
    private let rendered = Mutex<UInt64?>(nil)
    /// How many times a body was rendered (for tests: scrapes must not multiply renders).
    public var renders: Int { published.withLock { $0.renders } }

    public init(families: Set<MetricFamily> = Set(MetricFamily.allCases), snapshot: @escaping @Sendable () -> FleetSnapshot) {
        self.families = families
        self.snapshot = snapshot
    }

    /// Render the newest snapshot if it is newer than the body.
    public func refresh() {
        rendered.withLock { last in
            let snap = snapshot()
            if last == snap.generation { return }
            let body = ByteBuffer(bytes: FleetMetrics.render(snap, families: families))
            published.withLock { p in
                p.body = body
                p.generation = snap.generation
                p.renders += 1
            }
            last = snap.generation
        }
    }

    /// The newest rendered body (shared storage: no copy per scrape).
    public func current() -> ByteBuffer {
        if let body = published.withLock({ $0.generation == nil ? nil : $0.body }) { return body }
        refresh()
        return published.withLock { $0.body }
    }

    static let indexPage = """
        <!doctype html>
        <html><head><title>FleetTUI exporter</title></head>
        <body><h1>FleetTUI exporter</h1>
        <p>libvirt domain and host metrics for every host of the fleet: <a href="/metrics">/metrics</a></p>
        </body></html>

        """
}
