import Testing
@testable import CollectorsCore
import FleetCore

@Suite struct DomainXMLTests {
    static let pvWithFramebuffer = """
    <domain type='xen' id='1'>
      <name>pv1</name>
      <memory unit='KiB'>524288</memory>
      <currentMemory unit='MiB'>256</currentMemory>
      <vcpu placement='static' current='1'>2</vcpu>
      <os><type arch='x86_64'>linux</type></os>
      <devices>
        <disk type='file' device='disk'><source file='/var/lib/xen/pv1.img'/><target dev='xvda' bus='xen'/></disk>
        <disk type='file' device='cdrom'><target dev='xvdb' bus='xen'/></disk>
        <interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/><target dev='vif1.0'/></interface>
        <graphics type='vnc' port='5905' autoport='no' passwd='s3cret-value'>
          <listen type='address' address='0.0.0.0'/>
        </graphics>
      </devices>
    </domain>
    """

    @Test func devicesGraphicsAndSizes() throws {
        let d = try DomainXML.parse(Self.pvWithFramebuffer)
        #expect(d.domainType == "xen" && d.osType == "linux")
        #expect(d.maxVcpus == 2 && d.vcpus == 1)
        #expect(d.memoryKiB == 524288 && d.currentMemoryKiB == 262144)
        #expect(d.disks.map(\.target) == ["xvda", "xvdb"])
        #expect(d.disks[0].bus == "xen" && d.disks[0].source == "/var/lib/xen/pv1.img" && d.disks[1].device == "cdrom")
        #expect(d.nics == [NICInfo(target: "vif1.0", mac: "00:16:3e:00:00:01", model: nil, source: "xenbr0")])
        #expect(d.graphics == [GraphicsInfo(type: "vnc", port: 5905, autoport: false, listen: "0.0.0.0", passwordSet: true)])
    }

    @Test func passwordValueIsNeverKept() throws {
        let d = try DomainXML.parse(Self.pvWithFramebuffer)
        #expect(!String(describing: d).contains("s3cret"))
        #expect(!String(reflecting: d).contains("s3cret"))
    }

    @Test func listenAttributeSocketAndAutoport() throws {
        let d = try DomainXML.parse("""
        <domain type='qemu'><name>g</name><os><type>hvm</type></os><devices>
          <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>
          <graphics type='vnc'><listen type='socket' socket='/run/g.sock'/></graphics>
          <interface type='network'><source network='default'/><model type='virtio'/></interface>
        </devices></domain>
        """)
        #expect(d.graphics[0].port == nil && d.graphics[0].autoport && d.graphics[0].listen == "127.0.0.1")
        #expect(d.graphics[1].socket == "/run/g.sock" && !d.graphics[1].passwordSet)
        #expect(d.nics[0].target == nil && d.nics[0].model == "virtio" && d.nics[0].source == "default")
    }

    @Test func badXMLIsOneClearError() {
        #expect(throws: DomainXML.ParseError.self) { try DomainXML.parse("<domain><name>x</dom") }
        #expect(throws: DomainXML.ParseError.self) { try DomainXML.parse("<node/>") }
    }

    @Test func guestKinds() throws {
        func kind(_ type: String, _ os: String, disk: String = "ide", nic: String? = nil) throws -> (VirtKind, Bool) {
            let model = nic.map { "<model type='\($0)'/>" } ?? ""
            let d = try DomainXML.parse("""
            <domain type='\(type)'><os><type>\(os)</type></os><devices>
            <disk type='file' device='disk'><target dev='hda' bus='\(disk)'/></disk>
            <interface type='bridge'>\(model)</interface></devices></domain>
            """)
            let k = GuestKind.detect(d)
            return (k.kind, k.pvDrivers)
        }
        #expect(try kind("kvm", "hvm") == (.kvm, false))
        #expect(try kind("qemu", "hvm") == (.qemu, false))
        #expect(try kind("xen", "linux") == (.xenPV, false))
        #expect(try kind("xen", "xen") == (.xenPV, false))
        #expect(try kind("xen", "xenpvh") == (.xenPVH, false))
        #expect(try kind("xen", "hvm") == (.xenHVM, false))
        #expect(try kind("xen", "hvm", disk: "xen") == (.xenHVM, true))
        #expect(try kind("xen", "hvm", nic: "netfront") == (.xenHVM, true))
        #expect(try kind("xen", "hvm", nic: "e1000") == (.xenHVM, false))
        #expect(try kind("test", "hvm") == (.other, false))
    }
}

@Suite struct BulkStatsTests {
    @Test func qemuRecordFillsEveryGroup() {
        var s = DomainSample(key: DomainKey(hostID: "h", uuid: "u"), name: "g", state: .nostate, monotonicNs: 1)
        let cov = BulkStats.apply([
            ("state.state", .int(1)), ("state.reason", .int(1)),
            ("cpu.time", .uint(5_000)), ("cpu.user", .uint(3_000)), ("cpu.system", .uint(1_000)),
            ("balloon.current", .uint(1024)), ("balloon.maximum", .uint(2048)), ("balloon.rss", .uint(900)),
            ("balloon.available", .uint(1000)), ("balloon.unused", .uint(400)),
            ("block.count", .uint(2)), ("block.0.name", .string("vda")), ("block.0.path", .string("/a.img")),
            ("block.0.rd.bytes", .uint(10)), ("block.0.wr.reqs", .uint(3)), ("block.1.name", .string("vdb")),
            ("block.1.wr.bytes", .uint(7)), ("block.0.fl.reqs", .uint(1)),
            ("net.count", .uint(1)), ("net.0.name", .string("vnet0")), ("net.0.rx.bytes", .uint(99)),
            ("net.0.tx.pkts", .uint(5)), ("net.0.rx.drop", .uint(2)), ("net.0.tx.errs", .uint(1)),
        ], to: &s)
        #expect(cov == BulkCoverage(state: true, cpu: true, balloon: true, vcpu: false, block: true, net: true))
        #expect(s.state == .running && s.stateReason == 1)
        #expect(s.cpuTimeNs == 5_000 && s.cpuUserNs == 3_000 && s.cpuSystemNs == 1_000)
        #expect(s.memCurrentKiB == 1024 && s.memMaximumKiB == 2048 && s.memRSSKiB == 900 && s.memUsedKiB == 600)
        #expect(s.disks.map(\.name) == ["vda", "vdb"])
        #expect(s.disks[0].rdBytes == 10 && s.disks[0].wrReqs == 3 && s.disks[0].path == "/a.img" && s.disks[1].wrBytes == 7)
        #expect(s.nics.count == 1 && s.nics[0].rxBytes == 99 && s.nics[0].txPkts == 5 && s.nics[0].rxDrop == 2 && s.nics[0].txErrs == 1)
    }

    @Test func testDriverRecordHasOnlyState() {
        var s = DomainSample(key: DomainKey(hostID: "h", uuid: "u"), name: "g", state: .nostate, monotonicNs: 1)
        let cov = BulkStats.apply([("state.state", .int(5)), ("state.reason", .int(0))], to: &s)
        #expect(cov == BulkCoverage(state: true))
        #expect(s.state == .shutoff && s.cpuTimeNs == nil && s.disks.isEmpty && s.memCurrentKiB == nil)
    }
}
