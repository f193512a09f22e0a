import ArgumentParser
import FleetCore
import Foundation

/// What the monitor (and batch output) shows and how. The monitor's settings file is read first
/// ($XDG_CONFIG_HOME/fleettui/config.toml, unless --no-init-file); these flags override it.
struct UIOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Sort by FIELD (monitor and batch output): \(DomainColumn.fieldList) (virt-top's names too: netrx, nettx, blockrdrq, blockwrrq …).", valueName: "FIELD"))
    var sort: String?

    @Option(name: .long, help: ArgumentHelp("Columns, comma-separated (monitor and batch output; CSV and JSON print the fields of these columns): \(DomainColumn.fieldList).", valueName: "LIST"))
    var columns: String?

    @Flag(name: .customShort("1"), help: "Start in the physical CPUs view (virt-top's -1; key 1).")
    var pcpuView = false
    @Flag(name: .customShort("2"), help: "Start in the network interfaces view (virt-top's -2; key 2).")
    var networkView = false
    @Flag(name: .customShort("3"), help: "Start in the block devices view (virt-top's -3; key 3).")
    var blockView = false
    @Flag(name: .customShort("4"), help: "Start in the hosts view (key 4 or H).")
    var hostsView = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Block I/O columns in bytes per second (the default), or with --no-block-in-bytes in requests per second (virt-top's default; key B).")
    var blockInBytes: Bool?

    @Option(name: .long, help: ArgumentHelp("Colour theme: dark, light, monochrome, high-contrast, a theme in a themes folder, or a .theme file.", valueName: "NAME|FILE"))
    var theme: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Group domains by host, with host totals (toggle with g).")
    var groupByHost: Bool?

    @Flag(name: .long, help: "Do not capture the mouse (leaves the terminal's own selection working).")
    var noMouse = false

    @Flag(name: .long, help: "Draw with ASCII only, even in a UTF-8 locale.")
    var ascii = false

    @Option(name: [.long, .customLong("init-file")], help: ArgumentHelp("Monitor settings file (virt-top's --init-file). Default: $XDG_CONFIG_HOME/fleettui/config.toml", valueName: "FILE"))
    var config: String?

    @Flag(name: .long, help: "Do not read the settings file, and let W not write it (virt-top's --no-init-file).")
    var noInitFile = false

    @Flag(name: .long, help: "Do not look at the guests' screens (no SCREEN column values, no screens view).")
    var noScreens = false

    /// The first view: -1 -2 -3 -4.
    var initialView: MonitorView? {
        pcpuView ? .pcpus : networkView ? .network : blockView ? .block : hostsView ? .hosts : nil
    }

    /// -o, parsed; nil when not given.
    func sortSpec() throws -> SortSpec? {
        guard let f = sort else { return nil }
        guard let c = DomainColumn(field: f) else {
            throw ValidationError("unknown sort field '\(Sanitize.oneLine(f, limit: 40))' for -o/--sort (one of: \(DomainColumn.fieldList))")
        }
        return SortSpec(column: c)
    }

    /// --columns, parsed; nil when not given.
    func columnList() throws -> [DomainColumn]? {
        guard let list = columns else { return nil }
        let (cols, unknown) = DomainColumn.parseList(list)
        guard unknown.isEmpty, !cols.isEmpty else {
            let what = unknown.isEmpty ? "no column in '\(Sanitize.oneLine(list, limit: 40))'"
                                       : "unknown column(s) \(unknown.map { "'" + Sanitize.oneLine($0, limit: 40) + "'" }.joined(separator: ", "))"
            throw ValidationError("\(what) for --columns (known: \(DomainColumn.fieldList))")
        }
        return cols
    }

    mutating func validate() throws {
        _ = try sortSpec()
        _ = try columnList()
        if [pcpuView, networkView, blockView, hostsView].filter({ $0 }).count > 1 {
            throw ValidationError("-1, -2, -3 and -4 each choose the first view: give one")
        }
        if noInitFile && config != nil { throw ValidationError("--no-init-file and --config/--init-file contradict each other: give one") }
        if let t = theme {
            do { _ = try ThemeLoader.load(t) } catch { throw ValidationError("\(error)") }
        }
    }
}

/// `--colors` for every command that prints colours: the monitor, the console, batch text, `screen`, `render`.
struct ColourOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Colours: auto (when stdout is a terminal and NO_COLOR is unset), always, never, or a depth that forces them: 24bit, 256, 16, 8.", valueName: "WHEN"))
    var colors: String = "auto"

    var setting: ColourSetting { ColourSetting(argument: colors) ?? .auto }

    /// The level for output written to stdout (not through curses).
    var stdoutLevel: ColourLevel {
        ColourRule.resolve(setting, environment: ProcessInfo.processInfo.environment, isTTY: isatty(STDOUT_FILENO) == 1)
    }

    func validate() throws {
        if ColourSetting(argument: colors) == nil {
            throw ValidationError("unknown value '\(Sanitize.oneLine(colors, limit: 20))' for --colors (one of: \(ColourSetting.valid))")
        }
    }
}
