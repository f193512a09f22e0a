/// Per-second rates from two readings of one domain. Pure: no clock, no I/O.
///
/// %CPU follows virt-top: `100 * Δcpu_ns / (Δwall_ns * host_cpus)`; per vCPU it is `… / vcpus`.
/// Unknown stays unknown: nil on the first sample, on zero or negative elapsed time, when a counter is
/// missing on either side, and when a counter went backwards (the domain restarted — a reset, never a
/// negative rate or a spike).
public enum RateCalculator {
    public static func rates(previous: DomainSample?, current: DomainSample, hostCPUs: Int?) -> DomainRates {
        var r = DomainRates()
        guard let prev = previous, current.monotonicNs > prev.monotonicNs else { return r }
        let dtNs = Double(current.monotonicNs - prev.monotonicNs)
        let dtSec = dtNs / 1e9

        if let dcpu = delta(prev.cpuTimeNs, current.cpuTimeNs) {
            if let cpus = hostCPUs, cpus > 0 { r.cpuPercent = 100 * Double(dcpu) / (dtNs * Double(cpus)) }
            if let v = current.vcpus, v > 0 { r.cpuPercentPerVCPU = 100 * Double(dcpu) / (dtNs * Double(v)) }
        }

        var diskRates: [String: DeviceRates] = [:]
        for d in current.disks {
            guard let p = prev.disks.first(where: { $0.name == d.name }) else { continue }
            var dr = DeviceRates()
            dr.rdBytesPerSec = rate(p.rdBytes, d.rdBytes, dtSec)
            dr.wrBytesPerSec = rate(p.wrBytes, d.wrBytes, dtSec)
            dr.rdReqsPerSec = rate(p.rdReqs, d.rdReqs, dtSec)
            dr.wrReqsPerSec = rate(p.wrReqs, d.wrReqs, dtSec)
            diskRates[d.name] = dr
        }
        r.perDisk = diskRates
        r.rdBytesPerSec = total(current.disks, prev.disks, \.rdBytes, dtSec)
        r.wrBytesPerSec = total(current.disks, prev.disks, \.wrBytes, dtSec)
        r.rdReqsPerSec = total(current.disks, prev.disks, \.rdReqs, dtSec)
        r.wrReqsPerSec = total(current.disks, prev.disks, \.wrReqs, dtSec)

        var nicRates: [String: DeviceRates] = [:]
        for n in current.nics {
            guard let p = prev.nics.first(where: { $0.name == n.name }) else { continue }
            var nr = DeviceRates()
            nr.rxBytesPerSec = rate(p.rxBytes, n.rxBytes, dtSec)
            nr.txBytesPerSec = rate(p.txBytes, n.txBytes, dtSec)
            nr.rxPktsPerSec = rate(p.rxPkts, n.rxPkts, dtSec)
            nr.txPktsPerSec = rate(p.txPkts, n.txPkts, dtSec)
            nicRates[n.name] = nr
        }
        r.perNIC = nicRates
        r.rxBytesPerSec = total(current.nics, prev.nics, \.rxBytes, dtSec)
        r.txBytesPerSec = total(current.nics, prev.nics, \.txBytes, dtSec)
        r.rxPktsPerSec = total(current.nics, prev.nics, \.rxPkts, dtSec)
        r.txPktsPerSec = total(current.nics, prev.nics, \.txPkts, dtSec)
        r.netErrsPerSec = sum(total(current.nics, prev.nics, \.rxErrs, dtSec), total(current.nics, prev.nics, \.txErrs, dtSec))
        r.netDropsPerSec = sum(total(current.nics, prev.nics, \.rxDrop, dtSec), total(current.nics, prev.nics, \.txDrop, dtSec))
        return r
    }

    /// Counter increase, nil when unknown on either side or when it went backwards (reset).
    public static func delta(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
        guard let a, let b, b >= a else { return nil }
        return b - a
    }

    static func rate(_ a: UInt64?, _ b: UInt64?, _ dtSec: Double) -> Double? {
        delta(a, b).map { Double($0) / dtSec }
    }

    private static func sum(_ a: Double?, _ b: Double?) -> Double? {
        a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0)
    }

    /// Sum of one counter's rate over the devices present in both readings. nil when no device has it
    /// on both sides, or when any device was reset (a partial sum would be a fake dip).
    private static func total(_ cur: [DeviceCounters], _ prev: [DeviceCounters],
                              _ counter: KeyPath<DeviceCounters, UInt64?>, _ dtSec: Double) -> Double? {
        var sum: Double? = nil
        for d in cur {
            guard let p = prev.first(where: { $0.name == d.name }),
                  let a = p[keyPath: counter], let b = d[keyPath: counter] else { continue }
            guard b >= a else { return nil }
            sum = (sum ?? 0) + Double(b - a) / dtSec
        }
        return sum
    }
}
