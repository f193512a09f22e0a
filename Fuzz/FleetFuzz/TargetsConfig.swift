import ConsoleCore
import FleetCore
import Foundation

let configSeed = """
    sort = "cpu"
    sort_descending = true
    columns = ["host", "name", "state", "cpu", "mem"]
    theme = "dark"
    delay = 3.0
    group_by_host = false
    [screens]
    period = 30
    concurrency = 8
    per_host = 2
    timeout = 5.5
    [[screens.rule]]
    name = "db-ready"
    regex = '(?i)database system is ready'
    severity = "ok"
    where = "last"
    [[screens.rule]]
    name = "grub"
    enabled = false
    """

let fleetSeed = """
    # a fleet
    [[host]]
    name = "xen-a"
    uri = "xen+ssh://root@xen-a:2222/system?keyfile=/root/.ssh/id&no_verify=1"
    group = "rack 3"
    [[host]]
    name = "local"
    uri = "qemu:///system"
    id = 'x\\u00e9'
    """

let screenSeed = "Debian GNU/Linux 12 web-1 tty1\n\nweb-1 login: \n[  3.1] Kernel panic - not syncing: VFS"

let configTargets: [FuzzTarget] = [
    FuzzTarget("toml", "TOML documents (TOML.parse): strings, escapes, numbers, arrays, tables, arrays of tables",
               seeds: [utf8(configSeed), utf8(fleetSeed), utf8("a = [1, 2.5e3, 0x1F, -inf, \"\\U0001F600\"]\n[b.c]\nd = { e = 1979-05-27T07:32:00Z }")]) { bytes in
        _ = try? TOML.parse(text(bytes))
    },
    FuzzTarget("config", "config.toml as the monitor reads it (MonitorSettings: sort, columns, theme, [screens] rules)",
               seeds: [utf8(configSeed)]) { bytes in
        guard let (settings, _) = try? MonitorSettings.parse(text(bytes)) else { return }
        // What W writes (tomlText) must read back as the same settings, without a warning.
        guard let (again, warnings) = try? MonitorSettings.parse(settings.tomlText) else {
            fatalError("config: W's text is not TOML:\n\(settings.tomlText)")
        }
        precondition(warnings.isEmpty && again == settings, "config: W's text reads back differently: \(warnings)\n\(settings.tomlText)")
    },
    FuzzTarget("screens", "screen rules from config.toml compiled (ICU regex) and run over a guest's screen text",
               seeds: [utf8(configSeed) + [0] + utf8(screenSeed)]) { bytes in
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        guard let (settings, _) = try? MonitorSettings.parse(text(Array(bytes[..<split]))) else { return }
        guard let classifier = try? ScreenClassifier(userRules: settings.screens.rules) else { return }
        let lines = text(split < bytes.count ? Array(bytes[(split + 1)...]) : []).components(separatedBy: "\n")
        let screen = ScreenText(lines: lines, cols: lines.map(\.count).max() ?? 0)
        _ = classifier.classify(screen)
        _ = classifier.classify(.text(screen))
    },
    FuzzTarget("theme", "theme files (theme[role]=\"#rrggbb\"), and a parsed theme written and read back",
               seeds: BuiltinThemes.names.compactMap { BuiltinThemes.text($0) }.map(utf8)) { bytes in
        let (theme, _) = Theme.parse(text(bytes), name: "fuzz", base: BuiltinThemes.defaultTheme)
        let (again, warnings) = Theme.parse(theme.fileText(header: "fuzz"), name: "fuzz", base: BuiltinThemes.allDefault)
        precondition(warnings.isEmpty && again.colors == theme.colors, "theme: fileText does not read back: \(warnings)")
        _ = ThemeStyles(theme: theme)
    },
    FuzzTarget("fleetfile", "fleet files ([[host]] name/uri/group) and each URI's checks and display route",
               seeds: [utf8(fleetSeed)]) { bytes in
        guard let hosts = try? FleetFile.parse(text(bytes)) else { return }
        for h in hosts {
            _ = LibvirtURI.problem(h.uri)
            _ = LibvirtURI.nonInteractive(h.uri)
            _ = try? DisplayLocator.parse(uri: h.uri)
        }
    },
    FuzzTarget("uri", "libvirt URIs as given with -c (LibvirtURI checks, DisplayLocator's parts)",
               seeds: ["qemu+ssh://user@host:22/system?keyfile=/k&socket=/s", "xen:///system", "test:///default",
                       "qemu+tls://[::1]/system"].map(utf8)) { bytes in
        let uri = text(bytes)
        _ = LibvirtURI.problem(uri)
        _ = LibvirtURI.nonInteractive(uri)
        _ = try? DisplayLocator.parse(uri: uri)
    },
]
