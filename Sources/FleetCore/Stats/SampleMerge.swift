/// Bulk stats and per-domain calls each give part of a domain's picture; the bulk call's values win
/// and the per-domain calls fill what it lacked (test driver: only state; Xen libxl: no bulk call).
extension DomainSample {
    /// Fills every nil field (and every missing device or device counter) from `other`.
    /// Identity, state and reason stay as they are.
    public mutating func fillMissing(from other: DomainSample) {
        if id == nil { id = other.id }
        if vcpus == nil { vcpus = other.vcpus }
        if maxVcpus == nil { maxVcpus = other.maxVcpus }
        if cpuTimeNs == nil { cpuTimeNs = other.cpuTimeNs }
        if cpuUserNs == nil { cpuUserNs = other.cpuUserNs }
        if cpuSystemNs == nil { cpuSystemNs = other.cpuSystemNs }
        if memCurrentKiB == nil { memCurrentKiB = other.memCurrentKiB }
        if memMaximumKiB == nil { memMaximumKiB = other.memMaximumKiB }
        if memRSSKiB == nil { memRSSKiB = other.memRSSKiB }
        if memUsedKiB == nil { memUsedKiB = other.memUsedKiB }
        if kind == .other { kind = other.kind; pvDrivers = other.pvDrivers }
        disks = Self.merge(disks, other.disks)
        nics = Self.merge(nics, other.nics)
    }

    /// A refresh that could not read everything (bulk stats with NOWAIT while another client holds the
    /// domain's job; a per-domain call that timed out) keeps the previous refresh's memory gauges
    /// rather than flickering them to unknown. Only gauges, never counters (a stale counter would be
    /// a fake zero rate), and only within one run of the domain (same id, still active).
    public mutating func carryGauges(from previous: DomainSample) {
        guard state.isActive, previous.state.isActive, id == previous.id else { return }
        if memRSSKiB == nil { memRSSKiB = previous.memRSSKiB }
        if memUsedKiB == nil { memUsedKiB = previous.memUsedKiB }
        if memCurrentKiB == nil { memCurrentKiB = previous.memCurrentKiB }
        if memMaximumKiB == nil { memMaximumKiB = previous.memMaximumKiB }
    }

    public static func merge(_ a: [DeviceCounters], _ b: [DeviceCounters]) -> [DeviceCounters] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out = a
        for dev in b {
            if let k = out.firstIndex(where: { $0.name == dev.name }) {
                out[k].fillMissing(from: dev)
            } else {
                out.append(dev)
            }
        }
        return out
    }
}

extension DeviceCounters {
    public mutating func fillMissing(from o: DeviceCounters) {
        if path == nil { path = o.path }
        if rdBytes == nil { rdBytes = o.rdBytes }
        if wrBytes == nil { wrBytes = o.wrBytes }
        if rdReqs == nil { rdReqs = o.rdReqs }
        if wrReqs == nil { wrReqs = o.wrReqs }
        if errors == nil { errors = o.errors }
        if rxBytes == nil { rxBytes = o.rxBytes }
        if txBytes == nil { txBytes = o.txBytes }
        if rxPkts == nil { rxPkts = o.rxPkts }
        if txPkts == nil { txPkts = o.txPkts }
        if rxErrs == nil { rxErrs = o.rxErrs }
        if txErrs == nil { txErrs = o.txErrs }
        if rxDrop == nil { rxDrop = o.rxDrop }
        if txDrop == nil { txDrop = o.txDrop }
        if capacity == nil { capacity = o.capacity }
        if allocation == nil { allocation = o.allocation }
    }
}
