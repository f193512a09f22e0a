/// The `[screens]` part of config.toml: how often and how many displays the screen sampler reads, and the
/// user's rules.
///
///     [screens]
///     period = 30            # seconds between two looks at one guest's screen
///     concurrency = 8        # displays read at once, in total …
///     per_host = 4           # … and per host
///     timeout = 5            # seconds to connect and get a picture
///
///     [[screens.rule]]
///     name = "db-ready"                         # a state name (a built-in's name overrides it)
///     regex = "database system is ready"        # ICU syntax; (?i) for any case
///     severity = "ok"                           # ok, info, warning, critical
///     where = "screen"                          # screen (any line, default) or last (last non-empty line)
public struct ScreenSettings: Sendable, Hashable {
    public var period: Double = 30
    public var concurrency: Int = 8
    public var perHost: Int = 4
    public var timeout: Double = 5
    public var rules: [ScreenRuleSpec] = []

    public init() {}

    static let keys = ["period", "concurrency", "per_host", "timeout", "rule"]
    static let ruleKeys = ["name", "regex", "severity", "where", "enabled"]

    /// Reads the `[screens]` table. Bad values give warnings and keep the default; a bad rule is left out
    /// with a warning that names it, so one typo never loses the others.
    public static func parse(_ table: TOMLTable?) -> (settings: ScreenSettings, warnings: [String]) {
        var s = ScreenSettings()
        var warnings: [String] = []
        guard let t = table else { return (s, []) }
        func warn(_ key: String, _ msg: String) { warnings.append("line \(t.line(of: key) ?? 0): screens: \(msg)") }
        for key in t.keys where !keys.contains(key) { warn(key, "unknown key '\(Sanitize.oneLine(key, limit: 40))' ignored") }
        if let v = t["period"] {
            if let d = v.double, d >= 1, d <= 86_400 { s.period = d } else { warn("period", "period must be 1 to 86400 seconds") }
        }
        if let v = t["concurrency"] {
            if let n = v.integer, (1...256).contains(n) { s.concurrency = Int(n) } else { warn("concurrency", "concurrency must be 1 to 256") }
        }
        if let v = t["per_host"] {
            if let n = v.integer, (1...64).contains(n) { s.perHost = Int(n) } else { warn("per_host", "per_host must be 1 to 64") }
        }
        if let v = t["timeout"] {
            if let d = v.double, d >= 0.5, d <= 120 { s.timeout = d } else { warn("timeout", "timeout must be 0.5 to 120 seconds") }
        }
        if let v = t["rule"] {
            guard let list = v.array, list.allSatisfy({ $0.table != nil }) else {
                warn("rule", "rules are written as [[screens.rule]] tables")
                return (s, warnings)
            }
            for (i, item) in list.enumerated() {
                let r = item.table!
                let label = r["name"]?.string.map { "rule '\(Sanitize.oneLine($0, limit: 40))'" } ?? "rule #\(i + 1)"
                func bad(_ key: String, _ msg: String) {
                    warnings.append("line \(r.line(of: key) ?? t.line(of: "rule") ?? 0): screens: \(label): \(msg); rule ignored")
                }
                for key in r.keys where !ruleKeys.contains(key) {
                    warnings.append("line \(r.line(of: key) ?? 0): screens: \(label): unknown key '\(Sanitize.oneLine(key, limit: 40))' ignored")
                }
                guard let name = r["name"]?.string, isStateName(name) else {
                    bad("name", "name must be a state name (letters, digits, - and _; at most 12)"); continue
                }
                var spec = ScreenRuleSpec(name: name)
                if let v = r["regex"] {
                    guard let src = v.string else { bad("regex", "regex must be a string"); continue }
                    do { _ = try ScreenPattern(src) } catch { bad("regex", error.description); continue }
                    spec.regex = src
                }
                if let v = r["severity"] {
                    guard let sv = v.string.flatMap(ScreenSeverity.init(name:)) else {
                        bad("severity", "severity must be ok, info, warning or critical"); continue
                    }
                    spec.severity = sv
                }
                if let v = r["where"] {
                    guard let w = v.string.flatMap(ScreenRuleScope.init(rawValue:)) else {
                        bad("where", "where must be \"screen\" or \"last\""); continue
                    }
                    spec.scope = w
                }
                if let v = r["enabled"] {
                    guard let b = v.bool else { bad("enabled", "enabled must be true or false"); continue }
                    spec.enabled = b
                }
                do { _ = try ScreenClassifier(userRules: [spec]) } catch { bad("name", error.description); continue }
                s.rules.append(spec)
            }
        }
        return (s, warnings)
    }

    /// State names are short words: they are a column's values and `screen:NAME` filters.
    public static func isStateName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 12 && s.unicodeScalars.allSatisfy {
            ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x41 && $0.value <= 0x5A)
                || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "-" || $0 == "_"
        }
    }

    /// The rules with the built-in ones (never fails: `parse` left out the rules that would).
    public var classifier: ScreenClassifier {
        (try? ScreenClassifier(userRules: rules)) ?? .builtIn
    }

    /// The `[screens]` section as config.toml has it (written by the monitor's `W` after its own keys, so
    /// writing the settings never loses the user's rules). Empty when everything is the default.
    public var tomlText: String {
        let d = ScreenSettings()
        var out = ""
        func q(_ s: String) -> String { TOMLWriter.quote(s) }
        var head: [String] = []
        if period != d.period { head.append("period = \(TOMLWriter.number(period))") }
        if concurrency != d.concurrency { head.append("concurrency = \(concurrency)") }
        if perHost != d.perHost { head.append("per_host = \(perHost)") }
        if timeout != d.timeout { head.append("timeout = \(TOMLWriter.number(timeout))") }
        if head.isEmpty && rules.isEmpty { return "" }
        out += "\n[screens]\n" + head.map { $0 + "\n" }.joined()
        for r in rules {
            out += "\n[[screens.rule]]\nname = \(q(r.name))\n"
            if let x = r.regex { out += "regex = \(q(x))\n" }
            if let x = r.severity { out += "severity = \(q(x.description))\n" }
            if let x = r.scope { out += "where = \(q(x.rawValue))\n" }
            if !r.enabled { out += "enabled = false\n" }
        }
        return out
    }
}

/// TOML values as FleetTUI writes them.
public enum TOMLWriter {
    /// A basic string: backslash, quote and control characters escaped.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let h = String(u.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    public static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? "\(Int64(d)).0" : "\(d)"
    }
}
