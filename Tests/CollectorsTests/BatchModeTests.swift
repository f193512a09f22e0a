import Testing
import Foundation
import FleetCore

/// Batch mode through the real `fleettui` binary: no tty, output formats, exit status, errors.
@Suite struct BatchModeTests {
    let bin = fleettuiBinary()

    @Test func csvHasAHeaderThenOneRowPerDomainPerRefresh() throws {
        let uri = try Fixtures.writeNode(Fixtures.xenNode(domains: 2))
        let r = try runProgram(bin, ["-b", "-n", "2", "-d", "0.3", "--csv", "-", "-c", uri])
        #expect(r.status == 0, "stderr: \(r.err)")
        let lines = r.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == DomainRecord.columns.joined(separator: ","))
        #expect(lines.count == 1 + 2 * 5)
        let cols = DomainRecord.columns
        let pv = try #require(lines.first { $0.contains(",pv1,") }).split(separator: ",", omittingEmptySubsequences: false)
        #expect(pv.count == cols.count)
        #expect(pv[cols.firstIndex(of: "host")!].hasSuffix(".xml"))
        #expect(Double(pv[cols.firstIndex(of: "cpu_pct")!]) != nil, "rates are printed from the first line on")
        #expect(pv[cols.firstIndex(of: "kind")!] == "PV")
        #expect(r.err.isEmpty)
    }

    @Test func csvToAFileAndJSONLinesParse() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-batch-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let c = try runProgram(bin, ["-n", "1", "-d", "0.2", "--csv", file, "-c", "test:///default"])
        #expect(c.status == 0 && c.out.isEmpty)
        let csv = try String(contentsOfFile: file, encoding: .utf8)
        #expect(csv.hasPrefix("time,host,domain,") && csv.contains(",test,"))

        let j = try runProgram(bin, ["--json", "-n", "2", "-d", "0.2", "-c", "test:///default"])
        #expect(j.status == 0, "stderr: \(j.err)")
        let objects = try j.out.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 2)
        let o = try #require(objects.first ?? nil)
        #expect(o["domain"] as? String == "test" && o["state"] as? String == "running")
        #expect(o["cpu_pct"] is NSNumber && o["uuid"] is String && o["stale"] as? Bool == false)
    }

    @Test func plainTextNeedsNoTtyAndShowsTheFleet() throws {
        let r = try runProgram(bin, ["-b", "-n", "1", "-d", "0.2", "-c", "test:///default"])
        #expect(r.status == 0)
        #expect(r.out.hasPrefix("fleettui "))
        #expect(r.out.contains("%CPU") && r.out.contains(" test\n"))
    }

    @Test func exitStatusIsThreeWhenSomeHostsFailAndOneWhenNoneAnswer() throws {
        let some = try runProgram(bin, ["-b", "-n", "1", "-d", "0.2", "-c", "test:///default",
                                        "-c", "test+tcp://127.0.0.1:1/none.xml"])
        #expect(some.status == 3)
        #expect(some.out.contains(" test\n"), "the answering host is still reported")
        let errLines = some.err.split(separator: "\n")
        #expect(errLines.count == 1)
        #expect(errLines.first?.hasPrefix("fleettui: cannot open test+tcp://127.0.0.1:1/none.xml: ") == true)

        let none = try runProgram(bin, ["-b", "-n", "1", "-d", "0.2", "-c", "test+tcp://127.0.0.1:1/none.xml"])
        #expect(none.status == 1)
        #expect(none.out.isEmpty)
    }

    @Test func badURIIsOneLineNoTrace() throws {
        for args in [["-b", "-n", "1", "-c", "nosuchscheme:///x"], ["-c", "nosuchscheme:///x"]] {
            let r = try runProgram(bin, args)
            #expect(r.status == 1)
            let lines = r.err.split(separator: "\n")
            #expect(lines.count == 1, "stderr: \(r.err)")
            #expect(lines.first?.hasPrefix("fleettui: cannot open nosuchscheme:///x: ") == true)
        }
    }

    /// A private demo directory (its display sockets) and config, so runs in parallel never share a demo.
    static func demoEnvironment(_ home: String, base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        base.merging(["XDG_RUNTIME_DIR": home, "XDG_CONFIG_HOME": home + "/config"]) { $1 }
    }

    static func privateHome() throws -> String {
        let home = "/tmp/fleettui-nohv-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return home
    }

    /// No -c, no fleet file, no LIBVIRT_DEFAULT_URI, and no hypervisor answering (here: libvirt's sockets hidden
    /// under a tmpfs in a private mount namespace, so this machine's libvirtd is out of reach, as on a machine
    /// without one): batch output does not fall back to the demo fleet; it stops with one line saying why
    /// (exit status 1). With --demo it prints the demo fleet, labelled as such.
    @Test func withNoHypervisorBatchModeStopsUnlessTheDemoIsAskedFor() throws {
        let home = try Self.privateHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.demoEnvironment(home, base: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home])
        func run(_ args: String) throws -> (status: Int32, out: String, err: String) {
            let script = "mount -t tmpfs none /run/libvirt && exec \"$0\" \(args)"
            return try runProgram("/usr/bin/unshare", ["-m", "--propagation", "private", "sh", "-c", script, bin], environment: env)
        }
        let none = try run("-b -n 1 -d 0.3")
        #expect(none.status == 1)
        #expect(none.out.isEmpty, "nothing printed, not even the demo: \(none.out.prefix(200))")
        let lines = none.err.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(none.err)")
        #expect(none.err.hasPrefix("fleettui: no hypervisor answers at libvirt's default URI (") && none.err.contains("--demo"),
                "stderr: \(none.err)")
        #expect(none.err.contains("libvirt-sock") || none.err.contains("socket"), "libvirt's reason is kept: \(none.err)")

        let demo = try run("--demo -b -n 1 -d 0.3")
        #expect(demo.status == 0, "stderr: \(demo.err)")
        let header = demo.out.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("[demo fleet]") && header.contains("hosts 2, 2 up"), "header: \(header)")
        #expect(demo.out.contains("xen-demo") && demo.out.contains("kvm-demo"))
    }

    @Test func mistypedSchemeNamesTheDriverNotACertificate() throws {
        // libvirt alone would answer "Cannot read CA certificate" (it takes unknown schemes for TLS).
        for (uri, word) in [("qmeu+ssh://host/system", "'qmeu'"), ("bogus://x", "'bogus'"), ("qemu+sshh://h/system", "'+sshh'")] {
            let r = try runProgram(bin, ["-b", "-n", "1", "-c", uri])
            #expect(r.status == 1)
            #expect(r.err.split(separator: "\n").count == 1, "stderr: \(r.err)")
            #expect(r.err.hasPrefix("fleettui: cannot open \(uri): unknown libvirt"), "stderr: \(r.err)")
            #expect(r.err.contains(word) && !r.err.contains("certificate"), "stderr: \(r.err)")
        }
    }

    @Test func consoleCommandsFindTheDomainOnTheFleetsHosts() throws {
        // Not on any host: one line naming the fleet, not libvirt's default URI.
        let none = try runProgram(bin, ["screen", "--demo", "no-such-guest"])
        #expect(none.status == 1)
        #expect(none.err == "fleettui: screen: no domain no-such-guest on any of the fleet's 2 hosts (or they did not answer); give -c URI\n")
        // On the Xen demo host: found there, and its display (served by the demo, here by this process) read.
        let home = try Self.privateHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let xen = try runProgram(bin, ["screen", "--demo", "web-frontend-1", "--text"], environment: Self.demoEnvironment(home))
        #expect(xen.status == 0, "stderr: \(xen.err)")
        #expect(xen.out.split(separator: "\n").last == "web-frontend-1 login:", "out: \(xen.out)")
    }

    /// The demo's other screens, each through its display: a kernel panic, GRUB's menu, a VGA text login, a picture.
    @Test func demoScreensArePanicsMenusPromptsAndPictures() throws {
        let home = try Self.privateHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = Self.demoEnvironment(home)
        let panic = try runProgram(bin, ["screen", "--demo", "k8s-worker-2", "--text"], environment: env)
        #expect(panic.status == 0 && panic.out.hasSuffix("---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---\n"),
                "\(panic.err)\(panic.out.suffix(300))")
        let grub = try runProgram(bin, ["screen", "--demo", "grafana", "--text"], environment: env)
        #expect(grub.out.contains("GNU GRUB  version 2.06") && grub.out.contains(" │*Debian GNU/Linux  ")
                && grub.out.contains("Use the ↑ and ↓ keys"), "\(grub.err)\(grub.out)")
        let vga = try runProgram(bin, ["screen", "--demo", "qemu-tcg-arm-test", "--text"], environment: env)
        #expect(vga.out.hasSuffix("qemu-tcg-arm-test login:\n"), "\(vga.err)\(vga.out.suffix(200))")
        // Into a pipe a picture has colours only when asked for (--colors, issue 13); without, ASCII shades.
        let picture = try runProgram(bin, ["screen", "--demo", "windows-11-desktop", "--colors", "24bit"], environment: env.merging(["COLUMNS": "60", "LINES": "20"]) { $1 })
        #expect(picture.status == 0 && picture.out.contains("▀") && picture.out.contains("\u{1B}[38;2;"), "\(picture.err)")
        let plain = try runProgram(bin, ["screen", "--demo", "windows-11-desktop"], environment: env.merging(["COLUMNS": "60", "LINES": "20"]) { $1 })
        #expect(plain.status == 0 && !plain.out.contains("\u{1B}") && plain.out.split(separator: "\n").count >= 10, "\(plain.err)")
    }

    @Test func badFleetFileIsOneLineWithLineNumber() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).toml").path
        try "[[host]]\nname = \"a\"\nuri = test:///default\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try runProgram(bin, ["-b", "-n", "1", "--fleet", file])
        #expect(r.status == 1)
        #expect(r.err == "fleettui: \(file): line 3: unknown value 'test:///default' (strings need quotes)\n")
    }

    @Test func fleetFileHostsAreUsed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).toml").path
        try "[[host]]\nname = \"lab-a\"\nuri = \"test:///default\"\ngroup = \"lab\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try runProgram(bin, ["--csv", "-", "-n", "1", "-d", "0.2", "--fleet", file])
        #expect(r.status == 0)
        #expect(r.out.contains(",lab-a,test,"))
    }
}
