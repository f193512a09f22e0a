import Testing
@testable import FleetCore

@Suite struct TOMLTests {
    @Test func scalarsStringsAndComments() throws {
        let t = try TOML.parse(#"""
        # comment
        title = "a \"quoted\" \t tab \u00e9" # trailing comment
        lit = 'C:\path\no-escapes'
        n = -42
        big = 1_000_000
        hex = 0xff
        f = 3.5
        e = 1e3
        yes = true
        no = false
        multi = """
        line1
        line2"""
        "quoted key" = 1
        a.b.c = "dotted"
        """#)
        #expect(t["title"]?.string == "a \"quoted\" \t tab é")
        #expect(t["lit"]?.string == #"C:\path\no-escapes"#)
        #expect(t["n"]?.integer == -42)
        #expect(t["big"]?.integer == 1_000_000)
        #expect(t["hex"]?.integer == 255)
        #expect(t["f"]?.double == 3.5)
        #expect(t["e"]?.double == 1000)
        #expect(t["yes"]?.bool == true && t["no"]?.bool == false)
        #expect(t["multi"]?.string == "line1\nline2")
        #expect(t["quoted key"]?.integer == 1)
        #expect(t["a"]?.table?["b"]?.table?["c"]?.string == "dotted")
        #expect(t.keys.first == "title")
    }

    @Test func tablesArraysAndInlineTables() throws {
        let t = try TOML.parse("""
        list = [1, 2,
          3, # comment inside
        ]
        nested = [["a", 'b'], []]
        point = { x = 1, y = 2.5, label = "p" }
        [ui]
        theme = "dark"
        [ui.colors]
        cpu = "#ff0000"
        [[host]]
        name = "a"
        [[host]]
        name = "b"
        uri = "test:///default"
        """)
        #expect(t["list"]?.array?.compactMap(\.integer) == [1, 2, 3])
        #expect(t["nested"]?.array?.first?.array?.compactMap(\.string) == ["a", "b"])
        #expect(t["point"]?.table?["y"]?.double == 2.5)
        #expect(t["ui"]?.table?["theme"]?.string == "dark")
        #expect(t["ui"]?.table?["colors"]?.table?["cpu"]?.string == "#ff0000")
        let hosts = t["host"]?.array?.compactMap(\.table) ?? []
        #expect(hosts.map { $0["name"]?.string } == ["a", "b"])
        #expect(hosts[1]["uri"]?.string == "test:///default")
    }

    @Test func errorsNameTheLine() {
        func err(_ text: String) -> TOMLError? {
            do { _ = try TOML.parse(text); return nil } catch let e as TOMLError { return e } catch { return nil }
        }
        #expect(err("a = 1\nb = \n")?.line == 2)
        #expect(err("a = 1\na = 2")?.message.contains("defined twice") == true)
        #expect(err("x = unquoted")?.message.contains("strings need quotes") == true)
        #expect(err("[t]\n[t]")?.line == 2)
        #expect(err("s = \"open")?.message.contains("unterminated") == true)
        #expect(err("s = \"bad \\q\"")?.message.contains("unknown escape") == true)
        #expect(err("d = 2024-01-01")?.message.contains("dates") == true)
        #expect(err("a = 1 b = 2")?.line == 1)
        #expect(err("arr = [1, 2")?.message.contains("unterminated array") == true)
        #expect(err("a = 1\n[a]")?.line == 2)
    }
}

@Suite struct FleetFileTests {
    @Test func hostsInFileOrder() throws {
        let hosts = try FleetFile.parse("""
        [[host]]
        name = "xen-a"
        uri = "xen+ssh://root@xen-a/system"
        group = "rack 3"

        [[host]]
        uri = "qemu:///system"
        """)
        #expect(hosts.count == 2)
        #expect(hosts[0] == HostConfig(name: "xen-a", uri: "xen+ssh://root@xen-a/system", group: "rack 3"))
        #expect(hosts[1].name == "qemu:///system" && hosts[1].group == nil)
    }

    @Test func clearOneLineErrors() {
        func message(_ text: String) -> String {
            do { _ = try FleetFile.parse(text, source: "fleet.toml"); return "" } catch { return "\(error)" }
        }
        #expect(message("[[host]]\nname = \"a\"") == "fleet.toml: host #1: missing 'uri'")
        #expect(message("[[host]]\nuri = 5") == "fleet.toml: host #1: line 2: 'uri' must be a string, not integer")
        #expect(message("[[host]]\nuri = \"x\"\n[[host]]\nuri = \"x\"").contains("duplicate host name"))
        #expect(message("[[host]]\nuri = \"x\"\nport = 1").contains("line 3: unknown key 'port'"))
        #expect(message("") == "fleet.toml: no [[host]] entries")
        #expect(message("[[host]]\nuri = \"x").hasPrefix("fleet.toml: line 2:"))
        #expect(!message("[[host]]\nuri = \"x").contains("\n"))
    }
}
