/// What the user can keep between runs: `$XDG_CONFIG_HOME/fleettui/config.toml`, written by `W` (virt-top's
/// habit), read at start; command-line flags override it.
///
///     sort = "cpu"              # a column name (see DomainColumn)
///     sort_descending = true
///     columns = ["host", "name", "state", "cpu", "mem"]
///     theme = "dark"            # a theme name or a .theme file
///     delay = 3.0               # seconds
///     group_by_host = false
///     [screens] …               # the screen sampler and its rules: see ScreenSettings
public struct MonitorSettings: Sendable, Hashable {
    public var sort: SortSpec = .default
    public var columns: [DomainColumn] = DomainColumn.defaultSet
    public var theme: String = "dark"
    public var delay: Double = 3
    public var grouped = false
    public var screens = ScreenSettings()

    public init() {}

    public static let keys = ["sort", "sort_descending", "columns", "theme", "delay", "group_by_host", "screens"]

    /// Reads a config file's text. Unknown keys and bad values give warnings (file line numbers) and keep the
    /// default, so one typo never loses the rest of the file; a file that is not TOML at all throws.
    public static func parse(_ text: String) throws -> (settings: MonitorSettings, warnings: [String]) {
        let doc = try TOML.parse(text)
        var s = MonitorSettings()
        var warnings: [String] = []
        func warn(_ key: String, _ msg: String) { warnings.append("line \(doc.line(of: key) ?? 0): \(msg)") }
        for key in doc.keys where !keys.contains(key) { warn(key, "unknown key '\(Sanitize.oneLine(key, limit: 40))' ignored") }
        if let v = doc["sort"] {
            if let f = v.string, let c = DomainColumn(field: f) { s.sort = SortSpec(column: c) }
            else { warn("sort", "sort must be a column name, e.g. \"cpu\"") }
        }
        if let v = doc["sort_descending"] {
            if let b = v.bool { s.sort.descending = b } else { warn("sort_descending", "sort_descending must be true or false") }
        }
        if let v = doc["columns"] {
            let names = v.array?.compactMap(\.string) ?? []
            let (cols, unknown) = DomainColumn.parseList(names.joined(separator: ","))
            if v.array == nil || names.count != v.array!.count { warn("columns", "columns must be a list of column names") }
            else if !unknown.isEmpty { warn("columns", "unknown column(s) \(unknown.joined(separator: ", ")) ignored") }
            if !cols.isEmpty { s.columns = cols }
        }
        if let v = doc["theme"] {
            if let t = v.string, !t.isEmpty { s.theme = t } else { warn("theme", "theme must be a name or a file path") }
        }
        if let v = doc["delay"] {
            if let d = v.double, d >= 0.1, d <= 3600 { s.delay = d } else { warn("delay", "delay must be 0.1 to 3600 seconds") }
        }
        if let v = doc["group_by_host"] {
            if let b = v.bool { s.grouped = b } else { warn("group_by_host", "group_by_host must be true or false") }
        }
        if let v = doc["screens"] {
            if let t = v.table {
                let (sc, w) = ScreenSettings.parse(t)
                s.screens = sc
                warnings += w
            } else {
                warn("screens", "screens must be a table ([screens])")
            }
        }
        return (s, warnings)
    }

    /// The file `W` writes.
    public var tomlText: String {
        func q(_ s: String) -> String {
            "\"" + s.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\""
        }
        return """
        # FleetTUI monitor settings, written by the W key. Command-line flags override these.
        sort = \(q(sort.column.rawValue))
        sort_descending = \(sort.descending)
        columns = [\(columns.map { q($0.rawValue) }.joined(separator: ", "))]
        theme = \(q(theme))
        delay = \(Units.fixed(delay, decimals: delay == delay.rounded() ? 1 : 3))
        group_by_host = \(grouped)

        """ + screens.tomlText
    }
}

extension String {
    func replacingAll(_ a: Character, _ b: String) -> String {
        var out = ""
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
