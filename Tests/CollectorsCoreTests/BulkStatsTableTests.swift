import Testing
@testable import CollectorsCore
import FleetCore

/// The bulk-stats parser reads every counter of the one table by its libvirt key.
@Suite struct BulkStatsTableTests {
    @Test func everyTableKeyLandsInItsField() {
        var fields: [(String, TypedValue)] = [("state.state", .int(1))]
        var expected: [String: UInt64] = [:]
        var n: UInt64 = 1
        for c in Counters.domain where expected[c.statsKey] == nil {
            fields.append((c.statsKey, .uint(n))); expected[c.statsKey] = n; n += 1
        }
        fields += [("block.count", .uint(1)), ("block.0.name", .string("vda")), ("net.count", .uint(1)), ("net.0.name", .string("vnet0"))]
        for c in Counters.disk { fields.append(("block.0." + c.statsKey, .uint(n))); expected["block." + c.statsKey] = n; n += 1 }
        for c in Counters.nic { fields.append(("net.0." + c.statsKey, .uint(n))); expected["net." + c.statsKey] = n; n += 1 }

        var s = DomainSample(key: DomainKey(hostID: "h", uuid: "u"), name: "g", state: .nostate, monotonicNs: 1)
        BulkStats.apply(fields, to: &s)
        for c in Counters.domain { #expect(s[keyPath: c.field] == expected[c.statsKey], "\(c.statsKey)") }
        for c in Counters.disk { #expect(s.disks.first?[keyPath: c.field] == expected["block." + c.statsKey], "block.0.\(c.statsKey)") }
        for c in Counters.nic { #expect(s.nics.first?[keyPath: c.field] == expected["net." + c.statsKey], "net.0.\(c.statsKey)") }
    }
}
