import ArgumentParser
import FleetCore

enum FleetSourceFactory {
    static func make(_ options: ConnectionOptions, delay: Double) throws -> FleetSource {
        if let spec = options.source { return try ExternalSource.make(spec, delay: delay) }
        throw ValidationError("no fleet source yet")
    }
}
