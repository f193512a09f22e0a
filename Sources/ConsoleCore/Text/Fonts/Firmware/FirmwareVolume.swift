/// Walks UEFI (PI specification) firmware volumes, as in an OVMF_CODE.fd flash image: volumes ("_FVH"), their
/// FFS files, and each file's sections — opening LZMA-compressed GUID-defined sections and firmware volumes nested
/// in sections — to list the driver images (PE32/TE) with the driver's name. Pure; input is untrusted: bounded
/// nesting and decompressed size, and a malformed structure ends that branch of the walk, never the process.
public enum FirmwareVolume {
    /// One driver image found in the firmware.
    public struct Image: Sendable {
        /// The FFS file's name (a GUID, as 16 bytes in the on-disk order).
        public var file: [UInt8]
        /// The driver's name from its user-interface section ("GraphicsConsoleDxe"), if it has one.
        public var name: String?
        /// The PE32 or TE section's bytes.
        public var bytes: [UInt8]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// gLzmaCustomDecompressGuid (EE4E5898-3914-4259-9D6E-DC7BD79403CF), in on-disk byte order.
    static let lzmaGUID: [UInt8] = [0x98, 0x58, 0x4E, 0xEE, 0x14, 0x39, 0x59, 0x42, 0x9D, 0x6E, 0xDC, 0x7B, 0xD7, 0x94, 0x03, 0xCF]
    static let maxDepth = 8

    /// True if `data` holds a firmware volume header near its start (a flash image or a bare volume).
    public static func looksLikeFirmware(_ data: [UInt8]) -> Bool {
        var off = 0
        while off + 56 <= data.count && off < 1 << 20 {
            if isVolume(data, off) { return true }
            off += 4096
        }
        return false
    }

    static func isVolume(_ b: [UInt8], _ off: Int) -> Bool {
        off + 56 <= b.count && b[off + 40] == 0x5F && b[off + 41] == 0x46 && b[off + 42] == 0x56 && b[off + 43] == 0x48
    }

    /// Every driver image in `data` (volumes found anywhere on an 8-byte boundary). `limit` bounds the bytes
    /// decompressed in all.
    public static func images(in data: [UInt8], limit: Int = 256 << 20) -> [Image] {
        var walker = Walker(budget: limit)
        walker.scanVolumes(data[...], depth: 0)
        return walker.images
    }

    struct Walker {
        var budget: Int
        var images: [Image] = []

        mutating func scanVolumes(_ b: ArraySlice<UInt8>, depth: Int) {
            guard depth <= FirmwareVolume.maxDepth else { return }
            var off = b.startIndex
            while off + 56 <= b.endIndex {
                if b[off + 40] == 0x5F && b[off + 41] == 0x46 && b[off + 42] == 0x56 && b[off + 43] == 0x48,
                   let len = volume(b, at: off, depth: depth) {
                    off += max(8, len)
                } else {
                    off += 8
                }
            }
        }

        /// Walks the volume at `off`; returns its length, or nil if its header is not sane.
        mutating func volume(_ b: ArraySlice<UInt8>, at off: Int, depth: Int) -> Int? {
            let length = u64(b, off + 32), headerLength = Int(u16(b, off + 48)), ext = Int(u16(b, off + 52))
            guard length >= 56, length <= UInt64(b.endIndex - off), headerLength >= 56, UInt64(headerLength) <= length
            else { return nil }
            let end = off + Int(length)
            var p = off + headerLength
            if ext != 0 {
                guard off + ext + 20 <= end else { return Int(length) }
                p = off + ext + Int(u32(b, off + ext + 16))
            }
            while true {
                p = off + ((p - off + 7) & ~7)
                guard p + 24 <= end else { break }
                if b[p..<(p + 16)].allSatisfy({ $0 == 0xFF }) { break }   // free space
                let type = b[p + 18], attributes = b[p + 19]
                var size = Int(b[p + 20]) | Int(b[p + 21]) << 8 | Int(b[p + 22]) << 16
                var header = 24
                if attributes & 0x01 != 0 {   // FFS_ATTRIB_LARGE_FILE
                    guard p + 32 <= end else { break }
                    let big = u64(b, p + 24)
                    guard big <= UInt64(end - p) else { break }
                    size = Int(big); header = 32
                }
                guard size >= header, p + size <= end else { break }
                if type != 0xF0 {   // not a pad file
                    let file = Array(b[p..<(p + 16)])
                    sections(b[(p + header)..<(p + size)], file: file, depth: depth + 1)
                }
                p += size
            }
            return Int(length)
        }

        /// Walks a run of sections (one FFS file's, or a decompressed or GUID-defined section's contents).
        mutating func sections(_ b: ArraySlice<UInt8>, file: [UInt8], depth: Int) {
            guard depth <= FirmwareVolume.maxDepth else { return }
            var p = b.startIndex
            var name: String?
            var found: [[UInt8]] = []
            while p + 4 <= b.endIndex {
                var size = Int(b[p]) | Int(b[p + 1]) << 8 | Int(b[p + 2]) << 16
                let type = b[p + 3]
                var header = 4
                if size == 0xFF_FFFF {
                    guard p + 8 <= b.endIndex else { break }
                    size = Int(u32(b, p + 4)); header = 8
                }
                guard size >= header, size <= b.endIndex - p else { break }
                let body = b[(p + header)..<(p + size)]
                switch type {
                case 0x01:   // compression: type 0 = stored; EFI standard compression is not read
                    if body.count >= 5, body[body.startIndex + 4] == 0 {
                        sections(body.dropFirst(5), file: file, depth: depth + 1)
                    }
                case 0x02:   // GUID-defined
                    guard body.count >= 20 else { break }
                    let guid = Array(body.prefix(16))
                    let dataOffset = Int(u16(b, body.startIndex + 16)), attributes = u16(b, body.startIndex + 18)
                    guard dataOffset >= header + 20, dataOffset <= size else { break }
                    let data = b[(p + dataOffset)..<(p + size)]
                    if guid == FirmwareVolume.lzmaGUID {
                        guard let declared = LZMA.declaredSize(Array(data.prefix(13))), declared <= UInt64(budget),
                              let out = try? LZMA.decompress(Array(data), limit: budget) else { break }
                        budget -= out.count
                        sections(out[...], file: file, depth: depth + 1)
                    } else if attributes & 0x01 == 0 {   // no processing required: the data is plain sections
                        sections(data, file: file, depth: depth + 1)
                    }
                case 0x10, 0x12:   // PE32, TE
                    found.append(Array(body))
                case 0x15:   // user interface: the driver's name in UCS-2
                    var units: [UInt16] = []
                    var i = body.startIndex
                    while i + 1 < body.endIndex, units.count < 256 {
                        let u = UInt16(body[i]) | UInt16(body[i + 1]) << 8
                        if u == 0 { break }
                        units.append(u); i += 2
                    }
                    name = String(decoding: units, as: UTF16.self)
                case 0x17:   // a firmware volume image
                    scanVolumes(body, depth: depth + 1)
                default:
                    break
                }
                p += size
                p = b.startIndex + ((p - b.startIndex + 3) & ~3)
            }
            for bytes in found { images.append(Image(file: file, name: name, bytes: bytes)) }
        }
    }

    static func u16(_ b: ArraySlice<UInt8>, _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    static func u32(_ b: ArraySlice<UInt8>, _ o: Int) -> UInt32 {
        UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }
    static func u64(_ b: ArraySlice<UInt8>, _ o: Int) -> UInt64 { UInt64(u32(b, o)) | UInt64(u32(b, o + 4)) << 32 }
}

private func u16(_ b: ArraySlice<UInt8>, _ o: Int) -> UInt16 { FirmwareVolume.u16(b, o) }
private func u32(_ b: ArraySlice<UInt8>, _ o: Int) -> UInt32 { FirmwareVolume.u32(b, o) }
private func u64(_ b: ArraySlice<UInt8>, _ o: Int) -> UInt64 { FirmwareVolume.u64(b, o) }
