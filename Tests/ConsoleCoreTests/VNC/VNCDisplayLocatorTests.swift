@testable import ConsoleCore
import FleetCore
import Foundation
import Testing

@Suite struct VNCDisplayLocator {
    private func vnc(port: Int? = 5901, listen: String? = "127.0.0.1", socket: String? = nil) -> GraphicsInfo {
        GraphicsInfo(type: "vnc", port: port, autoport: true, listen: listen, socket: socket)
    }

    @Test func localListenAddresses() throws {
        #expect(try DisplayLocator.route(uri: "qemu:///system", domain: "d", graphics: vnc()) == .tcp(host: "127.0.0.1", port: 5901))
        #expect(try DisplayLocator.route(uri: "qemu:///system", domain: "d", graphics: vnc(listen: "0.0.0.0")) == .tcp(host: "127.0.0.1", port: 5901))
        #expect(try DisplayLocator.route(uri: "qemu:///system", domain: "d", graphics: vnc(listen: "::")) == .tcp(host: "127.0.0.1", port: 5901))
        #expect(try DisplayLocator.route(uri: "qemu:///system", domain: "d", graphics: vnc(listen: nil)) == .tcp(host: "127.0.0.1", port: 5901))
        #expect(try DisplayLocator.route(uri: "xen:///system", domain: "d", graphics: vnc(listen: "192.0.2.7")) == .tcp(host: "192.0.2.7", port: 5901))
    }

    @Test func unixSocketDisplays() throws {
        #expect(try DisplayLocator.route(uri: "qemu:///system", domain: "d", graphics: vnc(port: nil, socket: "/run/vnc.sock")) == .unix(path: "/run/vnc.sock"))
        let r = try DisplayLocator.route(uri: "qemu+ssh://ops@kvm1/system", domain: "d", graphics: vnc(port: nil, socket: "/run/vnc.sock"))
        #expect(r == .sshUnix(via: SSHTarget(user: "ops", host: "kvm1", port: nil, keyfile: nil), path: "/run/vnc.sock"))
        #expect(throws: DisplayLocateError.self) { try DisplayLocator.route(uri: "qemu+tcp://kvm1/system", domain: "d", graphics: vnc(port: nil, socket: "/s")) }
    }

    @Test func sshTunnels() throws {
        let r = try DisplayLocator.route(uri: "qemu+ssh://root@kvm1:2222/system?keyfile=/k", domain: "d", graphics: vnc(listen: "0.0.0.0"))
        let via = SSHTarget(user: "root", host: "kvm1", port: 2222, keyfile: "/k")
        #expect(r == .sshTCP(via: via, host: "127.0.0.1", port: 5901))
        #expect(via.arguments(forward: ("127.0.0.1", 5901)) ==
                ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-e", "none", "-T", "-p", "2222", "-l", "root", "-i", "/k",
                 "-W", "127.0.0.1:5901", "--", "kvm1"])
        let x = try DisplayLocator.route(uri: "xen+ssh://dom0.example/system", domain: "d", graphics: vnc(listen: "10.0.0.5"))
        #expect(x == .sshTCP(via: SSHTarget(user: nil, host: "dom0.example", port: nil, keyfile: nil), host: "10.0.0.5", port: 5901))
    }

    @Test func remoteWithoutSSH() throws {
        #expect(try DisplayLocator.route(uri: "qemu+tcp://kvm1/system", domain: "d", graphics: vnc(listen: "0.0.0.0")) == .tcp(host: "kvm1", port: 5901))
        #expect(try DisplayLocator.route(uri: "qemu+tls://kvm1/system", domain: "d", graphics: vnc(listen: "10.1.1.1")) == .tcp(host: "10.1.1.1", port: 5901))
        #expect(throws: DisplayLocateError.self) { try DisplayLocator.route(uri: "qemu+tcp://kvm1/system", domain: "d", graphics: vnc(listen: "127.0.0.1")) }
    }

    @Test func noDisplay() {
        #expect(throws: DisplayLocateError.noGraphics("d")) { try DisplayLocator.vncDisplay(domain: "d", graphics: []) }
        #expect(throws: DisplayLocateError.notVNC("d", types: ["spice"])) {
            try DisplayLocator.vncDisplay(domain: "d", graphics: [GraphicsInfo(type: "spice", port: 5930)])
        }
        #expect(throws: DisplayLocateError.noPort("d")) { try DisplayLocator.route(uri: "qemu:///system", domain: "d", graphics: vnc(port: nil)) }
        let (i, _) = try! DisplayLocator.vncDisplay(domain: "d", graphics: [GraphicsInfo(type: "spice"), vnc()])
        #expect(i == 1)
        #expect(DisplayLocateError.notRunning("web\u{1B}[2J").description == "domain web\\e[2J is not running (use --wait to wait for it)"
                || !DisplayLocateError.notRunning("web\u{1B}[2J").description.contains("\u{1B}"))
    }
}

@Suite struct VNCPasswordFromXML {
    private func pw(_ xml: String, _ index: Int = 0) -> [UInt8]? {
        let bytes = Array(xml.utf8)
        let p = bytes.withUnsafeBufferPointer { VNCPasswordXML.password(in: $0, vncIndex: index) }
        guard let p, let c = p.mallocCString() else { return nil }
        defer { free(c) }
        return Array(UnsafeBufferPointer(start: UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self), count: strlen(c)))
    }

    @Test func readsThePasswordOfTheVNCDisplay() {
        let xml = """
        <domain><devices><graphics type='spice' passwd='nope'/>
        <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1' passwd='s3&amp;cr&lt;t'>
          <listen type='address' address='127.0.0.1'/></graphics>
        <graphics type="vnc" passwd="second"/></devices></domain>
        """
        #expect(pw(xml) == Array("s3&cr<t".utf8))
        #expect(pw(xml, 1) == Array("second".utf8))
        #expect(pw(xml, 2) == nil)
    }

    @Test func noPasswordAttribute() {
        #expect(pw("<domain><devices><graphics type='vnc' port='5900'/></devices></domain>") == nil)
        #expect(pw("<graphicsX type='vnc' passwd='x'/>") == nil)
        #expect(pw("<graphics type='vnc' title='passwd=\"x\"'/>") == nil)
    }

    @Test func passwordIsNeverPrinted() {
        let p = VNCPassword(bytes: Array("topsecret".utf8))
        #expect(!"\(p)".contains("topsecret"))
        #expect(!String(describing: p).contains("topsecret"))
        p.wipe()
        #expect(p.isEmpty)
    }
}

@Suite struct VNCSecurity {
    @Test func offeredSchemes() {
        #expect(VNCSecurityPolicy.default.offeredSchemes == [2, 1])
        #expect(VNCSecurityPolicy.passwordRequired.offeredSchemes == [2])
        #expect(VNCSecurityPolicy(allowTLS: true).offeredSchemes == [19, 18, 2, 1])
        #expect(VNCSecurityPolicy(allowTLS: true, requireTLS: true).offeredSchemes == [19, 18])
    }

    @Test func noSilentDowngrade() {
        #expect(VNCSecurityPolicy.default.violation(scheme: 1, subScheme: 0) == nil)
        #expect(VNCSecurityPolicy.passwordRequired.violation(scheme: 1, subScheme: 0) != nil)
        #expect(VNCSecurityPolicy.passwordRequired.violation(scheme: 2, subScheme: 0) == nil)
        let tls = VNCSecurityPolicy(allowNone: false, allowTLS: true, requireTLS: true)
        #expect(tls.violation(scheme: 2, subScheme: 0) != nil)
        #expect(tls.violation(scheme: 19, subScheme: RFBSecurity.tlsNone) != nil)
        #expect(tls.violation(scheme: 19, subScheme: RFBSecurity.x509VNC) == nil)
        #expect(VNCSecurityPolicy.default.violation(scheme: 19, subScheme: RFBSecurity.tlsVNC) != nil)
        #expect(VNCSecurityPolicy.default.violation(scheme: 30, subScheme: 0) != nil)
    }
}
