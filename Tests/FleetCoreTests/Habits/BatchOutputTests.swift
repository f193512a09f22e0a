import Foundation
import Testing
@testable import FleetCore

/// Batch output is a pure function of the snapshot: -o, --columns, stale rows, CSV/JSON fields, colours.
@Suite struct BatchOutputTests {
    typealias F = ViewFixtures
    let time = Date(timeIntervalSince1970: 86_400)

    func names(_ rows: [DomainRow]) -> [String] { rows.map(\.sample.name) }

    @Test func sortAppliesToEveryFormatAndDefaultsToCPU() {
        let rows = F.small.domains
        #expect(names(BatchOutput().ordered(rows)) == ["db-1", "web-1", "web-2", "cache", "idle"])
        let byName = BatchOutput(sort: SortSpec(column: .name))
        #expect(names(byName.ordered(rows)) == ["cache", "db-1", "idle", "web-1", "web-2"])
        let csv = byName.csv(rows, time: time).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        #expect(csv == ["cache", "db-1", "idle", "web-1", "web-2"])
        let json = byName.jsonLines(rows, time: time).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["domain"] as? String
        }
        #expect(json == ["cache", "db-1", "idle", "web-1", "web-2"])
        let text = byName.text(F.small, rows: rows, time: time, staleHosts: 0)
        let order = ["cache", "db-1", "idle", "web-1", "web-2"].map { text.range(of: " \($0)\n")!.lowerBound }
        #expect(order == order.sorted())
    }

    @Test func columnsChooseTheTextColumnsAndTheRecordFields() {
        let out = BatchOutput(columns: [.name, .cpu, .rd])
        #expect(out.csvHeader == "time,domain,cpu_pct,cpu_pct_per_vcpu,rd_bytes_s,stale\r\n")
        let line = out.csv([F.small.domains[1]], time: time)
        #expect(line == "1970-01-02T00:00:00.000Z,db-1,80,,,false\r\n")
        let o = try? JSONSerialization.jsonObject(with: Data(out.jsonLines([F.small.domains[1]], time: time).utf8)) as? [String: Any]
        #expect(Set(o?.keys.map { $0 } ?? []) == ["time", "domain", "cpu_pct", "cpu_pct_per_vcpu", "rd_bytes_s", "stale"])
        let text = out.text(F.small, rows: F.small.domains, time: time, staleHosts: 0).split(separator: "\n")
        #expect(text[1] == " NAME         %CPU  RD/s")
        #expect(text[2] == " db-1         80.0     -")
        // No --columns: every field, as before.
        #expect(BatchOutput().csvHeader == CSV.line(DomainRecord.columns))
    }

    @Test func blockInRequestsSwapsTheBlockColumns() {
        let out = BatchOutput(sort: SortSpec(column: .rd), columns: [.name, .rd, .wr], blockInRequests: true)
        #expect(out.csvHeader == "time,domain,rd_reqs_s,wr_reqs_s,stale\r\n")
        #expect(out.text(F.small, rows: F.small.domains, time: time, staleHosts: 0).split(separator: "\n")[1] == " NAME        RDRQ/s  WRRQ/s")
    }

    @Test func rowsOfHostsThatDidNotRefreshAreMarkedStale() {
        var snap = F.small
        snap.hosts[0].refreshCount = 5; snap.hosts[1].refreshCount = 7
        let (rows, stale) = BatchOutput.markStale(snap, since: ["alpha": 4, "beta": 7])
        #expect(stale == ["beta"])
        #expect(rows.filter(\.stale).map(\.sample.name).sorted() == ["cache", "web-2"])
        let text = BatchOutput().text(snap, rows: rows, time: time, staleHosts: stale.count)
        #expect(text.hasPrefix("fleettui 1970-01-02T00:00:00.000Z  hosts 2, 2 up  [demo fleet]  domains 5, 4 running  STALE: 1 of 2 hosts did not refresh since the last iteration\n"))
        #expect(text.contains("\n!") && text.split(separator: "\n").filter { $0.hasPrefix("!") }.count == 2)
        #expect(BatchOutput().csv(rows, time: time).split(separator: "\r\n").filter { $0.hasSuffix(",true") }.count == 2)
    }

    @Test func textHasColoursOnlyWhenAsked() {
        let styles = ThemeStyles(theme: BuiltinThemes.defaultTheme)
        let plain = BatchOutput().text(F.small, rows: F.small.domains, time: time, staleHosts: 0, styles: styles, level: .none)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain == BatchOutput().text(F.small, rows: F.small.domains, time: time, staleHosts: 0))
        let coloured = BatchOutput().text(F.small, rows: F.small.domains, time: time, staleHosts: 0, styles: styles, level: .xterm256)
        #expect(coloured.contains("\u{1B}[") && coloured.contains("38;5;"))
        #expect(!BatchOutput().text(F.small, rows: F.small.domains, time: time, staleHosts: 0, styles: styles, level: .ansi8).contains("38;5;"))
    }

    @Test func oddNamesNeverBreakTheColumns() {
        var snap = F.small
        snap.domains[0].sample.name = "evil\u{1B}[2J\nname"
        let text = BatchOutput(columns: [.name, .cpu]).text(snap, rows: snap.domains, time: time, staleHosts: 0)
        #expect(!text.contains("\u{1B}"))
        let lines = text.split(separator: "\n").dropFirst()
        #expect(Set(lines.map { DisplayWidth.of(String($0)) }).count == 1, "\(text)")
    }
}

@Suite struct ColourRuleTests {
    @Test func oneRuleForEveryCommand() {
        let term = ["TERM": "xterm-256color"]
        #expect(ColourRule.resolve(.auto, environment: term, isTTY: true) == .xterm256)
        #expect(ColourRule.resolve(.auto, environment: term, isTTY: false) == .none, "a pipe gets no colours")
        #expect(ColourRule.resolve(.auto, environment: term.merging(["NO_COLOR": "1"]) { $1 }, isTTY: true) == .none)
        #expect(ColourRule.resolve(.auto, environment: term.merging(["NO_COLOR": ""]) { $1 }, isTTY: true) == .xterm256,
                "an empty NO_COLOR is unset (no-color.org)")
        #expect(ColourRule.resolve(.never, environment: term, isTTY: true) == .none)
        #expect(ColourRule.resolve(.level(.ansi16), environment: ["NO_COLOR": "1"], isTTY: false) == .ansi16, "explicit wins")
        #expect(ColourRule.resolve(.always, environment: ["NO_COLOR": "1", "TERM": "xterm"], isTTY: false) == .ansi16)
        #expect(ColourRule.resolve(.always, environment: [:], isTTY: false) == .xterm256)
        #expect(ColourRule.resolve(.auto, environment: term, isTTY: true, terminalLevel: .ansi8) == .ansi8)
    }

    @Test func depthFromTheEnvironment() {
        #expect(ColourRule.level(fromEnvironment: ["TERM": "xterm", "COLORTERM": "truecolor"]) == .trueColour)
        #expect(ColourRule.level(fromEnvironment: ["TERM": "tmux-256color"]) == .xterm256)
        #expect(ColourRule.level(fromEnvironment: ["TERM": "linux"]) == .ansi8)
        #expect(ColourRule.level(fromEnvironment: ["TERM": "dumb"]) == .none)
        #expect(ColourRule.level(fromEnvironment: [:]) == .none)
    }

    @Test func settingsParse() {
        #expect(ColourSetting(argument: "auto") == .auto && ColourSetting(argument: "NEVER") == .never)
        #expect(ColourSetting(argument: "24bit") == .level(.trueColour) && ColourSetting(argument: "8") == .level(.ansi8))
        #expect(ColourSetting(argument: "purple") == nil)
    }
}

@Suite struct EndTimeTests {
    let utc = TimeZone(identifier: "UTC")!
    let now = Date(timeIntervalSince1970: 1_700_000_000)   // 2023-11-14 22:13:20 UTC

    @Test func virtTopsFourForms() throws {
        #expect(try EndTime.parse("+180", now: now, timeZone: utc) == now.addingTimeInterval(180))
        #expect(try EndTime.parse("+00:03:00", now: now, timeZone: utc) == now.addingTimeInterval(180))
        #expect(try EndTime.parse("+1:00:00", now: now, timeZone: utc) == now.addingTimeInterval(3600))
        #expect(try EndTime.parse("23:00:00", now: now, timeZone: utc) == Date(timeIntervalSince1970: 1_700_002_800))
        #expect(try EndTime.parse("2023-11-15 00:00:00", now: now, timeZone: utc) == Date(timeIntervalSince1970: 1_700_006_400))
    }

    @Test func malformedTimesAreRejected() {
        for bad in ["", "soon", "+", "+-5", "25:00:00", "12:60:00", "2023-13-01 00:00:00", "2023-02-30 00:00:00", "1:2:3", "+1:2"] {
            #expect(throws: EndTime.Invalid.self, "\(bad)") { try EndTime.parse(bad, now: now, timeZone: utc) }
        }
    }
}
