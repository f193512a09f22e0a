import Foundation
import FleetCore

/// How batch mode prints one refresh of the fleet.
enum BatchFormat {
    case text, csv, json

    static func render(_ snap: FleetSnapshot, format: BatchFormat) -> String {
        let rows = snap.domains.sorted { ($0.hostName, $0.sample.name) < ($1.hostName, $1.sample.name) }
        switch format {
        case .csv:
            return rows.map { CSV.line(DomainRecord.values($0, time: snap.time)) }.joined()
        case .json:
            return rows.map { JSONLine.object(keys: DomainRecord.columns, values: DomainRecord.values($0, time: snap.time)) }.joined()
        case .text:
            return text(snap, rows)
        }
    }

    /// virt-top-like: a summary line, then one line per domain. Names come last so wide or odd
    /// names never break the columns; every outside string is sanitized.
    static func text(_ snap: FleetSnapshot, _ rows: [DomainRow]) -> String {
        let up = snap.hosts.filter { $0.state == .up || $0.state == .slow }.count
        let running = rows.filter { $0.sample.state == .running }.count
        var out = "fleettui \(DomainRecord.timestamp(snap.time))  hosts \(snap.hosts.count), \(up) up"
        if let label = snap.label { out += "  [\(label)]" }
        out += "  domains \(rows.count), \(running) running\n"
        for h in snap.hosts where h.state != .up {
            out += "  host \(Sanitize.oneLine(h.config.name)): \(h.state.rawValue)"
            if let e = h.lastError { out += " (\(e))" }
            out += "\n"
        }
        out += pad("ID", 5) + pad("STATE", 9) + pad("KIND", 5) + pad("%CPU", 7) + pad("VCPU", 5) + pad("MEM", 7)
            + pad("%MEM", 6) + pad("RDBY/s", 8) + pad("WRBY/s", 8) + pad("RXBY/s", 8) + pad("TXBY/s", 8) + " HOST NAME\n"
        for r in rows {
            let s = r.sample
            out += pad(s.id.map(String.init) ?? "-", 5)
            out += pad(r.stale ? "stale" : s.state.rawValue, 9)
            out += pad(s.kind.rawValue + (s.pvDrivers ? "+" : ""), 5)
            out += pad(r.rates.cpuPercent.map { String(format: "%.1f", $0) } ?? "-", 7)
            out += pad(s.vcpus.map(String.init) ?? "-", 5)
            out += pad(s.memCurrentKiB.map { human(Double($0) * 1024) } ?? "-", 7)
            out += pad(r.memPercent.map { String(format: "%.1f", $0) } ?? "-", 6)
            out += pad(human(r.rates.rdBytesPerSec), 8) + pad(human(r.rates.wrBytesPerSec), 8)
            out += pad(human(r.rates.rxBytesPerSec), 8) + pad(human(r.rates.txBytesPerSec), 8)
            out += " " + Sanitize.oneLine(r.hostName, limit: 40) + " " + Sanitize.oneLine(s.name, limit: 200) + "\n"
        }
        return out + "\n"
    }

    /// Right-aligned in `width` columns (plain ASCII content).
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
    }

    /// 1234567 → "1.2M"; nil → "-".
    static func human(_ v: Double?) -> String {
        guard let v else { return "-" }
        let units = ["", "K", "M", "G", "T", "P"]
        var x = v, k = 0
        while x >= 1000 && k < units.count - 1 { x /= 1024; k += 1 }
        return k == 0 ? String(Int(x.rounded())) : String(format: x < 10 ? "%.1f%@" : "%.0f%@", x, units[k])
    }
}
