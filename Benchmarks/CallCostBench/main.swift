import CLibvirt
import Collectors
import CollectorsCore
import Foundation

// CallCostBench: what each libvirt read costs the daemon, on one connection, so that a collector can pick the
// cheapest call for what it shows (issue 15). Run by Benchmarks/monitor-cost.sh against its private QEMU host
// (BENCH_CALLS=0 skips it). It found that the bulk call's cpu-total group costs as much as balloon or vcpu
// (libvirt 9 fills cpu.haltpoll.* there, a round trip to each QEMU), while virDomainGetCPUStats reads the same cgroup
// counters without a QEMU round trip: the collectors' "CPU apart" on local daemons.
//
//   CallCostBench URI DAEMON_PID [REPEAT] [SHOWN]
//
// Every probe runs REPEAT (20) times; the daemon's CPU is the sum of its threads' on-CPU time
// (/proc/PID/task/*/schedstat, nanoseconds), own CPU from getrusage. SHOWN (20) domains stand for the rows on
// an 80x24 screen.

let args = CommandLine.arguments
guard args.count >= 3, let daemon = Int(args[2]) else {
    FileHandle.standardError.write(Data("usage: CallCostBench URI DAEMON_PID [REPEAT] [SHOWN]\n".utf8)); exit(2)
}
let uri = args[1]
let repeatCount = args.count > 3 ? Int(args[3]) ?? 20 : 20
let shownCount = args.count > 4 ? Int(args[4]) ?? 20 : 20

/// The daemon's CPU so far, ns: every thread's on-CPU time (threads that ended are lost, so the libvirtd worker
/// pool must already be up; the warm-up call below starts it).
func daemonNs() -> UInt64 {
    let dir = "/proc/\(daemon)/task"
    guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return 0 }
    var sum: UInt64 = 0
    for t in tasks {
        if let s = try? String(contentsOfFile: "\(dir)/\(t)/schedstat", encoding: .utf8),
           let first = s.split(separator: " ").first, let v = UInt64(first) { sum += v }
    }
    return sum
}

func ownNs() -> UInt64 {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return UInt64(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1_000_000_000 + UInt64(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1000
}

let conn: Connection
do { conn = try Connection.open(uri, readOnly: true) } catch {
    FileHandle.standardError.write(Data("CallCostBench: \(error)\n".utf8)); exit(1)
}
let domains = try conn.listAllDomains(flags: UInt32(VIR_CONNECT_LIST_DOMAINS_ACTIVE.rawValue))
let running = domains.filter { (try? $0.state().state) == Int(VIR_DOMAIN_RUNNING.rawValue) }
let shown = Array(running.prefix(shownCount))
let noWait = StatsFlags.noWait
print("  libvirt calls, daemon CPU per call (\(domains.count) active domains, \(running.count) running; " +
      "\(shown.count) stand for the rows on screen; mean of \(repeatCount)):")

/// Runs `body` REPEAT times; prints the daemon's and our CPU per repetition.
func probe(_ label: String, per: String = "call", _ body: () throws -> Void) {
    try? body()   // warm-up
    let d0 = daemonNs(), o0 = ownNs(), t0 = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeatCount { try? body() }
    let d = Double(daemonNs() - d0) / Double(repeatCount) / 1e6
    let o = Double(ownNs() - o0) / Double(repeatCount) / 1e6
    let w = Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(repeatCount) / 1e6
    print(String(format: "    %-62@ libvirtd %6.2f ms  own %5.2f ms  wall %6.1f ms per %@", label as NSString, d, o, w, per))
}

func all(_ g: StatsGroups) -> () throws -> Void { { _ = try conn.allDomainStats(groups: g, flags: noWait) } }
func list(_ g: StatsGroups, _ doms: [Domain]) -> () throws -> Void { { _ = try conn.domainListStats(doms, groups: g, flags: noWait) } }

probe("GetAllDomainStats state", all(.state))
probe("GetAllDomainStats cpu-total", all(.cpuTotal))
probe("GetAllDomainStats state,cpu-total", all([.state, .cpuTotal]))
probe("GetAllDomainStats balloon", all(.balloon))
probe("GetAllDomainStats vcpu", all(.vcpu))
probe("GetAllDomainStats interface", all(.interface))
probe("GetAllDomainStats block", all(.block))
probe("GetAllDomainStats all six groups (virsh domstats …)", all([.state, .cpuTotal, .balloon, .vcpu, .interface, .block]))
// Batch and export with every column: what cpu-total adds to a call that queries every QEMU anyway.
probe("GetAllDomainStats state,balloon,interface,block (batch, CPU apart)", all([.state, .balloon, .interface, .block]))
probe("GetAllDomainStats state,cpu-total,balloon,interface,block (batch)", all([.state, .cpuTotal, .balloon, .interface, .block]))
probe("ListGetStats \(shown.count) domains balloon,block,interface", list([.balloon, .block, .interface], shown))
probe("ListGetStats \(shown.count) domains block,interface", list([.block, .interface], shown))
probe("ListGetStats \(shown.count) domains balloon", list(.balloon, shown))
probe("ListGetStats \(running.count) running domains state,cpu-total", list([.state, .cpuTotal], running))
probe("ListAllDomains (every domain)") { _ = try conn.listAllDomains() }
probe("ListAllDomains ACTIVE") { _ = try conn.listAllDomains(flags: UInt32(VIR_CONNECT_LIST_DOMAINS_ACTIVE.rawValue)) }
probe("GetInfo for each of \(running.count) running domains (sequential)", per: "refresh") {
    for d in running { _ = try d.info() }
}
probe("GetInfo for each of \(running.count) running domains (4 threads)", per: "refresh") {
    DispatchQueue.concurrentPerform(iterations: 4) { part in
        for (i, d) in running.enumerated() where i % 4 == part { _ = try? d.info() }
    }
}
probe("GetCPUStats for each of \(running.count) running domains (sequential)", per: "refresh") {
    for d in running { _ = try d.cpuStats() }
}
probe("GetInfo + GetCPUStats for each of \(running.count) running domains", per: "refresh") {
    for d in running { _ = try d.info(); _ = try d.cpuStats() }
}
let devices: [(Domain, [String], [String])] = shown.map { d in
    let desc = (try? d.xmlDesc()).flatMap { try? DomainXML.parse($0) }
    return (d, desc?.disks.filter { $0.device == "disk" }.map(\.target) ?? [], desc?.nics.compactMap(\.target) ?? [])
}
probe("BlockStats for each disk of \(shown.count) domains", per: "refresh") {
    for (d, disks, _) in devices { for t in disks { _ = try d.blockStats(device: t) } }
}
probe("InterfaceStats for each NIC of \(shown.count) domains", per: "refresh") {
    for (d, _, nics) in devices { for t in nics { _ = try d.interfaceStats(device: t) } }
}
probe("ListGetStats \(shown.count) domains block", list(.block, shown))
probe("ListGetStats \(shown.count) domains interface", list(.interface, shown))
probe("GetState for each of \(running.count) running domains", per: "refresh") { for d in running { _ = try d.state() } }
probe("GetInfo, one domain") { _ = try running.first?.info() }
// What one monitor refresh asks (80x24: SHOWN rows with MEM, RD/WR, RX/TX), without fleettui's own work.
probe("monitor refresh, cpu-total in the bulk call (6a46220)", per: "refresh") {
    _ = try conn.allDomainStats(groups: [.state, .cpuTotal], flags: noWait)
    _ = try conn.domainListStats(shown, groups: [.balloon, .block, .interface], flags: noWait)
}
probe("monitor refresh, CPU apart (bulk state + GetCPUStats each)", per: "refresh") {
    _ = try conn.allDomainStats(groups: .state, flags: noWait)
    for d in running { _ = try d.cpuStats() }
    _ = try conn.domainListStats(shown, groups: [.balloon, .block, .interface], flags: noWait)
}
probe("NodeGetFreeMemory") { _ = try conn.freeMemoryKiB() }
probe("NodeGetCPUStats all CPUs") { _ = try conn.nodeCPUTimes() }
probe("NodeGetCPUStats one CPU") { _ = try conn.nodeCPUTimes(cpu: 0) }
conn.close()
