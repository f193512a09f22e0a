import ArgumentParser
import Foundation
import FleetCore

/// `fleettui bench-ui` (hidden): times the monitor's frame work on a synthetic fleet — what the UI thread does
/// per refresh and per key — and, with --tty, draws through the real Terminal so Benchmarks/ui.sh can count
/// the bytes an unchanged refresh writes. Run by Benchmarks/ui.sh (scripts/bench ui).
struct BenchUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-ui", abstract: "Benchmark the monitor's frames (for Benchmarks/ui.sh).", shouldDisplay: false)

    @Option(help: "Domains in the synthetic fleet.") var domains = 10_000
    @Option(help: "Hosts in the synthetic fleet.") var hosts = 50
    @Option(help: "Frame size.") var width = 200
    @Option(help: "Frame size.") var height = 60
    @Option(help: "Iterations per scenario.") var iterations = 50
    @Option(help: "Draw through the real terminal: first frame, then N unchanged refreshes, then exit.") var tty: Int?

    func run() throws {
        if let n = tty { try runTTY(unchangedRefreshes: n); return }
        let fleet = SyntheticFleet(domains: domains, hosts: hosts)
        let styles = ThemeStyles(theme: BuiltinThemes.defaultTheme)
        let ctx = RenderContext(width: width, height: height, palette: styles, glyphs: .unicode, refreshedAt: "12:00:00")
        var state = MonitorState()
        var table = FleetTable()
        var previous: CellBuffer? = nil
        var changed = 0

        /// One frame as the UI loop does it: derive the order (only what changed), resolve the selection, draw
        /// the visible rows into a CellBuffer, diff against the previous frame.
        func frame(_ snap: FleetSnapshot) {
            table.update(snapshot: snap, sort: state.sort, filter: state.filter, grouped: state.grouped)
            state.resolve(table, layout: ctx.layout)
            let buf = MonitorScreen.render(state, table: table, history: FleetHistory(), context: ctx)
            changed = buf.changes(from: previous).count
            previous = buf
        }
        func time(_ name: String, _ body: (Int) -> Void) {
            var samples: [Double] = []
            for i in 0..<iterations {
                let t0 = DispatchTime.now().uptimeNanoseconds
                body(i)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            samples.sort()
            let median = samples[samples.count / 2], p95 = samples[min(samples.count - 1, samples.count * 95 / 100)]
            print("\(name): median \(Units.fixed(median, decimals: 3)) ms, p95 \(Units.fixed(p95, decimals: 3)) ms, cells changed \(changed)")
        }

        print("bench-ui: \(domains) domains on \(hosts) hosts, \(width)x\(height) frame, \(iterations) iterations")
        let snaps = (0..<iterations).map { fleet.snapshot(generation: UInt64($0 + 1)) }
        frame(snaps[0])
        time("new snapshot (rank+filter+sort+draw+diff)") { frame(snaps[$0]) }
        // Where a new snapshot's time goes: the table update alone, on fresh snapshots.
        let more = (0..<iterations).map { fleet.snapshot(generation: UInt64(iterations + $0 + 1)) }
        time("  of which table update (sums+filter+sort)") { i in
            table.update(snapshot: more[i], sort: state.sort, filter: state.filter, grouped: state.grouped)
        }
        frame(more[iterations - 1])
        let last = snaps[iterations - 1]
        let sorts: [DomainColumn] = [.mem, .name, .cpu, .time, .host]
        time("sort key (sort+draw+diff)") { i in state.sort = SortSpec(column: sorts[i % sorts.count]); frame(last) }
        state.sort = .default
        let filters = ["w", "we", "web", "web-1", "web-12", "web-1", "web", "we", "w", ""]
        time("filter keystroke (filter+sort+draw+diff)") { i in state.filter = RowFilter(filters[i % filters.count]); frame(last) }
        state.filter = RowFilter("")
        state.grouped = true
        time("grouped view (group+draw+diff)") { _ in frame(last) }
        state.grouped = false
        frame(last)
        time("selection move (draw+diff)") { i in _ = state.handle(i % 2 == 0 ? .down : .up, table: table, layout: ctx.layout); frame(last) }
        frame(last)
        time("unchanged refresh (draw+diff)") { _ in frame(last) }
    }

    /// Draws the same fleet through the real Terminal: one full frame, then `n` refreshes with identical data.
    private func runTTY(unchangedRefreshes n: Int) throws {
        let fleet = SyntheticFleet(domains: domains, hosts: hosts)
        let terminal = try Terminal.open(mouse: false)
        defer { terminal.close() }
        let styles = ThemeStyles(theme: BuiltinThemes.defaultTheme)
        let snap = fleet.snapshot(generation: 1)
        var state = MonitorState()
        var table = FleetTable()
        for i in 0...n {
            // A new generation whose values equal the last one: what a refresh of an idle fleet looks like.
            var s = snap
            s.generation = UInt64(i + 1)
            table.update(snapshot: s, sort: state.sort, filter: state.filter, grouped: state.grouped)
            let layout = ScreenLayout(width: terminal.width, height: terminal.height)
            state.resolve(table, layout: layout)
            let ctx = RenderContext(width: layout.width, height: layout.height, palette: styles,
                                    glyphs: terminal.unicode ? .unicode : .ascii, refreshedAt: "12:00:00")
            terminal.draw(MonitorScreen.render(state, table: table, history: FleetHistory(), context: ctx))
        }
    }
}

/// A deterministic fleet of any size with varied names, states and loads.
struct SyntheticFleet {
    let domains: Int, hosts: Int

    func snapshot(generation: UInt64) -> FleetSnapshot {
        var rng = SplitMix(seed: 42)
        var hostList: [HostStatus] = []
        for h in 0..<hosts {
            var s = HostStatus(config: HostConfig(name: "host\(h)", uri: "test+tcp://127.0.0.1:\(16610 + h)/fleet.xml"),
                               state: h == 3 ? .down : .up, since: Date(timeIntervalSince1970: 0))
            s.memoryKiB = 256 * 1024 * 1024; s.cpus = 64; s.hypervisor = h % 2 == 0 ? "QEMU" : "Xen"
            hostList.append(s)
        }
        let prefixes = ["web", "db", "cache", "build", "mail", "vpn", "k8s-node", "ci-runner"]
        var rows: [DomainRow] = []
        rows.reserveCapacity(domains)
        for i in 0..<domains {
            let h = i % hosts
            let state: DomainState = i % 17 == 0 ? .shutoff : i % 53 == 0 ? .paused : .running
            let name = "\(prefixes[Int(rng.next() % UInt64(prefixes.count))])-\(i)"
            var sample = DomainSample(key: DomainKey(hostID: "host\(h)", uuid: String(format: "%08x-0000-4000-8000-%012x", i, i)),
                                      name: name, id: state.isActive ? i : nil, state: state,
                                      kind: h % 2 == 0 ? .kvm : (i % 3 == 0 ? .xenPV : .xenHVM), vcpus: 1 + i % 8,
                                      cpuTimeNs: UInt64(i) * 1_000_000_000 + generation * 10_000_000,
                                      memCurrentKiB: UInt64(512 + (i % 64) * 256) * 1024, monotonicNs: generation)
            sample.memMaximumKiB = sample.memCurrentKiB
            var r = DomainRates()
            // Values change every generation, as a live fleet's do.
            let jitter = Double((rng.next() &+ generation &* 2654435761) % 1000) / 10
            r.cpuPercent = state == .running ? jitter : nil
            r.rdBytesPerSec = Double(rng.next() % 10_000_000); r.wrBytesPerSec = Double(rng.next() % 10_000_000)
            r.rxBytesPerSec = Double(rng.next() % 1_000_000); r.txBytesPerSec = Double(rng.next() % 1_000_000)
            rows.append(DomainRow(sample: sample, rates: r, stale: h == 3, memPercent: Double(i % 100) / 10, hostName: "host\(h)"))
        }
        return FleetSnapshot(generation: generation, time: Date(timeIntervalSince1970: 0), hosts: hostList, domains: rows, label: "synthetic")
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
