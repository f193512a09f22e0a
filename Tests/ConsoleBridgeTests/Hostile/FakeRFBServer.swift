import Foundation

/// Runs fake_rfb_server.py (a deliberately broken VNC server on loopback) for one connection.
final class FakeRFBServer {
    let port: Int
    private let process = Process()

    struct Failure: Error, CustomStringConvertible { var description: String }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("fake_rfb_server.py").path
    }

    init(_ scenario: String, linger: Double = 20) throws {
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [FakeRFBServer.script, scenario, String(linger)]
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { throw Failure(description: "fake server '\(scenario)' did not start") }
            line.append(d)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "fake server printed no port")
        }
        port = p
    }

    deinit { if process.isRunning { process.terminate() } }
}
