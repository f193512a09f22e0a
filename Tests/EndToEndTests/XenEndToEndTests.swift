import Foundation
import Testing
import TestSupport

/// The real fleettui binary against the bed's real Xen host (Tests/Bed/xen): the PV framebuffer of xen-fb (fbcon
/// through qemu-xen's VNC server in dom0), reached through ssh (xen+ssh://: a tunnel into dom0) and through the port
/// forwarded from dom0 (xen+tcp://); and the monitor with a KVM host and the Xen host together, in tmux.
/// Skipped only when the bed was brought up with BED_XEN=0; in CI a missing Xen host fails them.
@Suite(.serialized, .enabled(if: TestBed.xenTestsEnabled, "the bed was brought up without its Xen host (BED_XEN=0)"))
struct XenEndToEndTests {
    init() {
        // As in ConsoleEndToEnd: start the tmux server with no pipes.
        _ = try? Spawn.run("/usr/bin/tmux", ["-L", Tmux.socket, "-f", "/dev/null", "new-session", "-d", "-s",
                                             "xen-keeper-\(getpid())", "sleep", "900"],
                           stdout: .discard, stderr: .discard, timeout: 60)
    }

    private func shellIsBack(_ t: Tmux) throws {
        try t.waitFor("the shell prompt after fleettui", timeout: 15) { lines in
            lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) ?? false
        }
        #expect(try t.format("#{alternate_on}") == "0", "the terminal was left in the alternate screen")
    }

    /// An ssh wrapper that logs how it was run (to see the tunnel), and its log.
    private func sshWrapper(_ tag: String) throws -> (wrapper: String, log: String) {
        let log = NSTemporaryDirectory() + "xen-e2e-\(getpid())-\(tag)-ssh.log"
        let wrapper = NSTemporaryDirectory() + "xen-e2e-\(getpid())-\(tag)-ssh"
        try Spawn.writeSSHWrapper(at: wrapper, log: log)
        return (wrapper, log)
    }

    /// `screen` prints the PV framebuffer's text exactly, through an ssh tunnel into dom0 (xen+ssh://) and through
    /// the forwarded port (xen+tcp://: the XML's listen 0.0.0.0 means the URI's host, 127.0.0.1).
    @Test(arguments: ["ssh", "tcp"])
    func screenPrintsThePVFramebuffersText(route: String) throws {
        let bed = try TestBed.load()
        try bed.withXen { xen in
            let g = try xen.guest("xen-fb")
            let uri = route == "ssh" ? xen.sshUri : xen.uri
            let (wrapper, log) = try sshWrapper(route)
            defer { try? FileManager.default.removeItem(atPath: log); try? FileManager.default.removeItem(atPath: wrapper) }
            let r = try bed.withGuest(named: g.name) {
                // --timeout: an ssh login into the emulated dom0 takes seconds, most of a minute on a loaded machine.
                try Spawn.run(FleetBinary.path(), ["screen", "-c", uri, g.name, "--text", "--timeout", "150"],
                              environment: ProcessInfo.processInfo.environment.merging(["FLEETTUI_SSH": wrapper]) { $1 }, timeout: 180)
            }
            #expect(r.status == 0, "stderr: \(r.err)")
            let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for expected in g.expectText ?? [] { #expect(lines.contains(expected), "missing '\(expected)' in:\n\(r.out)") }
            #expect(lines.contains { $0.hasPrefix(g.prompt ?? "xen-fb:/#") }, "no shell prompt in:\n\(r.out)")
            let ran = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if route == "ssh" {
                #expect(ran.contains("-W 127.0.0.1:\(g.vncPort ?? 0)") && ran.contains("-p \(xen.sshPort)"),
                        "the display did not come through an ssh tunnel into dom0: '\(ran)'")
            } else {
                #expect(ran.isEmpty, "xen+tcp:// must not use ssh: '\(ran)'")
            }
        }
    }

    /// `console` over xen+ssh://: type into the PV framebuffer's shell, read the answer back as text, detach.
    @Test func consoleOverSSHTypesIntoThePVFramebuffer() throws {
        let bed = try TestBed.load()
        try bed.withXen { xen in
            let g = try xen.guest("xen-fb")
            try bed.withGuest(named: g.name) {
                let t = try Tmux(prefix: "xen-e2e", width: 140, height: 50)
                try t.type("\(try FleetBinary.path()) console --timeout 150 -c \(Tmux.quote(xen.sshUri)) \(g.name)")
                try t.waitFor("the console of \(g.name) as text", timeout: 200) { lines in
                    lines.contains { $0.contains("\(g.name) │ text") && $0.contains("Ctrl+] detach") }
                }
                try echoRoundTrip(t, g, uri: xen.sshUri)
                try t.keys("C-]")
                try shellIsBack(t)
            }
        }
    }

    /// Types `echo hello-N` into the guest's shell and waits for the answer alone on its line; then `clear`, so
    /// the next reader of this screen (its banner is gone after the first command anyway) finds a tidy prompt.
    private func echoRoundTrip(_ t: Tmux, _ g: TestBed.XenHost.Guest, uri: String) throws {
        let word = "hello-\(UInt32.random(in: 0..<UInt32.max))"
        let before = try? VNCSocketProbe(tmux: t, port: g.vncPort ?? 0)
        try t.text("echo \(word)")
        try t.keys("Enter")
        do {
            try t.waitFor("'\(word)' echoed by \(g.name)", timeout: 90) { lines in
                lines.contains { $0.trimmingCharacters(in: .whitespaces) == word }
            }
        } catch {
            // Keys typed into this console were lost in CI (never in the direct console): say where. The console's
            // VNC socket counters (did the key events leave fleettui?) and what a second client sees (did they
            // reach the guest, whose picture this console might not be getting?).
            let after = try? VNCSocketProbe(tmux: t, port: g.vncPort ?? 0)
            let second = try? Spawn.run(FleetBinary.path(), ["screen", "-c", uri, g.name, "--text", "--timeout", "60"], timeout: 90)
            let shown = second?.out.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.suffix(3)
            throw Tmux.Failure(description: "\(error)\nconsole's VNC socket before typing: \(before?.description ?? "?"); after: \(after?.description ?? "?")"
                + "\na second client's view of \(g.name): \(shown.map { $0.joined(separator: " ⏎ ") } ?? "none") \(second?.err ?? "")")
        }
        // Leave the screen as the bed made it: `exit` respawns the shell, which clears and prints the banner.
        try t.text("exit")
        try t.keys("Enter")
        try t.waitFor("\(g.name)'s banner again", timeout: 90) { lines in
            lines.contains { $0.contains("FleetTUI test guest \(g.name)") } && !lines.contains { $0.contains(word) }
        }
    }

    /// The issue's end-to-end case: the monitor with a KVM host (qemu:///system) and the Xen host, sorted by CPU;
    /// the PV framebuffer guest's console opened from the table; a typed command echoed back as text; detach.
    @Test func monitorWithKVMAndXenSortByCPUThenThePVFramebufferConsole() throws {
        let bed = try TestBed.load()
        try bed.withXen { xen in
            let g = try xen.guest("xen-fb")
            try bed.withGuest(named: g.name) {
                let t = try Tmux(prefix: "xen-e2e", width: 160, height: 45)
                // -d 2: a refresh of the emulated dom0 takes over a second on a loaded machine; the host is then
                // `slow` (it answered, late), which is no failure here: both hosts' rows are what counts, none down.
                // The screen sampler is on (the SCREEN column): it pauses while the console has the terminal. Before
                // it did, keys typed into xen-fb's console opened from the monitor never reached the guest in 4 of 5
                // runs while the sampler kept looking at the same PV framebuffer (qemu-xen in dom0).
                try t.type("\(try FleetBinary.path()) -c \(bed.qemuURI) -c \(Tmux.quote(xen.uri)) -d 2")
                let first = try t.waitFor("both hosts and Domain-0", timeout: 120) { s in
                    s.count > 2 && s[1].hasPrefix("Hosts ") && !s[1].contains("down")
                        && s.contains { $0.contains(" Domain-0 ") } && s.contains { $0.contains(" fleet-vga ") }
                        && s.contains { $0.contains(" xen-busy ") } && s.contains { $0.contains(" \(g.name) ") }
                        // Rates need a second refresh: %CPU is "-" until then.
                        && MonitorScreenReader(lines: s).column("%CPU", rightAligned: true, width: 6).compactMap { Double($0) }.count >= 4
                }
                let kinds = Dictionary(uniqueKeysWithValues: zip(
                    MonitorScreenReader(lines: first).column("NAME", rightAligned: false, width: 12),
                    MonitorScreenReader(lines: first).column("VIRT", rightAligned: false, width: 6)))
                for n in ["Domain-0", "xen-busy", g.name] { #expect(kinds[n] == "PV", "\(n)'s kind: \(kinds[n] ?? "none")") }

                // P: by %CPU (virt-top's key; again reverses): busiest first. %CPU is the default sort: P twice.
                try t.keys("P")
                try t.waitFor("the %CPU sort reversed", timeout: 20) { lines in
                    MonitorScreenReader(lines: lines).headerIndex.map { lines[$0].contains("%CPU▲") } == true
                }
                try t.keys("P")
                // A capture can catch tmux between two draws: wait for the header's ▼ with the rows busiest first
                // (a sort that never comes is a timeout showing the screen).
                let byCPU = try t.waitFor("the %CPU sort, busiest first", timeout: 20) { lines in
                    let r = MonitorScreenReader(lines: lines)
                    let cpu = r.column("%CPU", rightAligned: true, width: 6).compactMap { Double($0) }
                    return r.headerIndex.map { lines[$0].contains("%CPU▼") } == true && cpu.count >= 4 && cpu == cpu.sorted(by: >)
                }
                let cpu = MonitorScreenReader(lines: byCPU).column("%CPU", rightAligned: true, width: 6).compactMap { Double($0) }
                #expect(cpu.count >= 4 && cpu == cpu.sorted(by: >), "%CPU column not descending: \(cpu)")

                // Select the PV framebuffer guest (filter), `c` opens its console.
                try t.text("/\(g.name)")
                try t.keys("Enter")
                try t.waitFor("the filtered table", timeout: 10) { lines in
                    lines.last?.contains("/\(g.name)") == true && MonitorScreenReader(lines: lines).column("NAME", rightAligned: false, width: 8) == [g.name]
                }
                try t.keys("c")
                try t.waitFor("the console of \(g.name) as text", timeout: 120) { lines in
                    lines.contains { $0.contains("\(g.name) │ text") && $0.contains("Ctrl+] detach") }
                }
                try echoRoundTrip(t, g, uri: xen.uri)
                try t.keys("C-]")
                try t.waitFor("the monitor again", timeout: 20) { lines in
                    lines.contains { $0.contains(" NAME") && $0.contains("STATE") } && lines.last?.contains("Detached from \(g.name)") == true
                }
                try t.keys("q")
                try shellIsBack(t)
            }
        }
    }
}

/// The TCP counters of the VNC connection of the fleettui running in a tmux pane (ss -tnpi): bytes sent and received.
private struct VNCSocketProbe: CustomStringConvertible {
    var pid: Int32
    var sent: Int
    var received: Int
    var description: String { "fleettui pid \(pid): \(sent) bytes sent, \(received) received" }

    init(tmux: Tmux, port: Int) throws {
        let shell = try tmux.format("#{pane_pid}")
        let child = try Spawn.run("/usr/bin/pgrep", ["-P", shell, "-x", "fleettui"], timeout: 10).out
        guard let pid = Int32(child.split(separator: "\n").first ?? "") else { throw Tmux.Failure(description: "no fleettui in the pane") }
        let ss = try Spawn.run("/usr/bin/ss", ["-tnpiH", "dst", "127.0.0.1:\(port)"], timeout: 10).out
        let lines = ss.split(separator: "\n").map(String.init)
        guard let i = lines.firstIndex(where: { $0.contains("pid=\(pid),") }), i + 1 < lines.count else {
            throw Tmux.Failure(description: "no VNC connection of pid \(pid) to port \(port)")
        }
        func counter(_ name: String) -> Int {
            guard let r = lines[i + 1].range(of: name + ":") else { return -1 }
            return Int(lines[i + 1][r.upperBound...].prefix { $0.isNumber }) ?? -1
        }
        self.pid = pid
        sent = counter("bytes_sent")
        received = counter("bytes_received")
    }
}
