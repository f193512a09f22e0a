import Testing
@testable import FleetCore

/// Drawing is a pure function into a CellBuffer: these compare the text of whole screens.
@Suite struct ViewRenderTests {
    typealias F = ViewFixtures

    @Test func flatTableAt60Columns() {
        let lines = F.render(MonitorState(), F.table(F.small), width: 60, height: 12)
        #expect(lines == [
            "FleetTUI - demo fleet             delay 3s  updated 12:00:00",
            "Hosts 2 up  Domains 5  CPU 108.3%  Mem 7.3G/16G (45%)",
            "● alpha  ● beta",
            " HOST     NAME       STATE    VCPU  %CPU▼   MEM  %MEM",
            " alpha    db-1       running     4   80.0  4.0G  50.0",
            " alpha    web-1      running     1   12.5  1.0G  12.5",
            " beta     web-2      running     1   12.5  2.0G  25.0",
            " beta     cache      running     1    3.3  256M   3.1",
            " alpha    idle       shutoff     2      -  512M     -",
            "",
            "",
            "F1 Help  Enter Detail  / Filter  F Sort  g Group  1-5  %CPU▼",
        ])
    }

    @Test func wideTableShowsEveryColumnAndTheStateBreakdown() {
        let lines = F.render(MonitorState(), F.table(F.small), width: 100, height: 10)
        #expect(lines[1] == "Hosts 2 up  Domains 5 (4 running, 1 shutoff)  CPU 108.3%  Mem 7.3G/16G (45%)")
        #expect(lines[3] == " HOST     NAME       STATE    VIRT  VCPU  %CPU▼   MEM  %MEM  RD/s  WR/s  RX/s  TX/s     TIME")
        #expect(lines[4] == " alpha    db-1       running  KVM      4   80.0  4.0G  50.0     -     -     -     -  1:02:03")
        #expect(lines[6] == " beta     web-2      running  PV       1   12.5  2.0G  25.0     -     -     -     -  0:01.00")
    }

    @Test func groupedAtTheSmallestSize() {
        var s = MonitorState()
        s.grouped = true
        let lines = F.render(s, F.table(F.small, grouped: true), width: 40, height: 10)
        #expect(lines == [
            "FleetTUI - demo fleet        3s 12:00:00",
            "Hosts 2 up  Domains 5  CPU 108.3%  Mem 7",
            "● alpha  ● beta",
            " NAME       STATE     %CPU▼   MEM",
            "▾alpha (3)  up         92.5  5.0G",
            " db-1       running    80.0  4.0G",
            " web-1      running    12.5  1.0G",
            " idle       shutoff       -  512M",
            "▾beta (2)   up         15.8  2.3G",
            "F1 Help  Enter Detail  / F %CPU▼ grouped",
        ])
    }

    @Test func tooSmallShowsAMessage() {
        let lines = F.render(MonitorState(), F.table(F.small), width: 39, height: 10)
        #expect(lines[0] == "Terminal too small (39x10); need 40x10")
        #expect(F.render(MonitorState(), F.table(F.small), width: 80, height: 9)[0] == "Terminal too small (80x9); need 40x10")
    }

    /// A down host is named first in the header with its error; its domains are marked stale; escape sequences in
    /// names are shown escaped, and cut with an ellipsis.
    static func troubled() -> FleetSnapshot {
        var rows = F.small.domains
        rows[0].stale = true
        rows[0].sample.name = "evil\u{1b}[31mname"
        var hosts = F.small.hosts
        hosts[1].state = .down; hosts[1].lastError = "Connection refused"
        hosts[0].pcpuPercent = [10, 50, 99.5, 0, 25]
        return F.snapshot(rows, hosts: hosts)
    }

    @Test func downHostsStaleRowsAndEscapedNames() {
        let lines = F.render(MonitorState(), F.table(Self.troubled()), width: 80, height: 12)
        #expect(lines[1] == "Hosts 1 up, 1 down  Domains 5  CPU 108.3%  Mem 7.3G/16G (45%)")
        #expect(lines[2] == "✖ beta DOWN: Connection refused  ● alpha")
        #expect(lines[5] == "!alpha    evil\\e[31… running     1   12.5  1.0G  12.5     -     -     -  1:01.50")
        for line in lines { #expect(!line.contains("\u{1b}")) }
    }

    @Test func downHostsComeBeforeSlowOnesThenTheFleetOrder() {
        let hosts = [F.host("a"), F.host("b", .slow), F.host("c"), F.host("d", .down, error: "refused"), F.host("e", .down)]
        let lines = F.render(MonitorState(), F.table(F.snapshot([], hosts: hosts)), width: 100, height: 12)
        #expect(lines[2] == "✖ d DOWN: refused  ✖ e DOWN  ✖ b SLOW  ● a  ● c")
    }

    @Test func asciiFallbacksWhenTheLocaleIsNotUTF8() {
        let lines = F.render(MonitorState(), F.table(Self.troubled()), width: 80, height: 12, glyphs: .ascii)
        #expect(lines[2] == "X beta DOWN: Connection refused  + alpha")
        #expect(lines[3].contains("%CPUv"))
        #expect(lines[5].contains("evil\\e[31~"))
        for line in lines { #expect(line.utf8.allSatisfy { $0 < 0x80 }, "non-ASCII in: \(line)") }
    }

    @Test func hostsView() {
        var s = MonitorState(); s.view = .hosts
        var snap = Self.troubled()
        snap.hosts[0].hypervisor = "Xen"; snap.hosts[0].hypervisorVersion = "4.17"
        let lines = F.render(s, F.table(snap), width: 80, height: 12)
        #expect(lines[3] == " HOST     STATE      HYPERV     CPUS MEMORY  DOMS   RUN COMMIT OVERC LATENCY LA…")
        #expect(lines[4] == " alpha    up         Xen 4.17      4   8.0G     3     2   5.0G 0.63x       - te…")
        #expect(lines[5] == " beta     down       TEST          4   8.0G     2     2   2.3G 0.28x       - Co…")
    }

    @Test func physicalCPUView() {
        var s = MonitorState(); s.view = .pcpus
        let lines = F.render(s, F.table(Self.troubled()), width: 80, height: 12)
        #expect(Array(lines[3...8]) == [
            " PHYSICAL CPUS (busy % over the last interval)",
            " alpha  up  4 CPUs",
            "   0 [||        10.0%]   1 [||||||||  50.0%]   2 [||||||||||99.5%]",
            "   3 [           0.0%]   4 [||||      25.0%]",
            " beta  down  4 CPUs",
            "   physical CPU statistics unavailable",
        ])
    }

    @Test func detailWithSparklinesDevicesAndConsole() {
        var rows = F.small.domains
        rows[1].sample.disks = [DeviceCounters(name: "vda")]
        rows[1].sample.nics = [DeviceCounters(name: "vnet0")]
        var nic = DeviceRates(); nic.rxBytesPerSec = 2048
        rows[1].rates.perNIC["vnet0"] = nic
        var d = DomainDescription()
        d.graphics = [GraphicsInfo(type: "vnc", port: 5901, listen: "127.0.0.1", passwordSet: true)]
        d.disks = [DiskInfo(target: "vda", bus: "virtio", source: "/img/a.qcow2", device: "disk")]
        d.nics = [NICInfo(target: "vnet0", mac: "52:54:00:00:00:01", model: "virtio", source: "br0")]
        rows[1].description = d
        var hist = FleetHistory()
        for g in 1...8 {
            var r = rows; r[0].rates.cpuPercent = Double(g) * 10
            hist.record(F.snapshot(r, hosts: F.small.hosts, generation: UInt64(g)))
        }
        var s = MonitorState(); s.view = .detail; s.detailKey = rows[0].sample.key
        var t = F.table(F.snapshot(rows, hosts: F.small.hosts, generation: 8))
        var lines = F.render(s, t, width: 60, height: 30, glyphs: .ascii, history: hist)
        #expect(lines[3] == " DOMAIN web-1 on alpha")
        #expect(lines[13] == " CPU %    " + String(repeating: " ", count: 22) + ".,-~~=*# 80.0 max 80.0")
        s.detailKey = rows[1].sample.key
        t = F.table(F.snapshot(rows, hosts: F.small.hosts, generation: 9))
        lines = F.render(s, t, width: 80, height: 30, history: hist)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("   vda    rd -/s wr -/s req -/- alloc -/-  virtio disk /img/a.qcow2"))
        #expect(text.contains("   vnet0  rx 2.0K/s tx -/s pkt -/- errs - drops -  52:54:00:00:00:01 virtio on b"))
        #expect(text.contains("   vnc 127.0.0.1:5901, password set"))
    }

    @Test func helpListsEveryKeyTheStateHandles() {
        let text = HelpView.keys.map { $0.0 + " " + $0.1 }.joined(separator: "\n")
        for key in ["P M T N", "< >", "R", "F  F6", "/", "Esc", "1", "2", "3", "4  H", "g", "c  v", "d  s", "W", "h  ?  F1", "q", "PgUp", "Home"] {
            #expect(text.contains(key), "help misses \(key)")
        }
        var s = MonitorState(); s.view = .help
        let lines = F.render(s, F.table(F.small), width: 80, height: 12)
        #expect(lines[3] == " HELP - FleetTUI keys (virt-top and htop habits)")
        #expect(lines[5] == "   Up/Down  k/j    move the selection (mouse: click selects, wheel scrolls)")
    }

    @Test func filterPromptAndNoMatchMessage() {
        var s = MonitorState()
        s.prompt = .filter
        s.filter = RowFilter("zzz")
        let lines = F.render(s, F.table(F.small, filter: "zzz"), width: 80, height: 12)
        #expect(lines[4] == " No domain matches 'zzz' (Esc clears the filter)")
        #expect(lines[11] == "Filter: zzz_  0 match  Enter keep  Esc clear")
    }

    @Test func unchangedFrameHasNoChanges() {
        let t = F.table(F.small)
        var s = MonitorState()
        let ctx = F.context(120, 40)
        s.resolve(t, layout: ctx.layout)
        let a = MonitorScreen.render(s, table: t, history: FleetHistory(), context: ctx)
        let b = MonitorScreen.render(s, table: t, history: FleetHistory(), context: ctx)
        #expect(b.changes(from: a).isEmpty)
        _ = s.handle(.down, table: t, layout: ctx.layout)
        let c = MonitorScreen.render(s, table: t, history: FleetHistory(), context: ctx)
        // Only the two rows whose highlight moved change.
        #expect(Set(c.changes(from: b).map(\.y)) == [ctx.layout.bodyY, ctx.layout.bodyY + 1])
    }
}
