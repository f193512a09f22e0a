import Foundation
import Testing
import TestSupport

/// The real fleettui binary in tmux against the test bed (Tests/Bed/bed up): five libvirtd daemons on loopback
/// TCP serving 200 test-driver domains each, plus the real libvirtd with QEMU guests. A missing bed fails.
@Suite(.serialized) struct MonitorEndToEndTests {
    /// A fleet file naming every bed host, and a private config directory.
    struct Setup {
        let bed: TestBed
        let dir: URL
        let fleetFile: String
        let binary: String
        /// Hosts in the fleet file besides the bed's TCP hosts (a spare host to kill).
        let extra: [TestBed.TCPHost]

        init(extra: (TestBed) throws -> [TestBed.TCPHost] = { _ in [] }) throws {
            bed = try TestBed.load()
            self.extra = try extra(bed)
            binary = try FleetBinary.path()
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-e2e-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))")
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
            var toml = ""
            for h in bed.tcpHosts + self.extra { toml += "[[host]]\nname = \"\(h.name)\"\nuri = \"\(h.uri)\"\n\n" }
            toml += "[[host]]\nname = \"local\"\nuri = \"\(bed.qemuURI)\"\n"
            fleetFile = dir.appendingPathComponent("fleet.toml").path
            try toml.write(toFile: fleetFile, atomically: true, encoding: .utf8)
        }

        func start(_ extra: String = "", width: Int = 160, height: Int = 50, env: [String: String] = [:]) throws -> Tmux {
            var e = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
            for (k, v) in env { e[k] = v }
            let t = try Tmux(prefix: "monitor", width: width, height: height, environment: e)
            try t.type("\(Tmux.quote(binary)) --fleet \(Tmux.quote(fleetFile)) -d 1 \(extra)")
            return t
        }

        /// Waits until every host answered and the table has rows.
        @discardableResult
        func waitForFleet(_ t: Tmux) throws -> [String] {
            let hosts = bed.tcpHosts.count + extra.count + 1
            return try t.waitFor("all \(hosts) hosts answering", timeout: 60) { s in
                Setup.allAnswering(s, hosts: hosts) && MonitorScreenReader(lines: s).column("NAME", rightAligned: false, width: 8).count > 5
            }
        }

        /// Header "Hosts N up" or "Hosts N up, M slow" adding up to `hosts`, none down or still connecting.
        /// A slow host (a refresh longer than the 1 s delay: 200 domains on the per-domain path while the
        /// rest of the suite loads both cores) is answering; only its refreshes take longer.
        static func allAnswering(_ s: [String], hosts: Int) -> Bool {
            guard s.count > 2, s[1].hasPrefix("Hosts "), !s[1].contains("down"), !s[2].contains("CONNECTING") else { return false }
            let words = s[1].split(separator: " ")
            var total = 0
            for (i, w) in words.enumerated() where i > 0 {
                let next = words.indices.contains(i + 1) ? words[i + 1] : ""
                if let n = Int(w), next.hasPrefix("up") || next.hasPrefix("slow") { total += n }
                if w.hasPrefix("Domains") { break }
            }
            return total == hosts
        }

        func cleanup() { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func everyBedHostsRowsAppear() throws {
        let s = try Setup(); defer { s.cleanup() }
        let t = try s.start()
        try s.waitForFleet(t)
        for h in s.bed.tcpHosts {
            try t.text("/host:\(h.name)")
            // The status line shows the whole filter typed: before that, the top rows (ties keep host order)
            // can all be bed1's with the filter still empty.
            let screen = try t.waitFor("only \(h.name)'s rows", timeout: 10) { lines in
                let hosts = MonitorScreenReader(lines: lines).column("HOST", rightAligned: false, width: 8)
                return lines.last?.hasPrefix("Filter: host:\(h.name)_") == true && !hosts.isEmpty && hosts.allSatisfy { $0 == h.name }
            }
            #expect(screen.last?.contains("\(h.domains) match") == true, "status line: \(screen.last ?? "")")
            try t.keys("Escape")
            // Type on only once the Escape is seen to be handled: a busy frame (1,000 domains, debug build)
            // leaves ESC and the next '/' in the tty buffer together, which is what Alt+/ sends.
            try t.waitFor("the filter cleared", timeout: 10) { lines in
                lines.last.map { !$0.hasPrefix("Filter:") && !$0.contains("/host:") } ?? false
            }
        }
        // The QEMU guests of the real libvirtd are there too.
        try t.text("/host:local")
        try t.waitFor("the local QEMU guests", timeout: 10) { lines in
            let reader = MonitorScreenReader(lines: lines)
            return lines.last?.hasPrefix("Filter: host:local_") == true
                && reader.column("HOST", rightAligned: false, width: 8).allSatisfy { $0 == "local" }
                && reader.column("NAME", rightAligned: false, width: 8).contains { $0.hasPrefix("fleet-") }
        }
        try t.keys("Escape")
        try t.keys("q")
    }

    @Test func memorySortFilterDetailAndResize() throws {
        let s = try Setup(); defer { s.cleanup() }
        let t = try s.start()
        try s.waitForFleet(t)

        // M: by memory, largest first.
        try t.keys("M")
        let byMem = try t.waitFor("MEM sort", timeout: 5) { $0.contains { $0.contains("MEM▼") } }
        let mem = MonitorScreenReader(lines: byMem).column("MEM", rightAligned: true, width: 5).compactMap(MonitorScreenReader.bytes)
        #expect(mem.count > 20)
        #expect(mem == mem.sorted(by: >), "MEM column not descending: \(mem)")

        // /: incremental filter on the host column, Esc clears.
        try t.text("/bed2")
        let filtered = try t.waitFor("filter bed2", timeout: 5) { $0.last?.hasPrefix("Filter: bed2_") == true }
        let hosts = MonitorScreenReader(lines: filtered).column("HOST", rightAligned: false, width: 8)
        #expect(!hosts.isEmpty && hosts.allSatisfy { $0 == "bed2" }, "\(hosts)")
        try t.keys("Enter")

        // Enter: the detail of the selected domain.
        let name = MonitorScreenReader(lines: try t.screen()).column("NAME", rightAligned: false, width: 10).first ?? "?"
        try t.keys("Enter")
        let detail = try t.waitFor("the detail view", timeout: 5) { $0.contains { $0.hasPrefix(" DOMAIN ") && $0.contains(" on bed2") } }
        #expect(detail.contains { $0.contains("Recent (one column per refresh") })
        #expect(detail.contains { $0.hasPrefix(" Graphics console") || $0.hasPrefix(" Disks") })
        #expect(detail.contains { $0.contains(" DOMAIN \(name.replacingOccurrences(of: "…", with: ""))") })
        try t.keys("Escape")
        try t.keys("Escape")
        try t.waitFor("the unfiltered table", timeout: 5) { lines in
            Set(MonitorScreenReader(lines: lines).column("HOST", rightAligned: false, width: 8)).count > 1
        }

        // Resizing re-lays out at once: narrow drops columns, tiny shows a message, back again restores.
        try t.resize(width: 60, height: 20)
        let narrow = try t.waitFor("a 60-column layout", timeout: 5) { lines in
            lines.count == 20 && lines.contains { $0.contains(" NAME") && !$0.contains("TX/s") }
        }
        #expect(narrow.allSatisfy { $0.count <= 60 })
        try t.resize(width: 30, height: 8)
        try t.waitFor("the too-small message", timeout: 5) { $0.first?.hasPrefix("Terminal too small") == true }
        try t.resize(width: 160, height: 50)
        try t.waitFor("the full layout", timeout: 5) { $0.contains { $0.contains(" NAME") && $0.contains("TX/s") && $0.contains("TIME") } }

        // W writes the settings (sort by memory) to $XDG_CONFIG_HOME/fleettui/config.toml.
        try t.keys("W")
        try t.waitFor("the saved message", timeout: 5) { $0.last?.hasPrefix("Settings written to") == true }
        let saved = try String(contentsOf: s.dir.appendingPathComponent("config/fleettui/config.toml"), encoding: .utf8)
        #expect(saved.contains("sort = \"mem\""))

        // q leaves a clean shell: the normal screen is back, and the prompt is on the last line.
        try t.keys("q")
        try t.waitFor("the shell prompt", timeout: 10) { lines in
            lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) == true
        }
        #expect(try t.format("#{alternate_on}") == "0")
        let after = try t.screen()
        #expect(!after.contains { $0.contains("HOST") && $0.contains("STATE") }, "table left on the shell screen")
    }

    @Test func killedHostShowsDownWhileKeysStillWork() throws {
        // A spare host of its own: the other suites, running meanwhile, read every one of tcpHosts.
        let s = try Setup(extra: { [try $0.spareHost(1)] }); defer { s.cleanup() }
        let victim = s.extra[0]
        let t = try s.start()
        try s.waitForFleet(t)
        #expect(try s.bed.run(["kill-host", victim.name]) == 0)
        defer { _ = try? s.bed.run(["start-host", victim.name]) }

        let down = try t.waitFor("\(victim.name) down", timeout: 45) { lines in
            lines.count > 2 && lines[1].contains("1 down") && lines[2].contains("\(victim.name) DOWN")
        }
        #expect(down[2].hasPrefix("✖ \(victim.name) DOWN"), "down hosts come first: \(down[2])")
        // The UI keeps answering: the hosts view, then back.
        try t.keys("4")
        try t.waitFor("the hosts view", timeout: 3) { $0.contains { $0.contains("LATENCY") } }
        let hostsView = try t.screen()
        #expect(hostsView.contains { $0.hasPrefix(" \(victim.name) ") && $0.contains("down") })
        try t.keys("0")
        try t.waitFor("the domain table", timeout: 3) { $0.contains { $0.contains(" NAME") && $0.contains("STATE") } }
        // Its rows are still listed, marked stale ("!" in the first column).
        try t.text("/host:\(victim.name)")
        try t.waitFor("stale rows of \(victim.name)", timeout: 5) { lines in
            guard lines.last?.hasPrefix("Filter: host:\(victim.name)_") == true,
                  let h = MonitorScreenReader(lines: lines).headerIndex, lines.count > h + 1 else { return false }
            return lines[h + 1].hasPrefix("!")
        }
        try t.keys("Escape")

        #expect(try s.bed.run(["start-host", victim.name]) == 0)
        try t.waitFor("\(victim.name) back up", timeout: 60) { lines in
            Setup.allAnswering(lines, hosts: s.bed.tcpHosts.count + s.extra.count + 1)
        }
        try t.keys("q")
    }

    /// A +ssh host the user has no key for, on an sshd that would ask for a password: ssh must not prompt
    /// into the curses screen (nor take the keys); the host is down with ssh's reason, the rest goes on.
    @Test func sshHostWithoutAKeyNeverPromptsIntoTheScreen() throws {
        let bed = try TestBed.load()
        let keyed = try bed.sshURI()
        let noKey = String(keyed.prefix { $0 != "?" })   // the same sshd and user, no keyfile
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-ssh-\(getpid())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fleet = dir.appendingPathComponent("fleet.toml").path
        try "[[host]]\nname = \"local\"\nuri = \"\(bed.qemuURI)\"\n\n[[host]]\nname = \"nokey\"\nuri = \"\(noKey)\"\n"
            .write(toFile: fleet, atomically: true, encoding: .utf8)
        let t = try Tmux(prefix: "monitor-ssh", width: 160, height: 40,
                         environment: ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
        try t.type("\(Tmux.quote(try FleetBinary.path())) --fleet \(Tmux.quote(fleet)) -d 1")
        let down = try t.waitFor("nokey down, local up", timeout: 45) { lines in
            lines.count > 2 && lines[1].contains("1 down") && lines[1].contains("1 up") && lines[2].contains("nokey DOWN")
                || lines.contains { $0.lowercased().contains("password:") }
        }
        #expect(!down.contains { $0.lowercased().contains("password:") }, "ssh prompted into the screen:\n\(down.joined(separator: "\n"))")
        #expect(down[2].contains("Permission deni"), "ssh's reason is shown (cut to 50 columns there): \(down[2])")
        #expect(down.contains { $0.contains(" fleet-vga ") }, "the local host's guests are listed")
        // The keys still reach fleettui (a waiting ssh would have read them).
        try t.keys("4")
        try t.waitFor("the hosts view", timeout: 5) { $0.contains { $0.contains("LATENCY") } }
        try t.keys("q")
        try t.waitFor("the shell prompt", timeout: 10) { lines in
            lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) == true
        }
    }

    /// The SSH connection drops (here: the pane is killed): the monitor must end, not spin on a dead tty.
    @Test func aVanishedTerminalEndsTheMonitor() throws {
        let s = try Setup(); defer { s.cleanup() }
        let t = try Tmux(prefix: "monitor-hup", width: 100, height: 30,
                         environment: ["XDG_CONFIG_HOME": s.dir.appendingPathComponent("config").path])
        try t.type("exec \(Tmux.quote(s.binary)) --demo -d 1")
        try t.waitFor("the demo fleet", timeout: 30) { $0.first?.contains("demo fleet") == true }
        let pid = try #require(Int32(try t.format("#{pane_pid}")))
        try Tmux.run(["kill-session", "-t", t.name])
        let deadline = Date(timeIntervalSinceNow: 10)
        while kill(pid, 0) == 0 && Date() < deadline {
            // A zombie has exited; only a live process counts as still running.
            if let st = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), st.contains(") Z ") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        #expect(stat.isEmpty || stat.contains(") Z "), "fleettui still runs after its terminal went away: \(stat.prefix(80))")
    }

    @Test func noColorGivesAttributesOnlyAndThemesGiveColours() throws {
        let s = try Setup(); defer { s.cleanup() }
        let plain = try s.start(env: ["NO_COLOR": "1"])
        try s.waitForFleet(plain)
        let mono = try plain.screenWithAttributes()
        #expect(!mono.contains("[38;") && !mono.contains(";38;") && !mono.contains("[48;") && !mono.contains(";48;"), "colour escapes despite NO_COLOR")
        #expect(mono.contains("\u{1b}[7m") || mono.contains(";7m") || mono.contains("[7;"), "no reverse video for the header/selection")
        try plain.keys("q")

        let themed = try s.start("--theme high-contrast")
        try s.waitForFleet(themed)
        let colours = try themed.screenWithAttributes()
        #expect(colours.contains("38;") && colours.contains("48;"), "no colours with a theme")
        try themed.keys("q")
    }

    @Test func asciiWhenTheLocaleIsNotUTF8() throws {
        let s = try Setup(); defer { s.cleanup() }
        let t = try s.start(env: ["LANG": "C", "LC_ALL": "C"])
        let screen = try s.waitForFleet(t)
        #expect(screen.contains { $0.contains("%CPUv") })
        #expect(screen.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }, "non-ASCII on a C-locale screen")
        try t.keys("q")
    }
}
