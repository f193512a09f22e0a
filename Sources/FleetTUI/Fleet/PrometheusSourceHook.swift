import FleetCore

/// `--source KIND=URL`: placeholder until the export work lands its Prometheus source here
/// (same file, same signature). Until then every --source is refused with one clear line.
enum ExternalSource {
    static func make(_ spec: String, delay: Double) throws -> FleetSource {
        throw ExternalSourceError(description: "unsupported --source \"\(Sanitize.oneLine(spec))\" (not available in this build)")
    }
}

struct ExternalSourceError: Error, CustomStringConvertible {
    let description: String
}
