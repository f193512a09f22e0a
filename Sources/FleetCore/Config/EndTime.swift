import Foundation

/// virt-top's `--end-time`: when the program stops. Forms: `YYYY-MM-DD HH:MM:SS` (local time),
/// `HH:MM:SS` (today, local time), `+HH:MM:SS` and `+SECS` (from the start).
public enum EndTime {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static let forms = "'YYYY-MM-DD HH:MM:SS', 'HH:MM:SS' (today), '+HH:MM:SS' or '+SECONDS' (from now)"

    /// The end time for `text`, relative to `now` in `timeZone`.
    public static func parse(_ text: String, now: Date, timeZone: TimeZone = .current) throws -> Date {
        let t = text.trimmingSpaces()
        func bad() -> Invalid { Invalid(description: "--end-time '\(Sanitize.oneLine(text, limit: 40))' is not a time: use \(forms)") }
        if t.hasPrefix("+") {
            let rest = String(t.dropFirst())
            if let secs = Double(rest), secs.isFinite, secs >= 0, !rest.contains(":") { return now.addingTimeInterval(secs) }
            guard let (h, m, s) = clock(rest) else { throw bad() }
            return now.addingTimeInterval(Double(h * 3600 + m * 60) + s)
        }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let parts = t.split(separator: " ", omittingEmptySubsequences: true)
        var day = cal.dateComponents([.year, .month, .day], from: now)
        let timePart: Substring
        switch parts.count {
        case 1: timePart = parts[0]
        case 2:
            let d = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            guard d.count == 3, d[0].count == 4, let y = Int(d[0]), let mo = Int(d[1]), let dd = Int(d[2]),
                  (1...12).contains(mo), (1...31).contains(dd) else { throw bad() }
            day.year = y; day.month = mo; day.day = dd
            timePart = parts[1]
        default: throw bad()
        }
        guard let (h, m, s) = clock(String(timePart)), h < 24, m < 60, s < 61 else { throw bad() }
        day.hour = h; day.minute = m; day.second = Int(s)
        guard let date = cal.date(from: day), cal.component(.day, from: date) == day.day else { throw bad() }
        return date.addingTimeInterval(s - s.rounded(.down))
    }

    /// "HH:MM:SS" (seconds may have decimals) → parts; nil if malformed.
    static func clock(_ s: String) -> (Int, Int, Double)? {
        let p = s.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count == 3, let h = Int(p[0]), let m = Int(p[1]), let sec = Double(p[2]), h >= 0, m >= 0, m < 60,
              sec >= 0, sec < 61, !p[0].isEmpty, p[1].count == 2, p[2].count >= 2 else { return nil }
        return (h, m, sec)
    }
}
