import Testing
import Foundation
import FleetCore
import TestSupport

/// Issue 15: batch mode asks libvirt only for the groups of the columns it prints — observed for real, with
/// libvirt's own client-side debug log of every public API call (LIBVIRT_LOG_FILTERS / LIBVIRT_LOG_OUTPUTS),
/// against the bed's QEMU host (bulk path) and a bed TCP host (test driver: per-domain calls).
@Suite(.serialized) struct BatchDemandTests {
    let bin = fleettuiBinary()

    /// The stats-related calls fleettui made, from libvirt's client log.
    struct Calls {
        var bulkMasks: [UInt32] = []      // virConnectGetAllDomainStats / virDomainListGetStats "stats=0x…"
        var blockStats = 0, interfaceStats = 0, memoryStats = 0, getInfo = 0
        var asksBlockOrInterface: Bool {
            blockStats > 0 || interfaceStats > 0 || bulkMasks.contains { $0 & (0x10 | 0x20) != 0 }   // INTERFACE, BLOCK
        }
    }

    func run(_ uri: String, columns: String?) throws -> (Calls, String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-libvirt-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var args = ["-b", "-n", "2", "-d", "0.5", "--csv", "-", "-c", uri]
        if let columns { args += ["--columns", columns] }
        var env = ProcessInfo.processInfo.environment
        env["LIBVIRT_LOG_FILTERS"] = "1:libvirt.domain"
        env["LIBVIRT_LOG_OUTPUTS"] = "1:file:\(log)"
        let r = try runProgram(bin, args, environment: env)
        #expect(r.status == 0, "stderr: \(r.err)")
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains(" debug : virDomainGetXMLDesc:"), "libvirt's client log has no API calls: the test would observe nothing")
        var c = Calls()
        for line in text.split(separator: "\n") {
            if line.contains(" virConnectGetAllDomainStats:") || line.contains(" virDomainListGetStats:") {
                if let r = line.range(of: "stats=0x") {
                    let hex = line[r.upperBound...].prefix { $0.isHexDigit }
                    if let v = UInt32(hex, radix: 16) { c.bulkMasks.append(v) }
                }
            }
            if line.contains(" virDomainBlockStats:") { c.blockStats += 1 }
            if line.contains(" virDomainInterfaceStats:") { c.interfaceStats += 1 }
            if line.contains(" virDomainMemoryStats:") { c.memoryStats += 1 }
            if line.contains(" virDomainGetInfo:") { c.getInfo += 1 }
        }
        return (c, r.out)
    }

    @Test func nameAndCPUNeverAskTheQEMUHostForBlockOrInterfaceStats() throws {
        let bed = try TestBed.load()
        let (calls, out) = try run(bed.qemuURI, columns: "name,cpu")
        #expect(!calls.bulkMasks.isEmpty, "no bulk stats call seen")
        #expect(!calls.asksBlockOrInterface, "asked for block/interface: masks \(calls.bulkMasks.map { String($0, radix: 16) })")
        #expect(calls.bulkMasks.allSatisfy { $0 & 0x4 == 0 }, "nor balloon")
        let lines = out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        // --columns name,cpu is also what the CSV holds (issue 13: -o/--columns apply to CSV and JSON); one host: no host field.
        #expect(lines.first == "time,domain,cpu_pct,cpu_pct_per_vcpu,stale")
        let guest = try #require(lines.first { $0.contains(",\(bed.guests[0].name),") })
        #expect(Double(guest.split(separator: ",", omittingEmptySubsequences: false)[2]) != nil, "a %CPU value: \(guest)")
        // The control: every column asks for them (so this test can fail).
        let (all, _) = try run(bed.qemuURI, columns: nil)
        #expect(all.asksBlockOrInterface, "with every column, block and interface stats are read")
    }

    @Test func nameAndCPUMakeNoPerDeviceCallsOnTheTestDriver() throws {
        let bed = try TestBed.load()
        let host = bed.tcpHosts[0]
        let (calls, out) = try run(host.uri, columns: "name,cpu")
        #expect(calls.getInfo > 0, "the test driver's CPU comes from GetInfo")
        #expect(calls.blockStats == 0 && calls.interfaceStats == 0 && calls.memoryStats == 0,
                "block \(calls.blockStats), interface \(calls.interfaceStats), memory \(calls.memoryStats) calls")
        #expect(!calls.asksBlockOrInterface)
        #expect(out.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1 + 2 * host.domains)
        let (all, _) = try run(host.uri, columns: "name,cpu,rd,rx")
        #expect(all.blockStats > 0 && all.interfaceStats > 0)
        #expect(all.memoryStats == 0, "no MEM column: no memory stats")
    }
}
