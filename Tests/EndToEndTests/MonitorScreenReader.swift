import FleetCore
import Foundation

/// Reads the monitor's domain table back from a captured screen (for assertions on order and content).
struct MonitorScreenReader {
    let lines: [String]

    var headerIndex: Int? { lines.firstIndex { $0.contains(" NAME") && $0.contains("STATE") } }

    /// The cells of column `title` for every table row: the column's extent is taken from the header
    /// (right-aligned columns end where their title ends; left-aligned ones start where it starts).
    /// Positions are terminal columns, not characters: tmux's capture writes a wide character (the bed's
    /// `bed1-数据库-01`) once for its two cells, so counting characters read that row's MEM "768M" as "8M".
    func column(_ title: String, rightAligned: Bool, width: Int) -> [String] {
        guard let h = headerIndex else { return [] }
        let header = Self.cells(lines[h])
        guard let start = find(title, in: header) else { return [] }
        var end = start + title.count
        if end < header.count, "▼▲^v".contains(header[end]) { end += 1 }
        let from = rightAligned ? max(0, end - width) : start
        let to = rightAligned ? end : start + width
        var out: [String] = []
        for line in lines[(h + 1)...].dropLast() {      // the last line is the status line
            let cells = Self.cells(line)
            if cells.allSatisfy({ $0 == " " }) { break }
            let cell = String(cells[min(from, cells.count)..<min(to, cells.count)].filter { $0 != Self.continuation })
            out.append(cell.trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    /// What fills the second column of a wide character in `cells`.
    static let continuation: Character = "\u{0}"

    /// A captured line as one entry per terminal column: a character that takes two columns (DisplayWidth, the
    /// monitor's own measure: where tmux disagrees, the table's columns no longer line up and the reads fail)
    /// is followed by `continuation`.
    static func cells(_ line: String) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(line.utf8.count)
        for c in line {
            out.append(c)
            if DisplayWidth.of(c) == 2 { out.append(continuation) }
        }
        return out
    }

    private func find(_ title: String, in header: [Character]) -> Int? {
        let t = Array(title)
        guard header.count >= t.count else { return nil }
        for i in 0...(header.count - t.count) where Array(header[i..<(i + t.count)]) == t {
            // A whole word: blank (or line start) before it.
            if i == 0 || header[i - 1] == " " { return i }
        }
        return nil
    }

    /// "512B", "1.5K", "12M", "2.0G" → bytes; nil for "-".
    static func bytes(_ s: String) -> Double? {
        guard let last = s.last else { return nil }
        let mult: Double
        switch last {
        case "B": mult = 1
        case "K": mult = 1024
        case "M": mult = 1024 * 1024
        case "G": mult = 1024 * 1024 * 1024
        case "T": mult = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        return Double(s.dropLast()).map { $0 * mult }
    }
}
