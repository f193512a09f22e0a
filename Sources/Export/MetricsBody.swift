import Foundation
import FleetCore
import NIOCore

/// The /metrics body of the newest snapshot, rendered once per snapshot generation.
///
/// The collector's update callback calls `refresh()`, which renders on the collector's thread; a
/// scrape calls `current()`, which only takes the last rendered buffer (it never waits for a
/// render, and renders itself only before the first one). Scrapes never reach libvirt: they read
/// `FleetSource.latest()`, a cached snapshot.
public final class MetricsBody: @unchecked Sendable {
    private let snapshot: @Sendable () -> FleetSnapshot
    private let bodyLock = NSLock()       // guards `body`/`generation`: held for a pointer copy only
    private let renderLock = NSLock()     // one render at a time (updates may come from several threads)
    private var generation: UInt64?
    private var body = ByteBuffer()
    private var renderCount = 0
    /// How many times a body was rendered (for tests: scrapes must not multiply renders).
    public var renders: Int { bodyLock.lock(); defer { bodyLock.unlock() }; return renderCount }

    public init(snapshot: @escaping @Sendable () -> FleetSnapshot) { self.snapshot = snapshot }

    /// Render the newest snapshot if it is newer than the body.
    public func refresh() {
        renderLock.lock(); defer { renderLock.unlock() }
        let snap = snapshot()
        bodyLock.lock()
        let same = generation == snap.generation
        bodyLock.unlock()
        if same { return }
        let rendered = ByteBuffer(bytes: FleetMetrics.render(snap))
        bodyLock.lock()
        body = rendered
        generation = snap.generation
        renderCount += 1
        bodyLock.unlock()
    }

    /// The newest rendered body (shared storage: no copy per scrape).
    public func current() -> ByteBuffer {
        bodyLock.lock()
        if generation != nil { defer { bodyLock.unlock() }; return body }
        bodyLock.unlock()
        refresh()
        bodyLock.lock(); defer { bodyLock.unlock() }
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
