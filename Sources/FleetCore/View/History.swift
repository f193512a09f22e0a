/// Recent values of one domain for the detail view's sparklines. Kept by the UI per DomainKey and
/// appended once per new snapshot generation.
public struct DomainHistory: Sendable, Hashable {
    public static let capacity = 120
    public var cpu = Ring(), mem = Ring(), diskIO = Ring(), netIO = Ring()

    public mutating func append(_ row: DomainRow) {
        cpu.append(row.sample.state.isActive ? row.rates.cpuPercent : nil)
        mem.append(row.sample.memCurrentKiB.map { Double($0) * 1024 })
        diskIO.append(sum(row.rates.rdBytesPerSec, row.rates.wrBytesPerSec))
        netIO.append(sum(row.rates.rxBytesPerSec, row.rates.txBytesPerSec))
    }

    private func sum(_ a: Double?, _ b: Double?) -> Double? {
        a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0)
    }

    /// A fixed-size ring of optional values (nil = unknown at that refresh), oldest first when read.
    public struct Ring: Sendable, Hashable {
        private var storage: [Float] = []       // NaN = unknown; Float keeps 10,000 domains' history small
        private var start = 0
        public init() {}
        public mutating func append(_ v: Double?) {
            let f = v.map(Float.init) ?? .nan
            if storage.count < DomainHistory.capacity { storage.append(f) } else {
                storage[start] = f; start = (start + 1) % storage.count
            }
        }
        public var values: [Double?] {
            (0..<storage.count).map { let f = storage[(start + $0) % storage.count]; return f.isNaN ? nil : Double(f) }
        }
        public var count: Int { storage.count }
    }
}

/// All domains' histories, fed once per snapshot generation; domains that vanish are dropped.
public struct FleetHistory: Sendable {
    public private(set) var byKey: [DomainKey: DomainHistory] = [:]
    public private(set) var generation: UInt64 = 0
    public init() {}

    public mutating func record(_ snapshot: FleetSnapshot) {
        guard snapshot.generation != generation else { return }
        generation = snapshot.generation
        var next: [DomainKey: DomainHistory] = [:]
        next.reserveCapacity(snapshot.domains.count)
        for row in snapshot.domains {
            var h = byKey[row.sample.key] ?? DomainHistory()
            if !row.stale { h.append(row) }
            next[row.sample.key] = h
        }
        byKey = next
    }

    public subscript(key: DomainKey) -> DomainHistory? { byKey[key] }
}

/// One-line charts of recent values, newest at the right.
public enum Sparkline {
    /// `width` cells for the last `width` values scaled to 0…max (or 0…`ceiling` when given); unknown → space.
    public static func render(_ values: [Double?], width: Int, glyphs: Glyphs, ceiling: Double? = nil) -> String {
        guard width > 0 else { return "" }
        let tail = values.suffix(width)
        let top = ceiling ?? tail.compactMap { $0 }.max() ?? 0
        var out = String(repeating: " ", count: width - tail.count)
        let levels = glyphs.spark.count
        for v in tail {
            guard let v else { out += " "; continue }
            if top <= 0 { out += glyphs.spark[0]; continue }
            let level = Int((min(max(v, 0), top) / top * Double(levels - 1)).rounded())
            out += glyphs.spark[level]
        }
        return out
    }
}
