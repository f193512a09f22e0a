import Testing
import Foundation
import FleetCore
import TestSupport

/// Issue 15: batch mode asks libvirt only for the groups of the columns it prints — observed for real, with
/// libvirt's own client-side debug log of every public API call (LIBVIRT_LOG_FILTERS / LIBVIRT_LOG_OUTPUTS),
/// against the bed's QEMU host (bulk path) and a bed TCP host (test driver: per-domain calls).
@Suite(.serialized) struct BatchDemandTests {
    let bin = fleettuiBinary()

    func run(_ uri: String, columns: String?) throws -> (LibvirtClientLog.Calls, String) {
        let log = LibvirtClientLog()
        defer { log.remove() }
        var args = ["-b", "-n", "2", "-d", "0.5", "--csv", "-", "-c", uri]
        if let columns { args += ["--columns", columns] }
        let r = try runProgram(bin, args, environment: log.environment())
        #expect(r.status == 0, "stderr: \(r.err)")
        let calls = log.calls
        #expect(calls.sawAPICalls, "libvirt's client log has no API calls: the test would observe nothing")
        return (calls, r.out)
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
