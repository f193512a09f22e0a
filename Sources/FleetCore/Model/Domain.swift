/// What a domain is and what its counters said at one instant, as a collector read them.
/// Counters are cumulative totals straight from libvirt; rates come from `RateCalculator`.

/// A domain is identified by the host it runs on and its UUID — never by name or numeric id.
public struct DomainKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var hostID: String
    public var uuid: String
    public init(hostID: String, uuid: String) { self.hostID = hostID; self.uuid = uuid }
    public static func < (a: DomainKey, b: DomainKey) -> Bool {
        (a.hostID, a.uuid) < (b.hostID, b.uuid)
    }
    public var description: String { "\(hostID)/\(uuid)" }
}

/// libvirt's virDomainState, by name.
public enum DomainState: String, Sendable, CaseIterable, Codable {
    case nostate, running, blocked, paused, shutdown, shutoff, crashed, pmsuspended

    /// From the raw `virDomainState` value.
    public init(libvirtValue v: Int) {
        switch v {
        case 1: self = .running
        case 2: self = .blocked
        case 3: self = .paused
        case 4: self = .shutdown
        case 5: self = .shutoff
        case 6: self = .crashed
        case 7: self = .pmsuspended
        default: self = .nostate
        }
    }

    /// Is the domain consuming resources (has an id, counters move)?
    public var isActive: Bool {
        switch self {
        case .running, .blocked, .paused, .shutdown, .pmsuspended: return true
        case .nostate, .shutoff, .crashed: return false
        }
    }
}

/// How a guest is virtualised, as operators name it.
public enum VirtKind: String, Sendable, CaseIterable, Codable {
    case kvm = "KVM"      // QEMU with hardware acceleration
    case qemu = "QEMU"    // QEMU/TCG, no acceleration
    case xenPV = "PV"
    case xenPVH = "PVH"
    case xenHVM = "HVM"
    case lxc = "LXC"
    case other = "?"
}

/// One disk's or one NIC's cumulative counters.
public struct DeviceCounters: Sendable, Hashable, Codable {
    public var name: String        // "vda", "vnet0", "xvda" …
    public var path: String?       // disk source path, NIC MAC/bridge if known
    // block: read/write bytes and requests
    public var rdBytes: UInt64?
    public var wrBytes: UInt64?
    public var rdReqs: UInt64?
    public var wrReqs: UInt64?
    public var errors: UInt64?
    // network: rx/tx bytes, packets, errors, drops
    public var rxBytes: UInt64?
    public var txBytes: UInt64?
    public var rxPkts: UInt64?
    public var txPkts: UInt64?
    public var rxErrs: UInt64?
    public var txErrs: UInt64?
    public var rxDrop: UInt64?
    public var txDrop: UInt64?
    // block capacity (bytes) where known
    public var capacity: UInt64?
    public var allocation: UInt64?

    public init(name: String, path: String? = nil) { self.name = name; self.path = path }
}

/// One reading of one domain. Every counter is optional: any group or field may be missing
/// from a driver, and "unknown" must never be shown as 0.
public struct DomainSample: Sendable, Hashable {
    public var key: DomainKey
    public var name: String
    public var id: Int?                 // nil when inactive
    public var state: DomainState
    public var stateReason: Int
    public var kind: VirtKind
    public var pvDrivers: Bool          // HVM guest with PV disk/net drivers
    public var vcpus: Int?
    public var maxVcpus: Int?
    public var cpuTimeNs: UInt64?       // cumulative
    public var cpuUserNs: UInt64?
    public var cpuSystemNs: UInt64?
    public var memCurrentKiB: UInt64?   // balloon current (or GetInfo memory)
    public var memMaximumKiB: UInt64?   // balloon maximum (or GetInfo maxMem)
    public var memRSSKiB: UInt64?       // host resident set of the guest process
    public var memUsedKiB: UInt64?      // guest-reported used (available - unused), where known
    public var disks: [DeviceCounters]
    public var nics: [DeviceCounters]
    /// Monotonic time of the reading, nanoseconds (DispatchTime.uptimeNanoseconds or equivalent).
    public var monotonicNs: UInt64

    public init(key: DomainKey, name: String, id: Int? = nil, state: DomainState, stateReason: Int = 0,
                kind: VirtKind = .other, pvDrivers: Bool = false, vcpus: Int? = nil, maxVcpus: Int? = nil,
                cpuTimeNs: UInt64? = nil, memCurrentKiB: UInt64? = nil, memMaximumKiB: UInt64? = nil,
                disks: [DeviceCounters] = [], nics: [DeviceCounters] = [], monotonicNs: UInt64) {
        self.key = key; self.name = name; self.id = id; self.state = state; self.stateReason = stateReason
        self.kind = kind; self.pvDrivers = pvDrivers; self.vcpus = vcpus; self.maxVcpus = maxVcpus
        self.cpuTimeNs = cpuTimeNs; self.memCurrentKiB = memCurrentKiB; self.memMaximumKiB = memMaximumKiB
        self.disks = disks; self.nics = nics; self.monotonicNs = monotonicNs
    }

    /// Sum of one counter over all devices; nil when no device reports it.
    public static func total(_ devices: [DeviceCounters], _ field: KeyPath<DeviceCounters, UInt64?>) -> UInt64? {
        var sum: UInt64? = nil
        for d in devices { if let v = d[keyPath: field] { sum = (sum ?? 0) &+ v } }
        return sum
    }
}

/// Rates derived from two samples of one domain (per second). nil = unknown (first sample,
/// counter missing, or reset), never a fake 0 or a spike.
public struct DomainRates: Sendable, Hashable {
    public var cpuPercent: Double?          // of the whole host, virt-top's formula
    public var cpuPercentPerVCPU: Double?   // normalised by the domain's vCPUs
    public var rdBytesPerSec: Double?
    public var wrBytesPerSec: Double?
    public var rdReqsPerSec: Double?
    public var wrReqsPerSec: Double?
    public var rxBytesPerSec: Double?
    public var txBytesPerSec: Double?
    public var rxPktsPerSec: Double?
    public var txPktsPerSec: Double?
    public var netErrsPerSec: Double?       // rx+tx errors
    public var netDropsPerSec: Double?      // rx+tx drops
    public var perDisk: [String: DeviceRates] = [:]
    public var perNIC: [String: DeviceRates] = [:]
    public init() {}
}

public struct DeviceRates: Sendable, Hashable {
    public var rdBytesPerSec: Double?
    public var wrBytesPerSec: Double?
    public var rdReqsPerSec: Double?
    public var wrReqsPerSec: Double?
    public var rxBytesPerSec: Double?
    public var txBytesPerSec: Double?
    public var rxPktsPerSec: Double?
    public var txPktsPerSec: Double?
    public init() {}
}

/// A domain as the UI and the exporters see it: the latest sample, its rates, and whether the
/// host it lives on is currently answering (stale = last known values of a host that dropped out).
public struct DomainRow: Sendable, Hashable, Identifiable {
    public var sample: DomainSample
    public var rates: DomainRates
    public var stale: Bool
    /// % of the host's physical memory (memCurrent / host memory).
    public var memPercent: Double?
    /// Host display name (fleet file name or URI host part).
    public var hostName: String
    /// From the domain XML (cached by the collector); nil until read.
    public var description: DomainDescription?
    /// Groups whose values in this row are not from the last refresh (issue 15): not read (the domain is not
    /// shown, or is paused and off screen), or a rate averaged over a long window (the row was just scrolled
    /// back into view). Their rates are nil or that average; the table marks such a row with `~`.
    public var held: StatGroups = []
    /// What its console shows, from the screen sampler (nil: not looked at, or no sampler).
    public var screen: DomainScreen?
    public var id: DomainKey { sample.key }

    public init(sample: DomainSample, rates: DomainRates, stale: Bool = false, memPercent: Double? = nil, hostName: String) {
        self.sample = sample; self.rates = rates; self.stale = stale; self.memPercent = memPercent; self.hostName = hostName
    }
}
