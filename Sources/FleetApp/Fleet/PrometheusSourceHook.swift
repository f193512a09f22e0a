import Export
import FleetCore

/// `--source KIND=URL`: the fleet comes from somewhere other than libvirt. Only `prometheus=URL`
/// exists; the first refresh runs before the monitor starts so a wrong URL fails as one line.
enum ExternalSource {
    static func make(_ spec: String, delay: Double) throws -> FleetSource {
        guard let eq = spec.firstIndex(of: "="), spec[..<eq] == "prometheus" else {
            throw CommandFailure("unknown --source \"\(Sanitize.oneLine(spec))\" (expected prometheus=URL)")
        }
        do {
            let source = try PrometheusSource(spec: String(spec[spec.index(after: eq)...]), interval: delay)
            try source.probe()
            return source
        } catch {
            throw CommandFailure(error)
        }
    }
}
