import Testing
import Foundation
import FleetCore
import TestSupport
import Export
import Synchronization

/// The NIO server on a real loopback socket, serving hand-built snapshots.
@Suite(.serialized) struct MetricsServerTests {
    final class SnapshotBox: Sendable {
        private struct State { var snap: FleetSnapshot; var reads = 0 }
        private let state: Mutex<State>
        var reads: Int { state.withLock { $0.reads } }
        init(_ s: FleetSnapshot) { state = Mutex(State(snap: s)) }
        func get() -> FleetSnapshot { state.withLock { $0.reads += 1; return $0.snap } }
        func set(_ s: FleetSnapshot) { state.withLock { $0.snap = s } }
    }

    static func snapshot(_ gen: UInt64, domains n: Int = 3) -> FleetSnapshot {
        let rows = (0..<n).map { FleetFixtures.row(host: "hv1", name: "vm\($0)", uuid: "uuid-\($0)", disks: [FleetFixtures.disk("vda", path: "/img/\($0)")], nics: [FleetFixtures.nic("vnet\($0)")]) }
        return FleetSnapshot(generation: gen, time: Date(), hosts: [FleetFixtures.host("hv1")], domains: rows)
    }

    @Test func servesMetricsIndexAndNotFound() throws {
        let box = SnapshotBox(Self.snapshot(1))
        let body = MetricsBody(snapshot: { box.get() })
        let server = try MetricsServer(host: "127.0.0.1", port: 0, body: body)
        defer { server.stop() }
        #expect(server.boundPort > 0)

        let m = try HTTP.get("http://127.0.0.1:\(server.boundPort)/metrics")
        #expect(m.status == 200)
        #expect(m.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(m.text.contains(#"libvirt_domain_info_virtual_cpus{host="hv1",domain="vm2",uuid="uuid-2"} 2"#))

        let index = try HTTP.get("http://127.0.0.1:\(server.boundPort)/")
        #expect(index.status == 200)
        #expect(index.text.contains(#"href="/metrics""#))

        #expect(try HTTP.get("http://127.0.0.1:\(server.boundPort)/nope").status == 404)
    }

    @Test func concurrentScrapesShareOneRenderPerGeneration() async throws {
        let box = SnapshotBox(Self.snapshot(1, domains: 200))
        let body = MetricsBody(snapshot: { box.get() })
        let server = try MetricsServer(host: "127.0.0.1", port: 0, body: body)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.boundPort)/metrics"
        let bodies = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<16 { group.addTask { try HTTP.get(url).body } }
            return try await group.reduce(into: [Data]()) { $0.append($1) }
        }
        #expect(bodies.count == 16)
        #expect(Set(bodies).count == 1)
        #expect(body.renders == 1)

        // A new snapshot: scrapes keep the last body (they never render) until the update callback.
        box.set(Self.snapshot(2, domains: 1))
        #expect(try HTTP.get(url).text.contains("vm1"))
        #expect(body.renders == 1)
        body.refresh()
        body.refresh()
        let after = try HTTP.get(url).text
        #expect(body.renders == 2)
        #expect(!after.contains("vm1"))
    }

    @Test func servesOnlyTheFamiliesItWasGiven() throws {
        let snap = Self.snapshot(1)
        let body = MetricsBody(families: [.cpu], snapshot: { snap })
        #expect(body.families == [.cpu])
        let server = try MetricsServer(host: "127.0.0.1", port: 0, body: body)
        defer { server.stop() }
        let text = try HTTP.get("http://127.0.0.1:\(server.boundPort)/metrics").text
        #expect(text.contains(#"libvirt_domain_info_cpu_time_seconds_total{host="hv1",domain="vm0",uuid="uuid-0"} 5"#))
        #expect(text.contains(#"libvirt_domain_state_code{host="hv1",domain="vm0",uuid="uuid-0"} 1"#))
        for absent in ["libvirt_domain_block_stats_", "libvirt_domain_interface_stats_", "libvirt_domain_memory_stats_",
                       "libvirt_domain_info_memory_usage_bytes", "libvirt_domain_info_maximum_memory_bytes"] {
            #expect(!text.contains(absent), "\(absent) served without its family")
        }
        // The control: the same snapshot through a body with every family (the default) has them.
        let everyServer = try MetricsServer(host: "127.0.0.1", port: 0, body: MetricsBody(snapshot: { snap }))
        defer { everyServer.stop() }
        let every = try HTTP.get("http://127.0.0.1:\(everyServer.boundPort)/metrics").text
        #expect(every.contains(#"libvirt_domain_block_stats_read_bytes_total{host="hv1",domain="vm0",uuid="uuid-0",target_device="vda",source_file="/img/0"} 4096"#))
        #expect(every.contains("libvirt_domain_interface_stats_receive_bytes_total{") && every.contains("libvirt_domain_memory_stats_rss_bytes{"))
    }

    @Test func portInUseIsOneClearError() throws {
        let body = MetricsBody(snapshot: { .empty })
        let first = try MetricsServer(host: "127.0.0.1", port: 0, body: body)
        defer { first.stop() }
        do {
            let second = try MetricsServer(host: "127.0.0.1", port: first.boundPort, body: body)
            second.stop()
            Issue.record("second bind on \(first.boundPort) succeeded")
        } catch {
            #expect("\(error)" == "cannot listen on 127.0.0.1:\(first.boundPort): address already in use")
        }
        #expect(throws: MetricsServer.ListenError.self) { try MetricsServer(host: "192.0.2.77", port: 0, body: body) }
    }
}

extension MetricsServerTests {
    @Test func stopTwiceFromTwoThreadsReturns() async throws {
        let server = try MetricsServer(host: "127.0.0.1", port: 0, body: MetricsBody(snapshot: { .empty }))
        await withTaskGroup(of: Void.self) { g in
            g.addTask { server.stop() }
            g.addTask { server.stop() }
        }
        server.stop()
        #expect(throws: (any Error).self) { try HTTP.get("http://127.0.0.1:\(server.boundPort)/metrics", timeout: 2) }
    }
}
