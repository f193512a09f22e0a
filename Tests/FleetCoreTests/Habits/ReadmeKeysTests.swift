import Foundation
import Testing
@testable import FleetCore

/// The README's "Keys (monitor)" table names exactly the keys of the help screen (MonitorKeys, which the man
/// page's KEYS section is also made from): a new key needs a README row, a removed one loses it.
@Suite struct ReadmeKeysTests {
    @Test func readmeKeyTableMatchesTheHelpScreen() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: repo.appendingPathComponent("README.md"), encoding: .utf8)
        let table = readme.components(separatedBy: "### Keys (monitor)")[1].components(separatedBy: "\n### ")[0]
        var keys: Set<String> = []
        for line in table.split(separator: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| key") {
            let first = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|")[0]
            for (i, code) in first.split(separator: "`", omittingEmptySubsequences: false).enumerated() where i % 2 == 1 {
                keys.insert(String(code))
            }
        }
        let help = MonitorKeys.tokens
        #expect(help.subtracting(keys).isEmpty, "keys in the help screen but not in the README: \(help.subtracting(keys).sorted())")
        #expect(keys.subtracting(help).isEmpty, "README keys the help screen does not list: \(keys.subtracting(help).sorted())")
    }
}
