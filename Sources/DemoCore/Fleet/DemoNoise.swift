/// Deterministic pseudo-random numbers: a value is a function of (seed, stream, index) only, so a seeded demo is
/// the same on every run and two processes looking at the demo at the same moment agree.
public enum DemoNoise {
    /// SplitMix64's finaliser over the three inputs.
    @inlinable public static func hash(_ seed: UInt64, _ stream: UInt64, _ index: Int64) -> UInt64 {
        var z = seed &+ stream &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: index) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    @inlinable public static func unit(_ seed: UInt64, _ stream: UInt64, _ index: Int64) -> Double {
        Double(hash(seed, stream, index) >> 11) / Double(1 << 53)
    }

    /// Value noise in [0, 1): a new random value every `period` seconds, eased from one to the next, so a
    /// level drifts rather than jumps.
    public static func smooth(_ seed: UInt64, _ stream: UInt64, t: Double, period: Double) -> Double {
        let x = t / period
        let i = x.rounded(.down)
        let f = x - i
        let a = unit(seed, stream, Int64(i)), b = unit(seed, stream, Int64(i) + 1)
        let s = f * f * (3 - 2 * f)
        return a + (b - a) * s
    }

    /// A stable stream number for a name (FNV-1a), so a domain keeps its behaviour whatever its position.
    public static func stream(_ name: String, _ channel: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (channel &* 0x9E37_79B9_7F4A_7C15)
    }
}
