import Foundation

/// A regular expression over screen lines (ICU syntax, as NSRegularExpression: `\d`, `\s`, `(?i)`, `|`,
/// classes, anchors; `^` and `$` match at each line). Compiled once; immutable, so shared across threads.
///
/// Not Swift's `Regex`: on this project's screens (50 lines, a dozen rules) it took ~10-25 ms a screen, ICU
/// ~0.5-1 ms when run once over the whole screen's text rather than once per line.
public final class ScreenPattern: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    private let regex: NSRegularExpression

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var pattern: String
        public var reason: String
        public var description: String { "invalid regular expression '\(Sanitize.oneLine(pattern, limit: 80))': \(reason)" }
    }

    public init(_ source: String) throws(Invalid) {
        guard !source.isEmpty else { throw Invalid(pattern: source, reason: "empty") }
        do {
            regex = try NSRegularExpression(pattern: source, options: [.anchorsMatchLines])
        } catch {
            throw Invalid(pattern: source, reason: Self.reason(error))
        }
        self.source = source
    }

    public var description: String { source }

    public static func == (a: ScreenPattern, b: ScreenPattern) -> Bool { a.source == b.source }
    public func hash(into h: inout Hasher) { h.combine(source) }

    /// The index of the first line that matches, searching `lines` (joined once by the caller, see
    /// `ScreenLines`) in one pass.
    public func firstMatchingLine(in text: ScreenLines) -> Int? {
        let ns = text.joined as NSString
        guard let m = regex.firstMatch(in: text.joined, options: [], range: NSRange(location: 0, length: ns.length)) else {
            return nil
        }
        return text.line(atUTF16: m.range.location)
    }

    /// Does this one line match?
    public func matches(_ line: String) -> Bool {
        regex.firstMatch(in: line, options: [], range: NSRange(location: 0, length: (line as NSString).length)) != nil
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let r = ns.userInfo["NSInvalidValue"] as? String { return r }
        return "ICU error \(ns.code)"
    }
}

/// A screen's lines joined once for all patterns, with where each line starts (UTF-16 offsets, as
/// NSRegularExpression counts).
public struct ScreenLines: Sendable {
    public let lines: [String]
    public let joined: String
    private let starts: [Int]

    public init<S: Sequence>(_ lines: S) where S.Element == String {
        let ls = Array(lines)
        var starts: [Int] = []
        starts.reserveCapacity(ls.count)
        var at = 0
        for l in ls {
            starts.append(at)
            at += l.utf16.count + 1
        }
        self.lines = ls
        self.starts = starts
        joined = ls.joined(separator: "\n")
    }

    func line(atUTF16 offset: Int) -> Int {
        // Binary search for the last start <= offset.
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
