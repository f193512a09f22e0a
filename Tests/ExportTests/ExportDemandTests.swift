import Testing
import Foundation
import FleetCore
import TestSupport

/// Issue 15: `fleettui export --metrics` asks libvirt only for the groups of the families it serves, observed for
/// real with libvirt's client-side log of every API call, against the bed's QEMU host (bulk path) and a bed TCP
/// host (test driver: per-domain calls, as Xen's libxl); the families not served are absent from /metrics.
@Suite(.serialized) struct ExportDemandTests {
    struct Run {
        var calls: LibvirtClientLog.Calls
        var metrics: String
        /// FLEETTUI_COLLECT_LOG: one line per refresh, with the groups asked.
        var collectLog: [String]
    }

    /// Runs `fleettui export` on `uri` until /metrics has CPU values and three refreshes were logged.
    func export(_ uri: String, metrics: String?) throws -> Run {
        let dir = try Paths.tempDir("demand")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = LibvirtClientLog()
        defer { log.remove() }
        var env = log.environment()
        env["FLEETTUI_COLLECT_LOG"] = dir + "/collect.log"
        let port = Ports.free()
        var args = ["export", "--listen", "127.0.0.1:\(port)", "-d", "0.5", "--no-screens", "-c", uri]
        if let metrics { args += ["--metrics", metrics] }
        let p = try SpawnedProcess(try Paths.fleettui(), args, environment: env, stdout: .file(dir + "/out"), stderr: .file(dir + "/err"))
        defer { p.stop() }
        func collectLog() -> [String] {
            ((try? String(contentsOfFile: dir + "/collect.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        let body = try eventually("fleettui export \(args.joined(separator: " ")) to serve CPU times after 3 refreshes", timeout: 90) { () -> String? in
            guard p.isRunning else {
                throw TestFailure(description: "fleettui export exited: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")")
            }
            let text = try HTTP.get("http://127.0.0.1:\(port)/metrics", timeout: 5).text
            let refreshes = collectLog().filter { $0.contains(" refresh ") }.count
            return refreshes >= 3 && text.contains("libvirt_domain_info_cpu_time_seconds_total{") ? text : nil
        }
        p.stop()
        let calls = log.calls
        #expect(calls.sawAPICalls, "libvirt's client log has no API calls: the test would observe nothing")
        return Run(calls: calls, metrics: body, collectLog: collectLog())
    }

    func names(_ body: String) -> Set<String> {
        Set(body.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != "{" && $0 != " " }) })
    }

    @Test func cpuOnlyNeverAsksTheQEMUHostForBlockInterfaceOrBalloon() throws {
        let bed = try TestBed.load()
        let cpu = try export(bed.qemuURI, metrics: "cpu")
        #expect(!cpu.calls.bulkMasks.isEmpty, "no bulk stats call seen")
        #expect(!cpu.calls.asksBlockOrInterface, "asked for block/interface: \(cpu.calls.summary)")
        #expect(!cpu.calls.asksBalloon, "asked for balloon: \(cpu.calls.summary)")
        #expect(!cpu.collectLog.contains { $0.contains("block") || $0.contains("interface") || $0.contains("balloon") }, "\(cpu.collectLog)")
        let served = names(cpu.metrics)
        #expect(served.contains("libvirt_domain_info_cpu_time_seconds_total") && served.contains("libvirt_domain_state_code"))
        #expect(!served.contains { $0.hasPrefix("libvirt_domain_block_stats_") || $0.hasPrefix("libvirt_domain_interface_stats_")
                    || $0.hasPrefix("libvirt_domain_memory_stats_") || $0 == "libvirt_domain_info_memory_usage_bytes" },
                "\(served.sorted())")
        #expect(!cpu.metrics.contains("# HELP libvirt_domain_block_stats_"), "a family not served has no HELP either")
        // The control: by default every family is served, so block and interface stats are read and served (the
        // bed's QEMU guests have a virtio disk vda and a NIC).
        let all = try export(bed.qemuURI, metrics: nil)
        #expect(all.calls.asksBlockOrInterface, "by default block and interface stats are read: \(all.calls.summary)")
        #expect(all.calls.bulkMasks.contains { $0 & 0x4 != 0 }, "and balloon: \(all.calls.summary)")
        #expect(all.metrics.contains(#"libvirt_domain_block_stats_read_bytes_total{host=""#), "\(names(all.metrics).sorted())")
        #expect(all.metrics.contains(#"target_device="vda""#))
        #expect(names(all.metrics).contains("libvirt_domain_memory_stats_rss_bytes"))
    }

    @Test func cpuOnlyMakesNoPerDeviceCallsOnTheTestDriver() throws {
        let bed = try TestBed.load()
        let host = try #require(bed.tcpHosts.first)
        let cpu = try export(host.uri, metrics: "cpu")
        #expect(cpu.calls.getInfo > 0, "the test driver's CPU comes from GetInfo")
        #expect(cpu.calls.blockStats == 0 && cpu.calls.interfaceStats == 0 && cpu.calls.memoryStats == 0, "\(cpu.calls.summary)")
        #expect(!cpu.calls.asksBlockOrInterface)
        #expect(!cpu.metrics.contains("libvirt_domain_block_stats_") && !cpu.metrics.contains("libvirt_domain_interface_stats_"))
        #expect(cpu.metrics.split(separator: "\n").filter { $0.hasPrefix("libvirt_domain_state_code{") }.count == host.domains)
        // Two families: their per-device calls only, and their metrics only.
        let some = try export(host.uri, metrics: "cpu,block")
        #expect(some.calls.blockStats > 0, "\(some.calls.summary)")
        #expect(some.calls.interfaceStats == 0 && some.calls.memoryStats == 0, "\(some.calls.summary)")
        #expect(some.metrics.contains("libvirt_domain_block_stats_read_bytes_total{"))
        #expect(!some.metrics.contains("libvirt_domain_interface_stats_"))
        // The control: every family by default.
        let all = try export(host.uri, metrics: nil)
        #expect(all.calls.blockStats > 0 && all.calls.interfaceStats > 0, "\(all.calls.summary)")
        #expect(all.metrics.contains("libvirt_domain_block_stats_read_bytes_total{") && all.metrics.contains("libvirt_domain_interface_stats_receive_bytes_total{"))
    }

    @Test func anUnknownFamilyExits64BeforeAnyConnection() throws {
        let log = LibvirtClientLog()
        defer { log.remove() }
        var env = log.environment()
        env["LIBVIRT_LOG_FILTERS"] = "1:libvirt"    // virConnectOpen* too, not only the domain calls
        let r = try Spawn.run(try Paths.fleettui(), ["export", "--metrics", "cpu,disk", "-c", "test:///default"], environment: env, timeout: 30)
        #expect(r.status == 64)
        #expect(r.err.contains("unknown metric family 'disk' for --metrics (known: cpu, memory, block, interface)"), "\(r.err)")
        #expect(!log.text.contains("virConnectOpen"), "a connection was opened: \(log.text.prefix(300))")
        // The control: the log does show a connection when one is opened.
        let control = LibvirtClientLog()
        defer { control.remove() }
        env["LIBVIRT_LOG_OUTPUTS"] = "1:file:\(control.path)"
        let batch = try Spawn.run(try Paths.fleettui(), ["-b", "-n", "1", "-d", "0.2", "-c", "test:///default"], environment: env, timeout: 30)
        #expect(batch.status == 0, "\(batch.err)")
        #expect(control.text.contains("virConnectOpen"), "libvirt's log would not show a connection: \(control.text.prefix(300))")
        let empty = try Spawn.run(try Paths.fleettui(), ["export", "--metrics", ",", "-c", "test:///default"], timeout: 30)
        #expect(empty.status == 64)
        #expect(empty.err.contains("no metric family in ',' for --metrics"), "\(empty.err)")
    }
}
