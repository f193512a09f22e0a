import Foundation

/// `fleettui screens`: which screens match (`--grep`, `--state`), and how they are printed. Pure: the command
/// hands it the sampler's screens.
public enum ScreenReport {
    public enum Format: Sendable { case lines, text, csv, json }

    /// A screen that matched, with the line to show: the first line `--grep` matched, else the line that decided
    /// the state, else the last non-empty line (without the spaces around it: a centred menu title reads as one).
    public struct Item: Sendable {
        public var screen: DomainScreen
        public var line: String?
        init(screen: DomainScreen, line: String?) {
            self.screen = screen
            self.line = line.map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Screens in host, then domain order, kept when they show a line matching `grep` and their state is in
    /// `states` (nil: any).
    public static func select(_ screens: [DomainScreen], grep: ScreenPattern?, states: Set<String>?) -> [Item] {
        let sorted = screens.sorted { ($0.hostName, $0.domainName, $0.key.uuid) < ($1.hostName, $1.domainName, $1.key.uuid) }
        var out: [Item] = []
        for s in sorted {
            if let states, !states.contains(s.state.name) { continue }
            if let grep {
                guard let t = s.text else { continue }
                let lines = ScreenLines(t.trimmedLines)
                guard let i = grep.firstMatchingLine(in: lines) else { continue }
                out.append(Item(screen: s, line: lines.lines[i]))
            } else {
                out.append(Item(screen: s, line: s.state.line ?? s.text?.lastNonEmpty?.line))
            }
        }
        return out
    }

    /// Shown where a screen has no line: blank screens and pictures.
    public static func placeholder(_ s: DomainScreen) -> String {
        switch s.observation {
        case .blank: return "(blank screen)"
        case .picture(let w, let h): return "(picture \(w)x\(h))"
        default: return "-"
        }
    }

    public static let csvColumns = ["host", "domain", "uuid", "state", "severity", "line", "seen", "changed", "route"]

    public static func render(_ items: [Item], format: Format) -> String {
        switch format {
        case .lines:
            // Columns padded to the widest of this output; names sanitised (they come from libvirt).
            let hosts = items.map { Sanitize.oneLine($0.screen.hostName, limit: 40) }
            let names = items.map { Sanitize.oneLine($0.screen.domainName, limit: 60) }
            let hw = hosts.map { DisplayWidth.of($0) }.max() ?? 0
            let nw = names.map { DisplayWidth.of($0) }.max() ?? 0
            let sw = items.map { $0.screen.state.name.count }.max() ?? 0
            var out = ""
            for (i, it) in items.enumerated() {
                out += padded(hosts[i], hw) + "  " + padded(names[i], nw) + "  " + padded(it.screen.state.name, sw) + "  "
                out += it.line.map { Sanitize.forTerminal($0) } ?? placeholder(it.screen)
                out += "\n"
            }
            return out
        case .text:
            var out = ""
            for it in items {
                let s = it.screen
                out += "== \(Sanitize.oneLine(s.hostName, limit: 40)) / \(Sanitize.oneLine(s.domainName, limit: 60)): "
                out += "\(s.state.name) (\(s.state.severity))  via \(Sanitize.oneLine(s.route, limit: 80))\n"
                switch s.observation {
                case .text(let t): for l in t.trimmedLines { out += Sanitize.forTerminal(l) + "\n" }
                case .unreachable(let why), .locked(let why): out += "(\(Sanitize.oneLine(why)))\n"
                default: out += placeholder(s) + "\n"
                }
                out += "\n"
            }
            return out
        case .csv:
            return items.map { CSV.line(fields($0)) }.joined()
        case .json:
            return items.map { it -> String in
                var o = "{"
                for (k, (key, value)) in zip(csvColumns, fields(it)).enumerated() {
                    o += (k > 0 ? "," : "") + JSONLine.string(key) + ":" + JSONLine.string(value)
                }
                o += ",\"screen\":"
                if let t = it.screen.text {
                    o += "[" + t.trimmedLines.map { JSONLine.string($0) }.joined(separator: ",") + "]"
                } else {
                    o += "null"
                }
                return o + "}\n"
            }.joined()
        }
    }

    static func fields(_ it: Item) -> [String] {
        let s = it.screen
        return [s.hostName, s.domainName, s.key.uuid, s.state.name, s.state.severity.description,
                it.line ?? "", DomainRecord.timestamp(s.seenAt), DomainRecord.timestamp(s.changedAt), s.route]
    }

    static func padded(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - DisplayWidth.of(s)))
    }
}
