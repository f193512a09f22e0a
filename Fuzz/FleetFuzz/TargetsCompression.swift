import ConsoleCore

/// The decoders' output limit under fuzzing: small enough that a bomb is cut short quickly.
let fuzzOutputLimit = 16 << 20

let compressionTargets: [FuzzTarget] = [
    FuzzTarget("gzip", "gzip files (header fields, members, CRC-32/length trailers) with the pure inflate") { bytes in
        if let out = try? Gzip.inflate(bytes, limit: fuzzOutputLimit) { precondition(out.count <= fuzzOutputLimit) }
    },
    FuzzTarget("inflate", "raw DEFLATE streams (Inflate.raw): block types, Huffman tables, lengths and distances",
               seeds: [[0x03, 0x00], [0x4B, 0x4C, 0x4A, 0x06, 0x00], [0x01, 0x03, 0x00, 0xFC, 0xFF, 0x61, 0x62, 0x63]]) { bytes in
        if let (out, used) = try? Inflate.raw(bytes[...], limit: fuzzOutputLimit) {
            precondition(out.count <= fuzzOutputLimit && used >= 0 && used <= bytes.count)
        }
    },
    FuzzTarget("zlib", "zlib streams (PNG's image data): header, DEFLATE, Adler-32",
               seeds: [[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]]) { bytes in
        _ = try? Inflate.zlib(bytes[...], limit: fuzzOutputLimit)
    },
    FuzzTarget("lzma", "LZMA \"alone\" streams (.lzma, EDK2's compressed sections)") { bytes in
        _ = try? LZMA.decompress(bytes, limit: fuzzOutputLimit)
        _ = LZMA.declaredSize(bytes)
    },
    FuzzTarget("xz", ".xz streams (kernel images): block headers, filters, LZMA2 chunks, x86 BCJ; checks not verified") { bytes in
        _ = try? XZ.decompress(bytes[...], limit: fuzzOutputLimit, verifyChecks: false)
    },
]
