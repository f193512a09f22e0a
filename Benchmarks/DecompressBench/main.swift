import ConsoleCore
import Foundation

// The pure decoders (Sources/ConsoleCore/Compression) on real inputs: a gzip'd console font, a gzip'd 2560x1600
// frame, the OVMF firmware's LZMA-compressed volumes (the EDK2 font extraction) and a kernel's .xz payload.
// Usage: DecompressBench [FILE...]   (extra .gz / .xz / firmware / kernel files to time)
// Prints one line per input: median wall time of `runs` runs, output size and throughput.

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Median wall and CPU milliseconds of `runs` runs (CPU time: the shared machine's load inflates wall time).
func median(_ runs: Int, _ body: () throws -> Int) rethrows -> (ms: Double, cpuMs: Double, bytes: Int) {
    var times: [Double] = [], cpus: [Double] = [], bytes = 0
    for _ in 0..<runs {
        let t0 = now(), c0 = cpu()
        bytes = try body()
        times.append((now() - t0) * 1000)
        cpus.append((cpu() - c0) * 1000)
    }
    return (times.sorted()[times.count / 2], cpus.sorted()[cpus.count / 2], bytes)
}

func report(_ what: String, _ inBytes: Int, _ r: (ms: Double, cpuMs: Double, bytes: Int), runs: Int) {
    let mbs = Double(r.bytes) / 1e6 / (r.cpuMs / 1000)
    print(String(format: "%@: %d KB -> %d KB in %.1f ms CPU, %.1f ms wall (median of %d), %.1f MB/s out", what,
                 inBytes / 1024, r.bytes / 1024, r.cpuMs, r.ms, runs, mbs))
}

#if DEBUG
let build = "debug"
#else
let build = "release"
#endif
print("decoders, \(build) build")

func read(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }

let fontPath = "/usr/share/consolefonts/Lat15-Terminus32x16.psf.gz"
if let font = read(fontPath) {
    report("gzip font \(fontPath)", font.count, try median(15) { try Gzip.inflate(font).count }, runs: 15)
}
let framePath = "Tests/ConsoleCoreTests/Fixtures/fleet-fb1600.ppm.gz"
if let frame = read(framePath) {
    report("gzip frame \(framePath)", frame.count, try median(5) { try Gzip.inflate(frame).count }, runs: 5)
}
if let fw = FontCatalog.firmwareImage(), let image = read(fw) {
    // What the EDK2 font extraction costs: walking the volumes and decoding the LZMA-compressed DXE volume.
    let r = median(3) { FirmwareVolume.images(in: image).reduce(0) { $0 + $1.bytes.count } }
    report("OVMF volumes walked + LZMA decoded \(fw) (PE images out)", image.count, r, runs: 3)
    let f = median(3) { EDK2Font.fonts(inFirmware: image, name: "OVMF").reduce(0) { $0 + $1.glyphs.count } }
    print(String(format: "EDK2 font extraction, whole: %.1f ms CPU, %.1f ms wall (%d glyphs)", f.cpuMs, f.ms, f.bytes))
}
let bedKernels = ((try? FileManager.default.contentsOfDirectory(atPath: "/var/cache/fleettui-bed")) ?? [])
    .filter { $0.hasPrefix("image-") }.map { "/var/cache/fleettui-bed/\($0)/vmlinuz" }
if let kernel = (LinuxKernelFont.kernelImages() + bedKernels).first(where: { FileManager.default.fileExists(atPath: $0) }),
   let image = read(kernel), let at = image.firstRange(of: XZ.magic)?.lowerBound {
    report("kernel .xz payload of \(kernel)", image.count - at,
           try median(build == "debug" ? 1 : 3) { try XZ.decompress(image[at...], limit: 512 << 20).count },
           runs: build == "debug" ? 1 : 3)
}
for path in CommandLine.arguments.dropFirst() {
    guard let bytes = read(path) else { print("\(path): cannot read"); continue }
    if Gzip.isGzip(bytes) {
        report(path, bytes.count, try median(3) { try Gzip.inflate(bytes).count }, runs: 3)
    } else if bytes.starts(with: XZ.magic) {
        report(path, bytes.count, try median(3) { try XZ.decompress(bytes[...], limit: 1 << 30).count }, runs: 3)
    } else if FirmwareVolume.looksLikeFirmware(bytes) {
        report(path, bytes.count, median(3) { FirmwareVolume.images(in: bytes).reduce(0) { $0 + $1.bytes.count } }, runs: 3)
    } else {
        print("\(path): neither gzip, xz nor firmware")
    }
}
