import Collectors
import ConsoleBridge
import Foundation
import FleetCore
import ScreenSampler
import Testing
import TestSupport

/// The screen sampler against the real bed: the state guests (Tests/Bed/screens: a kernel panic, GRUB menus, a
/// login prompt, a shell, a blanked console, a picture, an e2fsck question) drawn by the real software, read over
/// VNC, classified; displays that refuse, hang or want a password; ssh tunnels sharing one connection.
@Suite(.serialized) struct ScreenSamplerBedTests {
    static func target(_ name: String, port: Int, host: String = "bed", uri: String = "qemu:///system", index: Int = 0) -> ScreenTarget {
        ScreenTarget(key: DomainKey(hostID: host, uuid: "00000000-0000-4000-8000-\(String(format: "%012d", index))"),
                     hostName: host, hostURI: uri, domainName: name,
                     graphics: GraphicsInfo(type: "vnc", port: port, listen: "127.0.0.1"), graphicsIndex: 0, lifecycle: "1")
    }

    static func options(timeout: Double = 10) -> ScreenSampler.Options {
        var s = ScreenSettings()
        s.timeout = timeout
        s.concurrency = 4
        s.perHost = 4
        var o = ScreenSampler.Options(settings: s)
        o.look.graphicsFD = false
        return o
    }

    /// Every state a guest of the bed shows is recognised, with the line that decided it; the bed's ordinary guests
    /// (a banner and a shell prompt) are at a shell.
    @Test func everyStateGuestIsRecognisedWithItsLine() throws {
        let bed = try TestBed.load()
        #expect(Set(bed.stateGuests.map(\.state)).isSuperset(of: ["panic", "grub", "login", "shell", "blank", "picture", "fsck"]))
        var targets = bed.stateGuests.enumerated().map { Self.target($1.name, port: $1.vncPort, index: $0) }
        let others = bed.guests + bed.uefiGuests   // banners and shell prompts; OVMF at its UEFI shell and its setup
        targets += others.enumerated().map { Self.target($1.name, port: $1.vncPort, index: 100 + $0) }
        // scr-login is rebooted by the `wait` test, the others' guests are typed into: hold them while reading.
        let screens = try bed.withGuests(named: ["scr-login"] + others.map(\.name)) { ScreenSampler.sweep(targets, options: Self.options()) }
        for g in bed.stateGuests {
            let s = try #require(screens.first { $0.domainName == g.name })
            #expect(s.state.name == g.state, "\(g.name): \(s.state) from \(s.observation)")
            if !g.expectLine.isEmpty {
                let line = try #require(s.state.line, "\(g.name): no deciding line")
                #expect(try ScreenPattern(g.expectLine).matches(line), "\(g.name): deciding line '\(line)'")
            }
        }
        for g in others {
            let s = try #require(screens.first { $0.domainName == g.name })
            if g.mode.hasPrefix("uefi-shell") {
                // The OVMF guest at the UEFI shell (the firmware's own font, read as text).
                #expect(s.state.name == "uefi" && s.state.severity == .warning, "\(g.name): \(s.state)")
                #expect(s.text?.lines.contains { $0.hasPrefix("UEFI Interactive Shell") } == true, "\(g.name): \(s.observation)")
            } else if g.mode.hasPrefix("uefi-setup") {
                // The OVMF guest at its setup front page, at 1024x768 (100x31 text).
                #expect(s.state.name == "uefi" && s.state.severity == .warning, "\(g.name): \(s.state)")
                #expect(s.text?.lines.contains { $0.contains("Boot Maintenance Manager") } == true, "\(g.name): \(s.observation)")
            } else {
                #expect(s.state.name == "shell" && s.state.line == g.prompt, "\(g.name): \(s.state)")
                #expect(s.text?.lines.contains("FleetTUI test guest \(g.name)") == true)
            }
        }
    }

    /// A display that refuses, one that hangs (accepts, never speaks) and one that wants a password are each reported
    /// as such, within the look's timeout, while the real guests' screens are read at once; never a password prompt.
    @Test func refusedHungAndLockedDisplaysDoNotDelayTheOthers() throws {
        let bed = try TestBed.load()
        let refusedPort = Ports.free()
        let hungPort = Ports.free()
        let hung = try Listener(port: hungPort)
        let locked = try QEMUVNCDisplay(vncOptions: "password-secret=pw0", objects: ["secret,id=pw0,data=s3cret"])
        defer { withExtendedLifetime(hung) {} }
        let shell = try bed.stateGuest("shell"), panic = try bed.stateGuest("panic")
        // One host: the per-host limit (2) is shared by the bad displays and the good ones.
        var o = Self.options(timeout: 4)
        o.settings.perHost = 2
        o.settings.concurrency = 2
        let targets = [Self.target("hung", port: hungPort, index: 1), Self.target("refused", port: refusedPort, index: 2),
                       Self.target("locked", port: locked.port, index: 3), Self.target(shell.name, port: shell.vncPort, index: 4),
                       Self.target(panic.name, port: panic.vncPort, index: 5)]
        let t0 = Date()
        let screens = ScreenSampler.sweep(targets, options: o)
        let wall = Date().timeIntervalSince(t0)
        func s(_ n: String) throws -> DomainScreen { try #require(screens.first { $0.domainName == n }) }
        let h = try s("hung"), r = try s("refused"), l = try s("locked"), sh = try s(shell.name), pa = try s(panic.name)
        #expect(h.state.name == "unreachable" && (h.state.line ?? "").contains("no picture within"), "\(h.state)")
        #expect(r.state.name == "unreachable" && (r.state.line ?? "").contains("refused"), "\(r.state)")
        #expect(l.state.name == "locked" && (l.state.line ?? "").contains("password"), "\(l.state)")
        #expect(sh.state.name == "shell" && pa.state.name == "panic")
        // The hung display held one of the two slots for its 4 s; everything else went through the other.
        for other in [sh, pa, r, l] { #expect(other.seenAt < h.seenAt, "\(other.domainName) waited for the hung display") }
        #expect(wall < 4 + 6, "sweep took \(wall) s")
    }

    /// Paused (the monitor's console has the terminal): no look starts, even at a screen focused every 0.3 s;
    /// resumed: the looks go on at once.
    @Test func aPausedSamplerLeavesTheDisplaysAlone() throws {
        let bed = try TestBed.load()
        let panic = try bed.stateGuest("panic")
        let target = Self.target(panic.name, port: panic.vncPort, index: 7)
        let sampler = ScreenSampler(options: Self.options())
        sampler.start()
        defer { sampler.stop() }
        sampler.setTargets([target])
        sampler.focus([target.key], period: 0.3)
        func waitForLooks(_ n: Int, within seconds: Double) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end { if sampler.completedLooks >= n { return true }; Thread.sleep(forTimeInterval: 0.05) }
            return false
        }
        #expect(waitForLooks(2, within: 60), "no looks at \(panic.name)")
        sampler.pause(true)
        Thread.sleep(forTimeInterval: 6)   // a look under way finishes (5 s at most)
        let paused = sampler.completedLooks
        Thread.sleep(forTimeInterval: 3)
        #expect(sampler.completedLooks == paused, "\(sampler.completedLooks - paused) looks while paused")
        sampler.pause(false)
        #expect(waitForLooks(paused + 2, within: 30), "no looks after resuming")
        #expect(sampler.latest().screens[target.key]?.state.name == "panic")
    }

    /// Stats and screens together (the monitor's source): a hung display never delays the stats refreshes, and the
    /// sampler follows the collectors' running domains (a test-driver host whose domains' displays are a hung
    /// socket and a real guest).
    @Test func aHungDisplayNeverDelaysTheStats() throws {
        let bed = try TestBed.load()
        let shell = try bed.stateGuest("shell")
        let hungPort = Ports.free()
        let hung = try Listener(port: hungPort)
        defer { withExtendedLifetime(hung) {} }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sampler-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let xml = dir.appendingPathComponent("fleet.xml").path
        func dom(_ name: String, _ uuid: String, _ port: Int) -> String {
            "<domain type='kvm'><name>\(name)</name><uuid>\(uuid)</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc' port='\(port)' autoport='no' listen='127.0.0.1'/></devices></domain>"
        }
        try ("<node><cpu><mode>4</mode><nodes>1</nodes><sockets>1</sockets><cores>4</cores><threads>1</threads><active>4</active><mhz>2000</mhz><model>x86_64</model></cpu><memory>8388608</memory>"
             + dom("stuck", "11111111-1111-4111-8111-111111111111", hungPort)
             + dom("good", "22222222-2222-4222-8222-222222222222", shell.vncPort) + "</node>").write(toFile: xml, atomically: true, encoding: .utf8)
        let base = LibvirtFleet(hosts: [HostConfig(name: "t", uri: "test://\(xml)")], interval: 0.3)
        var o = Self.options(timeout: 8)
        o.settings.perHost = 1   // the worst case: the hung display holds the host's only slot
        let fleet = ScreenedFleet(base: base, sampler: ScreenSampler(options: o))
        fleet.start {}
        defer { fleet.stop() }
        // While the hung look takes its 8 s, the stats go on refreshing every 0.3 s.
        let t0 = Date()
        var refreshes: [UInt64] = []
        while Date().timeIntervalSince(t0) < 6 {
            refreshes.append(fleet.latest().hosts.first?.refreshCount ?? 0)
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect((refreshes.last ?? 0) >= 10, "stats refreshes during a hung look: \(refreshes)")
        // Then the good display, after the hung one gave up its slot.
        let deadline = Date().addingTimeInterval(30)
        var snap = fleet.latest()
        while Date() < deadline && !(snap.domains.contains { $0.sample.name == "good" && $0.screen != nil }
                                      && snap.domains.contains { $0.sample.name == "stuck" && $0.screen != nil }) {
            Thread.sleep(forTimeInterval: 0.2)
            snap = fleet.latest()
        }
        #expect(snap.domains.first { $0.sample.name == "good" }?.screen?.state.name == "shell")
        #expect(snap.domains.first { $0.sample.name == "stuck" }?.screen?.state.name == "unreachable")
    }

    /// Over a qemu+ssh:// host every display comes through ssh, and all the tunnels share one ssh connection (one
    /// master, seen through a wrapper that logs how ssh was run), as many as there are displays.
    @Test func tunnelsToOneHostShareOneSSHConnection() throws {
        let bed = try TestBed.load()
        let uri = try bed.sshURI()
        let dir = NSTemporaryDirectory() + "sampler-ssh-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/ssh.log", wrapper = dir + "/ssh"
        try Spawn.writeSSHWrapper(at: wrapper, log: log)
        let guests = bed.stateGuests.filter { ["panic", "grub", "login", "shell", "fsck"].contains($0.state) }
        let targets = guests.enumerated().map { Self.target($1.name, port: $1.vncPort, host: "ssh-bed", uri: uri, index: $0) }
        let mux = SSHMultiplexer(program: wrapper)
        let screens = try bed.withGuest(named: "scr-login") { ScreenSampler.sweep(targets, options: Self.options(), ssh: mux) }
        #expect(mux.masterCount == 1)
        mux.closeAll()
        for g in guests {
            let s = try #require(screens.first { $0.domainName == g.name })
            #expect(s.state.name == g.state, "\(g.name) over ssh: \(s.state)")
            #expect(s.route.hasPrefix("ssh "), "\(s.route)")
        }
        let ran = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let lines = ran.split(separator: "\n")
        #expect(lines.filter { $0.contains("-M ") }.count == 1, "masters: \(ran)")
        #expect(lines.filter { $0.contains(" -W 127.0.0.1:") }.count == guests.count, "tunnels: \(ran)")
        #expect(lines.filter { $0.contains(" -W ") }.allSatisfy { $0.contains("-S ") }, "a tunnel not through the master: \(ran)")
    }
}
