import Foundation
import FleetCore

/// Finds a theme by name or path: a file given on the command line, then `NAME.theme` in the user's
/// `$XDG_CONFIG_HOME/fleettui/themes`, next to the binary (`../share/fleettui/themes`, `Themes/`), in the
/// package checkout it was built from, and finally the themes compiled in (so `dark` always works).
enum ThemeLoader {

    static func load(_ spec: String) throws -> (theme: Theme, warnings: [String]) {
        let fm = FileManager.default
        if spec.contains("/") || spec.hasSuffix(".theme") {
            guard let text = try? String(contentsOfFile: spec, encoding: .utf8) else {
                throw CommandFailure("cannot read theme file \(Sanitize.oneLine(spec))")
            }
            return parse(text, name: spec)
        }
        for dir in searchDirectories() {
            let path = dir + "/" + spec + ".theme"
            if fm.isReadableFile(atPath: path), let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return parse(text, name: path)
            }
        }
        if let t = BuiltinThemes.theme(spec) { return (t, []) }
        let known = Set(BuiltinThemes.names + availableNames()).sorted().joined(separator: ", ")
        throw CommandFailure("unknown theme '\(Sanitize.oneLine(spec, limit: 60))' (available: \(known))")
    }

    private static func parse(_ text: String, name: String) -> (Theme, [String]) {
        let (t, w) = Theme.parse(text, name: name, base: BuiltinThemes.defaultTheme)
        return (t, w.map { "\(name): \($0)" })
    }

    static func searchDirectories() -> [String] {
        var dirs: [String] = []
        let env = ProcessInfo.processInfo.environment
        let config = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        dirs.append(config + "/fleettui/themes")
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if let real = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            dirs.append(real.appendingPathComponent("../share/fleettui/themes").standardized.path)
        }
        dirs.append(exe.appendingPathComponent("../share/fleettui/themes").standardized.path)
        // The package checkout this binary was built from (.build/<triple>/debug/fleettui → ../../../Themes).
        dirs.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Themes").standardized.path)
        return dirs
    }

    static func availableNames() -> [String] {
        var names: [String] = []
        for dir in searchDirectories() {
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where f.hasSuffix(".theme") {
                names.append(String(f.dropLast(6)))
            }
        }
        return names
    }
}
