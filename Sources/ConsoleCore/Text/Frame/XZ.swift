import CLZMA

/// The one thin layer over liblzma: the .xz streams Linux kernel images (bzImage) are compressed with, x86 BCJ
/// filter included, so that the kernel's built-in console fonts can be read out of them (`LinuxKernelFont`).
public enum XZ {
    /// The .xz magic (FD 37 7A 58 5A 00).
    public static let magic: [UInt8] = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]

    /// Decodes the .xz stream at the start of `input` (bytes after the stream's end are ignored). Output is capped
    /// at `limit` bytes.
    public static func decompress(_ input: ArraySlice<UInt8>, limit: Int) throws -> [UInt8] {
        var stream = lzma_stream()
        guard lzma_stream_decoder(&stream, UInt64(limit) + (1 << 26), 0) == LZMA_OK else {
            throw FontError("xz: cannot initialise liblzma")
        }
        defer { lzma_end(&stream) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        try Array(input).withUnsafeBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = inp.count
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { c -> lzma_ret in
                    stream.next_out = c.baseAddress
                    stream.avail_out = c.count
                    return lzma_code(&stream, stream.avail_in == 0 ? LZMA_FINISH : LZMA_RUN)
                }
                let produced = chunk.count - stream.avail_out
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { throw FontError("xz: data decompresses beyond \(limit) bytes") }
                if status == LZMA_STREAM_END { return }
                if status != LZMA_OK { throw FontError("xz: corrupt or unsupported data (liblzma error \(status.rawValue))") }
                if stream.avail_in == 0 && produced == 0 { throw FontError("xz: truncated data") }
            }
        }
        return out
    }
}
