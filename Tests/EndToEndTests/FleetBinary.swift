import Foundation

/// The fleettui executable `swift build` made beside this test bundle (FLEETTUI_BIN overrides).
enum FleetBinary {
    struct Missing: Error, CustomStringConvertible { var description: String }

    static func path() throws -> String {
        if let p = ProcessInfo.processInfo.environment["FLEETTUI_BIN"], !p.isEmpty { return p }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for b in Bundle.allBundles { candidates.append(b.bundleURL.deletingLastPathComponent()) }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.appendingPathComponent(".build/debug"))
        for dir in candidates {
            let p = dir.appendingPathComponent("fleettui").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw Missing(description: "no fleettui binary next to the tests (looked in \(candidates.map(\.path))); run `swift build` first or set FLEETTUI_BIN")
    }
}
