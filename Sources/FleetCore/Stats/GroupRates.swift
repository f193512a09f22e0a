/// When each counter group of one domain was read (monotonic ns). With collection driven by demand (issue 15)
/// the groups of one domain are read at different times: CPU every refresh, block and interface only while the
/// domain is shown. A rate is always taken between two readings of the same group.
public struct GroupReadTimes: Sendable, Hashable {
    public var cpu: UInt64?
    public var balloon: UInt64?
    public var block: UInt64?
    public var interface: UInt64?
    public init() {}

    public subscript(group: StatGroups) -> UInt64? {
        switch group {
        case .cpu: return cpu
        case .balloon: return balloon
        case .block: return block
        case .interface: return interface
        default: return nil
        }
    }

    /// Records that `groups` were read at `ns`.
    public mutating func mark(_ groups: StatGroups, at ns: UInt64) {
        if groups.contains(.cpu) { cpu = ns }
        if groups.contains(.balloon) { balloon = ns }
        if groups.contains(.block) { block = ns }
        if groups.contains(.interface) { interface = ns }
    }
}

extension RateCalculator {
    /// The rates of the groups just read, each against that group's previous reading.
    ///
    /// - Returns: the rates (nil for a group not read now, or with no earlier reading), and the groups whose
    ///   window is longer than `longWindowNs` — an average over a long time, not a current rate: the UI marks it.
    public static func rates(previous: DomainSample?, previousTimes: GroupReadTimes, current: DomainSample,
                             currentTimes: GroupReadTimes, read: StatGroups, hostCPUs: Int?,
                             longWindowNs: UInt64) -> (rates: DomainRates, long: StatGroups) {
        var out = DomainRates()
        var long = StatGroups()
        guard let previous else { return (out, long) }
        for group in [StatGroups.cpu, .block, .interface] where read.contains(group) {
            guard let then = previousTimes[group], let now = currentTimes[group], now > then else { continue }
            var p = previous, c = current
            p.monotonicNs = then
            c.monotonicNs = now
            let r = rates(previous: p, current: c, hostCPUs: hostCPUs)
            if now - then > longWindowNs { long.insert(group) }
            switch group {
            case .cpu:
                out.cpuPercent = r.cpuPercent
                out.cpuPercentPerVCPU = r.cpuPercentPerVCPU
            case .block:
                out.rdBytesPerSec = r.rdBytesPerSec; out.wrBytesPerSec = r.wrBytesPerSec
                out.rdReqsPerSec = r.rdReqsPerSec; out.wrReqsPerSec = r.wrReqsPerSec
                out.perDisk = r.perDisk
            default:
                out.rxBytesPerSec = r.rxBytesPerSec; out.txBytesPerSec = r.txBytesPerSec
                out.rxPktsPerSec = r.rxPktsPerSec; out.txPktsPerSec = r.txPktsPerSec
                out.netErrsPerSec = r.netErrsPerSec; out.netDropsPerSec = r.netDropsPerSec
                out.perNIC = r.perNIC
            }
        }
        return (out, long)
    }
}
