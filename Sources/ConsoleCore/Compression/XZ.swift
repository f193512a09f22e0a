/// .xz streams, as Linux kernel images (bzImage) carry their kernel: blocks of LZMA2 data, optionally through the
/// x86 branch filter (BCJ), each with a CRC-32 or CRC-64 check, so that the kernel's built-in console fonts can be
/// read out of them (`LinuxKernelFont`). Written from the .xz file format specification (tukaani.org) in pure
/// Swift; LZMA2 chunks are decoded by `LZMADecoder`. Input is untrusted: every failure is an `XZ.Failure`, never a
/// trap, and output never grows past `limit`. Only what kernels and `xz` itself write is read: the LZMA2 filter,
/// alone or after x86 BCJ; other filters are refused by name.
public enum XZ {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ d: String) { description = "xz: " + d }
    }

    /// The .xz magic (FD 37 7A 58 5A 00).
    public static let magic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]

    /// Decodes the .xz stream at the start of `input` (its index and footer, and bytes after them, are not read).
    /// Output is capped at `limit` bytes. Block checks (CRC-32, CRC-64) are verified unless `verifyChecks` is false
    /// (fuzzing reaches deeper without them).
    public static func decompress(_ input: ArraySlice<UInt8>, limit: Int, verifyChecks: Bool = true) throws -> [UInt8] {
        do {
            return try input.withUnsafeBufferPointer { buf in
                var out = DecodedOutput(limit: limit, expected: buf.count * 4)
                try Stream(buf, verifyChecks: verifyChecks).decode(into: &out)
                return out.array()
            }
        } catch let f as LZMA.Failure {
            throw Failure(f.description)
        }
    }

    /// Bytes of the check field for each check type (0 none, 1 CRC-32, 4 CRC-64, 10 SHA-256, others reserved).
    static let checkSizes = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64]
    static let filterLZMA2: UInt64 = 0x21, filterX86: UInt64 = 0x04

    struct Stream {
        let b: UnsafeBufferPointer<UInt8>
        let verifyChecks: Bool

        init(_ b: UnsafeBufferPointer<UInt8>, verifyChecks: Bool) {
            self.b = b
            self.verifyChecks = verifyChecks
        }

        func le32(_ o: Int) -> UInt32 {
            UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        }

        func crc32(_ from: Int, _ to: Int) -> UInt32 { Checksum.crc32(UnsafeBufferPointer(rebasing: b[from..<to])) }

        func decode(into out: inout DecodedOutput) throws {
            guard b.count >= 12 else { throw Failure("truncated stream header") }
            guard Array(b[0..<6]) == XZ.magic else { throw Failure("not an .xz stream") }
            guard b[6] == 0, b[7] & 0xF0 == 0 else { throw Failure("unsupported stream flags") }
            guard crc32(6, 8) == le32(8) else { throw Failure("stream header check failed") }
            let check = Int(b[7])
            var p = 12
            while true {
                guard p < b.count else { throw Failure("truncated: no index") }
                if b[p] == 0 { return }   // the index: every block is decoded
                p = try block(at: p, check: check, into: &out)
            }
        }

        /// A multibyte integer of the block header and index (7 bits a byte, low first, at most 9 bytes).
        func varint(_ p: inout Int, end: Int) throws -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<9 {
                guard p < end else { throw Failure("truncated block header") }
                let byte = b[p]
                p += 1
                guard !(byte == 0 && i > 0) else { throw Failure("bad number in block header") }
                v |= UInt64(byte & 0x7F) << UInt64(7 * i)
                if byte & 0x80 == 0 { return v }
            }
            throw Failure("bad number in block header")
        }

        /// One block at `start`: header, LZMA2 data, padding and check. Returns where the next block starts.
        func block(at start: Int, check: Int, into out: inout DecodedOutput) throws -> Int {
            let headerSize = (Int(b[start]) + 1) * 4
            guard b.count - start >= headerSize else { throw Failure("truncated block header") }
            let headerEnd = start + headerSize - 4
            guard crc32(start, headerEnd) == le32(headerEnd) else { throw Failure("block header check failed") }
            let flags = b[start + 1]
            guard flags & 0x3C == 0 else { throw Failure("unsupported block flags") }
            var p = start + 2
            let compressedSize = flags & 0x40 != 0 ? try varint(&p, end: headerEnd) : nil
            let uncompressedSize = flags & 0x80 != 0 ? try varint(&p, end: headerEnd) : nil
            var filters: [(id: UInt64, props: ArraySlice<UInt8>)] = []
            for _ in 0...Int(flags & 3) {
                let id = try varint(&p, end: headerEnd), size = try varint(&p, end: headerEnd)
                guard size <= UInt64(headerEnd - p) else { throw Failure("truncated filter properties") }
                filters.append((id, b[p..<(p + Int(size))].map { $0 }[...]))
                p += Int(size)
            }
            guard b[p..<headerEnd].allSatisfy({ $0 == 0 }) else { throw Failure("bad block header padding") }
            // LZMA2 last; before it at most the x86 branch filter.
            guard let lzma2 = filters.last, lzma2.id == XZ.filterLZMA2, lzma2.props.count == 1,
                  lzma2.props.first! <= 40 else {
                throw Failure("unsupported filters \(filters.map { "0x" + String($0.id, radix: 16) }) (only LZMA2)")
            }
            var x86Start: UInt32?
            for f in filters.dropLast() {
                guard f.id == XZ.filterX86, f.props.count == 0 || f.props.count == 4 else {
                    throw Failure("unsupported filter 0x\(String(f.id, radix: 16)) (only x86 BCJ and LZMA2)")
                }
                guard x86Start == nil else { throw Failure("x86 filter given twice") }
                x86Start = f.props.count == 4
                    ? f.props.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : 0
            }

            let dataStart = start + headerSize, outStart = out.count
            let dataEnd = try lzma2Chunks(from: dataStart, into: &out)
            if let compressedSize, compressedSize != UInt64(dataEnd - dataStart) {
                throw Failure("block's compressed size does not match its header")
            }
            if let uncompressedSize, uncompressedSize != UInt64(out.count - outStart) {
                throw Failure("block's uncompressed size does not match its header")
            }
            if let x86Start { out.withBytes(from: outStart) { XZ.unfilterX86($0, start: x86Start) } }
            var q = dataEnd
            while (q - start) % 4 != 0 {
                guard q < b.count, b[q] == 0 else { throw Failure("bad block padding") }
                q += 1
            }
            let checkSize = XZ.checkSizes[check]
            guard b.count - q >= checkSize else { throw Failure("truncated block check") }
            if verifyChecks {
                switch check {
                case 1:
                    let crc = out.withBytes(from: outStart) { Checksum.crc32(UnsafeBufferPointer($0)) }
                    guard crc == le32(q) else { throw Failure("CRC-32 check failed: the data is corrupt") }
                case 4:
                    let crc = out.withBytes(from: outStart) { Checksum.crc64(UnsafeBufferPointer($0)) }
                    guard crc == UInt64(le32(q)) | UInt64(le32(q + 4)) << 32 else {
                        throw Failure("CRC-64 check failed: the data is corrupt")
                    }
                default:
                    break   // none, or SHA-256 and the reserved ones: not verified
                }
            }
            return q + checkSize
        }

        /// The LZMA2 chunks of one block, up to its end byte (0x00); returns the offset after it.
        func lzma2Chunks(from start: Int, into out: inout DecodedOutput) throws -> Int {
            var decoder = LZMADecoder(maxLcPlusLp: 4)
            var p = start
            var needDictionaryReset = true, needProperties = true
            let overLimit = Failure("output over the limit of \(out.limit) bytes")
            func be16(_ o: Int) -> Int { Int(b[o]) << 8 | Int(b[o + 1]) }
            while true {
                guard p < b.count else { throw Failure("truncated LZMA2 data") }
                let control = b[p]
                p += 1
                if control == 0 { return p }
                if control == 1 || control >= 0xE0 {   // a dictionary reset
                    decoder.dictionaryStart = out.count
                    needDictionaryReset = false
                    if control == 1 { needProperties = true }
                } else if needDictionaryReset {
                    throw Failure("LZMA2 data does not start with a dictionary reset")
                }
                if control < 0x80 {   // 1, 2: stored
                    guard control <= 2 else { throw Failure("bad LZMA2 control byte \(control)") }
                    guard b.count - p >= 2 else { throw Failure("truncated LZMA2 data") }
                    let size = be16(p) + 1
                    p += 2
                    guard b.count - p >= size else { throw Failure("truncated LZMA2 data") }
                    guard out.append(UnsafeBufferPointer(rebasing: b[p..<(p + size)])) else { throw overLimit }
                    p += size
                    continue
                }
                guard b.count - p >= 4 else { throw Failure("truncated LZMA2 data") }
                let unpacked = Int(control & 0x1F) << 16 + be16(p) + 1, packed = be16(p + 2) + 1
                p += 4
                if control >= 0xC0 {   // new properties (and a state reset)
                    guard p < b.count else { throw Failure("truncated LZMA2 data") }
                    guard let (lc, lp, pb) = LZMADecoder.properties(b[p], maxLcPlusLp: 4), pb <= 4 else {
                        throw Failure("bad LZMA2 properties \(b[p])")
                    }
                    p += 1
                    decoder.setProperties(lc: lc, lp: lp, pb: pb)
                    needProperties = false
                } else {
                    guard !needProperties else { throw Failure("LZMA2 chunk without properties") }
                    if control >= 0xA0 { decoder.resetState() }
                }
                guard b.count - p >= packed else { throw Failure("truncated LZMA2 data") }
                guard out.reserve(unpacked) else { throw overLimit }
                try decoder.startRangeCoder(b, from: p, to: p + packed)
                _ = try decoder.decode(into: &out, until: out.count + unpacked, endMarkerAllowed: false)
                guard decoder.inPos == p + packed, decoder.code == 0 else {
                    throw Failure("LZMA2 chunk does not end where its header says")
                }
                p += packed
            }
        }
    }

    /// The x86 branch converter, decoding: the encoder turned the 32-bit operands of CALL (E8) and JMP (E9) from
    /// relative into absolute addresses, which compress better; this turns them back. `start` is the filter's
    /// start offset (the position of the first byte). The last four bytes are never an opcode.
    static func unfilterX86(_ buf: UnsafeMutableBufferPointer<UInt8>, start: UInt32) {
        // For the up to three bytes before an opcode that were E8/E9 themselves (a bit mask, most recent lowest):
        // whether converting is still allowed, and which operand byte to test.
        let allowed: [Bool] = [true, true, true, false, true, false, false, false]
        let operandByte: [Int] = [0, 1, 2, 2, 3, 3, 3, 3]
        func isSignByte(_ v: UInt8) -> Bool { v == 0x00 || v == 0xFF }
        guard buf.count > 4 else { return }
        var recent: UInt32 = 0
        var previous = -1
        var i = 0
        while i < buf.count - 4 {
            defer { i += 1 }
            guard buf[i] & 0xFE == 0xE8 else { continue }
            let gap = i - previous
            previous = i
            if gap > 3 {
                recent = 0
            } else {
                recent = (recent << UInt32(gap - 1)) & 7
                if recent != 0 && (!allowed[Int(recent)] || isSignByte(buf[i + 4 - operandByte[Int(recent)]])) {
                    recent = recent << 1 | 1
                    continue
                }
            }
            guard isSignByte(buf[i + 4]) else {
                recent = recent << 1 | 1
                continue
            }
            var operand = UInt32(buf[i + 1]) | UInt32(buf[i + 2]) << 8 | UInt32(buf[i + 3]) << 16 | UInt32(buf[i + 4]) << 24
            var target: UInt32
            while true {
                target = operand &- (start &+ UInt32(truncatingIfNeeded: i) &+ 5)
                guard recent != 0 else { break }
                let shift = UInt32(operandByte[Int(recent)] * 8)
                guard isSignByte(UInt8(truncatingIfNeeded: target >> (24 - shift))) else { break }
                operand = target ^ ((1 << (32 - shift)) &- 1)
            }
            // Sign-extend from bit 24: the operand's top byte is 00 or FF again.
            target &= 0x01FF_FFFF
            target |= 0 &- (target & 0x0100_0000)
            buf[i + 1] = UInt8(truncatingIfNeeded: target)
            buf[i + 2] = UInt8(truncatingIfNeeded: target >> 8)
            buf[i + 3] = UInt8(truncatingIfNeeded: target >> 16)
            buf[i + 4] = UInt8(truncatingIfNeeded: target >> 24)
            i += 4
        }
    }
}
