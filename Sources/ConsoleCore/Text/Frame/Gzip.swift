import CZlib

/// The one thin layer over zlib: inflate gzip'd fonts and frames. The recognizer itself never sees compressed data.
public enum Gzip {
    /// True if the bytes start with the gzip magic (1f 8b).
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates gzip data (all members); plain data is returned unchanged. Output is capped at `limit` bytes.
    public static func inflateIfNeeded(_ bytes: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        isGzip(bytes) ? try inflate(bytes, limit: limit) : bytes
    }

    public static func inflate(_ input: [UInt8], limit: Int = 1 << 30) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(min(limit, max(4096, input.count * 4)))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FramebufferError("zlib: cannot initialise")
        }
        defer { inflateEnd(&stream) }
        try input.withUnsafeBufferPointer { inp in
            stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            stream.avail_in = UInt32(inp.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { throw FramebufferError("gzip data inflates beyond \(limit) bytes") }
                if status == Z_STREAM_END {
                    // Another gzip member may follow (concatenated .gz); otherwise we are done.
                    if stream.avail_in >= 2, stream.next_in[0] == 0x1F, stream.next_in[1] == 0x8B {
                        inflateReset(&stream); continue
                    }
                    return
                }
                if status != Z_OK && !(status == Z_BUF_ERROR && produced > 0) {
                    throw FramebufferError(status == Z_BUF_ERROR ? "truncated gzip data" : "corrupt gzip data")
                }
                if stream.avail_in == 0 && produced == 0 { throw FramebufferError("truncated gzip data") }
            }
        }
        return out
    }
}
