/// How much a screen state matters: the SCREEN column's colour, `--state` lists, alerts.
public enum ScreenSeverity: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case ok, info, warning, critical

    public init?(name: String) {
        switch name.lowercased() {
        case "ok": self = .ok
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "critical", "crit": self = .critical
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .ok: "ok"
        case .info: "info"
        case .warning: "warning"
        case .critical: "critical"
        }
    }

    public static func < (a: ScreenSeverity, b: ScreenSeverity) -> Bool { a.rawValue < b.rawValue }
}

/// What a guest's screen shows, as decided by the rules: a state name, its severity, and the line that
/// decided it (nil for blank screens and pictures).
public struct ScreenState: Sendable, Hashable {
    public var name: String
    public var severity: ScreenSeverity
    public var line: String?

    public init(name: String, severity: ScreenSeverity, line: String? = nil) {
        self.name = name; self.severity = severity; self.line = line
    }
}

/// Which lines a rule looks at.
public enum ScreenRuleScope: String, Sendable, Hashable {
    /// Any line of the screen (a panic's message may have scrolled up under its trace).
    case screen
    /// Only the last line with anything on it: prompts and questions, which are only the state while they
    /// are the last thing on the screen.
    case last
}

/// One rule: a state name, its severity, and the pattern that shows it.
public struct ScreenRule: Sendable, Hashable {
    public var name: String
    public var pattern: ScreenPattern
    public var severity: ScreenSeverity
    public var scope: ScreenRuleScope

    public init(name: String, pattern: ScreenPattern, severity: ScreenSeverity, scope: ScreenRuleScope = .screen) {
        self.name = name; self.pattern = pattern; self.severity = severity; self.scope = scope
    }
}

/// Turns observations into states. Rules are tried in order — the user's (config.toml, in file order),
/// then the built-in ones, most serious first — and the first that matches decides. Screens that are not
/// text get their state from what was seen: blank, picture, unreachable, locked; text that no rule knows is
/// `text` (deciding line: its last non-empty line).
public struct ScreenClassifier: Sendable {
    public private(set) var rules: [ScreenRule]
    /// Severities of the states no pattern decides (blank, picture, unreachable, locked, text).
    public private(set) var fixedSeverity: [String: ScreenSeverity]

    /// States decided by what was seen, not by a pattern.
    public static let fixedStates = ["blank", "picture", "unreachable", "locked", "text"]

    /// The built-in rules, checked against real guests in the test bed (Tests/Bed/screens) and, for what the
    /// bed cannot show (systemd's emergency mode, initramfs shells, oopses), against their real messages.
    public static let builtInRules: [ScreenRule] = {
        func rule(_ name: String, _ severity: ScreenSeverity, _ scope: ScreenRuleScope, _ pattern: String) -> ScreenRule {
            // Built-in patterns are tested (ScreenRulesTests): a bad one is a programming error.
            ScreenRule(name: name, pattern: try! ScreenPattern(pattern), severity: severity, scope: scope)
        }
        return [
            rule("panic", .critical, .screen,
                 #"Kernel panic - not syncing|^\(XEN\) Panic on CPU \d+|^panic: "#),
            rule("oops", .critical, .screen,
                 #"^\s*(\[ *\d+\.\d+\] )?(Oops: |BUG: |general protection fault|kernel BUG at|Unable to handle kernel )"#),
            rule("emergency", .critical, .screen,
                 #"You are in (emergency|rescue) mode|Give root password for maintenance|Entering emergency mode|Dropping to a shell!|^\(initramfs\)( |$)|^dracut:/#( |$)"#),
            rule("noboot", .critical, .screen,
                 #"No bootable device|Boot failed: not a bootable disk|No bootable option or device was found|Operating System not found|Missing operating system|^grub rescue>( |$)"#),
            rule("fsck", .warning, .screen,
                 #"UNEXPECTED INCONSISTENCY|RUN fsck MANUALLY|Run fsck manually|<y>\? *$"#),
            rule("uefi", .warning, .screen,
                 #"UEFI Interactive Shell|EFI Internal Shell|^Shell>( |$)|^FS\d+:\\.*>( |$)|Boot Maintenance Manager|Press ESC in \d+ seconds? to skip startup\.nsh|^\s*Device Manager\s*$"#),
            rule("grub", .warning, .screen,
                 #"GNU GRUB +version|^grub>( |$)|Minimal BASH-like line editing is supported"#),
            rule("login", .ok, .last,
                 #"(^|\s)login: *$|^Password: *$"#),
            rule("shell", .info, .last,
                 #"^(\S+@\S+(:\S*)?|\[[^\]]+\]|[~/]\S*|\S+:\S*|[A-Za-z]+-\d+(\.\d+)*) ?[#$%] *$|^\S+@\S+:\S*[#$] .*$"#),
        ]
    }()

    public static let defaultFixedSeverity: [String: ScreenSeverity] = [
        "blank": .info, "picture": .info, "unreachable": .warning, "locked": .info, "text": .info,
    ]

    public static let builtIn = ScreenClassifier(rules: builtInRules, fixedSeverity: defaultFixedSeverity)

    public init(rules: [ScreenRule], fixedSeverity: [String: ScreenSeverity] = ScreenClassifier.defaultFixedSeverity) {
        self.rules = rules
        self.fixedSeverity = fixedSeverity
    }

    /// The built-in rules with the user's on top: a user rule with a built-in's name replaces it (a rule
    /// without a regex only changes its severity, `enabled = false` drops it); other user rules are new
    /// states, tried before the built-in ones.
    public init(userRules: [ScreenRuleSpec]) throws(ScreenConfigError) {
        var builtIns = ScreenClassifier.builtInRules
        var fixed = ScreenClassifier.defaultFixedSeverity
        var mine: [ScreenRule] = []
        for spec in userRules {
            let name = spec.name
            if ScreenClassifier.fixedStates.contains(name) {
                if spec.regex != nil { throw ScreenConfigError("rule '\(name)': a \(name) screen is not decided by a regex; give only its severity") }
                if let s = spec.severity { fixed[name] = s }
                continue
            }
            let builtIn = builtIns.firstIndex { $0.name == name }
            if !spec.enabled {
                if let i = builtIn { builtIns.remove(at: i) }
                mine.removeAll { $0.name == name }
                continue
            }
            if let source = spec.regex {
                let pattern: ScreenPattern
                do { pattern = try ScreenPattern(source) } catch { throw ScreenConfigError("rule '\(name)': \(error)") }
                let base = builtIn.map { builtIns[$0] }
                if let i = builtIn { builtIns.remove(at: i) }
                mine.append(ScreenRule(name: name, pattern: pattern, severity: spec.severity ?? base?.severity ?? .warning,
                                       scope: spec.scope ?? base?.scope ?? .screen))
            } else if let i = builtIn {
                if let s = spec.severity { builtIns[i].severity = s }
                if let w = spec.scope { builtIns[i].scope = w }
            } else {
                throw ScreenConfigError("rule '\(name)' needs a regex (it is not a built-in state)")
            }
        }
        self.init(rules: mine + builtIns, fixedSeverity: fixed)
    }

    /// Every state name these rules can give, in rule order, then the fixed ones.
    public var stateNames: [String] { rules.map(\.name) + ScreenClassifier.fixedStates }

    public func severity(ofState name: String) -> ScreenSeverity? {
        fixedSeverity[name] ?? rules.first { $0.name == name }?.severity
    }

    public func classify(_ observation: ScreenObservation) -> ScreenState {
        switch observation {
        case .blank: return fixedState("blank")
        case .picture: return fixedState("picture")
        case .unreachable(let why): return fixedState("unreachable", line: why)
        case .locked(let why): return fixedState("locked", line: why)
        case .text(let t): return classify(t)
        }
    }

    public func classify(_ text: ScreenText) -> ScreenState {
        guard let last = text.lastNonEmpty else { return fixedState("blank") }
        // Lines up to the last non-empty one, joined once for every screen-wide rule.
        let lines = ScreenLines(text.lines[...last.row])
        for rule in rules {
            switch rule.scope {
            case .screen:
                if let i = rule.pattern.firstMatchingLine(in: lines) {
                    return ScreenState(name: rule.name, severity: rule.severity, line: lines.lines[i])
                }
            case .last:
                if rule.pattern.matches(last.line) {
                    return ScreenState(name: rule.name, severity: rule.severity, line: last.line)
                }
            }
        }
        return fixedState("text", line: last.line)
    }

    private func fixedState(_ name: String, line: String? = nil) -> ScreenState {
        ScreenState(name: name, severity: fixedSeverity[name] ?? .info, line: line)
    }
}

/// A rule as written in config.toml; nil fields keep the built-in's value.
public struct ScreenRuleSpec: Sendable, Hashable {
    public var name: String
    public var regex: String?
    public var severity: ScreenSeverity?
    public var scope: ScreenRuleScope?
    public var enabled: Bool

    public init(name: String, regex: String? = nil, severity: ScreenSeverity? = nil, scope: ScreenRuleScope? = nil,
                enabled: Bool = true) {
        self.name = name; self.regex = regex; self.severity = severity; self.scope = scope; self.enabled = enabled
    }
}

public struct ScreenConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
