/// Human units as top/htop print them: short, fixed-ish width, "-" for unknown (never a fake 0).
public enum Units {
    public static let unknown = "-"

    /// Bytes with a binary suffix: 512B, 1.5K, 12K, 340M, 2.0G. At most 5 characters.
    public static func bytes(_ value: Double?) -> String {
        guard let v = value, v.isFinite, v >= 0 else { return unknown }
        if v < 1000 { return "\(Int(v.rounded()))B" }
        let suffixes = ["K", "M", "G", "T", "P", "E"]
        var x = v / 1024
        var i = 0
        while x >= 999.5 && i < suffixes.count - 1 { x /= 1024; i += 1 }
        return (x < 9.95 ? fixed(x, decimals: 1) : String(Int(x.rounded()))) + suffixes[i]
    }

    /// (Not `value.map(Double.init)`: for a UInt64 that reference is `Double(bitPattern:)`, a denormal: "0B".)
    public static func bytes(_ value: UInt64?) -> String { bytes(value.map { Double($0) }) }
    public static func kib(_ value: UInt64?) -> String { bytes(value.map { Double($0) * 1024 }) }

    /// A per-second byte rate; values that round to zero print as "0".
    public static func rate(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return unknown }
        if v < 0.5 { return "0" }
        return bytes(v)
    }

    /// A per-second count (requests, packets): 0, 12, 3.4K, 12K.
    public static func count(_ value: Double?) -> String {
        guard let v = value, v.isFinite, v >= 0 else { return unknown }
        if v < 999.5 { return String(Int(v.rounded())) }
        let suffixes = ["K", "M", "G", "T"]
        var x = v / 1000
        var i = 0
        while x >= 999.5 && i < suffixes.count - 1 { x /= 1000; i += 1 }
        return (x < 9.95 ? fixed(x, decimals: 1) : String(Int(x.rounded()))) + suffixes[i]
    }

    /// A percentage with one decimal below 1000 ("12.3", "100.0", "1234").
    public static func percent(_ value: Double?) -> String {
        guard let v = value, v.isFinite else { return unknown }
        if v >= 999.95 { return String(Int(v.rounded())) }
        return fixed(max(0, v), decimals: 1)
    }

    /// Cumulative CPU time, htop style: 0:01.23 (m:ss.cc), 1:02:03 (h:mm:ss), 3d04h (days).
    public static func cpuTime(nanoseconds: UInt64?) -> String {
        guard let ns = nanoseconds else { return unknown }
        let centis = ns / 10_000_000
        let totalSeconds = centis / 100
        let hours = totalSeconds / 3600
        let minutes = (totalSeconds / 60) % 60
        let seconds = totalSeconds % 60
        // Longer times drop precision so they always fit the 8-column TIME field.
        let days = hours / 24
        if days >= 36_500 { return "\(days / 365)y" }
        if days >= 1000 { return "\(days)d" }
        if hours >= 100 { return "\(days)d" + two(hours % 24) + "h" }
        if hours > 0 { return "\(hours):" + two(minutes) + ":" + two(seconds) }
        return "\(minutes):" + two(seconds) + "." + two(centis % 100)
    }

    /// A duration in seconds for the delay and latencies: 3s, 0.5s, 250ms, 1m30s.
    public static func seconds(_ value: Double?) -> String {
        guard let v = value, v.isFinite, v >= 0 else { return unknown }
        if v < 1 { return "\(Int((v * 1000).rounded()))ms" }
        if v < 60 {
            let r = (v * 10).rounded() / 10
            return r == r.rounded() ? "\(Int(r))s" : fixed(r, decimals: 1) + "s"
        }
        let s = Int(v.rounded())
        return "\(s / 60)m" + (s % 60 == 0 ? "" : "\(s % 60)s")
    }

    /// Fixed-point without Foundation's String(format:) (which is slow and locale-dependent).
    public static func fixed(_ v: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let n = Int64((abs(v) * scale).rounded())
        let sign = v < 0 && n != 0 ? "-" : ""
        if decimals == 0 { return sign + String(n) }
        let whole = n / Int64(scale)
        var frac = String(n % Int64(scale))
        while frac.count < decimals { frac = "0" + frac }
        return sign + String(whole) + "." + frac
    }

    private static func two(_ v: UInt64) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
