import Foundation
import Testing
import TestSupport

/// `fleettui console` and `fleettui screen` in tmux against the bed's real guests, and against broken VNC
/// servers behind a test-driver domain: text comes back as text, Ctrl+] detaches, the terminal is always
/// given back.
@Suite(.serialized) struct ConsoleEndToEnd {
    init() {
        // If `Tmux.run` is the one to start the tmux server, the server inherits its output pipe and the
        // read never ends: start the server here with no pipes (a session that ends by itself keeps it up).
        _ = try? Spawn.run("/usr/bin/tmux", ["-L", Tmux.socket, "-f", "/dev/null", "new-session", "-d", "-s",
                                             "console-keeper-\(getpid())", "sleep", "900"],
                           stdout: .discard, stderr: .discard, timeout: 60)
    }

    private func guest(_ bed: TestBed, _ mode: String) throws -> TestBed.Guest {
        try #require(bed.guests.first { $0.mode == mode }, "bed has no \(mode) guest")
    }

    private func shellIsBack(_ t: Tmux) throws {
        try t.waitFor("the shell prompt after fleettui", timeout: 15) { lines in
            lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) ?? false
        }
        #expect(try t.format("#{alternate_on}") == "0", "the terminal was left in the alternate screen")
    }

    @Test(arguments: ["vgatext", "fbcon-1024x768"])
    func typedCommandComesBackAsText(mode: String) throws {
        let bed = try TestBed.load()
        let g = try guest(bed, mode)
        try bed.withGuest(g) { try typeEchoAndExit(bed, g) }
    }

    private func typeEchoAndExit(_ bed: TestBed, _ g: TestBed.Guest) throws {
        let bin = try FleetBinary.path()
        let t = try Tmux(prefix: "console-e2e", width: 140, height: 52)
        try t.type("\(bin) console -c \(bed.qemuURI) \(g.name)")
        try t.waitFor("the console of \(g.name) as text", timeout: 90) { lines in
            lines.contains { $0.contains("\(g.name) │ text") && $0.contains("Ctrl+] detach") }
        }
        let word = "hello-\(UInt32.random(in: 0..<UInt32.max))"
        try t.text("echo \(word)")
        try t.keys("Enter")
        // The guest's answer, alone on its line, read back from the terminal as characters.
        try t.waitFor("'\(word)' echoed by \(g.name)", timeout: 60) { lines in
            lines.contains { $0.trimmingCharacters(in: .whitespaces) == word }
        }
        // Leave the screen as the bed made it: the guest's shell respawns on exit, clears the screen and
        // prints its banner again (screenPrintsTheGuestsText reads that banner, and the screen scrolls).
        // 60 s: a TCG guest starved of CPU (a loaded 2-core run) once took longer than 30 s to show it.
        try t.text("exit")
        try t.keys("Enter")
        try t.waitFor("\(g.name)'s banner again", timeout: 60) { lines in
            lines.contains { $0.contains("FleetTUI test guest \(g.name)") } && !lines.contains { $0.contains(word) }
        }
        try t.keys("C-]")
        try shellIsBack(t)
    }

    @Test(arguments: ["vgatext", "fbcon-1024x768"])
    func screenPrintsTheGuestsText(mode: String) throws {
        let bed = try TestBed.load()
        let g = try guest(bed, mode)
        let (status, out, err) = try bed.withGuest(g) { try run(FleetBinary.path(), ["screen", "-c", bed.qemuURI, g.name, "--text"]) }
        #expect(status == 0, "stderr: \(err)")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for expected in g.expectText ?? [] {
            #expect(lines.contains(expected), "missing line '\(expected)' in:\n\(out)")
        }
        #expect(!out.contains("\u{1B}"), "--text must not print escape sequences")
    }

    /// A qemu+ssh:// host: libvirt over the bed's sshd finds the display (listening on the far side's
    /// 127.0.0.1), and the screen comes through the user's ssh as a tunnel (`ssh -W`, seen through a wrapper
    /// that logs how it was run), as virt-viewer does it.
    /// Over a tunnel the session asks for compressed encodings: they must be lossless (ZRLE, as libvncclient
    /// decodes QEMU's, was not), or the text is lost.
    @Test(arguments: ["vgatext", "fbcon-1024x768"])
    func screenOverAnSSHTunnelPrintsTheGuestsText(mode: String) throws {
        let bed = try TestBed.load()
        let uri = try bed.sshURI()
        let g = try guest(bed, mode)
        let log = NSTemporaryDirectory() + "console-e2e-\(getpid())-\(mode)-ssh.log"
        let wrapper = NSTemporaryDirectory() + "console-e2e-\(getpid())-\(mode)-ssh"
        try Spawn.writeSSHWrapper(at: wrapper, log: log)
        defer { try? FileManager.default.removeItem(atPath: log); try? FileManager.default.removeItem(atPath: wrapper) }
        let r = try bed.withGuest(g) {
            try Spawn.run(FleetBinary.path(), ["screen", "-c", uri, g.name, "--text"], environment: ProcessInfo.processInfo.environment.merging(["FLEETTUI_SSH": wrapper]) { $1 }, timeout: 120)
        }
        #expect(r.status == 0, "stderr: \(r.err)")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for expected in g.expectText ?? [] { #expect(lines.contains(expected), "missing '\(expected)' in:\n\(r.out)") }
        let ran = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let sshPort = try #require(URLComponents(string: uri)?.port, "no port in \(uri)")
        #expect(ran.contains("-W 127.0.0.1:\(g.vncPort)") && ran.contains("-p \(sshPort)") && ran.contains("-l root"),
                "the display did not come through an ssh tunnel: '\(ran)'")
    }

    /// From the monitor: select the guest, `c` shows its console as text, Ctrl+] brings the table back.
    @Test func consoleFromTheMonitorAndBack() throws {
        let bed = try TestBed.load()
        let g = try guest(bed, "vgatext")
        let t = try Tmux(prefix: "console-e2e", width: 140, height: 40)
        try t.type("\(try FleetBinary.path()) -c \(bed.qemuURI) -d 1")
        try t.waitFor("the monitor with \(g.name)", timeout: 60) { $0.contains { $0.contains(" \(g.name) ") && $0.contains("running") } }
        try t.text("/\(g.name)")
        try t.keys("Enter")
        try t.waitFor("the filtered table", timeout: 10) { lines in
            lines.last?.hasPrefix("Filter:") == false && lines.last?.contains("/\(g.name)") == true
                && lines.contains { $0.contains(" \(g.name) ") }
        }
        try t.keys("c")
        try t.waitFor("the console of \(g.name) as text", timeout: 90) { lines in
            lines.contains { $0.contains("\(g.name) │ text") && $0.contains("Ctrl+] detach") }
        }
        try t.keys("C-]")
        let back = try t.waitFor("the monitor again", timeout: 15) { lines in
            lines.contains { $0.contains(" NAME") && $0.contains("STATE") } && lines.last?.contains("Detached from \(g.name)") == true
        }
        #expect(back.contains { $0.contains(" \(g.name) ") }, "the table shows the guest again")
        try t.keys("q")
        try shellIsBack(t)
    }

    /// The VNC server goes away mid-session (QEMU killed) and comes back on the same port: the console
    /// says it is reconnecting and shows the screen again by itself.
    @Test func consoleReconnectsWhenTheServerComesBack() throws {
        var qemu: QEMUVNCDisplay? = try QEMUVNCDisplay()
        let display = qemu!.display
        let xml = """
        <node><domain type='test'><name>console-restart</name><memory>65536</memory><os><type>hvm</type></os>
        <devices><graphics type='vnc' port='\(5900 + display)' autoport='no' listen='127.0.0.1'/></devices></domain></node>
        """
        let path = NSTemporaryDirectory() + "console-e2e-\(getpid())-restart.xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try Tmux(prefix: "console-e2e", width: 120, height: 32)
        try t.type("\(try FleetBinary.path()) console -c test://\(path) console-restart")
        try t.waitFor("the BIOS screen as text", timeout: 60) { lines in
            lines.contains { $0.contains("SeaBIOS") } && lines.contains { $0.contains("console-restart │ text") }
        }
        qemu?.kill()
        qemu = nil
        try t.waitFor("the console noticing", timeout: 30) { $0.last?.contains("reconnecting") == true || $0.last?.contains("disconnected") == true }
        qemu = try QEMUVNCDisplay(display: display)
        try t.waitFor("the screen back by itself", timeout: 60) { lines in
            lines.contains { $0.contains("SeaBIOS") } && lines.last?.contains("console-restart │ text") == true
        }
        try t.keys("C-]")
        try shellIsBack(t)
        _ = qemu
    }

    /// A libvirt guest is destroyed and started again (a new QEMU, and here a new VNC port: the old one is
    /// held meanwhile): the console waits while the domain is down, reads the new port from the domain XML
    /// and shows the screen again by itself.
    @Test func consoleFollowsItsGuestThroughARestartOnANewPort() throws {
        let bed = try TestBed.load()
        let name = "console-restart-\(getpid())"
        let xml = """
        <domain type='qemu'><name>\(name)</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
        <os><type arch='x86_64'>hvm</type></os><on_reboot>restart</on_reboot>
        <devices><emulator>/usr/bin/qemu-system-x86_64</emulator><controller type='usb' model='none'/>
        <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/><video><model type='vga'/></video>
        <memballoon model='none'/></devices></domain>
        """
        let file = NSTemporaryDirectory() + "\(name).xml"
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        let virsh = { (args: [String]) throws -> Spawn.Result in try Spawn.run("/usr/bin/virsh", ["-c", bed.qemuURI] + args, timeout: 60) }
        defer {
            _ = try? virsh(["destroy", name]); _ = try? virsh(["undefine", name])
            try? FileManager.default.removeItem(atPath: file)
        }
        let defined = try virsh(["define", file])
        try #require(defined.status == 0, "virsh define: \(defined.err)")
        let started = try virsh(["start", name])
        try #require(started.status == 0, "virsh start: \(started.err)")
        let firstPort = try vncPort(virsh, name)

        let t = try Tmux(prefix: "console-e2e", width: 120, height: 32)
        try t.type("\(try FleetBinary.path()) console -c \(bed.qemuURI) \(name)")
        try t.waitFor("the BIOS screen as text", timeout: 60) { lines in
            lines.contains { $0.contains("SeaBIOS") } && lines.last?.contains("\(name) │ text") == true
        }
        let destroyed = try virsh(["destroy", name])
        try #require(destroyed.status == 0, "virsh destroy: \(destroyed.err)")
        try t.waitFor("the console noticing", timeout: 30) { $0.last?.contains("reconnecting") == true }
        // Hold the old port, so libvirt's autoport gives the new QEMU another one.
        let holder = try Listener(port: firstPort)
        let again = try virsh(["start", name])
        try #require(again.status == 0, "virsh start again: \(again.err)")
        let secondPort = try vncPort(virsh, name)
        #expect(secondPort != firstPort, "autoport gave the same port \(firstPort) again")
        try t.waitFor("the screen back by itself from port \(secondPort)", timeout: 60) { lines in
            lines.contains { $0.contains("SeaBIOS") } && lines.last?.contains("\(name) │ text") == true
        }
        _ = holder
        try t.keys("C-]")
        try shellIsBack(t)
    }

    /// The domain's VNC port, from `virsh vncdisplay` ("127.0.0.1:2" is 5902).
    private func vncPort(_ virsh: ([String]) throws -> Spawn.Result, _ name: String) throws -> Int {
        let r = try virsh(["vncdisplay", name])
        let display = r.out.split(separator: "\n").first.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
        return 5900 + (try #require(display, "virsh vncdisplay: \(r.out) \(r.err)"))
    }

    @Test func unknownDomainIsOneClearLine() throws {
        let bed = try TestBed.load()
        let bin = try FleetBinary.path()
        let t = try Tmux(prefix: "console-e2e", width: 120, height: 30)
        try t.type("\(bin) console -c \(bed.qemuURI) console-no-such-domain; echo RC=$?")
        let screen = try t.waitFor("the error and exit status", timeout: 30) { $0.contains { $0.hasPrefix("RC=") } }
        #expect(screen.contains("RC=1"))
        let errors = screen.filter { $0.contains("console-no-such-domain") && !$0.hasPrefix(Tmux.prompt) }
        #expect(errors.count == 1, "\(screen)")
        #expect(errors.first?.contains("no domain console-no-such-domain") == true)
        try shellIsBack(t)
    }

    /// A test-driver domain whose VNC display is a broken server: garbage before the handshake ends.
    @Test func garbageServerGivesOneLineAndAWorkingTerminal() throws {
        let (server, uri) = try hostileDomain("garbage")
        defer { server.stop(grace: 2) }
        let t = try Tmux(prefix: "console-e2e", width: 120, height: 30)
        try t.type("\(try FleetBinary.path()) console -c \(uri) console-hostile --timeout 3; echo RC=$?")
        let screen = try t.waitFor("the error and exit status", timeout: 30) { $0.contains { $0.hasPrefix("RC=") } }
        #expect(screen.contains("RC=1"))
        #expect(screen.contains { $0.contains("VNC protocol error") }, "\(screen)")
        try shellIsBack(t)
    }

    /// A server that stalls in the middle of an update: the view stays usable and Ctrl+] gets out.
    @Test func stalledServerStillDetaches() throws {
        let (server, uri) = try hostileDomain("stall-mid-message")
        defer { server.stop(grace: 2) }
        let t = try Tmux(prefix: "console-e2e", width: 120, height: 30)
        try t.type("\(try FleetBinary.path()) console -c \(uri) console-hostile --timeout 3; echo RC=$?")
        try t.waitFor("the console status line", timeout: 30) { $0.contains { $0.contains("console-hostile") && $0.contains("Ctrl+] detach") } }
        Thread.sleep(forTimeInterval: 1)
        try t.keys("C-]")
        let screen = try t.waitFor("the exit status", timeout: 15) { $0.contains { $0.hasPrefix("RC=") } }
        #expect(screen.contains("RC=0"))
        try shellIsBack(t)
    }

    // MARK: helpers

    private func hostileDomain(_ scenario: String) throws -> (SpawnedProcess, String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ConsoleBridgeTests/Hostile/fake_rfb_server.py").path
        let p = try SpawnedProcess("/usr/bin/python3", [script, scenario, "60"], stdout: .pipe, stderr: .inherit)
        let line = p.readLine() ?? ""
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)))
        let xml = """
        <node><domain type='test'><name>console-hostile</name><memory>65536</memory><os><type>hvm</type></os>
        <devices><graphics type='vnc' port='\(port)' autoport='no' listen='127.0.0.1'/></devices></domain></node>
        """
        let path = NSTemporaryDirectory() + "console-e2e-\(getpid())-\(scenario).xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return (p, "test://\(path)")
    }

    private func run(_ exe: String, _ args: [String]) throws -> (Int32, String, String) {
        let r = try Spawn.run(exe, args, timeout: 180)
        return (r.status, r.out, r.err)
    }
}
