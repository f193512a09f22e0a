import FleetCore

/// What one bulk-stats record (`virConnectGetAllDomainStats`) contained, so the collector knows which
/// per-domain calls must fill the gaps.
public struct BulkCoverage: Sendable, Hashable {
    public var state = false
    public var cpu = false
    public var balloon = false
    public var vcpu = false
    public var block = false
    public var net = false

    public init(state: Bool = false, cpu: Bool = false, balloon: Bool = false, vcpu: Bool = false,
                block: Bool = false, net: Bool = false) {
        self.state = state; self.cpu = cpu; self.balloon = balloon; self.vcpu = vcpu; self.block = block; self.net = net
    }
}

/// Turns a bulk-stats record's typed parameters (`cpu.time`, `block.0.rd.bytes`, …) into a sample. The plain
/// counters come from the one counter table (FleetCore's `Counters`); state, vCPUs, device names and the guest's
/// used memory are read here. Pure: the field list is plain Swift values, so this is unit-tested without libvirt.
public enum BulkStats {
    @discardableResult
    public static func apply(_ fields: [(String, TypedValue)], to s: inout DomainSample) -> BulkCoverage {
        var cov = BulkCoverage()
        var disks: [Int: DeviceCounters] = [:]
        var nics: [Int: DeviceCounters] = [:]
        var available: UInt64?, unused: UInt64?

        for (name, value) in fields {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard let group = parts.first else { continue }
            switch group {
            case "state":
                cov.state = true
                if name == "state.state", let v = value.int { s.state = DomainState(libvirtValue: v) }
                if name == "state.reason", let v = value.int { s.stateReason = v }
            case "cpu":
                if name == "cpu.time" { cov.cpu = true }
                for c in Counters.domainByStatsKey[name] ?? [] { s[keyPath: c.field] = value.uint64 }
            case "balloon":
                cov.balloon = true
                switch name {
                case "balloon.available": available = value.uint64
                case "balloon.unused": unused = value.uint64
                default: for c in Counters.domainByStatsKey[name] ?? [] { s[keyPath: c.field] = value.uint64 }
                }
            case "vcpu":
                cov.vcpu = true
                if name == "vcpu.current" { s.vcpus = value.int }
                if name == "vcpu.maximum" { s.maxVcpus = value.int }
            case "block":
                cov.block = true
                guard parts.count >= 3, let n = Int(parts[1]) else { continue }
                let field = parts.dropFirst(2).joined(separator: ".")
                var d = disks[n] ?? DeviceCounters(name: "")
                switch field {
                case "name": d.name = value.string ?? ""
                case "path": d.path = value.string
                default: for c in Counters.diskByStatsKey[field] ?? [] { d[keyPath: c.field] = value.uint64 }
                }
                disks[n] = d
            case "net":
                cov.net = true
                guard parts.count >= 3, let n = Int(parts[1]) else { continue }
                let field = parts.dropFirst(2).joined(separator: ".")
                var d = nics[n] ?? DeviceCounters(name: "")
                switch field {
                case "name": d.name = value.string ?? ""
                default: for c in Counters.nicByStatsKey[field] ?? [] { d[keyPath: c.field] = value.uint64 }
                }
                nics[n] = d
            default: break
            }
        }
        if let a = available, let u = unused, a >= u { s.memUsedKiB = a - u }
        // Devices in libvirt's order; a device without a name cannot be matched across samples.
        if cov.block { s.disks = disks.keys.sorted().compactMap { disks[$0] }.filter { !$0.name.isEmpty } }
        if cov.net { s.nics = nics.keys.sorted().compactMap { nics[$0] }.filter { !$0.name.isEmpty } }
        return cov
    }
}
