import ConsoleCore
import Foundation

// Framebuffer -> text: accuracy on every frame with an expected text, and the cost of each step.
// Usage: RecognitionBench DIR... (each DIR holds NAME.ppm[.gz] + NAME.txt pairs)

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Median time of `body` in milliseconds over `runs` runs (after one warm-up run).
func measure(_ runs: Int, _ body: () -> Void) -> Double {
    body()
    var t: [Double] = []
    for _ in 0..<runs { let t0 = now(); body(); t.append((now() - t0) * 1000) }
    return t.sorted()[t.count / 2]
}

/// Median CPU time of this thread for `body` in milliseconds (a loaded machine's preemptions left out).
func measureCPU(_ runs: Int, _ body: () -> Void) -> Double {
    func cpu() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    body()
    var t: [Double] = []
    for _ in 0..<runs { let t0 = cpu(); body(); t.append((cpu() - t0) * 1000) }
    return t.sorted()[t.count / 2]
}

/// Reads every pixel once (xor of all): the floor under any whole-frame pass, memory bandwidth included.
@inline(never)
func memoryPass(_ frame: Framebuffer) -> UInt32 {
    frame.pixels.withUnsafeBufferPointer { p in
        var acc = SIMD16<UInt32>()
        var i = 0
        let base = UnsafeRawPointer(p.baseAddress!)
        while i + 16 <= p.count { acc ^= base.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<UInt32>.self); i += 16 }
        var r = acc.wrappedSum()
        while i < p.count { r ^= p[i]; i += 1 }
        return r
    }
}

func f(_ v: Double, _ d: Int = 3) -> String { String(format: "%.\(d)f", v) }

// Options: --only SUBSTRING (frames whose name contains it), --profile N (only N full-frame reads of those frames,
// for callgrind/perf: no detection timings, no pictures).
func option(_ name: String) -> String? {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return nil }
    return CommandLine.arguments[i + 1]
}
let only = option("--only")
let profileRuns = option("--profile").flatMap { Int($0) }
var args: [String] = []
do {
    var i = 1
    let all = CommandLine.arguments
    while i < all.count {
        if ["--only", "--profile"].contains(all[i]) { i += 2; continue }
        if !all[i].hasPrefix("--") { args.append(all[i]) }
        i += 1
    }
}
let dirs = args.isEmpty ? ["Tests/ConsoleCoreTests/Fixtures"] : args

// ---- the EDK2 (UEFI) console font, read out of the firmware image ---------------------------
if profileRuns != nil {
    // --profile: the fonts through fleettui's own cache, no timings of their own.
} else if let fw = FontCatalog.firmwareImage(), let data = FileManager.default.contents(atPath: fw) {
    let bytes = [UInt8](data)
    var fonts: [BitmapFont] = []
    let ms = measure(2) { fonts = EDK2Font.fonts(inFirmware: bytes, name: fw) }
    let glyphs = fonts.map { "\($0.glyphs.count) glyphs \($0.width)x\($0.height)" }.joined(separator: ", ")
    print("EDK2 font from \(fw) (\(bytes.count / 1024) KB): \(glyphs.isEmpty ? "none" : glyphs) in \(f(ms, 1)) ms (volumes walked, LZMA decoded)")
    if CommandLine.arguments.contains("--edk2-only") { exit(0) }
} else {
    print("EDK2 font: no firmware image installed (\(EDK2Font.firmwareImages.first!) …)")
}

// ---- font table --------------------------------------------------------------------------
var t0 = now()
let loaded = try FontCatalog.loadAll()
let loadMs = (now() - t0) * 1000
let built = GlyphTable(fonts: loaded.fonts)
t0 = now()
let idx816 = built.index(GlyphSize(width: 8, height: 16))
let index816Ms = (now() - t0) * 1000
t0 = now()
var glyphsIndexed = 0
for s in built.sizes { glyphsIndexed += built.index(s).count }
let allIndexMs = (now() - t0) * 1000 + index816Ms
let cacheBytes = GlyphCache.encode(built.sizes, built.allIndexes())
var decoded: ([GlyphSize], [GlyphIndex])?
let cacheMs = measure(5) { decoded = GlyphCache.decode(cacheBytes) }
// fbcon at 2560x1600 is drawn with the kernel's TER16x32: read out of the kernel image (this machine's
// /boot/vmlinuz-*, else the bed's), as fleettui does with /boot/vmlinuz-* or --font.
let bedKernels = ((try? FileManager.default.contentsOfDirectory(atPath: "/var/cache/fleettui-bed")) ?? [])
    .filter { $0.hasPrefix("image-") }.map { "/var/cache/fleettui-bed/\($0)/vmlinuz" }
var kernelFonts: [BitmapFont] = []
if let kernel = (LinuxKernelFont.kernelImages() + bedKernels).first(where: { FileManager.default.fileExists(atPath: $0) }) {
    let t = now()
    kernelFonts = (try? FontCatalog.load(path: kernel)) ?? []
    print("kernel fonts from \(kernel): \(kernelFonts.map { "\($0.width)x\($0.height)" }.joined(separator: ", ")) in \(f((now() - t) * 1000, 1)) ms (cached as PSF after the first read)")
} else {
    print("kernel fonts: no kernel image (/boot/vmlinuz-* or the bed's): fbcon at 2560x1600 will miss ` and ~")
}
let table = GlyphTable(fonts: kernelFonts, base: decoded!.1, baseSizes: decoded!.0)
print("fonts: \(loaded.fonts.count) loaded (\(loaded.skipped.count) skipped), \(built.sizes.count) glyph sizes")
print("font table without cache: read+inflate+parse all \(f(loadMs, 1)) ms; index 8x16 (\(idx816.count) bitmaps) \(f(index816Ms, 1)) ms; all sizes (\(glyphsIndexed) bitmaps) \(f(allIndexMs, 1)) ms")
print("font table from cache file (\(cacheBytes.count / 1024) KB): \(f(cacheMs, 1)) ms")

// ---- frames ------------------------------------------------------------------------------
var totalCells = 0, totalExact = 0
var groups: [String: (Int, Int)] = [:]
var groupCost: [String: [String]] = [:]
var rows: [String] = []
for dir in dirs {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    for n in names where n.hasSuffix(".ppm.gz") || n.hasSuffix(".ppm") {
        let base = n.hasSuffix(".gz") ? String(n.dropLast(7)) : String(n.dropLast(4))
        if let only, !base.contains(only) { continue }
        guard let txt = try? String(contentsOfFile: dir + "/" + base + ".txt", encoding: .utf8) else { continue }
        let data = FileManager.default.contents(atPath: dir + "/" + n)!
        let frame = try Framebuffer(ppm: Gzip.inflateIfNeeded([UInt8](data)))
        if let profileRuns {
            guard let geo = GeometryDetector.detect(frame, table: table)?.geometry else { continue }
            let rec = TextRecognizer(geometry: geo, table: table)
            var sink = 0
            let readMs = measure(profileRuns) { sink &+= rec.recognize(frame).cells.count }
            let cpuMs = measureCPU(profileRuns) { sink &+= rec.recognize(frame).cells.count }
            var touched = frame
            var it = 0
            let floorMs = measure(profileRuns) {
                it += 1
                touched.pixels[it % touched.pixels.count] = UInt32(it)
                sink &+= Int(memoryPass(touched))
            }
            print("\(base): \(geo): full read \(f(readMs)) ms (cpu \(f(cpuMs))), median of \(profileRuns); reading every pixel once \(f(floorMs)) ms (\(sink & 1))")
            continue
        }
        var detected: GeometryDetector.Result?
        let detectMs = measure(3) { detected = GeometryDetector.detect(frame, table: table) }
        guard let geo = detected?.geometry else { print("\(base): nothing on screen"); continue }
        let rec = TextRecognizer(geometry: geo, index: table.index(geo.glyph))
        var screen = rec.recognize(frame)
        let fullMs = measure(50) { screen = rec.recognize(frame) }
        let fullCPUMs = measureCPU(50) { screen = rec.recognize(frame) }
        // Accuracy: every cell against the expected text (lines padded with spaces), the cursor cell aside.
        var expected = txt.components(separatedBy: "\n")
        if expected.last == "" { expected.removeLast() }
        var exact = 0, cells = 0
        let cursor = screen.cursor
        for r in 0..<screen.rows {
            let line = r < expected.count ? Array(expected[r]) : []
            for c in 0..<screen.cols {
                if CellPosition(col: c, row: r) == cursor { continue }
                let want: Character = c < line.count ? line[c] : " "
                let cell = screen[c, r]
                cells += 1
                if cell.recognised && cell.character == want { exact += 1 }
            }
        }
        totalCells += cells; totalExact += exact
        // UEFI firmware screens (setup, boot manager, shell) per mode: the issue's figures are per mode.
        let group = base.hasPrefix("uefi-") ? "UEFI firmware (EDK2 8x19) at \(frame.width)x\(frame.height)"
            : base.hasPrefix("grub-gfxterm") ? "GRUB gfxterm"
            : frame.width >= 1920 ? "fbcon \(frame.width)x\(frame.height)" : "VGA text and fbcon up to 1024x768"
        groups[group, default: (0, 0)].0 += exact
        groups[group, default: (0, 0)].1 += cells
        groupCost[group, default: []].append("\(frame.width)x\(frame.height) \(f(fullMs)) ms (cpu \(f(fullCPUMs)))")
        // A dirty rectangle: one cell, one text line, and the whole frame through ScreenReader.update.
        var reader = ScreenReader(table: table)
        reader.read(frame)
        let oneCell = PixelRect(x: geo.originX, y: geo.originY, width: geo.cellWidth, height: geo.cellHeight)
        let oneLine = PixelRect(x: 0, y: geo.originY, width: frame.width, height: geo.cellHeight)
        let cellMs = measure(200) { _ = reader.update(frame, dirty: oneCell) }
        let lineMs = measure(100) { _ = reader.update(frame, dirty: oneLine) }
        let wholeMs = measure(30) { _ = reader.update(frame, dirty: frame.bounds) }
        rows.append("\(base): \(geo) | cells exact \(exact)/\(cells) (\(f(100 * Double(exact) / Double(max(1, cells)), 2)) %) cursor \(cursor.map { "\($0.col),\($0.row)" } ?? "-")")
        rows.append("    detect \(f(detectMs, 2)) ms | full frame \(f(fullMs)) ms (cpu \(f(fullCPUMs))) | dirty: 1 cell \(f(cellMs * 1000, 1)) us, 1 line \(f(lineMs)) ms, whole \(f(wholeMs)) ms")
    }
}
if profileRuns != nil { exit(0) }
rows.forEach { print($0) }
for (g, v) in groups.sorted(by: { $0.key < $1.key }) {
    print("accuracy, \(g): \(v.0)/\(v.1) cells exact (\(f(100 * Double(v.0) / Double(max(1, v.1)), 3)) %); frame -> cells: \(groupCost[g]!.joined(separator: ", "))")
}
print("accuracy, all frames: \(totalExact)/\(totalCells) cells exact (\(f(100 * Double(totalExact) / Double(max(1, totalCells)), 3)) %)")

// ---- pictures ----------------------------------------------------------------------------
var pic = Framebuffer(width: 1024, height: 768)
for y in 0..<768 { for x in 0..<1024 { pic[x, y] = UInt32((x ^ y) & 0xFF) << 16 | UInt32(x * 255 / 1024) << 8 | UInt32(y * 255 / 768) } }
let picDetectMs = measure(3) { _ = GeometryDetector.detect(pic, table: table) }
var picReader = ScreenReader(table: table)
picReader.read(pic)
let picReadMs = measure(20) { picReader.read(pic) }
print("picture 1024x768: text grid search \(f(picDetectMs, 1)) ms (once per \(ScreenReader.redetectEvery) reads), read as cells \(f(picReadMs, 3)) ms")
for style in BlockStyle.allCases {
    var grid: CellGrid?
    let ms = measure(5) { grid = BlockRenderer.render(pic, cols: 160, rows: 48, style: style) }
    let bytes24 = ScreenPrinter(depth: .trueColour).ansi(grid!).utf8.count
    let bytes256 = ScreenPrinter(depth: .xterm256).ansi(grid!).utf8.count
    print("picture 1024x768 -> 160x48 \(style): \(f(ms, 2)) ms, output \(bytes24 / 1024) KB truecolour, \(bytes256 / 1024) KB 256 colours")
}
