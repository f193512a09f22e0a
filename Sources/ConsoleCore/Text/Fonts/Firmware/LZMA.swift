/// LZMA decompression of the ".lzma"/"alone" format EDK2 compresses firmware volumes with: 5 property bytes
/// (lc/lp/pb and the dictionary size), the uncompressed size (8 bytes, little endian, all ones = unknown and an
/// end marker ends the stream), then the range-coded data. Written from the format's description (the LZMA SDK's
/// specification); pure Swift with no C import, so it is unit-tested and fuzzed like the other parsers.
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
        var d = Int(input[0])
        guard d < 9 * 5 * 5 else { throw Failure("bad properties byte \(d)") }
        let lc = d % 9; d /= 9
        let lp = d % 5, pb = d / 5
        let size = declaredSize(input)
        if let size, size > UInt64(limit) { throw Failure("output of \(size) bytes is over the limit of \(limit)") }
        return try input.withUnsafeBufferPointer { buf in
            var decoder = Decoder(input: UnsafeBufferPointer(rebasing: buf[13...]), lc: lc, lp: lp, pb: pb,
                                  size: size.map { Int($0) }, limit: limit)
            defer { decoder.release() }
            try decoder.run()
            return decoder.output()
        }
    }

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

    struct Decoder {
        let input: UnsafeBufferPointer<UInt8>
        var inPos = 0
        var range: UInt32 = 0xFFFF_FFFF
        var code: UInt32 = 0
        let lc: Int, lp: Int, pb: Int
        let size: Int?
        let limit: Int
        var probs: UnsafeMutableBufferPointer<UInt16>
        var out: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0

        init(input: UnsafeBufferPointer<UInt8>, lc: Int, lp: Int, pb: Int, size: Int?, limit: Int) {
            self.input = input; self.lc = lc; self.lp = lp; self.pb = pb; self.size = size; self.limit = limit
            let n = LZMA.literal + 0x300 << (lc + lp)
            probs = .allocate(capacity: n)
            probs.initialize(repeating: 1024)
            // A hostile header may promise up to `limit`: start smaller and grow as output really comes.
            capacity = max(16, min(size ?? 1 << 16, 16 << 20))
            out = .allocate(capacity: capacity)
        }

        mutating func release() { probs.deallocate(); out.deallocate() }

        func output() -> [UInt8] { Array(UnsafeBufferPointer(start: out, count: count)) }

        @inline(__always) mutating func nextByte() throws -> UInt32 {
            guard inPos < input.count else { throw Failure("input ends too early") }
            defer { inPos += 1 }
            return UInt32(input[inPos])
        }

        @inline(__always) mutating func normalize() throws {
            if range < 1 << 24 { range <<= 8; code = (code << 8) | (try nextByte()) }
        }

        @inline(__always) mutating func bit(_ i: Int) throws -> Int {
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

        mutating func direct(_ bits: Int) throws -> UInt32 {
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

        mutating func tree(_ base: Int, _ bits: Int) throws -> Int {
            var m = 1
            for _ in 0..<bits { m = (m << 1) + (try bit(base + m)) }
            return m - (1 << bits)
        }

        mutating func reverseTree(_ base: Int, _ bits: Int) throws -> Int {
            var m = 1, sym = 0
            for i in 0..<bits {
                let b = try bit(base + m)
                m = (m << 1) + b
                sym |= b << i
            }
            return sym
        }

        mutating func length(_ base: Int, _ posState: Int) throws -> Int {
            if try bit(base) == 0 { return try tree(base + 2 + posState * 8, 3) }
            if try bit(base + 1) == 0 { return 8 + (try tree(base + 2 + 128 + posState * 8, 3)) }
            return 16 + (try tree(base + 2 + 256, 8))
        }

        mutating func distance(_ len: Int) throws -> UInt32 {
            let slot = try tree(LZMA.posSlot + min(len, 3) * 64, 6)
            if slot < 4 { return UInt32(slot) }
            let directBits = (slot >> 1) - 1
            var dist = UInt32(2 | (slot & 1)) << UInt32(directBits)
            if slot < 14 {
                dist &+= UInt32(try reverseTree(LZMA.posSpecial + Int(dist) - slot, directBits))
            } else {
                dist &+= (try direct(directBits - 4)) << 4
                dist &+= UInt32(try reverseTree(LZMA.align, 4))
            }
            return dist
        }

        mutating func grow(_ need: Int) throws {
            guard need > capacity else { return }
            guard need <= limit else { throw Failure("output over the limit of \(limit) bytes") }
            let newCap = min(limit, max(need, capacity * 2))
            let n = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
            n.update(from: out, count: count)
            out.deallocate()
            out = n; capacity = newCap
        }

        mutating func put(_ b: UInt8) throws {
            if count == capacity { try grow(count + 1) }
            out[count] = b
            count += 1
        }

        mutating func run() throws {
            guard try nextByte() == 0 else { throw Failure("bad first byte of the range coder") }
            for _ in 0..<4 { code = (code << 8) | (try nextByte()) }
            var state = 0
            var rep0: UInt32 = 0, rep1: UInt32 = 0, rep2: UInt32 = 0, rep3: UInt32 = 0
            let pbMask = (1 << pb) - 1, lpMask = (1 << lp) - 1
            while true {
                if let size, count >= size {
                    // The declared size is reached; an end marker may still follow, but need not.
                    return
                }
                let posState = count & pbMask
                if try bit(LZMA.isMatch + state * 16 + posState) == 0 {
                    let prev = count > 0 ? Int(out[count - 1]) : 0
                    let base = LZMA.literal + 0x300 * (((count & lpMask) << lc) + (prev >> (8 - lc)))
                    var sym = 1
                    if state >= 7 {
                        guard Int(rep0) < count else { throw Failure("match distance beyond the output") }
                        var matchByte = Int(out[count - Int(rep0) - 1])
                        while sym < 0x100 {
                            let matchBit = (matchByte >> 7) & 1
                            matchByte <<= 1
                            let b = try bit(base + ((1 + matchBit) << 8) + sym)
                            sym = (sym << 1) | b
                            if matchBit != b { break }
                        }
                    }
                    while sym < 0x100 { sym = (sym << 1) | (try bit(base + sym)) }
                    try put(UInt8(truncatingIfNeeded: sym))
                    state = state < 4 ? 0 : (state < 10 ? state - 3 : state - 6)
                    continue
                }
                var len: Int
                if try bit(LZMA.isRep + state) != 0 {
                    guard count > 0 else { throw Failure("repeated match before any output") }
                    if try bit(LZMA.isRepG0 + state) == 0 {
                        if try bit(LZMA.isRep0Long + state * 16 + posState) == 0 {
                            state = state < 7 ? 9 : 11
                            guard Int(rep0) < count else { throw Failure("match distance beyond the output") }
                            try put(out[count - Int(rep0) - 1])
                            continue
                        }
                    } else {
                        let dist: UInt32
                        if try bit(LZMA.isRepG1 + state) == 0 {
                            dist = rep1
                        } else {
                            if try bit(LZMA.isRepG2 + state) == 0 {
                                dist = rep2
                            } else {
                                dist = rep3; rep3 = rep2
                            }
                            rep2 = rep1
                        }
                        rep1 = rep0; rep0 = dist
                    }
                    len = try length(LZMA.repLenCoder, posState)
                    state = state < 7 ? 8 : 11
                } else {
                    rep3 = rep2; rep2 = rep1; rep1 = rep0
                    len = try length(LZMA.lenCoder, posState)
                    state = state < 7 ? 7 : 10
                    rep0 = try distance(len)
                    if rep0 == 0xFFFF_FFFF {
                        // The end marker.
                        if let size, count != size { throw Failure("end marker before the declared size") }
                        return
                    }
                }
                len += 2
                let dist = Int(rep0) + 1
                guard dist <= count else { throw Failure("match distance beyond the output") }
                if let size, size - count < len { throw Failure("match runs past the declared size") }
                try grow(count + len)
                var src = count - dist
                for _ in 0..<len { out[count] = out[src]; count += 1; src += 1 }
            }
        }
    }
}
