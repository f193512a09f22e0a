/// gzip files (RFC 1952): gzip'd fonts (`/usr/share/consolefonts/*.psf.gz`) and saved frames (`.ppm.gz`). The
/// recognizer itself never sees compressed data. Errors are `FramebufferError`s saying "gzip: …".
public enum Gzip {
    /// True if the bytes start with the gzip magic (1f 8b).
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates gzip data (all members); plain data is returned unchanged. Output is capped at `limit` bytes.
    public static func inflateIfNeeded(_ bytes: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        isGzip(bytes) ? try inflate(bytes, limit: limit) : bytes
    }

    /// Inflates every member of a gzip file (a concatenated .gz is one file); bytes after the last member that do
    /// not start another are ignored, as gzip does. Each member's CRC-32 and length are checked.
    public static func inflate(_ input: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        do {
            return try input.withUnsafeBufferPointer { buf in
                var out = DecodedOutput(limit: limit, expected: buf.count * 4)
                var p = 0
                repeat {
                    p = try member(buf, at: p, into: &out)
                } while buf.count - p >= 2 && buf[p] == 0x1F && buf[p + 1] == 0x8B
                return out.array()
            }
        } catch let failure as Inflate.Failure {
            throw FramebufferError("gzip: " + failure.reason)
        }
    }

    /// One member at `start`; returns where the next one would start.
    static func member(_ b: UnsafeBufferPointer<UInt8>, at start: Int, into out: inout DecodedOutput) throws -> Int {
        guard b.count - start >= 10 else { throw Inflate.Failure.truncated }
        guard b[start] == 0x1F, b[start + 1] == 0x8B else { throw Inflate.Failure("not gzip data") }
        guard b[start + 2] == 8 else { throw Inflate.Failure("unknown compression method \(b[start + 2])") }
        let flags = b[start + 3]
        guard flags & 0xE0 == 0 else { throw Inflate.Failure("reserved header flags set") }
        var p = start + 10
        if flags & 0x04 != 0 {   // FEXTRA: a length, then that many bytes
            guard b.count - p >= 2 else { throw Inflate.Failure.truncated }
            p += 2 + (Int(b[p]) | Int(b[p + 1]) << 8)
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {   // FNAME, FCOMMENT: zero-terminated
            while p < b.count && b[p] != 0 { p += 1 }
            p += 1
        }
        if flags & 0x02 != 0 { p += 2 }   // FHCRC
        guard p <= b.count else { throw Inflate.Failure.truncated }
        let from = out.count
        var bits = Inflate.BitReader(b, at: p)
        try Inflate.decode(&bits, into: &out)
        p = bits.consumed
        guard b.count - p >= 8 else { throw Inflate.Failure.truncated }
        func le32(_ o: Int) -> UInt32 {
            UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
        }
        let crc = out.withBytes(from: from) { Checksum.crc32(UnsafeBufferPointer($0)) }
        guard crc == le32(p) else { throw Inflate.Failure("CRC-32 check failed: the data is corrupt") }
        guard le32(p + 4) == UInt32(truncatingIfNeeded: out.count - from) else {
            throw Inflate.Failure("length check failed: the data is corrupt")
        }
        return p + 8
    }
}
