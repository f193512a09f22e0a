import Testing
@testable import FleetCore

@Suite struct ViewSettingsTests {
    @Test func roundTrip() throws {
        var s = MonitorSettings()
        s.sort = SortSpec(column: .mem, descending: false)
        s.columns = [.name, .cpu, .mem]
        s.theme = "/tmp/my \"odd\" theme.theme"
        s.delay = 1.5
        s.grouped = true
        let (back, warnings) = try MonitorSettings.parse(s.tomlText)
        #expect(warnings.isEmpty)
        #expect(back == s)
    }

    @Test func badValuesWarnAndKeepDefaults() throws {
        let text = """
        sort = "bogus"
        columns = ["name", "nope"]
        delay = -1
        colour = "red"
        group_by_host = true
        """
        let (s, warnings) = try MonitorSettings.parse(text)
        #expect(s.sort == .default)
        #expect(s.columns == [.name])
        #expect(s.delay == 3)
        #expect(s.grouped)
        #expect(warnings.count == 4)
        #expect(warnings.contains("line 4: unknown key 'colour' ignored"))
        #expect(throws: (any Error).self) { try MonitorSettings.parse("sort = ") }
    }
}
