@testable import Demo
import DemoCore
import FleetCore
import Foundation
import Synchronization
import Testing

/// The demo's FleetSource: what the monitor and batch mode get.
@Suite struct DemoFleetSourceTests {
    @Test func theFirstSnapshotHasRatesAndLaterOnesFollowTheInterval() throws {
        let rt = try DemoRuntime(directory: DemoDisplayTests.makeDirectory())
        defer { rt.stopConsoles(); try? FileManager.default.removeItem(atPath: rt.directory) }
        let source = rt.makeSource(interval: 0.2)
        let first = source.latest()
        #expect(first.label == "demo fleet" && first.hosts.count == 2 && first.domains.count == 22)
        #expect(first.hosts.allSatisfy { $0.state == .up && $0.everConnected && $0.config.uri.hasPrefix("test://" + rt.directory) })
        let running = first.domains.filter { $0.sample.state == .running }
        #expect(running.allSatisfy { $0.rates.cpuPercent != nil }, "rates from the first snapshot on")
        let gitlab = try #require(first.domains.first { $0.sample.name == "gitlab" })
        let disk = try #require(gitlab.sample.disks.first)
        #expect((disk.capacity ?? 0) >= 20 << 30 && (disk.allocation ?? 0) > 0, "\(disk)")
        #expect(gitlab.description?.graphics.first?.socket == rt.directory + "/gitlab.sock")

        let updates = Locked(0)
        source.start { updates.withLock { $0 += 1 } }
        Thread.sleep(forTimeInterval: 1.1)
        source.stop()
        let n = updates.value
        #expect(n >= 3 && n <= 7, "\(n) refreshes in 1.1 s at 0.2 s")
        let later = source.latest()
        #expect(later.generation == first.generation + UInt64(n))
        let disk2 = try #require(later.domains.first { $0.sample.name == "gitlab" }?.sample.disks.first)
        #expect((disk2.capacity ?? 0) >= 20 << 30, "\(disk2)")
    }
}
