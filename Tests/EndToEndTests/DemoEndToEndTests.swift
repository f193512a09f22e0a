import Foundation
import Testing
import TestSupport

/// The built-in demo, as a new user meets it, through the real binary in tmux: a living fleet, and a guest's
/// console served by the demo over VNC and read back as text, typed into, detached from, and read again by
/// `screen`. Each test has its own demo directory (XDG_RUNTIME_DIR), so nothing is shared with other runs.
@Suite(.serialized) struct DemoEndToEnd {
    init() {
        // The tmux server must not inherit a test's output pipe (see ConsoleEndToEnd).
        _ = try? Spawn.run("/usr/bin/tmux", ["-L", Tmux.socket, "-f", "/dev/null", "new-session", "-d", "-s",
                                             "demo-keeper-\(getpid())", "sleep", "900"],
                           stdout: .discard, stderr: .discard, timeout: 60)
    }

    struct Home {
        let path = "/tmp/fleettui-demo-e2e-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        init() throws {
            try FileManager.default.createDirectory(atPath: path + "/config", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            chmod(path, 0o700)
        }
        var environment: [String: String] { ["XDG_RUNTIME_DIR": path, "XDG_CONFIG_HOME": path + "/config"] }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    static func trailingTrimmed(_ s: String) -> String {
        var t = s
        while t.last == " " { t.removeLast() }
        return t
    }

    /// The top rows by %CPU (the default sort): (name, %CPU).
    static func topRows(_ lines: [String], _ n: Int) -> [(String, Double)] {
        let r = MonitorScreenReader(lines: lines)
        let names = r.column("NAME", rightAligned: false, width: 18), cpu = r.column("%CPU", rightAligned: true, width: 6)
        return zip(names, cpu).prefix(n).compactMap { name, c in Double(c).map { (name, $0) } }
    }

    @Test func theDemoLivesAndItsConsoleIsTextThatTypingReaches() throws {
        let home = try Home()
        defer { home.remove() }
        let bin = try FleetBinary.path()
        let t = try Tmux(prefix: "demo-e2e", width: 140, height: 45, environment: home.environment)
        try t.type("\(Tmux.quote(bin)) --demo -d 1")

        // A living fleet: the busiest guests differ from each other and their load moves from refresh to refresh.
        var seen: [[(String, Double)]] = []
        var clock = ""
        let deadline = Date(timeIntervalSinceNow: 60)
        while seen.count < 4 && Date() < deadline {
            let s = try t.waitFor("a refresh of the demo fleet", timeout: 30) { s in
                s.first?.contains("FleetTUI - demo fleet") == true && (clock.isEmpty || s.first?.hasSuffix(clock) == false)
                    && Self.topRows(s, 5).count == 5
            }
            clock = String(s[0].suffix(8))
            seen.append(Self.topRows(s, 5))
        }
        #expect(seen.count == 4, "four refreshes")
        for top in seen {
            // Different loads (two guests may meet at the table's 0.1 % now and then, never most of them), spread
            // out, sorted.
            #expect(Set(top.map(\.1)).count >= 4, "the five busiest show different loads: \(top)")
            #expect(top[0].1 >= 1.5 * top[4].1, "from busy to less busy: \(top)")
            #expect(top.map(\.1) == top.map(\.1).sorted(by: >), "sorted by %CPU: \(top)")
        }
        let first = seen.first!.map { "\($0.0) \($0.1)" }, last = seen.last!.map { "\($0.0) \($0.1)" }
        #expect(first != last, "the top of the table moved over three refreshes: \(first) → \(last)")

        // `c` on a demo guest: its console, as text, through VNC.
        try t.text("/web-frontend-1")
        try t.keys("Enter")
        try t.waitFor("the filtered table", timeout: 10) { lines in
            lines.last?.contains("/web-frontend-1") == true && lines.contains { $0.contains(" web-frontend-1 ") }
        }
        try t.keys("c")
        try t.waitFor("web-frontend-1's login prompt as text", timeout: 30) { lines in
            lines.contains { $0.contains("web-frontend-1 │ text") } && lines.contains { $0.hasPrefix("web-frontend-1 login:") }
        }
        try t.text("root")
        try t.keys("Enter")
        try t.waitFor("a shell prompt", timeout: 15) { $0.contains { $0.hasPrefix("root@web-frontend-1:~#") } }
        let word = "hi-\(UInt32.random(in: 0..<UInt32.max))"
        try t.text("echo \(word)")
        try t.keys("Enter")
        let console = try t.waitFor("'\(word)' echoed by the guest", timeout: 15) { lines in
            lines.contains { $0.trimmingCharacters(in: .whitespaces) == word }
        }
        let i = try #require(console.firstIndex { $0.trimmingCharacters(in: .whitespaces) == word })
        let block = console[(i - 1)...(i + 1)].map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(block == ["root@web-frontend-1:~# echo \(word)", word, "root@web-frontend-1:~#"])

        // Detach: the monitor again.
        try t.keys("C-]")
        try t.waitFor("the monitor again", timeout: 15) { $0.last?.contains("Detached from web-frontend-1") == true }

        // `screen --demo` reads the same screen (from the display this monitor serves).
        let r = try Spawn.run(bin, ["screen", "--demo", "web-frontend-1", "--text"],
                              environment: ProcessInfo.processInfo.environment.merging(home.environment) { $1 }, timeout: 60)
        #expect(r.status == 0, "stderr: \(r.err)")
        let printed = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(printed.suffix(4).prefix(3)) == block, "screen printed:\n\(r.out)")
        // Everything the console view showed of the guest is in what `screen` printed, line for line.
        let shown = console.dropLast().map(Self.trailingTrimmed).filter { !$0.isEmpty }
        let all = printed.filter { !$0.isEmpty }
        let mismatch = zip(all.suffix(shown.count), shown).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(2)
            .map { "line \($0.offset): screen '\($0.element.0)' console '\($0.element.1)'" }
        #expect(Array(all.suffix(shown.count)) == shown, "\(mismatch)")

        try t.keys("q")
        try t.waitFor("the shell prompt", timeout: 10) { lines in
            lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) == true
        }
    }

    /// `console --demo` straight onto a guest waiting in GRUB's menu (VGA text): the menu as text, the arrow keys
    /// move the highlight, Enter boots Linux on the same console down to its login prompt, Ctrl+] gives the
    /// shell back.
    @Test func consoleOnTheGuestInGRUBBootsIt() throws {
        let home = try Home()
        defer { home.remove() }
        let t = try Tmux(prefix: "demo-grub", width: 100, height: 30, environment: home.environment)
        try t.type("\(Tmux.quote(try FleetBinary.path())) console --demo grafana")
        try t.waitFor("GRUB's menu as text", timeout: 30) { lines in
            lines.contains { $0.contains("GNU GRUB  version 2.06") } && lines.contains { $0.hasPrefix(" │*Debian GNU/Linux ") }
                && lines.contains { $0.contains("grafana │ text 80x25") }
        }
        try t.keys("Down")
        try t.waitFor("the highlight on the second entry", timeout: 10) { $0.contains { $0.hasPrefix(" │*Advanced options") } }
        try t.keys("Up")
        try t.waitFor("the highlight back", timeout: 10) { $0.contains { $0.hasPrefix(" │*Debian GNU/Linux ") } }
        try t.keys("Enter")
        try t.waitFor("Linux booted to a login prompt", timeout: 30) { lines in
            lines.contains { $0.hasPrefix("grafana login:") } && lines.contains { $0.contains("Started grafana-server.service") }
        }
        try t.keys("C-]")
        try t.waitFor("the shell prompt", timeout: 10) { lines in
            lines.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix(Tmux.prompt) == true
        }
    }

    /// No hypervisor (libvirt's sockets hidden in a private mount namespace) and no --demo: the interactive
    /// monitor opens the demo fleet, and says so in its title.
    @Test func withNoHypervisorTheMonitorShowsTheDemoLabelled() throws {
        let home = try Home()
        defer { home.remove() }
        let bin = try FleetBinary.path()
        let t = try Tmux(prefix: "demo-nohv", width: 120, height: 30, environment: home.environment)
        try t.type("exec unshare -m --propagation private sh -c 'mount -t tmpfs none /run/libvirt && exec \"$0\" -d 1' \(Tmux.quote(bin))")
        let s = try t.waitFor("the demo fleet, labelled", timeout: 60) { s in
            s.first?.hasPrefix("FleetTUI - demo fleet") == true && s.contains { $0.contains(" web-frontend-1 ") }
        }
        #expect(s[2].contains("xen-demo") && s[2].contains("kvm-demo"))
        try t.keys("q")
    }
}
