import Foundation

/// One domain at one refresh as a flat record: the columns of batch CSV and the keys of batch JSON
/// lines, in one place so both stay the same. Unknown values are `.none` (empty CSV field, JSON null).
public enum DomainRecord {
    public enum Value: Sendable, Equatable {
        case none
        case text(String)
        case int(Int64)
        case number(Double)
        case bool(Bool)
    }

    public static let columns: [String] = [
        "time", "host", "domain", "uuid", "id", "state", "kind", "pv_drivers", "vcpus",
        "cpu_pct", "cpu_pct_per_vcpu", "cpu_time_ns", "mem_kib", "mem_max_kib", "mem_rss_kib", "mem_used_kib", "mem_pct",
        "rd_bytes_s", "wr_bytes_s", "rd_reqs_s", "wr_reqs_s",
        "rx_bytes_s", "tx_bytes_s", "rx_pkts_s", "tx_pkts_s", "net_errs_s", "net_drops_s", "stale",
    ]

    /// Values in `columns` order. Outside text (names) is sanitized: no control characters.
    public static func values(_ row: DomainRow, time: Date) -> [Value] {
        let s = row.sample, r = row.rates
        func u(_ v: UInt64?) -> Value { v.map { .int(Int64(clamping: $0)) } ?? .none }
        func d(_ v: Double?) -> Value { v.map { .number($0) } ?? .none }
        return [
            .text(timestamp(time)), .text(Sanitize.forTerminal(row.hostName)), .text(Sanitize.forTerminal(s.name)),
            .text(Sanitize.forTerminal(s.key.uuid)), s.id.map { .int(Int64($0)) } ?? .none, .text(s.state.rawValue),
            .text(s.kind.rawValue), .bool(s.pvDrivers), s.vcpus.map { .int(Int64($0)) } ?? .none,
            d(r.cpuPercent), d(r.cpuPercentPerVCPU), u(s.cpuTimeNs), u(s.memCurrentKiB), u(s.memMaximumKiB),
            u(s.memRSSKiB), u(s.memUsedKiB), d(row.memPercent),
            d(r.rdBytesPerSec), d(r.wrBytesPerSec), d(r.rdReqsPerSec), d(r.wrReqsPerSec),
            d(r.rxBytesPerSec), d(r.txBytesPerSec), d(r.rxPktsPerSec), d(r.txPktsPerSec), d(r.netErrsPerSec),
            d(r.netDropsPerSec), .bool(row.stale),
        ]
    }

    /// ISO 8601, UTC, milliseconds.
    public static func timestamp(_ t: Date) -> String {
        let ms = Int64((t.timeIntervalSince1970 * 1000).rounded())
        var secs = time_t(ms / 1000)
        var tm = tm()
        gmtime_r(&secs, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                      Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec), Int(ms % 1000))
    }

    /// Numbers as text: integers plainly, rates with up to 3 decimals, no exponent.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.3f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

/// RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled; lines end with CRLF.
public enum CSV {
    public static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ")
        else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

    public static func line(_ values: [DomainRecord.Value]) -> String {
        line(values.map { v -> String in
            switch v {
            case .none: return ""
            case .text(let s): return s
            case .int(let i): return String(i)
            case .number(let d): return DomainRecord.number(d)
            case .bool(let b): return b ? "true" : "false"
            }
        })
    }
}

/// One JSON object per line (JSON Lines): keys in column order, unknown values as null.
public enum JSONLine {
    public static func object(keys: [String], values: [DomainRecord.Value]) -> String {
        var out = "{"
        for (k, (key, v)) in zip(keys, values).enumerated() {
            if k > 0 { out += "," }
            out += string(key) + ":"
            switch v {
            case .none: out += "null"
            case .text(let s): out += string(s)
            case .int(let i): out += String(i)
            case .number(let d): out += d.isFinite ? DomainRecord.number(d) : "null"
            case .bool(let b): out += b ? "true" : "false"
            }
        }
        return out + "}\n"
    }

    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029:
                out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
