import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FleetCore
import Synchronization

/// A `FleetSource` fed by a Prometheus server: every refresh is ONE instant query
/// (`PromQLFleetQuery.expression`) for the whole fleet; rates are computed by Prometheus.
///
/// Runs its own thread. A failed refresh keeps the last rows, marked stale, and puts the error on
/// every host (`lastError`), so the monitor shows what went wrong without losing the table.
public final class PrometheusSource: FleetSource, Sendable {
    public let baseURL: URL
    public let queryURL: URL
    public let window: String

    /// What the refresh thread and its callers share: only reachable under the lock.
    private struct State {
        var snapshot = FleetSnapshot.empty
        var interval: Double
        var running = false
        var stopped = false
        var generation: UInt64 = 0
        var everUp: Set<String> = []
        var lastSeriesCount = 0
    }
    private let state: Mutex<State>
    /// Signalled by stop() and setInterval(): the refresh thread's wait ends early to look again.
    private let wakeup = DispatchSemaphore(value: 0)
    private let session: URLSession
    private let requestTimeout: Double

    /// `spec` is what follows `prometheus=` in `--source`: the server's base URL (a path prefix such
    /// as `/prometheus` is kept). An optional `#window=2m` suffix sets the rate() window (default 1m;
    /// it must cover at least two scrapes).
    public init(spec: String, interval: Double) throws {
        var urlText = spec.trimmingCharacters(in: .whitespaces)
        var window = PromQLFleetQuery.defaultWindow
        if let hash = urlText.firstIndex(of: "#") {
            let frag = urlText[urlText.index(after: hash)...]
            urlText = String(urlText[..<hash])
            if frag.hasPrefix("window="), PromQLFleetQuery.isDuration(String(frag.dropFirst(7))) {
                window = String(frag.dropFirst(7))
            } else {
                throw PromQLError.badURL(spec)
            }
        }
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else {
            throw PromQLError.badURL(spec)
        }
        var base = urlText
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = URL(string: base)!
        self.queryURL = URL(string: base + "/api/v1/query")!
        self.window = window
        self.state = Mutex(State(interval: max(interval, 0.1)))
        let config = URLSessionConfiguration.ephemeral
        // A big fleet's query can take seconds on a busy server; never give up before 3 refreshes' worth.
        requestTimeout = max(15, 3 * interval)
        config.timeoutIntervalForRequest = requestTimeout
        config.httpMaximumConnectionsPerHost = 1
        self.session = URLSession(configuration: config)
    }

    /// One refresh, synchronously: makes sure the server answers and has the series before the
    /// monitor starts. Throws `PromQLError`.
    public func probe() throws {
        let snap = try fetch()
        if snap.hosts.isEmpty && snap.domains.isEmpty {
            throw state.withLock({ $0.lastSeriesCount }) > 0 ? PromQLError.onlyOldRates(url: baseURL.absoluteString) : PromQLError.noSeries(url: baseURL.absoluteString)
        }
        publish(snap)
    }

    public func start(onUpdate: @escaping @Sendable () -> Void) {
        let go = state.withLock { s in
            guard !s.running, !s.stopped else { return false }
            s.running = true
            return true
        }
        guard go else { return }
        let t = Thread { [self] in loop(onUpdate) }
        t.name = "prometheus-source"
        t.start()
    }

    public func latest() -> FleetSnapshot { state.withLock { $0.snapshot } }

    public func setInterval(_ seconds: Double) {
        state.withLock { $0.interval = max(seconds, 0.1) }
        wakeup.signal()
    }

    public func stop() {
        state.withLock { $0.stopped = true }
        wakeup.signal()
    }

    // MARK: - refresh loop

    private func loop(_ onUpdate: @Sendable () -> Void) {
        if latest().generation > 0 { onUpdate() }     // the probe's snapshot
        while true {
            let (stop, first, wait) = state.withLock { ($0.stopped, $0.snapshot.generation == 0, $0.interval) }
            if stop { return }
            if !first {
                let deadline = DispatchTime.now() + wait
                while !state.withLock({ $0.stopped }) && DispatchTime.now() < deadline { _ = wakeup.wait(timeout: deadline) }
                if state.withLock({ $0.stopped }) { return }
            }
            do {
                publish(try fetch())
            } catch {
                publish(failed: error)
            }
            onUpdate()
        }
    }

    private func nextGeneration() -> UInt64 {
        state.withLock { s in
            s.generation += 1
            return s.generation
        }
    }

    private func publish(_ snap: FleetSnapshot) { state.withLock { $0.snapshot = snap } }

    /// Every host took part in this refresh (one query for all); remember which ever answered.
    private func markRefreshed(_ snap: inout FleetSnapshot) {
        let everUp = state.withLock { s in
            for h in snap.hosts where h.state == .up || h.state == .slow { s.everUp.insert(h.config.id) }
            return s.everUp
        }
        for i in snap.hosts.indices {
            snap.hosts[i].refreshCount = snap.generation
            snap.hosts[i].everConnected = everUp.contains(snap.hosts[i].config.id)
        }
    }

    /// Keep the last rows, stale, with the error on every host.
    private func publish(failed error: Error) {
        let line = Sanitize.oneLine(String(describing: error))
        let gen = nextGeneration()
        let baseURL = baseURL
        state.withLock { s in
            var snap = s.snapshot
            snap.generation = gen
            snap.time = Date()
            for i in snap.domains.indices { snap.domains[i].stale = true }
            if snap.hosts.isEmpty {
                snap.hosts = [HostStatus(config: HostConfig(name: "prometheus", uri: baseURL.absoluteString), state: .down)]
            }
            for i in snap.hosts.indices where snap.hosts[i].state != .down {
                snap.hosts[i].state = .down
                snap.hosts[i].since = Date()
            }
            for i in snap.hosts.indices {
                snap.hosts[i].lastError = line
                snap.hosts[i].refreshCount = gen
                snap.hosts[i].everConnected = s.everUp.contains(snap.hosts[i].config.id)
            }
            s.snapshot = snap
        }
    }

    /// One HTTP round trip → one snapshot.
    func fetch() throws -> FleetSnapshot {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let data = try post(PromQLFleetQuery.expression(window: window))
        let t1 = DispatchTime.now().uptimeNanoseconds
        let series = try PromQLResponse.parseVector(data, url: baseURL.absoluteString)
        state.withLock { $0.lastSeriesCount = series.count }
        let t2 = DispatchTime.now().uptimeNanoseconds
        let ctx = PromQLFleetBuilder.Context(generation: nextGeneration(), time: Date(), monotonicNs: t0,
                                             queryLatency: Double(t1 - t0) / 1e9, label: "prometheus \(baseURL.absoluteString)")
        var snap = PromQLFleetBuilder.snapshot(from: series, context: ctx)
        markRefreshed(&snap)
        let t3 = DispatchTime.now().uptimeNanoseconds
        timingLog?.write(Data(String(format: "series=%d bytes=%d http_ms=%.1f parse_ms=%.1f build_ms=%.1f total_ms=%.1f\n",
                                     series.count, data.count, Double(t1 - t0) / 1e6, Double(t2 - t1) / 1e6,
                                     Double(t3 - t2) / 1e6, Double(t3 - t0) / 1e6).utf8))
        return snap
    }

    /// `FLEETTUI_PROMQL_LOG=FILE`: one line of timings per refresh (for benchmarks and troubleshooting;
    /// never the terminal, which belongs to the monitor).
    private let timingLog: FileHandle? = {
        guard let path = ProcessInfo.processInfo.environment["FLEETTUI_PROMQL_LOG"], !path.isEmpty else { return nil }
        return OutputFile.open(path)
    }()

    /// POST /api/v1/query (form-encoded: the expression is too long for a comfortable GET).
    public func query(_ expr: String) throws -> [PromSeries] {
        try PromQLResponse.parseVector(try post(expr), url: baseURL.absoluteString)
    }

    /// The raw answer of a 200; any other status is a `PromQLError`.
    private func post(_ expr: String) throws -> Data {
        var req = URLRequest(url: queryURL)
        req.httpMethod = "POST"
        req.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        req.httpBody = Data(("query=" + Self.formEncode(expr)).utf8)
        let (data, response) = try roundTrip(req)
        let url = baseURL.absoluteString
        guard response.statusCode == 200 else {
            throw PromQLError.httpStatus(url: url, status: response.statusCode, detail: PromQLResponse.errorDetail(data))
        }
        return data
    }

    private func roundTrip(_ req: URLRequest) throws -> (Data, HTTPURLResponse) {
        let box = Locked<Result<(Data, HTTPURLResponse), Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let url = baseURL.absoluteString
        let timeout = requestTimeout
        session.dataTask(with: req) { data, response, error in
            if let error {
                box.withLock { $0 = .failure(PromQLError.unreachable(url: url, reason: Self.reason(error, timeout: timeout))) }
            } else if let http = response as? HTTPURLResponse {
                box.withLock { $0 = .success((data ?? Data(), http)) }
            } else {
                box.withLock { $0 = .failure(PromQLError.unreachable(url: url, reason: "no HTTP response")) }
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.withLock { $0! }.get()
    }

    /// URLSession's errors in words (its localizedDescription is often "NSURLErrorDomain error -1001").
    static func reason(_ error: Error, timeout: Double) -> String {
        guard let e = error as? URLError else { return error.localizedDescription }
        switch e.code {
        case .timedOut: return "no answer within \(Int(timeout)) s"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "connection closed before the answer"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid:
            return "TLS failed: \(e.localizedDescription)"
        default: return e.localizedDescription
        }
    }

    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
