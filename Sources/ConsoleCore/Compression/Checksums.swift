/// The checksums the compressed formats carry: CRC-32 (gzip, xz, PNG), CRC-64 (xz) and Adler-32 (zlib).
/// Table-driven, one byte at a time; tables built once.
enum Checksum {
    static let crc32Table: [UInt32] = table(polynomial: UInt32(0xEDB8_8320))
    static let crc64Table: [UInt64] = table(polynomial: UInt64(0xC96C_5795_D787_0F42))

    /// The reflected CRC table of `polynomial` (bit-reversed form, as gzip's CRC-32 and xz's CRC-64 use).
    static func table<T: FixedWidthInteger & UnsignedInteger>(polynomial: T) -> [T] {
        (0..<256).map { n in
            var c = T(n)
            for _ in 0..<8 { c = c & 1 != 0 ? polynomial ^ (c >> 1) : c >> 1 }
            return c
        }
    }

    /// CRC-32 (IEEE 802.3) of `bytes`, continuing from `crc` (0 to start).
    static func crc32(_ bytes: UnsafeBufferPointer<UInt8>, _ crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        crc32Table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 { bytes.withUnsafeBufferPointer { crc32($0) } }

    /// CRC-64 (ECMA-182, as xz uses it) of `bytes`.
    static func crc64(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var c = ~UInt64(0)
        crc64Table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt64(b)) & 0xFF)] ^ (c >> 8) }
        }
        return ~c
    }

    /// Adler-32 (zlib's trailer) of `bytes`.
    static func adler32(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var i = 0
        while i < bytes.count {
            // 5552 bytes is the most that can be summed before b may overflow 32 bits (zlib's NMAX).
            let end = min(bytes.count, i + 5552)
            while i < end { a &+= UInt32(bytes[i]); b &+= a; i += 1 }
            a %= 65521; b %= 65521
        }
        return b << 16 | a
    }
}
