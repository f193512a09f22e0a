/// How busy one resource of a demo guest is over time: a level that drifts slowly around `base`, jitters from one
/// refresh to the next, and now and then bursts. CPU levels are fractions of the guest's vCPUs (0…1), IO levels
/// bytes per second. A pure function of (seed, stream, time).
public struct DemoActivity: Sendable, Hashable {
    public var base: Double
    /// Amplitude of the slow drift (same unit as `base`), over `period` seconds.
    public var swing: Double
    public var period: Double
    /// Amplitude of the fast wobble (about every 3 s).
    public var jitter: Double
    /// Chance that a burst slot of `burstSeconds` is a burst, and what a burst adds.
    public var burstChance: Double
    public var burstLevel: Double
    public var burstSeconds: Double

    public init(_ base: Double, swing: Double = 0, period: Double = 120, jitter: Double = 0,
                bursts burstChance: Double = 0, of burstLevel: Double = 0, lasting burstSeconds: Double = 10) {
        self.base = base; self.swing = swing; self.period = period; self.jitter = jitter
        self.burstChance = burstChance; self.burstLevel = burstLevel; self.burstSeconds = burstSeconds
    }

    public static let idle = DemoActivity(0)

    /// The level at time `t` (never negative; `cap` bounds it, e.g. 1 for all vCPUs busy).
    public func level(seed: UInt64, stream: UInt64, t: Double, cap: Double = .infinity) -> Double {
        var v = base
        if swing != 0 { v += swing * (2 * DemoNoise.smooth(seed, stream, t: t, period: period) - 1) }
        if jitter != 0 { v += jitter * (2 * DemoNoise.smooth(seed, stream ^ 0x5A5A, t: t, period: 3) - 1) }
        if burstChance > 0 && isBurst(seed: seed, stream: stream, t: t) { v += burstLevel }
        return min(max(0, v), cap)
    }

    public func isBurst(seed: UInt64, stream: UInt64, t: Double) -> Bool {
        let slot = Int64((t / burstSeconds).rounded(.down))
        return DemoNoise.unit(seed, stream ^ 0xB0B0, slot) < burstChance
    }

    /// The long-run average level (for counters that were counting before the demo started).
    public var mean: Double { base + burstChance * burstLevel }
}
