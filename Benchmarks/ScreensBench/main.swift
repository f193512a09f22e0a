import CLibvirtShims
import Collectors
import ConsoleCore
import FleetCore
import Foundation
import ScreenSampler

// ScreensBench: one sweep of the screen sampler over many displays — wall time, our CPU time per look, resident
// memory against the number of displays — and whether every display got the state of the frame it serves.
// Run by Benchmarks/screens.sh with fake VNC displays (Benchmarks/screens/fake_vnc_fleet.py) serving real
// captured guest frames; reads "PORT FRAME" lines on stdin.
//
//   ScreensBench [--hosts H] [--concurrency N] [--per-host N] [--steps 100,250,500] --expect DIR < ports

var hosts = 10
var settings = ScreenSettings()
settings.concurrency = 8
settings.perHost = 2
var steps: [Int] = []
var expectDir: String?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--hosts": hosts = Int(args.next() ?? "") ?? hosts
    case "--concurrency": settings.concurrency = Int(args.next() ?? "") ?? settings.concurrency
    case "--per-host": settings.perHost = Int(args.next() ?? "") ?? settings.perHost
    case "--steps": steps = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--expect": expectDir = args.next()
    default:
        FileHandle.standardError.write(Data("ScreensBench: unknown argument \(a)\n".utf8)); exit(2)
    }
}

// The expected state of each frame: NAME.state files (state=…) from the bed's description; frames without one
// (recognition captures: a banner and a shell prompt) are expected to be a shell.
@MainActor func expectedState(_ frame: String) -> String {
    guard let dir = expectDir,
          let text = try? String(contentsOfFile: dir + "/" + frame + ".state", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("state=") }) else { return "shell" }
    return String(line.dropFirst(6))
}

var displays: [(port: Int, frame: String)] = []
while let line = readLine() {
    if line == "ready" { break }
    let f = line.split(separator: " ")
    if f.count == 2, let p = Int(f[0]) { displays.append((p, String(f[1]))) }
}
guard !displays.isEmpty else { FileHandle.standardError.write(Data("ScreensBench: no displays on stdin\n".utf8)); exit(2) }
if steps.isEmpty { steps = [displays.count] }

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func rssKiB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb
}

@MainActor func targets(_ n: Int) -> [ScreenTarget] {
    displays.prefix(n).enumerated().map { i, d in
        let host = "fake\(i % hosts)"
        return ScreenTarget(key: DomainKey(hostID: host, uuid: String(format: "00000000-0000-4000-8000-%012d", i)),
                            hostName: host, hostURI: "test:///default", domainName: "vm-\(i)-\(d.frame)",
                            graphics: GraphicsInfo(type: "vnc", port: d.port, listen: "127.0.0.1"), graphicsIndex: 0,
                            lifecycle: "1")
    }
}

var options = ScreenSampler.Options(settings: settings)
options.look.graphicsFD = false
// Fonts are loaded (from the glyph cache) before the clock starts, as the monitor has them by the first sweep;
// the process-wide malloc setup is the product's (LibvirtRuntime: two arenas, a fixed mmap threshold).
LibvirtRuntime.start()
_ = try GlyphTable.system()

print("screens: \(displays.count) fake displays (\(Set(displays.map(\.frame)).count) real frames), \(hosts) hosts, concurrency \(settings.concurrency) total / \(settings.perHost) per host")
options.settings.period = 86_400   // no look is repeated by itself: each round below is asked for
let f = { (v: Double, d: Int) in String(format: "%.\(d)f", v) }
var previous: (n: Int, rss: Double, text: Int)?
// One sampler for every step, as the monitor has one: the displays grow 100 → 250 → 500.
let sampler = ScreenSampler(options: options)
let progress = DispatchSemaphore(value: 0)
sampler.start { progress.signal() }
// Resident memory is read after a heap trim, as the sampler does every few looks: what is kept, not what is free.
func retainedKiB() -> Double { fleet_malloc_trim(); return rssKiB() }
let baseRSS = retainedKiB()
var looks = 0
for n in steps {
    let ts = targets(n)
    let added = n - (previous?.n ?? 0)
    // Round 1: the new displays looked at for the first time (geometry unknown: as `fleettui screens`, or the
    // monitor's first sweep). Round 2: all again, as the monitor does every period (each display's geometry known).
    var rounds: [(wall: Double, cpu: Double, looks: Int)] = []
    for round in 1...2 {
        let cpu0 = cpuSeconds(), t0 = Date()
        let want = round == 1 ? added : n
        if round == 1 { sampler.setTargets(ts) } else { sampler.lookSoon() }
        while sampler.completedLooks < looks + want && Date().timeIntervalSince(t0) < 120 {
            _ = progress.wait(timeout: .now() + 0.2)
        }
        looks += want
        rounds.append((Date().timeIntervalSince(t0), cpuSeconds() - cpu0, want))
    }
    let screens = ts.map { sampler.latest()[$0.key] }
    // Idle, as the monitor is between two looks, holding n screens. The lowest of a few readings: frames of looks
    // that just ended may still be unmapping.
    Thread.sleep(forTimeInterval: 1)
    var rss = Double.infinity
    for _ in 0..<5 { rss = min(rss, retainedKiB()); Thread.sleep(forTimeInterval: 0.2) }
    var wrong: [String] = []
    var textBytes = 0
    for (s, t) in zip(screens, ts) {
        let frame = String(t.domainName.split(separator: "-", maxSplits: 2).last ?? "")
        guard let s else { wrong.append("\(t.domainName): not looked at"); continue }
        if s.state.name != expectedState(frame) { wrong.append("\(t.domainName): \(s.state.name) \(s.state.line ?? "")") }
        textBytes += s.text?.lines.reduce(0) { $0 + $1.utf8.count } ?? 0
    }
    for (i, r) in rounds.enumerated() {
        print("screens: \(i == 0 ? "first look at \(r.looks) new" : "next look at all \(r.looks)") displays: \(f(r.wall, 1)) s wall, \(f(r.cpu, 2)) s CPU (\(f(r.cpu / r.wall * 100, 0)) % of one core), \(f(r.cpu / Double(r.looks) * 1000, 2)) ms CPU per screen")
    }
    print("screens: \(n - wrong.count)/\(n) states as expected")
    for w in wrong.prefix(5) { print("  unexpected: \(w)") }
    if let p = previous {
        print("screens: resident \(f(rss / 1024, 1)) MiB holding \(n) screens: \(f((rss - p.rss) / Double(n - p.n), 1)) KiB per added display (their text: \(f(Double(textBytes - p.text) / Double(n - p.n) / 1024, 1)) KiB each)")
    } else {
        print("screens: resident \(f(rss / 1024, 1)) MiB holding \(n) screens (\(f(baseRSS / 1024, 1)) MiB with the fonts, before any look)")
    }
    previous = (n, rss, textBytes)
}
sampler.stop()

