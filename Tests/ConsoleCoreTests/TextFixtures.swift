import Foundation
@testable import ConsoleCore

/// Real guest captures (gzip'd PPM + the text they show) shipped as test resources.
enum TextFixtures {
    static var directory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    /// Names of every `*.ppm.gz` fixture that has an expected `.txt` beside it, without extension.
    static var frameNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".ppm.gz") }
            .map { String($0.dropLast(7)) }
            .filter { files.contains($0 + ".txt") }
            .sorted()
    }

    static func frame(_ name: String) throws -> Framebuffer {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".ppm.gz"))
        return try Framebuffer(ppm: Gzip.inflateIfNeeded([UInt8](data)))
    }

    /// Expected screen lines (trailing spaces trimmed, as `render --text` prints them).
    static func expectedLines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".txt"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
