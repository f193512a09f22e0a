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

    /// Found by `scripts/fuzz bulkstats` (Fuzz/regressions/bulkstats): a double parameter beyond Int.max (or
    /// UInt64.max) trapped in the conversion instead of counting as no value.
    @Test func doublesOutOfRangeAreNoValueNotATrap() {
        for v in [1e300, -1e300, 9.3e18, -9.3e18, 1.9e19, .infinity, -.infinity, .nan] {
            #expect(TypedValue.double(v).int == nil, "\(v)")
        }
        #expect(TypedValue.double(1.9e19).uint64 == nil)
        #expect(TypedValue.double(9.3e18).int == nil)
        #expect(TypedValue.double(9.3e18).uint64 == 9_300_000_000_000_000_000)
        #expect(TypedValue.double(-0.5).uint64 == nil)
        #expect(TypedValue.double(42.9).int == 42 && TypedValue.double(-42.9).int == -42)
        var s = DomainSample(key: DomainKey(hostID: "h", uuid: "u"), name: "g", state: .nostate, monotonicNs: 1)
        BulkStats.apply([("state.state", .double(1e300)), ("state.reason", .double(-1e300)), ("cpu.time", .double(1e300)),
                         ("balloon.current", .double(.infinity))], to: &s)
        #expect(s.cpuTimeNs == nil && s.state == .nostate)
    }
}
