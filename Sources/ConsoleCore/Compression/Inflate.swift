/// DEFLATE decoding (RFC 1951), the compression inside gzip files (`.psf.gz` fonts, `.ppm.gz` frames) and zlib
/// streams (PNG image data), with the zlib wrapper (RFC 1950); `Gzip` adds the gzip wrapper. Written from the RFCs,
/// pure Swift, so ConsoleCore imports no C library and the decoder is fuzzed like the other parsers.
/// Input is untrusted: every malformed stream is an `Inflate.Failure`, never a trap; output never grows past `limit`
/// and is allocated as it is produced (DEFLATE expands at most 1032:1, so memory is also bounded by the input).
public enum Inflate {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// What is wrong, without the "inflate: " prefix.
        public var reason: String
        public var description: String { "inflate: " + reason }
        init(_ reason: String) { self.reason = reason }

        static let truncated = Failure("the data ends too early")
        static func overLimit(_ limit: Int) -> Failure { Failure("output over the limit of \(limit) bytes") }
    }

    /// Decodes the raw DEFLATE stream at the start of `input`. Returns the output and how many input bytes the
    /// stream took (a wrapper's trailer follows them).
    public static func raw(_ input: ArraySlice<UInt8>, limit: Int) throws -> (output: [UInt8], consumed: Int) {
        try input.withUnsafeBufferPointer { buf in
            var out = DecodedOutput(limit: limit, expected: buf.count * 4)
            var bits = BitReader(buf, at: 0)
            try decode(&bits, into: &out)
            return (out.array(), bits.consumed)
        }
    }

    /// Decodes a zlib stream (RFC 1950: a two-byte header, DEFLATE data, the Adler-32 of the output). Preset
    /// dictionaries are refused (PNG never uses them).
    public static func zlib(_ input: ArraySlice<UInt8>, limit: Int) throws -> [UInt8] {
        try input.withUnsafeBufferPointer { buf in
            guard buf.count >= 2 else { throw Failure.truncated }
            let cmf = buf[0], flg = buf[1]
            guard cmf & 0x0F == 8, cmf >> 4 <= 7, (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else {
                throw Failure("not a zlib stream (header \(cmf) \(flg))")
            }
            guard flg & 0x20 == 0 else { throw Failure("zlib stream needs a preset dictionary") }
            var out = DecodedOutput(limit: limit, expected: buf.count * 4)
            var bits = BitReader(buf, at: 2)
            try decode(&bits, into: &out)
            let end = bits.consumed
            guard buf.count - end >= 4 else { throw Failure.truncated }
            let stored = UInt32(buf[end]) << 24 | UInt32(buf[end + 1]) << 16 | UInt32(buf[end + 2]) << 8 | UInt32(buf[end + 3])
            let actual = out.withBytes(from: 0) { Checksum.adler32(UnsafeBufferPointer($0)) }
            guard stored == actual else { throw Failure("Adler-32 check failed: the data is corrupt") }
            return out.array()
        }
    }

    // MARK: - The decoder

    /// Reads the bit stream least significant bit first, as DEFLATE packs it, through a 64-bit buffer.
    struct BitReader {
        let input: UnsafeBufferPointer<UInt8>
        var pos: Int
        var bits: UInt64 = 0
        var count = 0

        init(_ input: UnsafeBufferPointer<UInt8>, at pos: Int) {
            self.input = input
            self.pos = pos
        }

        @inline(__always) mutating func refill() {
            while count <= 56 && pos < input.count {
                bits |= UInt64(input[pos]) << UInt64(count)
                pos += 1
                count += 8
            }
        }

        /// The next `n` bits (0...32) as a number.
        @inline(__always) mutating func take(_ n: Int) throws -> Int {
            if count < n {
                refill()
                guard count >= n else { throw Failure.truncated }
            }
            let v = Int(truncatingIfNeeded: bits & ((1 << UInt64(n)) - 1))
            bits >>= UInt64(n)
            count -= n
            return v
        }

        @inline(__always) mutating func drop(_ n: Int) {
            bits >>= UInt64(n)
            count -= n
        }

        /// Skips to the next byte boundary (stored blocks start on one).
        mutating func alignToByte() { drop(count % 8) }

        /// Input bytes used so far: whole bytes still in the buffer are given back.
        var consumed: Int { pos - count / 8 }
    }

    /// A canonical Huffman code. Codes of up to `fastBits` bits decode with one table look-up; longer ones (rare by
    /// construction) are decoded bit by bit from the per-length counts.
    struct Huffman {
        static let fastBits = 10
        /// Indexed by the next `fastBits` input bits: symbol << 4 | code length, 0 when no code that short matches.
        var fast: [UInt16]
        /// How many codes have each length (1...15).
        var counts: [Int]
        /// The symbols ordered by code length, then value: the canonical order.
        var symbols: [UInt16]

        /// The code with these lengths (0 = symbol unused). An over-subscribed set of lengths is refused; an
        /// incomplete one is accepted, its unused codes fail when they are met.
        init(lengths: ArraySlice<UInt8>) throws {
            counts = [Int](repeating: 0, count: 16)
            for l in lengths {
                guard l <= 15 else { throw Failure("code length \(l) over 15") }
                counts[Int(l)] += 1
            }
            counts[0] = 0
            var left = 1
            for len in 1...15 {
                left = left << 1 - counts[len]
                guard left >= 0 else { throw Failure("over-subscribed Huffman code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
            symbols = [UInt16](repeating: 0, count: lengths.count)
            for (symbol, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[Int(l)]] = UInt16(symbol)
                offsets[Int(l)] += 1
            }
            fast = [UInt16](repeating: 0, count: 1 << Huffman.fastBits)
            var code = 0, k = 0
            for len in 1...Huffman.fastBits {
                for _ in 0..<counts[len] {
                    // The code is sent most significant bit first: the table is indexed by it reversed.
                    var reversed = 0, c = code
                    for _ in 0..<len { reversed = reversed << 1 | c & 1; c >>= 1 }
                    let entry = symbols[k] << 4 | UInt16(len)
                    var i = reversed
                    while i < 1 << Huffman.fastBits { fast[i] = entry; i += 1 << len }
                    code += 1
                    k += 1
                }
                code <<= 1
            }
        }

        @inline(__always) func decode(_ r: inout BitReader) throws -> Int {
            if r.count < 15 { r.refill() }
            let entry = fast[Int(truncatingIfNeeded: r.bits) & (1 << Huffman.fastBits - 1)]
            if entry != 0 {
                let len = Int(entry & 15)
                guard len <= r.count else { throw Failure.truncated }
                r.drop(len)
                return Int(entry >> 4)
            }
            return try decodeLong(&r)
        }

        /// Bit by bit: `first` is the first code of length `len`, `index` where its symbols start.
        func decodeLong(_ r: inout BitReader) throws -> Int {
            var code = 0, first = 0, index = 0
            for len in 1...15 {
                guard len <= r.count else { throw Failure.truncated }
                code |= Int(truncatingIfNeeded: r.bits >> UInt64(len - 1)) & 1
                let n = counts[len], offset = code - first
                if offset >= 0 && offset < n {
                    r.drop(len)
                    return Int(symbols[index + offset])
                }
                index += n
                first = (first + n) << 1
                code <<= 1
            }
            throw Failure("invalid Huffman code")
        }
    }

    static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
                                    115, 131, 163, 195, 227, 258]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                                      1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11,
                                       12, 12, 13, 13]
    /// The order code-length code lengths are sent in.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed codes of block type 1 (RFC 1951 3.2.6).
    static let fixedCodes: (literals: Huffman, distances: Huffman) = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        // Constant, complete codes: building them cannot fail.
        return (try! Huffman(lengths: lengths[...]), try! Huffman(lengths: [UInt8](repeating: 5, count: 32)[...]))
    }()

    /// Decodes blocks up to and including the last one. Matches may not reach before where this stream's output
    /// started (`out.count` on entry), so one output can hold several streams (gzip members).
    static func decode(_ r: inout BitReader, into out: inout DecodedOutput) throws {
        let start = out.count
        var last = false
        while !last {
            last = try r.take(1) == 1
            switch try r.take(2) {
            case 0: try stored(&r, into: &out)
            case 1: try codes(&r, fixedCodes.literals, fixedCodes.distances, into: &out, start: start)
            case 2:
                let (literals, distances) = try dynamicCodes(&r)
                try codes(&r, literals, distances, into: &out, start: start)
            default: throw Failure("invalid block type 3")
            }
        }
    }

    static func stored(_ r: inout BitReader, into out: inout DecodedOutput) throws {
        r.alignToByte()
        let len = try r.take(16), check = try r.take(16)
        guard len == ~check & 0xFFFF else { throw Failure("stored block length does not match its complement") }
        guard out.reserve(len) else { throw Failure.overLimit(out.limit) }
        var left = len
        while left > 0 && r.count >= 8 {   // bytes already in the bit buffer
            _ = out.append(UInt8(try r.take(8)))
            left -= 1
        }
        guard left > 0 else { return }
        guard r.input.count - r.pos >= left else { throw Failure.truncated }
        _ = out.append(UnsafeBufferPointer(rebasing: r.input[r.pos..<(r.pos + left)]))
        r.pos += left
    }

    static func dynamicCodes(_ r: inout BitReader) throws -> (Huffman, Huffman) {
        let literalCount = try r.take(5) + 257, distanceCount = try r.take(5) + 1, codeLengthCount = try r.take(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw Failure("too many length or distance codes") }
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[codeLengthOrder[i]] = UInt8(try r.take(3)) }
        let codeLengthCode = try Huffman(lengths: codeLengths[...])
        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var i = 0
        while i < total {
            let symbol = try codeLengthCode.decode(&r)
            if symbol < 16 {
                lengths[i] = UInt8(symbol)
                i += 1
                continue
            }
            var value: UInt8 = 0
            let repeats: Int
            switch symbol {
            case 16:
                guard i > 0 else { throw Failure("length repeat with no previous length") }
                value = lengths[i - 1]
                repeats = 3 + (try r.take(2))
            case 17: repeats = 3 + (try r.take(3))
            default: repeats = 11 + (try r.take(7))
            }
            guard repeats <= total - i else { throw Failure("code lengths run past their count") }
            for _ in 0..<repeats {
                lengths[i] = value
                i += 1
            }
        }
        guard lengths[256] != 0 else { throw Failure("no end-of-block code") }
        return (try Huffman(lengths: lengths[0..<literalCount]), try Huffman(lengths: lengths[literalCount...]))
    }

    static func codes(_ r: inout BitReader, _ literals: Huffman, _ distances: Huffman, into out: inout DecodedOutput,
                      start: Int) throws {
        while true {
            let symbol = try literals.decode(&r)
            if symbol < 256 {
                guard out.append(UInt8(symbol)) else { throw Failure.overLimit(out.limit) }
                continue
            }
            if symbol == 256 { return }
            let l = symbol - 257
            guard l < 29 else { throw Failure("invalid length symbol \(symbol)") }
            let length = lengthBase[l] + (try r.take(lengthExtra[l]))
            let d = try distances.decode(&r)
            guard d < 30 else { throw Failure("invalid distance symbol \(d)") }
            let distance = distanceBase[d] + (try r.take(distanceExtra[d]))
            guard distance <= out.count - start else { throw Failure("distance \(distance) reaches before the data") }
            guard out.reserve(length) else { throw Failure.overLimit(out.limit) }
            out.copyMatch(distance: distance, length: length)
        }
    }
}
