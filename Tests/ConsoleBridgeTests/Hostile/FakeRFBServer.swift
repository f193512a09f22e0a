import ConsoleCore
import Foundation
import TestSupport

/// Runs fake_rfb_server.py (a deliberately broken VNC server on loopback) for one connection.
final class FakeRFBServer {
    let port: Int
    private let process: SpawnedProcess

    struct Failure: Error, CustomStringConvertible { var description: String }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake_rfb_server.py").path
    }

    init(_ scenario: String, linger: Double = 20) throws {
        process = try SpawnedProcess("/usr/bin/python3", [FakeRFBServer.script, scenario, String(linger)],
                                     stdout: .pipe, stderr: .inherit)
        guard let line = process.readLine() else { throw Failure(description: "fake server '\(scenario)' did not start") }
        guard let p = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "fake server printed no port")
        }
        port = p
    }

    deinit { process.stop(grace: 2) }
}
