import Foundation
import FleetCore

/// Reads and writes the monitor settings file.
enum ConfigStore {
    static func defaultPath() -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/fleettui/config.toml"
    }

    /// Settings from the file (defaults when it does not exist) and warnings to show; an unreadable or
    /// malformed file is one warning, never a crash or a silent reset.
    static func load(path: String) -> (MonitorSettings, [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return (MonitorSettings(), []) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return (MonitorSettings(), ["\(path): cannot read; using defaults"])
        }
        do {
            let (s, w) = try MonitorSettings.parse(text)
            return (s, w.map { "\(path): \($0)" })
        } catch {
            return (MonitorSettings(), ["\(path): \(error); using defaults"])
        }
    }

    /// Writes atomically (temp file + rename) so a crash never leaves half a file.
    static func save(_ settings: MonitorSettings, path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try settings.tomlText.write(to: url, atomically: true, encoding: .utf8)
    }
}
