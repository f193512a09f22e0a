import Foundation

/// Test-driver node files written on the fly: a Xen-shaped host (PV with framebuffer, PVH, HVM with
/// and without PV drivers, one shut off) opened as `test:///ABS/PATH`.
enum Fixtures {
    static func xenNode(domains extra: Int = 0) -> String {
        var xml = """
        <node>
          <cpu><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>2</threads><active>8</active><mhz>3000</mhz><model>x86_64</model></cpu>
          <memory>16777216</memory>
          <domain type='xen'>
            <name>pv1</name><uuid>11111111-1111-1111-1111-111111111111</uuid>
            <memory>524288</memory><currentMemory>262144</currentMemory><vcpu current='1'>2</vcpu>
            <os><type>xen</type></os>
            <devices>
              <disk type='file' device='disk'><source file='/var/lib/xen/pv1.img'/><target dev='xvda' bus='xen'/></disk>
              <interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/><target dev='vif1.0'/></interface>
              <graphics type='vnc' port='5905' listen='127.0.0.1'/>
            </devices>
          </domain>
          <domain type='xen'>
            <name>hvm-pvdrivers</name><uuid>22222222-2222-2222-2222-222222222222</uuid>
            <memory>1048576</memory><vcpu>2</vcpu>
            <os><type>hvm</type></os>
            <devices>
              <disk type='file' device='disk'><source file='/x.img'/><target dev='hda' bus='ide'/></disk>
              <interface type='bridge'><mac address='00:16:3e:00:00:02'/><source bridge='xenbr0'/><target dev='vif2.0'/><model type='netfront'/></interface>
            </devices>
          </domain>
          <domain type='xen'>
            <name>hvm-emulated</name><uuid>33333333-3333-3333-3333-333333333333</uuid>
            <memory>1048576</memory><vcpu>1</vcpu>
            <os><type>hvm</type></os>
            <devices><disk type='file' device='disk'><source file='/y.img'/><target dev='hda' bus='ide'/></disk></devices>
          </domain>
        """
        for n in 0..<extra {
            let uuid = String(format: "aaaaaaaa-0000-0000-0000-%012d", n)
            xml += """
              <domain type='test'>
                <name>gen-\(n)</name><uuid>\(uuid)</uuid><memory>131072</memory><vcpu>1</vcpu>
                <os><type>hvm</type></os>
                <devices>
                  <disk type='file' device='disk'><source file='/g\(n).img'/><target dev='vda' bus='virtio'/></disk>
                  <interface type='bridge'><mac address='52:54:00:00:\(String(format: "%02x:%02x", (n >> 8) & 255, n & 255))'/><source bridge='br0'/><target dev='vnet\(n)'/><model type='virtio'/></interface>
                </devices>
              </domain>
            """
        }
        return xml + "</node>\n"
    }

    /// Writes a node file and returns its test:/// URI.
    static func writeNode(_ xml: String, name: String = "xen-\(UUID().uuidString).xml") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-collectors-tests")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent(name)
        try xml.write(to: file, atomically: true, encoding: .utf8)
        return "test://" + file.path
    }
}
