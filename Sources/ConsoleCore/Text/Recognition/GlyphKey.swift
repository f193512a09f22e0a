/// A cell bitmap as a dictionary key: up to 128 bits are packed exactly (8x16, 8x14, 8x8, 6x12, 10x12 …);
/// larger cells (12x22, 16x32) are reduced to a 128-bit hash (two independent 64-bit mixes).
public struct GlyphKey: Hashable, Sendable {
    public var hi: UInt64
    public var lo: UInt64

    /// Key of `rows` (each row `width` bits, leftmost pixel = highest bit).
    @inlinable
    public static func make(_ rows: UnsafeBufferPointer<UInt32>, width: Int) -> GlyphKey {
        if width * rows.count <= 128 {
            var hi: UInt64 = 0, lo: UInt64 = 0
            for r in rows {
                hi = (hi << UInt64(width)) | (lo >> UInt64(64 - width))
                lo = (lo << UInt64(width)) | UInt64(r)
            }
            return GlyphKey(hi: hi, lo: lo)
        }
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15, b: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        for r in rows {
            a = (a ^ UInt64(r)) &* 0x100_0000_01B3
            a ^= a >> 29
            b = (b &+ UInt64(r) &+ 0x632B_E59B_D9B4_E019) &* 0xFF51_AFD7_ED55_8CCD
            b ^= b >> 33
        }
        return GlyphKey(hi: a, lo: b)
    }

    public static func make(_ rows: [UInt32], width: Int) -> GlyphKey {
        rows.withUnsafeBufferPointer { make($0, width: width) }
    }

    @inlinable public init(hi: UInt64, lo: UInt64) { self.hi = hi; self.lo = lo }
}
