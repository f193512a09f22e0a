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

        // Device counters and where their rates go come from the one counter table (Counters.disk, Counters.nic).
        r.perDisk = deviceRates(current.disks, prev.disks, Counters.disk, dtSec, domain: &r)
        r.perNIC = deviceRates(current.nics, prev.nics, Counters.nic, dtSec, domain: &r)
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

    /// Each device's rates (devices present in both readings) and, into `domain`, the domain's sums: a domain rate
    /// fed by several counters (errors and drops: rx + tx) is their sum, nil when none of them is known.
    private static func deviceRates(_ cur: [DeviceCounters], _ prev: [DeviceCounters], _ table: [Counter<DeviceCounters>],
                                    _ dtSec: Double, domain: inout DomainRates) -> [String: DeviceRates] {
        var perDevice: [String: DeviceRates] = [:]
        for d in cur {
            guard let p = prev.first(where: { $0.name == d.name }) else { continue }
            var dr = DeviceRates()
            for c in table {
                guard let device = c.rate?.device else { continue }
                dr[keyPath: device] = rate(p[keyPath: c.field], d[keyPath: c.field], dtSec)
            }
            perDevice[d.name] = dr
        }
        var sums: [WritableKeyPath<DomainRates, Double?>: Double?] = [:]
        for c in table {
            guard let target = c.rate?.domain else { continue }
            let key: WritableKeyPath<DomainRates, Double?> = target
            sums[key] = sum(sums[key] ?? nil, total(cur, prev, c.field, dtSec))
        }
        for (key, value) in sums { domain[keyPath: key] = value }
        return perDevice
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
