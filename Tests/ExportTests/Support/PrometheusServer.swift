import Foundation
import FleetCore
import TestSupport

/// A real Prometheus (Debian's `prometheus`) on loopback with a temp config and storage dir,
/// scraping the given targets every second.
final class PrometheusServer: Sendable {
    let port: Int
    let dir: String
    let child: Child
    var url: String { "http://127.0.0.1:\(port)" }

    /// `jobs`: job name → "127.0.0.1:PORT" targets. `interval`: scrape interval and timeout, seconds (a slow
    /// exporter on a loaded machine needs more than 1 s, or every scrape times out).
    init(jobs: [String: [String]], dir: String, interval: Int = 1) throws {
        self.dir = dir
        port = Ports.free()
        var config = "global:\n  scrape_interval: \(interval)s\n  scrape_timeout: \(interval)s\n  evaluation_interval: 1s\nscrape_configs:\n"
        for (job, targets) in jobs.sorted(by: { $0.key < $1.key }) {
            config += "  - job_name: \(job)\n    static_configs:\n      - targets: [\(targets.map { "'\($0)'" }.joined(separator: ", "))]\n"
        }
        try config.write(toFile: dir + "/prometheus.yml", atomically: true, encoding: .utf8)
        child = try Child("prometheus", try Paths.which("prometheus"), [
            "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ], dir: dir)
        _ = try eventually("prometheus on \(url) to be ready", timeout: 30) {
            guard child.process.isRunning else { throw TestFailure(description: "prometheus exited: \(child.stderr.suffix(500))") }
            return (try? HTTP.get(url + "/-/ready", timeout: 2).status) == 200 ? true : nil
        }
    }

    /// An instant query; series of the vector result.
    func query(_ expr: String) throws -> [PromSeries] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let q = expr.addingPercentEncoding(withAllowedCharacters: allowed)!
        let r = try HTTP.get(url + "/api/v1/query?query=" + q)
        guard r.status == 200 else { throw TestFailure(description: "query \(expr): HTTP \(r.status) \(r.text.prefix(300))") }
        return try PromQLResponse.parseVector(r.body, url: url)
    }

    func stop() { child.stop() }
    deinit { stop() }
}
