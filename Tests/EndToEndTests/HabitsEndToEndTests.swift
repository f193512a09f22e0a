import Foundation
import Testing
import TestSupport

/// virt-top's habits and the colour rule, through the real binary in tmux on the built-in demo fleet (no bed):
/// -1..-4, N/A/B, --no-init-file and W, --end-time, --colors and NO_COLOR in the monitor, `render` in a pipe.
@Suite(.serialized) struct HabitsEndToEndTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("habits-e2e-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config/fleettui"), withIntermediateDirectories: true)
    }

    /// An SGR sequence setting a foreground or background colour (30-38, 40-48, 90-97, 100-107).
    static func hasColour(_ s: String) -> Bool {
        s.contains(/\x1B\[(?:[0-9]+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/)
    }

    func start(_ args: String, env: [String: String] = [:]) throws -> Tmux {
        var e = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
        for (k, v) in env { e[k] = v }
        let t = try Tmux(prefix: "habits", width: 160, height: 40, environment: e)
        try t.type("\(Tmux.quote(try FleetBinary.path())) --demo -d 1 \(args)")
        return t
    }

    func waitForTable(_ t: Tmux) throws -> [String] {
        try t.waitFor("the demo fleet's table", timeout: 60) { s in s.count > 4 && s[3].contains("NAME") && s.contains { $0.contains("xen-demo") } }
    }

    @Test func startViewsFollowVirtTopsNumberFlags() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        for (flag, marker) in [("-1", "PHYSICAL CPUS"), ("-2", "IFACE"), ("-3", "RDREQ/s"), ("-4", "HYPERV")] {
            let t = try start(flag)
            try t.waitFor("the view of \(flag)", timeout: 60) { s in s.count > 3 && s[3].contains(marker) }
            try t.keys("q")
            try t.waitFor("the shell", timeout: 20) { $0.contains { $0.hasPrefix(Tmux.prompt) } }
        }
    }

    @Test func nSortsByIDaByNameAndBSwitchesBlockUnits() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try start("--columns id,name,state,rd,wr")
        _ = try waitForTable(t)
        try t.keys("N")
        var s = try t.waitFor("sorted by ID", timeout: 20) { $0.last?.hasSuffix("ID▼") == true }
        let ids = MonitorScreenReader(lines: s).column("ID", rightAligned: true, width: 5).compactMap { Int($0) }
        #expect(ids.count > 5 && ids == ids.sorted(by: >), "\(ids)")
        try t.keys("A")
        s = try t.waitFor("sorted by name", timeout: 20) { $0.last?.hasSuffix("NAME▲") == true }
        try t.keys("B")
        s = try t.waitFor("block I/O in requests", timeout: 20) { $0.count > 3 && $0[3].contains("RDRQ/s") && $0[3].contains("WRRQ/s") }
        #expect(!s[3].contains("RD/s "))
        try t.keys("B")
        try t.waitFor("block I/O in bytes", timeout: 20) { $0.count > 3 && $0[3].contains("RD/s") && !$0[3].contains("RDRQ") }
        try t.keys("q")
    }

    @Test func noInitFileIgnoresTheSettingsAndTurnsWOff() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config/fleettui/config.toml")
        try "sort = \"name\"\ncolumns = [\"name\", \"uuid\"]\n".write(to: config, atomically: true, encoding: .utf8)
        let t = try start("--no-init-file")
        let s = try waitForTable(t)
        #expect(s[3].contains("%CPU") && !s[3].contains("UUID"), "config.toml was read: \(s[3])")
        try t.keys("W")
        try t.waitFor("W refused", timeout: 20) { $0.last?.contains("W is off") == true }
        try t.keys("q")
        #expect(try String(contentsOf: config, encoding: .utf8) == "sort = \"name\"\ncolumns = [\"name\", \"uuid\"]\n", "W wrote the file")
        // Without the flag the file counts.
        let u = try start("")
        let s2 = try waitForTable(u)
        #expect(s2[3].contains("UUID"), "\(s2[3])")
        try u.keys("q")
    }

    @Test func endTimeEndsTheMonitor() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try start("--end-time +3")
        _ = try waitForTable(t)
        let s = try t.waitFor("the monitor to end by itself", timeout: 30) { $0.last { !$0.isEmpty }?.hasPrefix(Tmux.prompt) == true }
        #expect(try t.format("#{alternate_on}") == "0", "\(s)")
    }

    @Test func monitorColoursFollowTheRule() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        func escapes(_ args: String, env: [String: String] = [:]) throws -> String {
            let t = try start(args, env: env)
            _ = try waitForTable(t)
            let out = try t.screenWithAttributes()
            try t.keys("q")
            return out
        }
        let never = try escapes("--colors never")
        #expect(!Self.hasColour(never), "colours with --colors never")
        let forced = try escapes("--colors 256 --theme high-contrast", env: ["NO_COLOR": "1"])
        #expect(Self.hasColour(forced), "--colors 256 is explicit: it wins over NO_COLOR")
        let eight = try escapes("--colors 8 --theme high-contrast")
        #expect(!eight.contains("38;5;") && !eight.contains("38;2;"), "more than 8 colours with --colors 8")
    }

    @Test func renderAndBatchInATerminalAndInAPipe() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let frame = DocsEndToEndTests.repo.appendingPathComponent("Tests/ConsoleCoreTests/Fixtures/fbcon-1024x768.ppm.gz").path
        let bin = try FleetBinary.path()
        // A pipe: no colours unless asked for.
        #expect(!(try Spawn.run(bin, ["render", frame, "--ansi"], timeout: 60).out.contains("\u{1B}")))
        #expect(try Spawn.run(bin, ["render", frame, "--ansi", "--colors", "16"], timeout: 60).out.contains("\u{1B}["))
        // A terminal: colours, unless NO_COLOR.
        for (env, coloured) in [([String: String](), true), (["NO_COLOR": "1"], false)] {
            let t = try Tmux(prefix: "habits-render", width: 160, height: 60, environment: env)
            try t.type("\(Tmux.quote(bin)) render \(Tmux.quote(frame)) --ansi; \(Tmux.quote(bin)) --demo -b -n 1 -d 0.3; echo DONE-$?")
            _ = try t.waitFor("render and batch", timeout: 60) { $0.contains("DONE-0") }
            let out = try t.screenWithAttributes()
            #expect(Self.hasColour(out) == coloured, "env \(env): \(out.prefix(300))")
        }
    }
}
