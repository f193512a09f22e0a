import Foundation
import Testing
@testable import FleetCore

@Suite struct ThemeParserTests {
    @Test func parsesKeysCommentsAndWarns() {
        let text = """
        # a comment
        theme[main_fg]="#102030"
        theme[title] = "#abc"   # short form, spaces, trailing comment

        theme[selected_bg]="default"
        theme[cpu_high]="196"
        theme[no_such_key]="#ffffff"
        theme[running]="green"
        garbage line
        """
        let (t, warnings) = Theme.parse(text, name: "t", base: BuiltinThemes.defaultTheme)
        #expect(t[.mainFg] == .rgb(0x10, 0x20, 0x30))
        #expect(t[.title] == .rgb(0xaa, 0xbb, 0xcc))
        #expect(t[.selectedBg] == .default)
        #expect(t[.cpuHigh] == .indexed(196))
        // Missing and bad keys keep the base theme's colour.
        #expect(t[.running] == BuiltinThemes.defaultTheme[.running])
        #expect(t[.hostDown] == BuiltinThemes.defaultTheme[.hostDown])
        #expect(warnings.map(\.line) == [7, 8, 9])
        #expect(warnings[0].message.contains("unknown key 'no_such_key'"))
        #expect(warnings[1].message.contains("bad colour"))
    }

    @Test func builtinThemesAreCompleteAndParseCleanly() {
        for name in BuiltinThemes.names {
            let (t, warnings) = Theme.parse(BuiltinThemes.text(name)!, name: name, base: Theme(name: "empty", colors: [:]))
            #expect(warnings.isEmpty, "\(name): \(warnings)")
            #expect(Set(t.colors.keys) == Set(ThemeRole.allCases), "\(name) misses keys")
        }
        #expect(BuiltinThemes.theme("monochrome")!.isMonochrome)
        #expect(!BuiltinThemes.defaultTheme.isMonochrome)
    }

    /// The repository's Themes/*.theme files are what users copy and edit: they must equal the compiled-in ones.
    @Test func themeFilesMatchTheBuiltins() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes")
        for name in BuiltinThemes.names {
            let file = dir.appendingPathComponent(name + ".theme")
            let text = try String(contentsOf: file, encoding: .utf8)
            let (t, warnings) = Theme.parse(text, name: name, base: Theme(name: "empty", colors: [:]))
            #expect(warnings.isEmpty, "\(file.path): \(warnings)")
            #expect(t.colors == BuiltinThemes.theme(name)!.colors, "\(file.path) differs from the built-in \(name)")
        }
    }

    @Test func monochromePaletteUsesAttributes() {
        let p = ThemeStyles(theme: BuiltinThemes.theme("monochrome")!)
        #expect(p.selected.reverse)
        #expect(p.tableHeader.reverse && p.tableHeader.bold)
        #expect(p.stale.dim)
        #expect(p.hostDown.bold)
        let d = ThemeStyles(theme: BuiltinThemes.defaultTheme)
        #expect(!d.selected.reverse)
        #expect(d.selected.bg == BuiltinThemes.defaultTheme[.selectedBg])
    }

    @Test func colours() {
        #expect(Theme.parseColor("#FF0080") == .rgb(255, 0, 128))
        #expect(Theme.parseColor("") == .default)
        #expect(Theme.parseColor("#12") == nil)
        #expect(Theme.parseColor("256") == nil)
    }
}
