import Foundation
import Testing
import TestSupport

/// Runs a program, returns (exit status, stdout). For checking the bed from outside FleetTUI's own code.
func runTool(_ path: String, _ args: [String]) throws -> (status: Int32, out: String) {
    let r = try Spawn.run(path, args, stderr: .discard)
    return (r.status, r.out)
}

/// Domain names on a libvirt URI, read-only, as virsh sees them.
func virshNames(_ uri: String, all: Bool = true) throws -> [String] {
    let r = try runTool("/usr/bin/virsh", ["-r", "-c", uri, "list", "--name"] + (all ? ["--all"] : []))
    #expect(r.status == 0, "virsh -r -c \(uri) list failed")
    return r.out.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
}

/// The test bed itself: bed.json is sane and describes what really runs. (Tests/Bed/bed up must have run.)
@Suite(.serialized) struct BedTests {
    @Test func bedJSONIsSane() throws {
        let bed = try TestBed.load()
        #expect(bed.qemuURI == "qemu:///system")
        #expect(FileManager.default.isExecutableFile(atPath: bed.script))
        #expect(bed.guests.count >= 2)
        #expect(Set(bed.guests.map(\.name)).isSuperset(of: ["fleet-vga", "fleet-fb"]))
        for g in bed.guests {
            #expect(g.vncHost == "127.0.0.1")
            #expect((5900...65535).contains(g.vncPort), "\(g.name): VNC port \(g.vncPort)")
            #expect((g.expectText ?? []).contains("FleetTUI test guest \(g.name)"))
            #expect(g.prompt == "\(g.name):/#")
            #expect(g.serialLog.map { FileManager.default.isReadableFile(atPath: $0) } == true, "\(g.name): serial log")
        }
        #expect(bed.guests.first { $0.name == "fleet-vga" }?.mode == "vgatext")
        #expect(bed.guests.first { $0.name == "fleet-fb" }?.mode == "fbcon-1024x768")
        #expect(!bed.tcpHosts.isEmpty)
        #expect(bed.tcpHosts.contains { $0.kind == "xen" } || bed.tcpHosts.count < 2, "a Xen-shaped TCP host")
        #expect(Set(bed.tcpHosts.map(\.port)).count == bed.tcpHosts.count, "TCP host ports must differ")
        for h in bed.tcpHosts {
            #expect(h.uri.hasPrefix("test+tcp://127.0.0.1:\(h.port)/"), "\(h.name): \(h.uri)")
            #expect(h.domains > 0)
            #expect(h.kind == "kvm" || h.kind == "xen")
        }
    }

    @Test func guestsRunOnTheQEMUHost() throws {
        let bed = try TestBed.load()
        let running = Set(try virshNames(bed.qemuURI, all: false))
        for g in bed.guests {
            #expect(running.contains(g.name), "guest \(g.name) is not running on \(bed.qemuURI)")
        }
    }

    @Test func guestVNCPortsAnswerWithRFB() throws {
        let bed = try TestBed.load()
        for g in bed.guests {
            // The RFB handshake starts with the server's "RFB 003.00x\n".
            let r = try runTool("/usr/bin/timeout", ["5", "bash", "-c", "exec 3<>/dev/tcp/\(g.vncHost)/\(g.vncPort); head -c 12 <&3"])
            #expect(r.out.hasPrefix("RFB 003."), "\(g.name): no RFB greeting on \(g.vncHost):\(g.vncPort)")
        }
    }

    @Test func tcpHostsServeTheirFleets() throws {
        let bed = try TestBed.load()
        for h in bed.tcpHosts {
            let names = try virshNames(h.uri)
            #expect(names.count == h.domains, "\(h.name): \(names.count) domains, bed.json says \(h.domains)")
            #expect(Set(names).count == names.count, "\(h.name): duplicate names")
        }
    }
}
