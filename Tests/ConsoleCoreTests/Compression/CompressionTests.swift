import Testing
import Foundation
@testable import ConsoleCore

/// The pure decoders (Sources/ConsoleCore/Compression) against the real tools, on data of every shape: gzip
/// (zlib's deflate at several levels, concatenated members), Python's zlib module (zlib streams as PNG holds them,
/// raw deflate, each of zlib's strategies: fixed codes, Huffman only, run lengths), xz (liblzma: CRC-32, CRC-64,
/// SHA-256 and no check, several blocks, the x86 branch filter on a real x86 binary, odd lc/lp/pb, .lzma); and
/// hostile input: every truncation, corruption, output limits, bombs and hand-made invalid streams.
@Suite struct CompressionTests {
    // MARK: - Inputs

    /// Deterministic data shapes: empty, tiny, text-like (many matches), random (stored blocks, uncompressed LZMA2
    /// chunks), long runs (overlapping copies), their mix (block types switching), and a real x86 binary.
    static let samples: [(name: String, bytes: [UInt8])] = {
        var rng = SplitMix64(seed: 14)
        let words = ["the", "guest", "console", "panic", "kernel", "GRUB", "login:", "fleet", "domain", "\n", "  ",
                     "0x", "ffff", "EDK", "II", "Shell>", "[", "]", ".", "virsh", "qemu", "xen", "memory"]
        var text: [UInt8] = []
        while text.count < 120_000 { text += Array(words[Int(rng.next() % UInt64(words.count))].utf8) + [0x20] }
        let random = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let runs = [UInt8](repeating: 0, count: 200_000) + [UInt8](repeating: 0xAB, count: 3) + [UInt8](repeating: 7, count: 40_000)
        var mixed: [UInt8] = []
        for i in 0..<6 { mixed += [text, random, runs][i % 3].prefix(20_000 + i * 3000) }
        let binary = [UInt8](FileManager.default.contents(atPath: "/usr/bin/ls") ?? Data())
        return [("empty", []), ("one byte", [0x41]), ("hello", Array("hello, fleet\n".utf8)), ("text", text),
                ("random", random), ("runs", runs), ("mixed", mixed), ("x86 binary", binary)]
    }()

    /// Runs a real tool on `input` (through a file) and returns what it writes on stdout.
    static func tool(_ command: [String], _ input: [UInt8]) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-compression-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("in-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = command.map { $0 == "FILE" ? file.path : $0 }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw FramebufferError("\(command.joined(separator: " ")) exited with \(p.terminationStatus) (scripts/deps test installs it)")
        }
        return [UInt8](data)
    }

    static let python = "import sys, zlib; d = open(sys.argv[1], 'rb').read(); "

    // MARK: - Against the real tools

    /// Runs a Python script once over every sample: it reads the files named in sys.argv[1:] and prints, for each,
    /// its variants (compressed several ways by the library the tools use) as length-prefixed records.
    static func pythonVariants(_ script: String) throws -> [[[UInt8]]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-compression-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (i, sample) in samples.enumerated() {
            let file = dir.appendingPathComponent("\(i)")
            try Data(sample.bytes).write(to: file)
            paths.append(file.path)
        }
        let prelude = """
            import lzma, struct, sys, zlib
            def emit(b): sys.stdout.buffer.write(struct.pack("<I", len(b)) + b)
            for path in sys.argv[1:]:
                d = open(path, "rb").read()
            """
        let body = script.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let out = try tool(["python3", "-c", prelude + "\n" + body] + paths, [])
        var records: [[UInt8]] = [], p = 0
        while p + 4 <= out.count {
            let n = Int(out[p]) | Int(out[p + 1]) << 8 | Int(out[p + 2]) << 16 | Int(out[p + 3]) << 24
            records.append(Array(out[(p + 4)..<(p + 4 + n)]))
            p += 4 + n
        }
        let perSample = records.count / samples.count
        return (0..<samples.count).map { Array(records[($0 * perSample)..<(($0 + 1) * perSample)]) }
    }

    @Test func inflatesWhatGzipWrites() throws {
        for (name, bytes) in Self.samples {
            for level in ["-1", "-9"] {
                let gz = try Self.tool(["gzip", "-c", level, "FILE"], bytes)
                #expect(try Gzip.inflate(gz) == bytes, "\(name) gzip \(level)")
            }
        }
        // Concatenated members are one file, as `cat a.gz b.gz` makes; trailing garbage is ignored.
        let a = try Self.tool(["gzip", "-c", "FILE"], Self.samples[3].bytes)
        let b = try Self.tool(["gzip", "-c", "-1", "FILE"], Self.samples[4].bytes)
        #expect(try Gzip.inflate(a + b + [0, 0, 0]) == Self.samples[3].bytes + Self.samples[4].bytes)
    }

    /// zlib itself (Python's zlib module): zlib streams with each strategy (fixed codes only, Huffman only, run
    /// lengths, filtered) at two levels, and raw deflate with a full flush in the middle (an empty stored block).
    @Test func inflatesZlibStreamsAndRawDeflateFromZlibItself() throws {
        let strategies = ["Z_DEFAULT_STRATEGY", "Z_FIXED", "Z_HUFFMAN_ONLY", "Z_RLE", "Z_FILTERED"]
        let variants = try Self.pythonVariants("""
            for s in [\(strategies.map { "zlib." + $0 }.joined(separator: ", "))]:
                for level in [1, 9]:
                    c = zlib.compressobj(level, zlib.DEFLATED, 15, 9, s)
                    emit(c.compress(d) + c.flush())
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            h = len(d) // 2
            emit(c.compress(d[:h]) + c.flush(zlib.Z_FULL_FLUSH) + c.compress(d[h:]) + c.flush() + b"tail")
            """)
        for ((name, bytes), streams) in zip(Self.samples, variants) {
            for (i, z) in streams.dropLast().enumerated() {
                #expect(try Inflate.zlib(z[...], limit: bytes.count) == bytes, "\(name) \(strategies[i / 2]) level \(i % 2 == 0 ? 1 : 9)")
            }
            let raw = streams.last!
            let (out, consumed) = try Inflate.raw(raw[...], limit: 1 << 24)
            #expect(out == bytes, "\(name) raw")
            #expect(Array(raw[consumed...]) == Array("tail".utf8), "\(name) raw: the stream's end")
        }
    }

    /// The xz tool itself on every sample (.xz with its defaults, and .lzma); liblzma through Python's lzma module
    /// for the option matrix: each check, several blocks, odd lc/lp/pb, the x86 filter.
    @Test func decodesWhatXzWrites() throws {
        for (name, bytes) in Self.samples {
            let xz = try Self.tool(["xz", "-c", "-T1", "FILE"], bytes)
            #expect(try XZ.decompress(xz[...], limit: bytes.count) == bytes, "\(name) xz")
            let lzma = try Self.tool(["xz", "-c", "--format=lzma", "FILE"], bytes)
            #expect(try LZMA.decompress(lzma, limit: max(1, bytes.count)) == bytes, "\(name) lzma")
        }
        let options = ["check=lzma.CHECK_CRC32, preset=0", "check=lzma.CHECK_CRC64, preset=6", "check=lzma.CHECK_NONE, preset=1",
                       "check=lzma.CHECK_SHA256, preset=2",
                       "filters=[{'id': lzma.FILTER_LZMA2, 'preset': 1, 'lc': 0, 'lp': 4, 'pb': 4}]",
                       "filters=[{'id': lzma.FILTER_LZMA2, 'preset': 1, 'lc': 4, 'lp': 0, 'pb': 0}]",
                       "filters=[{'id': lzma.FILTER_X86}, {'id': lzma.FILTER_LZMA2, 'preset': 6}]"]
        let variants = try Self.pythonVariants("""
            for kw in [\(options.map { "dict(" + $0 + ")" }.joined(separator: ", "))]:
                emit(lzma.compress(d, format=lzma.FORMAT_XZ, **kw))
            """)
        for ((name, bytes), streams) in zip(Self.samples, variants) {
            for (i, xz) in streams.enumerated() {
                #expect(try XZ.decompress(xz[...], limit: bytes.count) == bytes, "\(name) \(options[i])")
            }
        }
        // Several blocks, as xz --block-size writes them.
        for sample in [Self.samples[3].bytes, Self.samples[6].bytes] {
            let blocks = try Self.tool(["xz", "-c", "-T1", "--block-size=30000", "FILE"], sample)
            #expect(try XZ.decompress(blocks[...], limit: 1 << 20) == sample)
        }
    }

    /// The x86 filter with a start offset, as a kernel build could give it; and a filter this decoder does not
    /// know (delta) is named, not misread.
    @Test func xzFilterOptions() throws {
        let binary = Self.samples[7].bytes
        let offset = try Self.tool(["xz", "-c", "--x86=start=4096", "--lzma2=preset=1", "FILE"], binary)
        #expect(try XZ.decompress(offset[...], limit: binary.count) == binary)
        let delta = try Self.tool(["xz", "-c", "--delta=dist=4", "--lzma2=preset=1", "FILE"], binary)
        #expect(throws: XZ.Failure("unsupported filter 0x3 (only x86 BCJ and LZMA2)")) {
            try XZ.decompress(delta[...], limit: binary.count)
        }
    }

    /// Every gzip'd console font of the machine (console-setup's and console-data's) inflates to a PSF font.
    @Test func everyGzipFontOfTheMachine() throws {
        var count = 0
        for dir in ["/usr/share/consolefonts"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".psf.gz") {
                let bytes = [UInt8](FileManager.default.contents(atPath: dir + "/" + name) ?? Data())
                let font = try Gzip.inflate(bytes)
                #expect(font.count > 256 && PSFParser.isPSF(font), "\(name)")
                count += 1
            }
        }
        #expect(count > 100, "console-setup and console-data fonts (scripts/deps test)")
    }

    /// A real kernel image (this machine's /boot/vmlinuz-*, else the bed's Debian kernel): its .xz payload (LZMA2
    /// through the x86 filter, 60+ MB, CRC-32 checked) decodes to the kernel's ELF image. (RecognitionTests read the
    /// kernel's font out of it through FontCatalog.)
    @Test func decodesTheXzPayloadOfARealBzImage() throws {
        let bed = ((try? FileManager.default.contentsOfDirectory(atPath: "/var/cache/fleettui-bed")) ?? [])
            .filter { $0.hasPrefix("image-") }.map { "/var/cache/fleettui-bed/\($0)/vmlinuz" }
        let path = try #require((LinuxKernelFont.kernelImages() + bed).first { FileManager.default.fileExists(atPath: $0) },
                                "no Debian kernel image (/boot/vmlinuz-*, or the bed's: Tests/Bed/bed image)")
        let image = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(LinuxKernelFont.isKernelImage(image))
        let at = try #require(image.firstRange(of: XZ.magic)?.lowerBound)
        let vmlinux = try XZ.decompress(image[at...], limit: 512 << 20)
        #expect(vmlinux.starts(with: [0x7F, 0x45, 0x4C, 0x46]) && vmlinux.count > 20 << 20)
    }

    // MARK: - Hostile input

    /// Every prefix of a stream ends in an error (never a trap, never a short answer taken for the whole).
    @Test func everyTruncationIsAnError() throws {
        let data = Array(Self.samples[3].bytes.prefix(3000)) + Array(Self.samples[4].bytes.prefix(500))
        let gz = try Self.tool(["gzip", "-c", "FILE"], data)
        for n in 0..<gz.count { #expect(throws: FramebufferError.self) { try Gzip.inflate(Array(gz.prefix(n))) } }
        let z = try Self.tool(["python3", "-c", Self.python + "sys.stdout.buffer.write(zlib.compress(d))", "FILE"], data)
        for n in 0..<z.count { #expect(throws: Inflate.Failure.self) { try Inflate.zlib(z.prefix(n), limit: 1 << 20) } }
        let xz = try Self.tool(["xz", "-c", "--x86", "--lzma2", "FILE"], data)
        // The stream is read up to its index: every shorter prefix fails.
        let index = xz.count - 12 - 12   // footer 12 bytes, index of one record ≤ 12 bytes
        for n in 0..<index { #expect(throws: XZ.Failure.self) { try XZ.decompress(xz.prefix(n), limit: 1 << 20) } }
    }

    /// Bytes changed anywhere give an error or, where the change is harmless (a header's name, the OS byte),
    /// the same data: the CRC-32/CRC-64/Adler-32 checks catch the rest.
    @Test func corruptionIsCaughtByTheChecks() throws {
        let data = Array(Self.samples[6].bytes.prefix(20000))
        let gz = try Self.tool(["gzip", "-c", "FILE"], data)
        let xz = try Self.tool(["xz", "-c", "--check=crc64", "FILE"], data)
        let z = try Self.tool(["python3", "-c", Self.python + "sys.stdout.buffer.write(zlib.compress(d))", "FILE"], data)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<150 {
            var g = gz, x = xz, zz = z
            g[10 + Int(rng.next() % UInt64(g.count - 10))] ^= UInt8(1 << (rng.next() % 8))
            x[12 + Int(rng.next() % UInt64(x.count - 36))] ^= UInt8(1 << (rng.next() % 8))
            zz[2 + Int(rng.next() % UInt64(zz.count - 2))] ^= UInt8(1 << (rng.next() % 8))
            if let out = try? Gzip.inflate(g) { #expect(out == data) }
            if let out = try? XZ.decompress(x[...], limit: 1 << 20) { #expect(out == data) }
            if let out = try? Inflate.zlib(zz[...], limit: 1 << 20) { #expect(out == data) }
        }
    }

    /// A small file that inflates to gigabytes stops at the limit, after allocating no more than it.
    @Test func bombsStopAtTheLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let gz = try Self.tool(["gzip", "-c", "-9", "FILE"], zeros)
        #expect(gz.count < 10_000)
        #expect(throws: FramebufferError("gzip: output over the limit of 100000 bytes")) { try Gzip.inflate(gz, limit: 100_000) }
        let xz = try Self.tool(["xz", "-c", "FILE"], zeros)
        #expect(throws: XZ.Failure("output over the limit of 100000 bytes")) { try XZ.decompress(xz[...], limit: 100_000) }
        let lzma = try Self.tool(["xz", "-c", "--format=lzma", "FILE"], zeros)
        #expect(throws: LZMA.Failure.self) { try LZMA.decompress(lzma, limit: 100_000) }
        #expect(try Gzip.inflate(gz, limit: zeros.count) == zeros)
    }

    /// Hand-made invalid DEFLATE streams: each is refused with its reason.
    @Test func invalidDeflateStreams() throws {
        func raw(_ build: (inout BitWriter) -> Void) -> [UInt8] {
            var w = BitWriter()
            build(&w)
            return w.bytes
        }
        func failure(_ bytes: [UInt8]) -> String? {
            do { _ = try Inflate.raw(bytes[...], limit: 1 << 16); return nil } catch { return "\(error)" }
        }
        // Block type 3.
        #expect(failure(raw { $0.put(1, 1); $0.put(3, 2) }) == "inflate: invalid block type 3")
        // A stored block whose length does not match its complement.
        #expect(failure(raw { $0.put(1, 1); $0.put(0, 2); $0.align(); $0.put(5, 16); $0.put(5, 16) })
                == "inflate: stored block length does not match its complement")
        // Fixed codes: literal 'a', then a match 2 back when only 1 byte exists.
        #expect(failure(raw { w in
            w.put(1, 1); w.put(1, 2)
            w.putCode(0x30 + 0x61, 8)   // literal 'a'
            w.putCode(1, 7)             // length symbol 257: 3
            w.putCode(1, 5)             // distance symbol 1: 2
        }) == "inflate: distance 2 reaches before the data")
        // Dynamic block: more literal/length codes than 286.
        #expect(failure(raw { $0.put(1, 1); $0.put(2, 2); $0.put(30, 5); $0.put(0, 5); $0.put(0, 4) })
                == "inflate: too many length or distance codes")
        // Dynamic block: a code-length code that is over-subscribed (three codes of length 1).
        #expect(failure(raw { w in
            w.put(1, 1); w.put(2, 2); w.put(0, 5); w.put(0, 5); w.put(0, 4)
            for _ in 0..<3 { w.put(1, 3) }
            w.put(0, 3)
        }) == "inflate: over-subscribed Huffman code")
        // A repeat (16) before any length.
        #expect(failure(raw { w in
            w.put(1, 1); w.put(2, 2); w.put(0, 5); w.put(0, 5); w.put(0, 4)
            w.put(1, 3); w.put(1, 3); w.put(0, 3); w.put(0, 3)   // symbols 16, 17 have 1-bit codes: 16 = 0, 17 = 1
            w.put(0, 1)
        }) == "inflate: length repeat with no previous length")
        // Nothing at all.
        #expect(failure([]) == "inflate: the data ends too early")
    }

    /// LZMA2 chunks that lie about their sizes, or skip the dictionary reset, are refused.
    @Test func invalidLZMA2Chunks() throws {
        let data = Array(Self.samples[3].bytes.prefix(5000))
        let xz = try Self.tool(["xz", "-c", "--check=none", "-0", "FILE"], data)
        // Block header at 12: its size byte says (n + 1) * 4 bytes; the first LZMA2 control byte follows.
        let chunk = 12 + (Int(xz[12]) + 1) * 4
        #expect(xz[chunk] >= 0xE0)
        var noReset = xz
        noReset[chunk] = 0x80 | (xz[chunk] & 0x1F)
        #expect(throws: XZ.Failure("LZMA2 data does not start with a dictionary reset")) {
            try XZ.decompress(noReset[...], limit: 1 << 20)
        }
        var longer = xz
        longer[chunk + 4] &+= 1   // packed size + 1: the chunk no longer ends where the data does
        #expect(throws: XZ.Failure.self) { try XZ.decompress(longer[...], limit: 1 << 20) }
        var badProps = xz
        badProps[chunk + 5] = 225
        #expect(throws: XZ.Failure("bad LZMA2 properties 225")) { try XZ.decompress(badProps[...], limit: 1 << 20) }
    }
}

/// Writes DEFLATE's bit order: values least significant bit first, Huffman codes most significant bit first.
struct BitWriter {
    var bytes: [UInt8] = []
    var bit = 0

    mutating func put(_ value: Int, _ count: Int) {
        for i in 0..<count {
            if bit == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8((value >> i) & 1) << UInt8(bit)
            bit = (bit + 1) % 8
        }
    }

    mutating func putCode(_ code: Int, _ length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) { put((code >> i) & 1, 1) }
    }

    mutating func align() { bit = 0 }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
