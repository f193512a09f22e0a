import CollectorsCore
import Testing
import Foundation
@testable import Collectors
import FleetCore

/// The thin libvirt layer against libvirt's in-process test driver (real libvirt, no daemon).
@Suite struct LibvirtPlumbingTests {
    @Test func defaultTestHostAnswersHostCalls() throws {
        let c = try Connection.open("test:///default")
        #expect(c.readOnly)
        #expect(try c.hypervisorType() == "TEST")
        let node = try c.nodeInfo()
        #expect(node.cpus > 0 && node.memoryKiB > 0)
        #expect(!(try c.libvirtVersion()).isEmpty)
        #expect(!(try c.hostname()).isEmpty)
        let doms = try c.listAllDomains()
        #expect(doms.contains { $0.name == "test" && $0.id != nil })
        c.close()
        c.close()   // idempotent
        #expect(throws: LibvirtError.self) { try c.listAllDomains() }
    }

    @Test func bulkStatsOnTheTestDriverCarryOnlyState() throws {
        let c = try Connection.open("test:///default")
        let list = try c.allDomainStats(groups: .monitor)
        var seen = 0
        try list.forEach { dom, fields in
            var s = DomainSample(key: DomainKey(hostID: "t", uuid: dom.uuid), name: dom.name, state: .nostate, monotonicNs: 1)
            let cov = BulkStats.apply(fields, to: &s)
            #expect(cov.state && !cov.cpu)
            #expect(s.state == .running)
            let info = try dom.info()
            #expect(info.vcpus > 0 && info.maxMemKiB > 0)
            seen += 1
        }
        #expect(seen == 1)
    }

    @Test func xenShapedFileHostGivesDevicesKindsAndCounters() throws {
        let c = try Connection.open(try Fixtures.writeNode(Fixtures.xenNode()))
        let doms = try c.listAllDomains()
        #expect(Set(doms.map(\.name)) == ["pv1", "hvm-pvdrivers", "hvm-emulated"])
        let pv = try c.lookupDomain(name: "pv1")
        let desc = try DomainXML.parse(try pv.xmlDesc())
        #expect(GuestKind.detect(desc).kind == .xenPV)
        #expect(desc.graphics.first?.port == 5905)
        let blk = try pv.blockStats(device: "xvda")
        #expect((blk.rdBytes ?? 0) > 0)
        let net = try pv.interfaceStats(device: "vif1.0")
        #expect((net.rxBytes ?? 0) > 0)
        let hvm = try DomainXML.parse(try c.lookupDomain(name: "hvm-pvdrivers").xmlDesc())
        #expect(GuestKind.detect(hvm) == (.xenHVM, true))
        let emu = try DomainXML.parse(try c.lookupDomain(uuid: "33333333-3333-3333-3333-333333333333").xmlDesc())
        #expect(GuestKind.detect(emu) == (.xenHVM, false))
        #expect(throws: LibvirtError.self) { try pv.blockStats(device: "nosuch") }
    }

    @Test func errorsAreOneSanitizedLineAndResetPerThread() {
        do {
            _ = try Connection.open("nosuchscheme:///x\u{1B}[31m")
            Issue.record("opening a bogus URI succeeded")
        } catch let e as LibvirtError {
            #expect(!e.message.isEmpty)
            #expect(!e.message.contains("\n") && !e.message.contains("\u{1B}"))
            #expect(e.operation == "virConnectOpenReadOnly")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func lifecycleAndCloseCallbacksRegister() throws {
        let c = try Connection.open("test:///default")
        try c.onLifecycle { _ in }
        try c.onClose { _ in }
        c.close()
    }
}
