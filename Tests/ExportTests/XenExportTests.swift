import FleetCore
import Foundation
import Testing
import TestSupport

/// `fleettui export` serving the bed's real Xen host (Tests/Bed/xen: libxl, per-domain calls), scraped by a real
/// Prometheus: Domain-0 and the PV guests with their state, CPU time (rising: rates), memory, xen-busy's PV disk and
/// NIC counters, libvirt_up.
@Suite(.serialized, .enabled(if: TestBed.xenTestsEnabled, "the bed was brought up without its Xen host (BED_XEN=0)"))
struct XenExportTests {
    @Test func exportPublishesTheXenHostAndPrometheusScrapesIt() throws {
        let bed = try TestBed.load()
        try bed.withXen { xen in
            let dir = try Paths.tempDir("xen-export")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let port = Ports.free()
            let export = try Child("fleettui-export", try Paths.fleettui(),
                                   ["export", "--listen", "127.0.0.1:\(port)", "-d", "2", "-c", xen.uri], dir: dir)
            defer { export.stop() }
            let names: Set = ["Domain-0", "xen-fb", "xen-busy"]
            // The first collection of the emulated dom0 takes seconds (per-domain calls through QEMU's user network).
            let text = try eventually("fleettui export to serve Domain-0 and the PV guests", timeout: 120) { () -> String? in
                guard export.process.isRunning else { throw TestFailure(description: "fleettui export exited: \(export.stderr.suffix(500))") }
                let t = try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 10).text
                let states = t.split(separator: "\n").filter { $0.hasPrefix("libvirt_domain_state_code{") }
                return names.allSatisfy { n in states.contains { $0.contains("domain=\"\(n)\"") } } ? t : nil
            }
            // Domain-0: id 0, kind PV, uuid all zeros (as libxl gives it).
            #expect(text.contains("fleettui_domain_info{host=\"127.0.0.1:\(xen.libvirtPort)\",domain=\"Domain-0\",uuid=\"00000000-0000-0000-0000-000000000000\",kind=\"PV\",id=\"0\"} 1"),
                    "\(text.prefix(1500))")

            let prom = try PrometheusServer(jobs: ["fleettui": ["127.0.0.1:\(port)"]], dir: dir, interval: 2)
            defer { prom.stop() }
            _ = try eventually("Prometheus to hold the Xen host's three domains", timeout: 60) { () -> Bool? in
                Set(try prom.query("libvirt_domain_state_code").compactMap { $0.labels["domain"] }) == names ? true : nil
            }
            #expect(try prom.query("libvirt_up").map(\.value) == [1])
            #expect(try prom.query("fleettui_domain_info{kind=\"PV\"}").count == 3)
            // Memory: Domain-0's dom0_mem, the guests' 128 MiB.
            let mem = Dictionary(uniqueKeysWithValues: try prom.query("libvirt_domain_info_memory_usage_bytes").map { ($0.labels["domain"] ?? "", $0.value) })
            #expect(mem["Domain-0"] == Double(xen.dom0MemoryMib) * 1_048_576, "\(mem)")
            for g in xen.guests { #expect(mem[g.name] == Double(g.memoryMib) * 1_048_576, "\(g.name): \(mem)") }
            // CPU rates from libxl's per-domain counters: every domain burns CPU (xen-busy most).
            _ = try eventually("non-zero CPU rates for Domain-0 and both PV guests", timeout: 90) { () -> Bool? in
                let r = try prom.query("rate(libvirt_domain_info_cpu_time_seconds_total[30s]) > 0")
                return Set(r.compactMap { $0.labels["domain"] }) == names ? true : nil
            }
            // xen-busy's PV disk (blkback) and NIC (netback on dom0's bridge): counters with their labels, rising.
            let busy = try xen.guest("xen-busy")
            let rd = try prom.query("libvirt_domain_block_stats_read_bytes_total{domain=\"xen-busy\"}")
            #expect(rd.count == 1 && rd.first?.labels["target_device"] == (busy.disk ?? "xvda"), "\(rd)")
            let rx = try prom.query("libvirt_domain_interface_stats_receive_bytes_total{domain=\"xen-busy\"}")
            #expect(rx.count == 1 && rx.first?.labels["source_bridge"] == busy.bridge, "\(rx)")
            _ = try eventually("xen-busy's disk and network counters to rise", timeout: 90) { () -> Bool? in
                let io = try prom.query("rate(libvirt_domain_block_stats_write_bytes_total{domain=\"xen-busy\"}[30s]) > 0 or rate(libvirt_domain_block_stats_read_bytes_total{domain=\"xen-busy\"}[30s]) > 0")
                let net = try prom.query("rate(libvirt_domain_interface_stats_transmit_bytes_total{domain=\"xen-busy\"}[30s]) > 0")
                return !io.isEmpty && !net.isEmpty ? true : nil
            }
            // Domain-0 and xen-fb have no disk or NIC in libvirt's view: no such series for them.
            #expect(try prom.query("libvirt_domain_block_stats_read_bytes_total{domain=~\"Domain-0|xen-fb\"}").isEmpty)
            // xen-fb's screen, read by the exporter's sampler through the PV framebuffer's VNC server (qemu-xen in
            // dom0, over the emulated host's user network): its shell prompt, state "shell" (it read "blank" before
            // sessions dropped QEMU's screen-sized ext-key-event placeholder). A look can time out while the emulated
            // dom0 is slow (`unreachable`): the sampler looks again, so wait for it.
            var seen: [String] = []   // the states read on the way, for the failure message
            let fbState = try bed.withGuest(named: "xen-fb") {
                do {
                    return try eventually("fleettui_console_state of xen-fb to say shell", timeout: 120, every: 1) { () -> String? in
                        guard export.process.isRunning else { throw TestFailure(description: "fleettui export exited: \(export.stderr.suffix(500))") }
                        let series = FleetFixtures.samples(Array(try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 10).body))
                        let state = series.first { $0.labels["__name__"] == "fleettui_console_state" && $0.labels["domain"] == "xen-fb" && $0.value == 1 }?
                            .labels["state"] ?? "none"
                        if seen.last != state { seen.append(state) }
                        return state == "shell" ? state : nil
                    }
                } catch {
                    throw TestFailure(description: "\(error); xen-fb's states on /metrics, in order: \(seen)")
                }
            }
            #expect(fbState == "shell")
        }
    }
}
