import Foundation
import Testing
import TestSupport

/// The README's flag table, `--help`, the man page and the completions, checked against the argument parser
/// (the binary's `--experimental-dump-help`), so they cannot drift apart. Every new flag needs a README row.
@Suite struct DocsEndToEndTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ args: [String], env: [String: String]? = nil) throws -> Spawn.Result {
        try Spawn.run(try FleetBinary.path(), args, environment: env, timeout: 60)
    }

    /// Every option name of every visible command, from the parser: "--connect", "-c", "-1" …
    func parserNames() throws -> Set<String> {
        let dump = try run(["--experimental-dump-help"])
        let json = try JSONSerialization.jsonObject(with: Data(dump.out.utf8)) as! [String: Any]
        var names: Set<String> = []
        func walk(_ c: [String: Any]) {
            guard c["shouldDisplay"] as? Bool ?? true else { return }
            for a in c["arguments"] as? [[String: Any]] ?? [] where a["shouldDisplay"] as? Bool ?? true {
                for n in a["names"] as? [[String: Any]] ?? [] {
                    names.insert((n["kind"] as? String == "short" ? "-" : "--") + (n["name"] as! String))
                }
            }
            for s in c["subcommands"] as? [[String: Any]] ?? [] { walk(s) }
        }
        walk(json["command"] as! [String: Any])
        return names
    }

    /// The flags named in the first column of the README's "### Flags" table.
    func readmeFlagNames() throws -> Set<String> {
        let readme = try String(contentsOf: Self.repo.appendingPathComponent("README.md"), encoding: .utf8)
        let table = readme.components(separatedBy: "### Flags")[1].components(separatedBy: "\n### ")[0]
        var names: Set<String> = []
        for line in table.split(separator: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| flag") {
            let first = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|")[0]
            for code in first.split(separator: "`").enumerated() where code.offset % 2 == 1 {
                if let m = code.element.firstMatch(of: /^(--?[A-Za-z0-9][A-Za-z0-9-]*)/) { names.insert(String(m.1)) }
            }
        }
        return names
    }

    @Test func readmeFlagTableMatchesTheParser() throws {
        let parser = try parserNames()
        let readme = try readmeFlagNames()
        #expect(parser.subtracting(readme).isEmpty, "flags missing from the README's Flags table: \(parser.subtracting(readme).sorted())")
        #expect(readme.subtracting(parser).isEmpty, "README flags the parser does not know: \(readme.subtracting(parser).sorted())")
        #expect(parser.contains("--end-time") && parser.contains("-1") && parser.contains("--no-init-file"))
    }

    @Test func helpShowsTheMonitorsOptionsFirst() throws {
        let help = try run(["--help"])
        #expect(help.status == 0)
        let sections = help.out.split(separator: "\n").filter { $0.hasSuffix(":") && $0.uppercased() == $0 && !$0.hasPrefix(" ") }
        #expect(sections.first == "HOSTS:" && sections.last == "SUBCOMMANDS:", "\(sections)")
        for flag in ["-b, --batch", "-o, --sort <FIELD>", "--columns <LIST>", "--csv <FILE>", "--colors <WHEN>", "-1 ", "--stream"] {
            #expect(help.out.contains(flag), "--help misses \(flag)")
        }
        #expect(try run(["-h"]).out == help.out && (try run(["help"]).out) == help.out)
        // A subcommand's help is still its own.
        #expect(try run(["screen", "--help"]).out.contains("USAGE: fleettui screen"))
    }

    @Test func manPageHasEveryOptionAndSectionAndRendersCleanly() throws {
        let page = try run(["--generate-manual"]).out
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-\(UUID().uuidString).1").path
        try page.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var env = ProcessInfo.processInfo.environment
        env["MANWIDTH"] = "100"; env["LC_ALL"] = "C.UTF-8"; env["MAN_KEEP_FORMATTING"] = nil
        let man = try Spawn.run("/usr/bin/man", ["--warnings", "-l", file], environment: env, timeout: 60)
        #expect(man.status == 0, "\(man.err)")
        #expect(man.err.isEmpty, "groff warnings: \(man.err)")
        let text = man.out.replacingOccurrences(of: "\u{2010}", with: "-").replacingOccurrences(of: "‐\n", with: "")
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "KEYS", "BATCH FIELDS", "FILES", "ENVIRONMENT", "EXIT STATUS"] {
            #expect(text.contains("\n\(section)\n"), "no \(section) section")
        }
        for sub in ["fleettui console", "fleettui screen", "fleettui render", "fleettui export"] { #expect(text.contains(sub)) }
        for name in try parserNames() where name != "--help" && name != "-h" && name != "--version" {
            #expect(page.contains(name.replacingOccurrences(of: "-", with: "\\-")), "man page misses \(name)")
        }
        #expect(text.contains("NO_COLOR") && text.contains("cpu_pct") && text.contains("whole host"))
    }

    @Test func bashLoadsTheCompletionAndCompletesTheMonitorsFlags() throws {
        let script = try run(["--generate-completion-script", "bash"]).out
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-completion-\(UUID().uuidString).bash").path
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        // What bash does on TAB: COMP_* set, the registered function called, COMPREPLY read.
        func complete(_ line: String) throws -> [String] {
            let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let prog = """
            source \(Tmux.quote(file)) || exit 9
            spec=$(complete -p fleettui) || exit 8
            fn=${spec#*-F }; fn=${fn%% *}
            COMP_WORDS=(\(words.map { Tmux.quote($0) }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
            COMP_LINE=\(Tmux.quote(line)); COMP_POINT=${#COMP_LINE}
            "$fn" fleettui "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
            var env = ProcessInfo.processInfo.environment
            env["PATH"] = URL(fileURLWithPath: try FleetBinary.path()).deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
            let r = try Spawn.run("/bin/bash", ["--norc", "-c", prog], environment: env, timeout: 60)
            #expect(r.status == 0, "bash: \(r.err)")
            return r.out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        #expect(try complete("fleettui --colu").contains("--columns"))
        #expect(try complete("fleettui --end").contains("--end-time"))
        #expect(try complete("fleettui scr").contains("screen"))
        #expect(try complete("fleettui render --si").contains("--size"))
        for shell in ["zsh", "fish"] {
            let s = try run(["--generate-completion-script", shell])
            #expect(s.status == 0 && s.out.contains("columns") && s.out.contains("end-time"), "\(shell)")
        }
    }
}
