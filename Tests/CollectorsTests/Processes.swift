import Foundation

/// Runs a program to completion: exit status, stdout, stderr.
func runProgram(_ path: String, _ args: [String], environment: [String: String]? = nil,
                timeout: Double = 120) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // Read both pipes while it runs (a full pipe would block the child).
    final class Sink: @unchecked Sendable { var data = Data() }
    let o = Sink(), e = Sink()
    let group = DispatchGroup()
    for (pipe, sink) in [(out, o), (err, e)] {
        group.enter()
        DispatchQueue.global().async { sink.data = pipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    }
    if group.wait(timeout: .now() + timeout) == .timedOut { p.terminate() }
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o.data, as: UTF8.self), String(decoding: e.data, as: UTF8.self))
}

/// The `fleettui` binary built beside the test bundle (or $FLEETTUI_BIN).
func fleettuiBinary() -> String {
    if let b = ProcessInfo.processInfo.environment["FLEETTUI_BIN"] { return b }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // Linux: .build/debug/FleetTUIPackageTests.xctest is the executable itself.
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("fleettui").path
}
