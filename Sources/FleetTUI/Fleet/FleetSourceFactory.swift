import ArgumentParser
import FleetCore

enum FleetSourceFactory {
    static func make(_ options: ConnectionOptions, delay: Double) throws -> FleetSource {
        throw ValidationError("no fleet source yet")
    }
}
