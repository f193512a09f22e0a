import CLibFuzzer
import Foundation

// FleetFuzz: one binary, one fuzz target per parser of outside input (Targets*.swift). scripts/fuzz builds it with
// -sanitize=fuzzer,address (libFuzzer + AddressSanitizer) and runs it; the ordinary builds link it without libFuzzer,
// where it replays files through a target (what the regression tests and `scripts/fuzz --replay` do).
//   FleetFuzz --list                    every target and what it parses
//   FleetFuzz --seeds TARGET DIR        write the target's generated seed inputs into DIR
//   FleetFuzz TARGET [libFuzzer args]   fuzz (fuzzer build): CORPUS_DIR… -max_total_time=S …; FILEs replay them
//   FleetFuzz TARGET FILE…              (ordinary build) run each file through the target once

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: FleetFuzz --list | --seeds TARGET DIR | TARGET [libFuzzer arguments or FILE…]
        targets: \(FuzzTarget.all.map(\.name).joined(separator: " "))

        """.utf8))
    exit(2)
}

/// The target the libFuzzer callback runs (a C callback cannot capture it).
nonisolated(unsafe) var selected: FuzzTarget?

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { usage() }
switch arguments[1] {
case "--list":
    for t in FuzzTarget.all { print("\(t.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(t.about)") }
    exit(0)
case "--seeds":
    guard arguments.count == 4, let target = FuzzTarget.named(arguments[2]) else { usage() }
    let dir = URL(fileURLWithPath: arguments[3])
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var written = 0
    for (i, seed) in target.seeds().enumerated() {
        try Data(seed).write(to: dir.appendingPathComponent(String(format: "gen-%03d", i)))
        written += 1
    }
    print("\(target.name): \(written) generated seeds in \(dir.path)")
    exit(0)
default:
    guard let target = FuzzTarget.named(arguments[1]) else { usage() }
    selected = target
}

if fleet_fuzz_linked() != 0 {
    // libFuzzer gets our argv without the target name.
    var argv: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
    var argc = Int32(argv.count - 1)
    let status = argv.withUnsafeMutableBufferPointer { buf -> Int32 in
        var p: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buf.baseAddress
        return fleet_fuzz_run(&argc, &p) { data, size in
            selected!.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
    }
    exit(status)
}

// Without libFuzzer: replay the given files (directories: every file in them).
var files: [String] = []
for path in arguments.dropFirst(2) {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        FileHandle.standardError.write(Data("FleetFuzz: \(path): no such file\n".utf8))
        exit(2)
    }
    if isDir.boolValue {
        files += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
    } else {
        files.append(path)
    }
}
guard !files.isEmpty else {
    FileHandle.standardError.write(Data("FleetFuzz: this build has no libFuzzer (scripts/fuzz builds one); give files to replay\n".utf8))
    exit(2)
}
for file in files {
    selected!.run([UInt8](FileManager.default.contents(atPath: file) ?? Data()))
}
print("\(selected!.name): \(files.count) inputs replayed, no crash")
