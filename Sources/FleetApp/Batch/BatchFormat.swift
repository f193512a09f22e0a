import Foundation
import FleetCore

/// How batch mode prints one refresh of the fleet.
enum BatchFormat {
    case text, csv, json

    /// `columns`: the table columns asked for with `--columns` (nil: all); CSV and JSON print their fields
    /// (`DomainRecord.selection`), plain text their columns.
    static func render(_ snap: FleetSnapshot, format: BatchFormat, columns: [DomainColumn]? = nil) -> String {
        let rows = snap.domains.sorted { ($0.hostName, $0.sample.name) < ($1.hostName, $1.sample.name) }
        let pick = DomainRecord.selection(columns)
        let keys = pick.map { DomainRecord.columns[$0] }
        switch format {
        case .csv:
            return rows.map { r in let v = DomainRecord.values(r, time: snap.time); return CSV.line(pick.map { v[$0] }) }.joined()
        case .json:
            return rows.map { r in let v = DomainRecord.values(r, time: snap.time); return JSONLine.object(keys: keys, values: pick.map { v[$0] }) }.joined()
        case .text:
            return text(snap, rows, columns: columns)
        }
    }

    /// The CSV header line for `columns`.
    static func csvHeader(columns: [DomainColumn]?) -> String {
        CSV.line(DomainRecord.selection(columns).map { DomainRecord.columns[$0] })
    }

    /// virt-top-like: a summary line, then one line per domain. Names come last so wide or odd
    /// names never break the columns; every outside string is sanitized.
    static func text(_ snap: FleetSnapshot, _ rows: [DomainRow], columns: [DomainColumn]? = nil) -> String {
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
        // (title, width, table column, value); with --columns only those columns (HOST and NAME always, last).
        typealias Field = (String, Int, DomainColumn, (DomainRow) -> String)
        let all: [Field] = [
            ("ID", 5, .id, { $0.sample.id.map(String.init) ?? "-" }),
            ("STATE", 9, .state, { $0.stale ? "stale" : $0.sample.state.rawValue }),
            ("KIND", 5, .virt, { $0.sample.kind.rawValue + ($0.sample.pvDrivers ? "+" : "") }),
            ("%CPU", 7, .cpu, { $0.rates.cpuPercent.map { String(format: "%.1f", $0) } ?? "-" }),
            ("VCPU", 5, .vcpu, { $0.sample.vcpus.map(String.init) ?? "-" }),
            ("MEM", 7, .mem, { $0.sample.memCurrentKiB.map { human(Double($0) * 1024) } ?? "-" }),
            ("%MEM", 6, .memPercent, { $0.memPercent.map { String(format: "%.1f", $0) } ?? "-" }),
            ("RDBY/s", 8, .rd, { human($0.rates.rdBytesPerSec) }),
            ("WRBY/s", 8, .wr, { human($0.rates.wrBytesPerSec) }),
            ("RXBY/s", 8, .rx, { human($0.rates.rxBytesPerSec) }),
            ("TXBY/s", 8, .tx, { human($0.rates.txBytesPerSec) }),
            ("TIME", 10, .time, { Units.cpuTime(nanoseconds: $0.sample.cpuTimeNs) }),
        ]
        let fields = columns.map { cols in all.filter { cols.contains($0.2) } } ?? all.filter { $0.2 != .time }
        out += fields.map { pad($0.0, $0.1) }.joined() + " HOST NAME\n"
        for r in rows {
            out += fields.map { pad($0.3(r), $0.1) }.joined()
            out += " " + Sanitize.oneLine(r.hostName, limit: 40) + " " + Sanitize.oneLine(r.sample.name, limit: 200) + "\n"
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
