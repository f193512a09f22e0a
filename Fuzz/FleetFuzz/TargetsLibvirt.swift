import CollectorsCore
import ConsoleCore
import FleetCore
import Foundation

let domainXMLSeed = """
    <domain type='kvm' id='3'>
      <name>web-1</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
      <description>a &lt;web&gt; guest &#x263A;</description>
      <os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices>
        <disk type='file' device='disk'><source file='/var/lib/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
        <interface type='network'><mac address='52:54:00:00:00:01'/><target dev='vnet0'/><model type='virtio'/></interface>
        <graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1' passwd='s&amp;cret'><listen type='address' address='127.0.0.1'/></graphics>
        <graphics type='vnc' socket='/run/x.sock'/>
      </devices>
    </domain>
    """

let nodeXMLSeed = """
    <node>
      <cpu><mhz>2400</mhz><model>i7</model><active>8</active></cpu>
      <memory>16777216</memory>
      <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
        <name>db-1</name><uuid>11111111-2222-3333-4444-555555555555</uuid><test:runstate>3</test:runstate>
        <memory>1048576</memory><os><type>xen</type></os>
      </domain>
    </node>
    """

/// The bulk-stats keys libvirt sends (the counter table's and those read by hand), for structured inputs.
let statsKeys: [String] = {
    var keys = ["state.state", "state.reason", "cpu.time", "cpu.user", "balloon.current", "balloon.maximum",
                "balloon.available", "balloon.unused", "vcpu.current", "vcpu.maximum", "block.count", "net.count"]
    keys += Counters.domainByStatsKey.keys.sorted()
    for n in 0..<3 {
        keys += ["block.\(n).name", "block.\(n).path"] + Counters.diskByStatsKey.keys.sorted().map { "block.\(n).\($0)" }
        keys += ["net.\(n).name"] + Counters.nicByStatsKey.keys.sorted().map { "net.\(n).\($0)" }
    }
    return keys
}()

/// A bulk-stats record from fuzz input: known keys (or raw names), any type, any value.
func statsFields(_ d: inout FuzzData) -> [(String, TypedValue)] {
    var fields: [(String, TypedValue)] = []
    for _ in 0..<d.int(in: 0...48) {
        let k = d.int(in: 0...statsKeys.count)
        let name = k < statsKeys.count ? statsKeys[k] : d.string(max: 24)
        let value: TypedValue
        switch d.int(in: 0...4) {
        case 0: value = .int(Int64(bitPattern: UInt64(d.int(in: 0...Int(UInt32.max))) << UInt64(d.int(in: 0...32))))
        case 1: value = .uint(UInt64(d.int(in: 0...Int(UInt32.max))) << UInt64(d.int(in: 0...32)))
        case 2:
            var bits: UInt64 = 0
            for _ in 0..<8 { bits = bits << 8 | UInt64(d.byte()) }
            value = .double(Double(bitPattern: bits))
        case 3: value = .bool(d.bool())
        default: value = .string(d.string(max: 32))
        }
        fields.append((name, value))
    }
    return fields
}

let libvirtTargets: [FuzzTarget] = [
    FuzzTarget("domainxml", "domain XML from libvirt (DomainXML over MiniXML: devices, graphics, entities) and the guest kind",
               seeds: [utf8(domainXMLSeed)]) { bytes in
        guard let d = try? DomainXML.parse(text(bytes)) else { return }
        _ = GuestKind.detect(d)
    },
    FuzzTarget("nodexml", "the test driver's <node> files (NodeXML): host CPUs, memory, domains and their run states",
               seeds: [utf8(nodeXMLSeed)]) { bytes in
        _ = try? NodeXML.parse(text(bytes))
    },
    FuzzTarget("bulkstats", "bulk-stats records (BulkStats.apply) and the rates of two of them (DomainRow(reading:))",
               seeds: [[4, 0, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0x3B, 0x9A, 0xCA, 0x00, 0x10, 1, 0, 0, 0, 0, 4, 0]]) { bytes in
        var d = FuzzData(bytes)
        let key = DomainKey(hostID: "h", uuid: "u")
        var first = DomainSample(key: key, name: "d", state: .running, monotonicNs: UInt64(d.int(in: 0...Int(UInt32.max))))
        BulkStats.apply(statsFields(&d), to: &first)
        var second = first
        second.monotonicNs = first.monotonicNs &+ UInt64(d.int(in: 0...Int(UInt32.max)))
        BulkStats.apply(statsFields(&d), to: &second)
        let row = DomainRow(reading: second, previous: first, description: nil, hostName: "h",
                            hostCPUs: d.int(in: -1...512), hostMemoryKiB: UInt64(d.int(in: 0...Int(UInt32.max))))
        _ = CSV.line(DomainRecord.values(row, time: Date(timeIntervalSince1970: 0)))
    },
]

let vncTargets: [FuzzTarget] = [
    FuzzTarget("vncpasswd", "the VNC password read straight from a domain's secure XML bytes (VNCPasswordXML)",
               seeds: [[0] + utf8(domainXMLSeed), [1] + utf8(domainXMLSeed)]) { bytes in
        guard let index = bytes.first else { return }
        Array(bytes.dropFirst()).withUnsafeBufferPointer { buf in
            _ = VNCPasswordXML.password(in: buf, vncIndex: Int(index % 4))
        }
    },
]
