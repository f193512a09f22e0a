import Foundation

/// One fuzz target: a parser (or a pipeline of them) fed arbitrary bytes. A target must never trap, hang or
/// allocate without bound on any input: libFuzzer reports that as a crash (AddressSanitizer adds memory errors).
/// Errors thrown for bad input are the expected outcome and are ignored.
struct FuzzTarget: Sendable {
    let name: String
    let about: String
    /// Seed inputs made in code (small, valid or nearly valid examples). scripts/fuzz adds file seeds: the tests'
    /// fixtures and the machine's files (fonts, firmware) and what gzip/xz/python make.
    let seeds: @Sendable () -> [[UInt8]]
    let run: @Sendable ([UInt8]) -> Void

    init(_ name: String, _ about: String, seeds: @autoclosure @escaping @Sendable () -> [[UInt8]] = [],
         run: @escaping @Sendable ([UInt8]) -> Void) {
        self.name = name
        self.about = about
        self.seeds = seeds
        self.run = run
    }

    static let all: [FuzzTarget] = fontTargets + imageTargets + compressionTargets + configTargets + libvirtTargets
        + promQLTargets + inputTargets + vncTargets

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Reads structured values out of fuzz input, for targets that need more than one flat buffer (sizes, a key
/// sequence, several texts). Running out of bytes yields zeros, never a trap.
struct FuzzData {
    private let bytes: [UInt8]
    private var pos = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { pos >= bytes.count }

    mutating func byte() -> UInt8 {
        guard pos < bytes.count else { return 0 }
        defer { pos += 1 }
        return bytes[pos]
    }

    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A number in `range`, from up to four bytes.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        var v: UInt64 = 0
        var take = 0
        while take < 4 && (1 << (8 * UInt64(take))) < span {
            v = v << 8 | UInt64(byte())
            take += 1
        }
        return range.lowerBound + Int(v % span)
    }

    /// Up to `max` bytes (a length byte first).
    mutating func bytes(max: Int) -> [UInt8] {
        let n = min(int(in: 0...max), bytes.count - pos)
        guard n > 0 else { return [] }
        defer { pos += n }
        return Array(bytes[pos..<(pos + n)])
    }

    /// A string of up to `max` UTF-8 bytes (invalid sequences become U+FFFD, as file contents would).
    mutating func string(max: Int) -> String { String(decoding: bytes(max: max), as: UTF8.self) }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        defer { pos = bytes.count }
        return pos < bytes.count ? Array(bytes[pos...]) : []
    }
}

/// Text inputs: the bytes as UTF-8, as a file's contents are read (String(decoding:) never fails).
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }
