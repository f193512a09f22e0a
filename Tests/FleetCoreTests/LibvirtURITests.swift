import Testing
@testable import FleetCore

@Suite struct LibvirtURITests {
    @Test(arguments: [
        "qemu:///system", "qemu:///session", "xen:///system", "xen+ssh://root@xen-a/system", "qemu+ssh://h/system?keyfile=/k",
        "test:///default", "test+tcp://127.0.0.1:16610/var/tmp/f.xml", "QEMU+SSH://h/system", "lxc:///", "esx://h/",
        "qemu+libssh2://h/system", "remote+unix:///system", "ch:///session",
        "hail", "",   // an alias from libvirt's client config; libvirt's default
    ])
    func libvirtSchemesAndAliasesPass(uri: String) {
        #expect(LibvirtURI.problem(uri) == nil)
    }

    @Test func unknownDriverIsNamed() throws {
        let p = try #require(LibvirtURI.problem("qmeu+ssh://host/system"))
        #expect(p.contains("'qmeu'"))
        #expect(LibvirtURI.problem("bogus://x")?.contains("'bogus'") == true)
        #expect(LibvirtURI.problem("http://example/")?.contains("'http'") == true)
    }

    @Test func unknownTransportIsNamed() throws {
        let p = try #require(LibvirtURI.problem("qemu+sshh://host/system"))
        #expect(p.contains("'+sshh'"))
    }

    @Test func sshURIsNeverPrompt() {
        #expect(LibvirtURI.nonInteractive("qemu+ssh://root@h/system") == "qemu+ssh://root@h/system?no_tty=1")
        #expect(LibvirtURI.nonInteractive("xen+ssh://h:2222/system?keyfile=/k") == "xen+ssh://h:2222/system?keyfile=/k&no_tty=1")
        #expect(LibvirtURI.nonInteractive("QEMU+SSH://h/system?") == "QEMU+SSH://h/system?no_tty=1")
        // The user's own choice stays.
        #expect(LibvirtURI.nonInteractive("qemu+ssh://h/system?no_tty=0") == "qemu+ssh://h/system?no_tty=0")
        // Other transports and local URIs are not ssh's business.
        for uri in ["qemu:///system", "qemu+tcp://h/system", "qemu+libssh2://h/system", "test:///default", "hail", ""] {
            #expect(LibvirtURI.nonInteractive(uri) == uri)
        }
    }

    @Test func localURIsAreTheOnesWithoutAHostOrANetworkTransport() {
        for uri in ["qemu:///system", "qemu:///session", "QEMU:///system", "qemu+unix:///system",
                    "qemu:///system?socket=/var/tmp/h/sock/libvirt-sock-ro", "test:///default", "xen:///system"] {
            #expect(LibvirtURI.isLocal(uri), "\(uri)")
        }
        for uri in ["qemu+ssh://root@h/system", "qemu://h/system", "qemu+tcp://h/system", "qemu+tls://h:16514/system",
                    "qemu+libssh2://h/system", "qemu+ext:///system?command=/bin/x", "qemu+ssh:///system", "hail", ""] {
            #expect(!LibvirtURI.isLocal(uri), "\(uri)")
        }
    }

    @Test func controlCharactersAndEmptySchemeAreRejected() {
        #expect(LibvirtURI.problem("qemu:///sys\u{1B}[2Jtem") != nil)
        #expect(LibvirtURI.problem("://host/") != nil)
    }
}
