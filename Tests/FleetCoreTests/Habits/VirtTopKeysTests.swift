import Foundation
import Testing
@testable import FleetCore

/// virt-top's keys: N sorts by domain ID (name moved to A), B toggles block I/O bytes/requests, W off with
/// --no-init-file; the help screen lists every key the state handles.
@Suite struct VirtTopKeysTests {
    typealias F = ViewFixtures

    func press(_ s: inout MonitorState, _ c: Character) { _ = s.handle(.char(c), table: F.table(F.small), layout: ScreenLayout(width: 120, height: 40)) }

    @Test func nSortsByDomainIDAndASortsByName() {
        var s = MonitorState()
        press(&s, "N")
        #expect(s.sort.column == .id)
        press(&s, "A")
        #expect(s.sort == SortSpec(column: .name, descending: false))
        press(&s, "A")
        #expect(s.sort == SortSpec(column: .name, descending: true), "again: reverse")
    }

    @Test func bTogglesBlockIOBetweenBytesAndRequests() {
        var s = MonitorState()
        s.sort = SortSpec(column: .wr, descending: true)
        press(&s, "B")
        #expect(s.columns.contains(.rdrq) && s.columns.contains(.wrrq) && !s.columns.contains(.rd))
        #expect(s.sort == SortSpec(column: .wrrq, descending: true), "the sort follows its column")
        #expect(s.message?.contains("requests") == true)
        let lines = F.render(s, F.table(F.small, sort: s.sort), width: 160, height: 12)
        #expect(lines[3].contains("RDRQ/s") && lines[3].contains("WRRQ/s"))
        press(&s, "B")
        #expect(s.columns == DomainColumn.defaultSet && s.sort.column == .wr)
    }

    @Test func wIsOffWithNoInitFile() {
        var s = MonitorState()
        s.saveDisabledReason = "W is off: started with --no-init-file"
        let fx = s.handle(.char("W"), table: F.table(F.small), layout: ScreenLayout(width: 120, height: 40))
        #expect(fx.isEmpty && s.message == "W is off: started with --no-init-file")
        var t = MonitorState()
        #expect(t.handle(.char("W"), table: F.table(F.small), layout: ScreenLayout(width: 120, height: 40)) == [.saveConfig])
    }

    @Test func virtTopSortNamesMeanWhatVirtTopMeans() {
        #expect(DomainColumn(field: "blockrdrq") == .rdrq && DomainColumn(field: "blockwrrq") == .wrrq)
        #expect(DomainColumn(field: "netrx") == .rx && DomainColumn(field: "id") == .id && DomainColumn(field: "name") == .name)
    }

    @Test func everyLetterKeyTheStateHandlesIsInTheHelp() {
        let tokens = MonitorKeys.tokens
        for c in "PMTNABRIFgtcvdsWhq?jk<>/\\01234H" {
            #expect(tokens.contains(String(c)), "help misses \(c)")
        }
        // And nothing in the help is dead: each letter does something (no "Unknown key" message).
        for t in tokens where t.count == 1 && t != "x" && t != "!" {
            var s = MonitorState()
            _ = s.handle(.char(Character(t)), table: F.table(F.small), layout: ScreenLayout(width: 120, height: 40))
            #expect(s.message?.hasPrefix("Unknown key") != true, "\(t) is in the help but unknown")
        }
    }
}
