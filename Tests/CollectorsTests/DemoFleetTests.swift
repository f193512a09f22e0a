import Foundation
import Testing
@testable import Collectors

/// The built-in demo fleet is found from the test binary and libvirt's test driver accepts it.
@Suite struct DemoFleetTests {
    @Test func hostsPointAtReadableTestDriverFiles() throws {
        let hosts = try DemoFleet.hosts()
        #expect(hosts.map(\.group) == ["xen", "kvm"])
        for h in hosts {
            #expect(h.uri.hasPrefix("test:///"))
            #expect(FileManager.default.isReadableFile(atPath: String(h.uri.dropFirst("test://".count))))
        }
    }

    @Test func libvirtTestDriverLoadsThem() throws {
        for h in try DemoFleet.hosts() {
            let names = try virshNames(h.uri)
            #expect(names.count >= 10, "\(h.name): \(names)")
            let running = try virshNames(h.uri, all: false)
            #expect(!running.isEmpty && running.count < names.count, "\(h.name): want a mix of states")
        }
        let xen = try #require(try DemoFleet.hosts().first { $0.group == "xen" })
        let xml = try runTool("/usr/bin/virsh", ["-r", "-c", xen.uri, "dumpxml", "web-frontend-1"]).out
        // Displays are UNIX sockets (in a directory the demo fills in), never TCP ports real guests may use.
        #expect(xml.contains("<domain type='xen'") && xml.contains("socket='@DEMO_CONSOLES@/web-frontend-1.sock'"))
        #expect(!xml.contains("port='59"))
    }
}
