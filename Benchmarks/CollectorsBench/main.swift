import Foundation
import Collectors
import FleetCore
import CLibvirtShims

func trimHeap() { fleet_malloc_trim() }

// CollectorsBench: what one refresh of a fleet costs — wall and CPU time per refresh, libvirt calls
// per host per refresh, resident memory. Run by Benchmarks/collectors.sh (make bench).
//
//   CollectorsBench [-n REFRESHES] -c URI [-c URI …]
//   CollectorsBench [-n REFRESHES] --generate HOSTS DOMAINS    (in-process test:/// hosts, for RSS at scale)
//   CollectorsBench --write-fleet FILE DOMAINS INDEX            (a test-driver node file for a bench daemon)

var uris: [String] = []
var refreshes = 5
var generate: (hosts: Int, domains: Int)?
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "-c", "--connect": if let u = args.next() { uris.append(u) }
    case "-n": refreshes = Int(args.next() ?? "") ?? refreshes
    case "--write-fleet":
        guard let path = args.next(), let d = Int(args.next() ?? ""), let h = Int(args.next() ?? "") else {
            FileHandle.standardError.write(Data("CollectorsBench: --write-fleet FILE DOMAINS INDEX\n".utf8)); exit(2)
        }
        try fleetXML(host: h, domains: d).write(toFile: path, atomically: true, encoding: .utf8)
        exit(0)
    case "--generate":
        guard let h = Int(args.next() ?? ""), let d = Int(args.next() ?? "") else {
            FileHandle.standardError.write(Data("CollectorsBench: --generate HOSTS DOMAINS\n".utf8)); exit(2)
        }
        generate = (h, d)
    default:
        FileHandle.standardError.write(Data("CollectorsBench: unknown argument \(a)\n".utf8)); exit(2)
    }
}

func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func rssMiB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

/// A test-driver host like the bed's: 70 % running, 10 % paused, 20 % shut off; one disk and one NIC each.
func fleetXML(host h: Int, domains: Int) -> String {
    var xml = "<node><cpu><nodes>1</nodes><sockets>1</sockets><cores>16</cores><threads>2</threads><active>32</active><mhz>2400</mhz><model>x86_64</model></cpu><memory>268435456</memory>\n"
    for d in 0..<domains {
        let uuid = String(format: "%08x-be0c-4000-8000-%012x", h, d)
        let state = d % 10 == 7 ? 3 : (d % 10 >= 8 ? 5 : 1)
        let xen = d % 3 == 0
        xml += """
        <domain type='\(xen ? "xen" : "kvm")' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'><name>bench\(h)-vm\(d)</name><uuid>\(uuid)</uuid><memory>1048576</memory><vcpu>2</vcpu>
        <os><type>\(xen ? "xen" : "hvm")</type></os><devices>
        <disk type='file' device='disk'><source file='/var/lib/images/b\(h)-\(d).img'/><target dev='\(xen ? "xvda" : "vda")' bus='\(xen ? "xen" : "virtio")'/></disk>
        <interface type='bridge'><mac address='52:54:00:\(String(format: "%02x:%02x:%02x", h & 255, (d >> 8) & 255, d & 255))'/><source bridge='br0'/><target dev='vnet\(d)'/><model type='virtio'/></interface>
        </devices><test:runstate>\(state)</test:runstate></domain>\n
        """
    }
    return xml + "</node>\n"
}

func generatedHost(_ h: Int, domains: Int) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("CollectorsBench-host\(h).xml").path
    try fleetXML(host: h, domains: domains).write(toFile: path, atomically: true, encoding: .utf8)
    return "test://" + path
}

if let g = generate {
    for h in 0..<g.hosts { uris.append(try generatedHost(h, domains: g.domains)) }
}
guard !uris.isEmpty else {
    FileHandle.standardError.write(Data("usage: CollectorsBench [-n N] -c URI … | --generate HOSTS DOMAINS\n".utf8)); exit(2)
}

let hosts = uris.enumerated().map { i, u in HostConfig(name: "h\(i + 1)", uri: u) }
let baselineRSS = rssMiB()
// A long interval: refreshes happen only when asked, so each one is measured alone.
let fleet = LibvirtFleet(hosts: hosts, interval: 3600)
let updated = DispatchSemaphore(value: 0)
fleet.start { updated.signal() }

/// Waits until every host finished `count` refresh attempts; returns false on timeout.
func waitAll(_ count: UInt64, timeout: Double) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while fleet.latest().hosts.contains(where: { $0.refreshCount < count }) {
        if updated.wait(timeout: .now() + 0.5) == .timedOut && Date() > deadline { return false }
    }
    return true
}

print("CollectorsBench: \(hosts.count) host(s), \(refreshes) timed refreshes after a warm-up")
// Warm-up: connect, read every domain's XML once, first samples.
var t0 = Date(); var c0 = cpuSeconds()
guard waitAll(1, timeout: 300) else { print("warm-up timed out"); exit(1) }
var snap = fleet.latest()
print(String(format: "  first refresh (connect + XML of every domain): wall %.3f s, CPU %.3f s, %d domains",
             Date().timeIntervalSince(t0), cpuSeconds() - c0, snap.domains.count))
for h in snap.hosts where h.state != .up {
    print("  host \(h.config.name) is \(h.state.rawValue): \(h.lastError ?? "")")
}

var walls: [Double] = [], cpus: [Double] = []
for n in 0..<refreshes {
    t0 = Date(); c0 = cpuSeconds()
    fleet.refreshNow()
    guard waitAll(UInt64(n + 2), timeout: 120) else { print("refresh \(n + 1) timed out"); exit(1) }
    walls.append(Date().timeIntervalSince(t0)); cpus.append(cpuSeconds() - c0)
}
snap = fleet.latest()
func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.isEmpty ? 0 : s[s.count / 2] }
print(String(format: "  refresh (all hosts in parallel): wall median %.3f s (max %.3f), client CPU median %.3f s",
             median(walls), walls.max() ?? 0, median(cpus)))
for h in snap.hosts {
    let doms = snap.domains.filter { $0.sample.key.hostID == h.config.id }.count
    print(String(format: "  %@: %@ %@, %d domains, domain calls/refresh %d, host calls/refresh %d, latency %.3f s, bulk %@",
                 h.config.name, h.state.rawValue, h.hypervisor ?? "?", doms, h.callsLastRefresh ?? -1,
                 h.hostCallsLastRefresh ?? -1, h.refreshLatency ?? -1, h.bulkStats.map { $0 ? "yes" : "no" } ?? "?"))
}
let withRates = snap.domains.filter { $0.rates.cpuPercent != nil }.count
print(String(format: "  sizes: DomainRow %d B, DomainSample %d B, DomainRates %d B, DeviceCounters %d B",
             MemoryLayout<DomainRow>.stride, MemoryLayout<DomainSample>.stride, MemoryLayout<DomainRates>.stride,
             MemoryLayout<DeviceCounters>.stride))
if ProcessInfo.processInfo.environment["BENCH_TRIM"] != nil {
    print(String(format: "  resident before trim: %.1f MiB", rssMiB()))
    fleet.stop(); Thread.sleep(forTimeInterval: 1)
    trimHeap()
}
print(String(format: "  resident memory: %.1f MiB with %d domains (%.1f MiB before connecting); %d domains with %%CPU",
             rssMiB(), snap.domains.count, baselineRSS, withRates))
fleet.stop()
exit(0)
