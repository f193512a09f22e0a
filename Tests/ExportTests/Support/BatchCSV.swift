import Foundation

/// Reads `fleettui -b --csv` output: a header line, then one line per domain per iteration.
struct BatchCSV {
    struct Row { var fields: [String: String]; var domainName: String; var cpu: Double? }
    let header: [String]
    let rows: [Row]
    let iterationColumn: String?

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
        guard let first = lines.first else { throw TestFailure(description: "empty CSV \(path)") }
        let header = Self.split(first).map { $0.lowercased() }
        self.header = header
        let nameCol = ["domain", "name", "domain_name"].first { header.contains($0) }
        let cpuCol = header.first { $0.contains("cpu") && ($0.contains("%") || $0.contains("pct") || $0.contains("percent")) }
        guard let nameCol, let cpuCol else { throw TestFailure(description: "CSV header without domain name or %CPU column: \(first)") }
        iterationColumn = ["iteration", "generation", "time", "timestamp"].first { header.contains($0) }
        rows = lines.dropFirst().compactMap { line in
            let f = Self.split(line)
            guard f.count == header.count else { return nil }
            let fields = Dictionary(zip(header, f), uniquingKeysWith: { a, _ in a })
            return Row(fields: fields, domainName: fields[nameCol] ?? "", cpu: Double(fields[cpuCol] ?? ""))
        }
    }

    var iterations: [String] {
        guard let c = iterationColumn else { return [""] }
        var seen: [String] = []
        for r in rows { let v = r.fields[c] ?? ""; if seen.last != v && !seen.contains(v) { seen.append(v) } }
        return seen
    }

    func rows(inIteration it: String) -> [Row] {
        guard let c = iterationColumn else { return rows }
        return rows.filter { $0.fields[c] == it }
    }

    /// RFC 4180 fields (quoted fields may hold commas and doubled quotes).
    static func split(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        var it = line.makeIterator()
        while let ch = it.next() {
            if quoted {
                if ch == "\"" {
                    if let n = it.next() { if n == "\"" { cur.append("\"") } else { quoted = false; if n == "," { out.append(cur); cur = "" } else { cur.append(n) } } }
                    else { quoted = false }
                } else { cur.append(ch) }
            } else if ch == "\"" { quoted = true }
            else if ch == "," { out.append(cur); cur = "" }
            else { cur.append(ch) }
        }
        out.append(cur)
        return out
    }
}
