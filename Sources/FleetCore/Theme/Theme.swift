/// A colour theme: one colour per role. Loaded from `Themes/NAME.theme` (btop's format) or built in.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var colors: [ThemeRole: TermColor]

    public init(name: String, colors: [ThemeRole: TermColor]) { self.name = name; self.colors = colors }

    public subscript(role: ThemeRole) -> TermColor { colors[role] ?? .default }

    /// True when the theme has no colours at all (monochrome): the palette then uses attributes only.
    public var isMonochrome: Bool { colors.values.allSatisfy { $0 == .default } }

    public struct Warning: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses theme text: `theme[key]="#rrggbb"` (or "default"), `#` comments, blank lines. Unknown keys and
    /// malformed lines give warnings and are skipped; missing keys take the value of `base`.
    public static func parse(_ text: String, name: String, base: Theme) -> (theme: Theme, warnings: [Warning]) {
        var theme = Theme(name: name, colors: base.colors)
        var warnings: [Warning] = []
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingSpaces().trimmingCR()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                warnings.append(Warning(line: n + 1, message: "not a theme[key]=\"value\" line")); continue
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close]).trimmingSpaces()
            var rest = Substring(line[line.index(after: close)...]).trimmingSpaces()
            guard rest.hasPrefix("=") else {
                warnings.append(Warning(line: n + 1, message: "missing '=' after theme[\(key)]")); continue
            }
            rest = String(rest.dropFirst()).trimmingSpaces()
            // Allow a trailing comment after the value.
            if rest.hasPrefix("\""), let end = rest.dropFirst().firstIndex(of: "\"") {
                rest = String(rest[rest.index(after: rest.startIndex)..<end])
            } else if let hash = rest.firstIndex(of: " ") {
                rest = String(rest[..<hash])
            }
            guard let role = ThemeRole(rawValue: key) else {
                warnings.append(Warning(line: n + 1, message: "unknown key '\(Sanitize.oneLine(key, limit: 40))' ignored")); continue
            }
            guard let color = parseColor(rest) else {
                warnings.append(Warning(line: n + 1, message: "bad colour '\(Sanitize.oneLine(rest, limit: 40))' for \(key); using the default")); continue
            }
            theme.colors[role] = color
        }
        return (theme, warnings)
    }

    /// "#rrggbb", "#rgb", "default"/"" (terminal default), or a 0-255 palette index.
    public static func parseColor(_ s: String) -> TermColor? {
        let v = s.lowercased()
        if v.isEmpty || v == "default" || v == "none" { return .default }
        if v.hasPrefix("#") {
            let hex = Array(v.dropFirst())
            func h(_ c: Character) -> UInt8? { c.hexDigitValue.map(UInt8.init) }
            if hex.count == 6, let r1 = h(hex[0]), let r2 = h(hex[1]), let g1 = h(hex[2]), let g2 = h(hex[3]),
               let b1 = h(hex[4]), let b2 = h(hex[5]) {
                return .rgb(r1 << 4 | r2, g1 << 4 | g2, b1 << 4 | b2)
            }
            if hex.count == 3, let r = h(hex[0]), let g = h(hex[1]), let b = h(hex[2]) {
                return .rgb(r * 17, g * 17, b * 17)
            }
            return nil
        }
        if let n = Int(v), (0...255).contains(n) { return .indexed(UInt8(n)) }
        return nil
    }

    /// The file text of this theme (what `Themes/*.theme` hold).
    public func fileText(header: String) -> String {
        var out = header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n") + "\n\n"
        for role in ThemeRole.allCases {
            let c: String
            switch self[role] {
            case .default: c = "default"
            case .indexed(let n): c = String(n)
            case .rgb(let r, let g, let b): c = "#" + hex2(r) + hex2(g) + hex2(b)
            }
            out += "theme[\(role.rawValue)]=\"\(c)\"\n"
        }
        return out
    }
}

private func hex2(_ v: UInt8) -> String {
    let s = String(v, radix: 16)
    return s.count == 1 ? "0" + s : s
}

extension StringProtocol {
    func trimmingCR() -> String { hasSuffix("\r") ? String(dropLast()) : String(self) }
}
