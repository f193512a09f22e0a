/// LZMA decompression of the ".lzma"/"alone" format EDK2 compresses firmware volumes with: 5 property bytes
/// (lc/lp/pb and the dictionary size), the uncompressed size (8 bytes, little endian, all ones = unknown and an
/// end marker ends the stream), then the range-coded data. Written from the format's description (the LZMA SDK's
/// specification); pure Swift with no C import, so it is unit-tested and fuzzed like the other parsers. The same
/// decoder (`LZMADecoder`) reads the LZMA2 chunks of .xz files (`XZ`).
/// Input is untrusted (a firmware file, a `--font` argument): every failure is an `LZMA.Failure`, never a trap,
/// and output never grows past `limit`.
public enum LZMA {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ d: String) { description = "lzma: " + d }
    }

    /// The size the header promises (nil when unknown), without decoding.
    public static func declaredSize(_ input: [UInt8]) -> UInt64? {
        guard input.count >= 13 else { return nil }
        var size: UInt64 = 0
        for i in 0..<8 { size |= UInt64(input[5 + i]) << UInt64(8 * i) }
        return size == UInt64.max ? nil : size
    }

    /// Decompresses a whole ".lzma" stream (header included).
    public static func decompress(_ input: [UInt8], limit: Int = 256 << 20) throws -> [UInt8] {
        guard input.count >= 13 else { throw Failure("truncated header") }
        guard let (lc, lp, pb) = LZMADecoder.properties(input[0], maxLcPlusLp: 12) else {
            throw Failure("bad properties byte \(input[0])")
        }
        let size = declaredSize(input)
        if let size, size > UInt64(limit) { throw Failure("output of \(size) bytes is over the limit of \(limit)") }
        return try input.withUnsafeBufferPointer { buf in
            var out = DecodedOutput(limit: limit, expected: size.map { Int($0) } ?? 1 << 16)
            var decoder = LZMADecoder(maxLcPlusLp: lc + lp)
            decoder.setProperties(lc: lc, lp: lp, pb: pb)
            try decoder.startRangeCoder(buf, from: 13, to: buf.count)
            // With a declared size an end marker may still follow, but need not; without one it must.
            let marker = try decoder.decode(into: &out, until: size.map { Int($0) }, endMarkerAllowed: true)
            if let size, marker, out.count != Int(size) { throw Failure("end marker before the declared size") }
            return out.array()
        }
    }
}

/// The LZMA decoder proper: a range decoder over one run of input and the adaptive model (probabilities, state,
/// the last four match distances), writing into a `DecodedOutput` that is also its dictionary. LZMA2 keeps the
/// model across chunks, resets parts of it and restarts the range decoder on each chunk; `dictionaryStart` is
/// where its dictionary was last reset (matches may not reach before it; positions count from it).
struct LZMADecoder: ~Copyable {
    // Probability model layout: every adaptive bit probability lives in one array, at these offsets.
    static let states = 12, posStatesMax = 16
    static let isMatch = 0
    static let isRep = isMatch + states * posStatesMax
    static let isRepG0 = isRep + states
    static let isRepG1 = isRepG0 + states
    static let isRepG2 = isRepG1 + states
    static let isRep0Long = isRepG2 + states
    static let posSlot = isRep0Long + states * posStatesMax          // 4 trees of 6 bits
    static let posSpecial = posSlot + 4 * 64                        // 1 + 128 - 14 reverse-tree probabilities
    static let align = posSpecial + 115                             // a 4-bit reverse tree
    static let lenCoder = align + 16
    static let repLenCoder = lenCoder + lenSize
    static let literal = repLenCoder + lenSize
    // A length coder: choice, choice2, low[16][8], mid[16][8], high[256].
    static let lenSize = 2 + 16 * 8 + 16 * 8 + 256

    /// lc, lp and pb from a properties byte ((pb * 5 + lp) * 9 + lc), nil if out of range.
    static func properties(_ byte: UInt8, maxLcPlusLp: Int) -> (lc: Int, lp: Int, pb: Int)? {
        var d = Int(byte)
        guard d < 9 * 5 * 5 else { return nil }
        let lc = d % 9
        d /= 9
        let lp = d % 5, pb = d / 5
        guard lc + lp <= maxLcPlusLp else { return nil }
        return (lc, lp, pb)
    }

    private var probs: UnsafeMutableBufferPointer<UInt16>
    private(set) var lc = 0, lp = 0, pb = 0
    private var state = 0
    private var rep0: UInt32 = 0, rep1: UInt32 = 0, rep2: UInt32 = 0, rep3: UInt32 = 0
    var dictionaryStart = 0

    // The range decoder: input[inPos..<inEnd] is what it may read.
    private var input = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private(set) var inPos = 0
    private var inEnd = 0
    private var range: UInt32 = 0xFFFF_FFFF
    private(set) var code: UInt32 = 0

    /// A decoder with room for models up to `maxLcPlusLp` literal context bits (12 for .lzma, 4 for LZMA2).
    init(maxLcPlusLp: Int) {
        probs = .allocate(capacity: LZMADecoder.literal + 0x300 << maxLcPlusLp)
        probs.initialize(repeating: 1024)
    }

    deinit { probs.deallocate() }

    /// New lc/lp/pb (the caller has checked lc + lp against the room); resets the model.
    mutating func setProperties(lc: Int, lp: Int, pb: Int) {
        precondition(LZMADecoder.literal + 0x300 << (lc + lp) <= probs.count && pb <= 4)
        self.lc = lc
        self.lp = lp
        self.pb = pb
        resetState()
    }

    /// Every probability back to one half, the state and the match distances to zero.
    mutating func resetState() {
        let used = LZMADecoder.literal + 0x300 << (lc + lp)
        UnsafeMutableBufferPointer(rebasing: probs[0..<used]).update(repeating: 1024)
        state = 0
        rep0 = 0; rep1 = 0; rep2 = 0; rep3 = 0
    }

    /// Starts the range decoder on `input[from..<to]`: a zero byte, then the first 32 bits of the code.
    mutating func startRangeCoder(_ input: UnsafeBufferPointer<UInt8>, from: Int, to: Int) throws {
        precondition(from >= 0 && from <= to && to <= input.count)
        self.input = input
        inPos = from
        inEnd = to
        range = 0xFFFF_FFFF
        code = 0
        guard try nextByte() == 0 else { throw LZMA.Failure("bad first byte of the range coder") }
        for _ in 0..<4 { code = (code << 8) | (try nextByte()) }
    }

    @inline(__always) private mutating func nextByte() throws -> UInt32 {
        guard inPos < inEnd else { throw LZMA.Failure("input ends too early") }
        defer { inPos += 1 }
        return UInt32(input[inPos])
    }

    @inline(__always) private mutating func normalize() throws {
        if range < 1 << 24 {
            range <<= 8
            code = (code << 8) | (try nextByte())
        }
    }

    @inline(__always) private mutating func bit(_ i: Int) throws -> Int {
        let p = UInt32(probs[i])
        let bound = (range >> 11) &* p
        let b: Int
        if code < bound {
            range = bound
            probs[i] = UInt16(p + ((2048 - p) >> 5))
            b = 0
        } else {
            range &-= bound
            code &-= bound
            probs[i] = UInt16(p - (p >> 5))
            b = 1
        }
        try normalize()
        return b
    }

    private mutating func direct(_ bits: Int) throws -> UInt32 {
        var r: UInt32 = 0
        for _ in 0..<bits {
            range >>= 1
            code &-= range
            let t = 0 &- (code >> 31)
            code &+= range & t
            try normalize()
            r = (r << 1) &+ (t &+ 1)
        }
        return r
    }

    private mutating func tree(_ base: Int, _ bits: Int) throws -> Int {
        var m = 1
        for _ in 0..<bits { m = (m << 1) + (try bit(base + m)) }
        return m - (1 << bits)
    }

    private mutating func reverseTree(_ base: Int, _ bits: Int) throws -> Int {
        var m = 1, sym = 0
        for i in 0..<bits {
            let b = try bit(base + m)
            m = (m << 1) + b
            sym |= b << i
        }
        return sym
    }

    private mutating func length(_ base: Int, _ posState: Int) throws -> Int {
        if try bit(base) == 0 { return try tree(base + 2 + posState * 8, 3) }
        if try bit(base + 1) == 0 { return 8 + (try tree(base + 2 + 128 + posState * 8, 3)) }
        return 16 + (try tree(base + 2 + 256, 8))
    }

    private mutating func distance(_ len: Int) throws -> UInt32 {
        let slot = try tree(LZMADecoder.posSlot + min(len, 3) * 64, 6)
        if slot < 4 { return UInt32(slot) }
        let directBits = (slot >> 1) - 1
        var dist = UInt32(2 | (slot & 1)) << UInt32(directBits)
        if slot < 14 {
            dist &+= UInt32(try reverseTree(LZMADecoder.posSpecial + Int(dist) - slot, directBits))
        } else {
            dist &+= (try direct(directBits - 4)) << 4
            dist &+= UInt32(try reverseTree(LZMADecoder.align, 4))
        }
        return dist
    }

    /// Decodes until the output reaches `end` (nil: until an end marker) or an end marker comes, if allowed.
    /// Returns true if an end marker ended it.
    mutating func decode(into out: inout DecodedOutput, until end: Int?, endMarkerAllowed: Bool) throws -> Bool {
        let pbMask = (1 << pb) - 1, lpMask = (1 << lp) - 1
        let overLimit = LZMA.Failure("output over the limit of \(out.limit) bytes")
        while true {
            if let end, out.count >= end { return false }
            let pos = out.count - dictionaryStart
            let posState = pos & pbMask
            if try bit(LZMADecoder.isMatch + state * 16 + posState) == 0 {
                let prev = pos > 0 ? Int(out.byte(back: 1)) : 0
                let base = LZMADecoder.literal + 0x300 * (((pos & lpMask) << lc) + (prev >> (8 - lc)))
                var sym = 1
                if state >= 7 {
                    guard Int(rep0) < pos else { throw LZMA.Failure("match distance beyond the output") }
                    var matchByte = Int(out.byte(back: Int(rep0) + 1))
                    while sym < 0x100 {
                        let matchBit = (matchByte >> 7) & 1
                        matchByte <<= 1
                        let b = try bit(base + ((1 + matchBit) << 8) + sym)
                        sym = (sym << 1) | b
                        if matchBit != b { break }
                    }
                }
                while sym < 0x100 { sym = (sym << 1) | (try bit(base + sym)) }
                guard out.append(UInt8(truncatingIfNeeded: sym)) else { throw overLimit }
                state = state < 4 ? 0 : (state < 10 ? state - 3 : state - 6)
                continue
            }
            var len: Int
            if try bit(LZMADecoder.isRep + state) != 0 {
                guard pos > 0 else { throw LZMA.Failure("repeated match before any output") }
                if try bit(LZMADecoder.isRepG0 + state) == 0 {
                    if try bit(LZMADecoder.isRep0Long + state * 16 + posState) == 0 {
                        state = state < 7 ? 9 : 11
                        guard Int(rep0) < pos else { throw LZMA.Failure("match distance beyond the output") }
                        guard out.append(out.byte(back: Int(rep0) + 1)) else { throw overLimit }
                        continue
                    }
                } else {
                    let dist: UInt32
                    if try bit(LZMADecoder.isRepG1 + state) == 0 {
                        dist = rep1
                    } else {
                        if try bit(LZMADecoder.isRepG2 + state) == 0 {
                            dist = rep2
                        } else {
                            dist = rep3; rep3 = rep2
                        }
                        rep2 = rep1
                    }
                    rep1 = rep0; rep0 = dist
                }
                len = try length(LZMADecoder.repLenCoder, posState)
                state = state < 7 ? 8 : 11
            } else {
                rep3 = rep2; rep2 = rep1; rep1 = rep0
                len = try length(LZMADecoder.lenCoder, posState)
                state = state < 7 ? 7 : 10
                rep0 = try distance(len)
                if rep0 == 0xFFFF_FFFF {
                    guard endMarkerAllowed else { throw LZMA.Failure("unexpected end marker") }
                    return true
                }
            }
            len += 2
            let dist = Int(rep0) + 1
            guard dist <= pos else { throw LZMA.Failure("match distance beyond the output") }
            if let end, end - out.count < len { throw LZMA.Failure("match runs past the end of the data") }
            guard out.reserve(len) else { throw overLimit }
            out.copyMatch(distance: dist, length: len)
        }
    }
}
