/// Writes the Prometheus text exposition format, version 0.0.4, into a byte buffer.
///
/// Samples of one metric family must follow its `# HELP`/`# TYPE` lines without interleaving, so
/// callers write one family at a time (`family`, then its `sample`s). Label sets that repeat
/// across families (a domain's host/domain/uuid) are rendered once with `labelSet` and reused.
public struct PrometheusTextWriter: Sendable {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public enum MetricType: String, Sendable { case counter, gauge, untyped }

    public private(set) var bytes: [UInt8] = []

    public init(reservingCapacity n: Int = 0) { bytes.reserveCapacity(n) }

    public mutating func family(_ name: String, help: String, type: MetricType) {
        append("# HELP "); append(name); append(" "); append(Self.escapeHelp(help)); append("\n")
        append("# TYPE "); append(name); append(" "); append(type.rawValue); append("\n")
    }

    /// One sample line; `labels` is a pre-rendered `labelSet(...)` (may be empty).
    public mutating func sample(_ name: String, _ labels: String, _ value: Double) {
        append(name); append(labels); append(" "); appendValue(value); append("\n")
    }

    /// `{a="x",b="y"}` with values escaped; empty pairs give "" (no braces).
    public static func labelSet(_ pairs: [(String, String)]) -> String {
        if pairs.isEmpty { return "" }
        var s = "{"
        for (i, (k, v)) in pairs.enumerated() {
            if i > 0 { s += "," }
            s += k; s += "=\""; s += escapeLabelValue(v); s += "\""
        }
        return s + "}"
    }

    /// Label values: backslash, double quote and line feed are escaped (`\\`, `\"`, `\n`).
    public static func escapeLabelValue(_ v: String) -> String {
        guard v.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return v }
        var out = ""
        out.reserveCapacity(v.utf8.count + 4)
        for ch in v.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// HELP text: only backslash and line feed are escaped.
    public static func escapeHelp(_ v: String) -> String {
        guard v.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A }) else { return v }
        var out = ""
        for ch in v.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Go-parsable float: integers without exponent or ".0", `NaN`, `+Inf`, `-Inf`.
    public static func formatValue(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 9.0e15 { return String(Int64(v)) }
        return String(v)
    }

    private mutating func appendValue(_ v: Double) {
        if v >= 0, v < 9.0e15, v == v.rounded() {
            appendDecimal(UInt64(v))
        } else {
            append(Self.formatValue(v))
        }
    }

    /// Integer formatting without allocating a String (most samples are integer counters).
    private mutating func appendDecimal(_ n: UInt64) {
        var len = 0, m = n
        repeat { len += 1; m /= 10 } while m > 0
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0x30, count: len))
        m = n
        var i = start + len - 1
        repeat { bytes[i] = 0x30 + UInt8(m % 10); m /= 10; i -= 1 } while m > 0
    }

    private mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
}
