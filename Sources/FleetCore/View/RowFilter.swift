/// The `/` filter: every space-separated term must occur (case-insensitively) in the domain's name,
/// host, state or kind. `host:`, `name:`, `state:` and `virt:` prefixes restrict a term to one field;
/// `screen:` matches the screen state (`screen:panic`), never searched without its prefix.
public struct RowFilter: Hashable, Sendable {
    struct Term: Hashable, Sendable { var field: Field?; var bytes: [UInt8] }
    enum Field: Hashable, Sendable { case name, host, state, virt, screen }
    let terms: [Term]
    public let text: String

    public init(_ text: String) {
        self.text = text
        terms = text.split(separator: " ").compactMap { raw in
            var field: Field?
            var t = Substring(raw)
            for (prefix, f) in [("host:", Field.host), ("name:", .name), ("state:", .state), ("virt:", .virt), ("kind:", .virt), ("screen:", .screen)]
                where t.lowercased().hasPrefix(prefix) {
                field = f; t = t.dropFirst(prefix.count)
            }
            let bytes = lowerASCII(Array(t.utf8))
            return bytes.isEmpty ? nil : Term(field: field, bytes: bytes)
        }
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// Which rows match, as indices into `haystacks` (built once per snapshot by `haystack(for:)`).
    public func matching(_ haystacks: [Haystack], rows: [DomainRow]) -> [Int] {
        if terms.isEmpty { return Array(haystacks.indices) }
        var out: [Int] = []
        rows.withUnsafeBufferPointer { rows in
            for (i, h) in haystacks.enumerated() {
                // Fields read in place: copying the sample out costs more than the match.
                let state = rows[i].sample.state, kind = rows[i].sample.kind
                if matches(h, state: RowFilter.stateBytes[state]!, virt: kind == .xenHVM && rows[i].sample.pvDrivers ? RowFilter.pvhvm : RowFilter.virtBytes[kind]!,
                           screen: needsScreen ? rows[i].screen.map { lowerASCII(Array($0.state.name.utf8)) } ?? [] : []) {
                    out.append(i)
                }
            }
        }
        return out
    }

    static let stateBytes: [DomainState: [UInt8]] = Dictionary(uniqueKeysWithValues: DomainState.allCases.map { ($0, Array($0.rawValue.utf8)) })
    static let virtBytes: [VirtKind: [UInt8]] = Dictionary(uniqueKeysWithValues: VirtKind.allCases.map { ($0, lowerASCII(Array($0.rawValue.utf8))) })
    static let pvhvm = Array("pvhvm".utf8)

    private var needsScreen: Bool { terms.contains { $0.field == .screen } }

    /// `state`, `virt` and `screen` come from the row now (they change between refreshes; names rarely do).
    public func matches(_ h: Haystack, state: [UInt8], virt: [UInt8], screen: [UInt8] = []) -> Bool {
        for t in terms {
            let hit: Bool
            switch t.field {
            case nil: hit = contains(h.name, t.bytes) || contains(h.host, t.bytes) || contains(state, t.bytes) || contains(virt, t.bytes)
            case .name: hit = contains(h.name, t.bytes)
            case .host: hit = contains(h.host, t.bytes)
            case .state: hit = contains(state, t.bytes)
            case .virt: hit = contains(virt, t.bytes)
            case .screen: hit = contains(screen, t.bytes)
            }
            if !hit { return false }
        }
        return true
    }

    /// A row's searchable fields, lower-cased bytes.
    public struct Haystack: Sendable {
        var name: [UInt8], host: [UInt8]
    }

    public static func haystack(for row: DomainRow) -> Haystack {
        Haystack(name: lowerASCII(Array(row.sample.name.utf8)), host: lowerASCII(Array(row.hostName.utf8)))
    }
}

private func lowerASCII(_ b: [UInt8]) -> [UInt8] {
    b.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
}

/// Naive substring search: names are short, so this beats anything clever.
private func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
    let n = needle.count, m = hay.count
    if n > m { return false }
    let first = needle[0]
    var i = 0
    while i <= m - n {
        if hay[i] == first {
            var j = 1
            while j < n && hay[i + j] == needle[j] { j += 1 }
            if j == n { return true }
        }
        i += 1
    }
    return false
}
