/// The few non-ASCII symbols the monitor draws, with ASCII stand-ins for terminals whose locale is not UTF-8.
public struct Glyphs: Sendable, Hashable {
    public var ellipsis: String
    /// Eight levels, lowest first, for sparklines.
    public var spark: [String]
    public var sortDescending: String
    public var sortAscending: String
    public var hostUp: String
    public var hostDown: String
    public var stale: String
    public var barFull: String
    public var barEmpty: String
    public var groupOpen: String
    public var branch: String
    public var lastBranch: String
    public var separator: String

    public static let unicode = Glyphs(
        ellipsis: "…", spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], sortDescending: "▼", sortAscending: "▲",
        hostUp: "●", hostDown: "✖", stale: "!", barFull: "|", barEmpty: " ", groupOpen: "▾",
        branch: "├", lastBranch: "└", separator: "│")

    public static let ascii = Glyphs(
        ellipsis: "~", spark: ["_", ".", ",", "-", "~", "=", "*", "#"], sortDescending: "v", sortAscending: "^",
        hostUp: "+", hostDown: "X", stale: "!", barFull: "|", barEmpty: " ", groupOpen: "-",
        branch: "|", lastBranch: "`", separator: "|")

    /// Picks the set for a locale's codeset name ("UTF-8", "ANSI_X3.4-1968", …).
    public static func forCodeset(_ codeset: String) -> Glyphs {
        let c = String(codeset.lowercased().filter { $0 != "-" && $0 != "_" })
        return c == "utf8" ? .unicode : .ascii
    }

    /// Cuts `s` to `width` display columns, marking the cut with this set's ellipsis.
    public func truncate(_ s: String, to width: Int) -> String {
        if width <= 0 { return "" }
        if isPlainASCII(s) {
            if s.utf8.count <= width { return s }
            return String(s.prefix(width - 1)) + ellipsis
        }
        if DisplayWidth.of(s) <= width { return s }
        var out = ""; var col = 0
        for ch in s {
            let w = DisplayWidth.of(ch)
            if col + w > width - 1 { break }
            out.append(ch); col += w
        }
        return out + ellipsis
    }
}

@inline(__always) func isPlainASCII(_ s: String) -> Bool {
    s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
}
