import Foundation
import TestSupport

/// Runs a program to completion: exit status, stdout, stderr.
func runProgram(_ path: String, _ args: [String], environment: [String: String]? = nil,
                timeout: Double = 120) throws -> (status: Int32, out: String, err: String) {
    let r = try Spawn.run(path, args, environment: environment, timeout: timeout)
    return (r.status, r.out, r.err)
}

/// The `fleettui` binary built beside the test bundle (or $FLEETTUI_BIN).
func fleettuiBinary() -> String {
    if let b = ProcessInfo.processInfo.environment["FLEETTUI_BIN"] { return b }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // Linux: .build/debug/FleetTUIPackageTests.xctest is the executable itself.
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("fleettui").path
}
