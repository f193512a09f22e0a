import Foundation
@testable import FleetCore

/// Small hand-made fleets for the view tests.
enum ViewFixtures {
    static func row(_ host: String, _ name: String, uuid: String? = nil, state: DomainState = .running, cpu: Double? = nil,
                    memKiB: UInt64? = nil, memPercent: Double? = nil, kind: VirtKind = .kvm, vcpus: Int? = 1,
                    timeNs: UInt64? = nil, rd: Double? = nil, stale: Bool = false) -> DomainRow {
        var s = DomainSample(key: DomainKey(hostID: host, uuid: uuid ?? "\(host)-\(name)"), name: name, id: state.isActive ? 1 : nil,
                             state: state, kind: kind, vcpus: vcpus, cpuTimeNs: timeNs, memCurrentKiB: memKiB, monotonicNs: 0)
        s.memMaximumKiB = memKiB
        var r = DomainRates()
        r.cpuPercent = cpu
        r.rdBytesPerSec = rd
        return DomainRow(sample: s, rates: r, stale: stale, memPercent: memPercent, hostName: host)
    }

    static func host(_ name: String, _ state: ConnectionState = .up, memKiB: UInt64? = 8 * 1024 * 1024, cpus: Int? = 4,
                     error: String? = nil) -> HostStatus {
        var h = HostStatus(config: HostConfig(name: name, uri: "test:///\(name)"), state: state, since: Date(timeIntervalSince1970: 0))
        h.memoryKiB = memKiB; h.cpus = cpus; h.hypervisor = "TEST"; h.lastError = error
        return h
    }

    static func snapshot(_ rows: [DomainRow], hosts: [HostStatus], generation: UInt64 = 1, label: String? = nil) -> FleetSnapshot {
        FleetSnapshot(generation: generation, time: Date(timeIntervalSince1970: 0), hosts: hosts, domains: rows, label: label)
    }

    /// Two hosts, five domains; b has one down host row.
    static let small: FleetSnapshot = snapshot([
        row("alpha", "web-1", cpu: 12.5, memKiB: 1024 * 1024, memPercent: 12.5, timeNs: 61_500_000_000),
        row("alpha", "db-1", cpu: 80.0, memKiB: 4 * 1024 * 1024, memPercent: 50, vcpus: 4, timeNs: 3_723_000_000_000),
        row("alpha", "idle", state: .shutoff, memKiB: 512 * 1024, vcpus: 2),
        row("beta", "web-2", cpu: 12.5, memKiB: 2 * 1024 * 1024, memPercent: 25, kind: .xenPV, timeNs: 1_000_000_000),
        row("beta", "cache", cpu: 3.25, memKiB: 256 * 1024, memPercent: 3.1, kind: .xenHVM, timeNs: 5_000_000_000),
    ], hosts: [host("alpha"), host("beta")], label: "demo fleet")

    static func table(_ snap: FleetSnapshot, sort: SortSpec = .default, filter: String = "", grouped: Bool = false) -> FleetTable {
        var t = FleetTable()
        t.update(snapshot: snap, sort: sort, filter: RowFilter(filter), grouped: grouped)
        return t
    }

    static func names(_ t: FleetTable) -> [String] {
        t.lines.map {
            switch $0 {
            case .domain(let i): return t.rows[i].sample.name
            case .host(let h): return "[" + t.snapshot.hosts[h].config.name + "]"
            }
        }
    }

    static let mono = ThemeStyles(theme: BuiltinThemes.theme("monochrome")!)

    static func context(_ w: Int, _ h: Int, glyphs: Glyphs = .unicode) -> RenderContext {
        RenderContext(width: w, height: h, palette: mono, glyphs: glyphs, refreshedAt: "12:00:00", snapshotAge: 1)
    }

    /// Renders and returns the text lines with trailing spaces removed.
    static func render(_ state: MonitorState, _ table: FleetTable, width: Int, height: Int, glyphs: Glyphs = .unicode,
                       history: FleetHistory = FleetHistory()) -> [String] {
        var st = state
        let ctx = context(width, height, glyphs: glyphs)
        st.resolve(table, layout: ctx.layout)
        return MonitorScreen.render(st, table: table, history: history, context: ctx).lines().map { trimRight($0) }
    }

    static func trimRight(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t.removeLast() }
        return String(t)
    }
}
