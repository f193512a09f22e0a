import CLibvirt
import CollectorsCore
import Foundation

/// What `virDomainGetInfo` says.
public struct DomainInfo: Sendable, Hashable {
    public var state: Int
    public var maxMemKiB: UInt64
    public var memoryKiB: UInt64
    public var vcpus: Int
    public var cpuTimeNs: UInt64
}

/// `virDomainBlockStats` (-1 = unknown, mapped to nil).
public struct BlockStats: Sendable, Hashable {
    public var rdReqs: UInt64?, rdBytes: UInt64?, wrReqs: UInt64?, wrBytes: UInt64?, errors: UInt64?
}

/// `virDomainInterfaceStats` (-1 = unknown, mapped to nil).
public struct InterfaceStats: Sendable, Hashable {
    public var rxBytes: UInt64?, rxPackets: UInt64?, rxErrs: UInt64?, rxDrop: UInt64?
    public var txBytes: UInt64?, txPackets: UInt64?, txErrs: UInt64?, txDrop: UInt64?
}

/// One domain handle (`virDomainPtr`). Owned handles are freed on deinit; borrowed ones (inside a
/// stats record list) live as long as the list.
public final class Domain: @unchecked Sendable {   // wraps virDomainPtr (C); libvirt domain handles are thread-safe
    let ptr: virDomainPtr
    private let owned: Bool

    init(owning p: virDomainPtr) { ptr = p; owned = true }
    init(borrowing p: virDomainPtr) { ptr = p; owned = false }
    deinit { if owned { _ = virDomainFree(ptr) } }

    /// Local (no RPC): the handle carries name, UUID and id.
    public var name: String { virDomainGetName(ptr).map { String(cString: $0) } ?? "" }
    public var uuid: String { Self.uuidString(of: ptr) ?? "" }
    /// nil when inactive.
    public var id: Int? {
        let v = virDomainGetID(ptr)
        return v == UInt32.max ? nil : Int(v)
    }

    static func uuidString(of p: virDomainPtr) -> String? {
        var buf = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        guard virDomainGetUUIDString(p, &buf) == 0 else { virResetLastError(); return nil }
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func info() throws -> DomainInfo {
        var i = virDomainInfo()
        guard virDomainGetInfo(ptr, &i) == 0 else { throw LibvirtError.last("virDomainGetInfo") }
        return DomainInfo(state: Int(i.state), maxMemKiB: UInt64(i.maxMem), memoryKiB: UInt64(i.memory),
                          vcpus: Int(i.nrVirtCpu), cpuTimeNs: UInt64(i.cpuTime))
    }

    /// The domain's total CPU time, user and system, ns (`virDomainGetCPUStats`, all CPUs together): on QEMU
    /// the same cgroup counters as the bulk call's cpu-total group, without what that group adds in libvirt 9:
    /// cpu.haltpoll.*, a round trip to every QEMU (28 ms of daemon CPU and 1.2-1.5 s of wall time for 62
    /// domains at load 50, against 8.6 ms and 12 ms for 62 of these calls; Benchmarks/CallCostBench).
    public func cpuStats() throws -> (total: UInt64, user: UInt64?, system: UInt64?) {
        var params = [virTypedParameter](repeating: virTypedParameter(), count: 4)
        let n = virDomainGetCPUStats(ptr, &params, UInt32(params.count), -1, 1, 0)
        guard n >= 0 else { throw LibvirtError.last("virDomainGetCPUStats") }
        var total: UInt64?, user: UInt64?, system: UInt64?
        for i in 0..<min(Int(n), params.count) where params[i].type == Int32(VIR_TYPED_PARAM_ULLONG.rawValue) {
            let v = params[i].value.ul
            switch Self.fieldName(&params[i]) {
            case 1: total = v
            case 2: user = v
            case 3: system = v
            default: break
            }
        }
        guard let total else {
            throw LibvirtError(code: Int32(VIR_ERR_NO_SUPPORT.rawValue), domain: 0,
                               message: "no cpu_time in the domain's CPU stats", operation: "virDomainGetCPUStats")
        }
        return (total, user, system)
    }

    /// 1 cpu_time, 2 user_time, 3 system_time, 0 another field (compared in place: no String per call).
    private static func fieldName(_ p: inout virTypedParameter) -> Int {
        withUnsafeBytes(of: &p.field) { raw -> Int in
            func isName(_ s: StaticString) -> Bool {
                let n = s.utf8CodeUnitCount
                guard n < raw.count, raw[n] == 0 else { return false }
                return memcmp(raw.baseAddress!, s.utf8Start, n) == 0
            }
            if isName("cpu_time") { return 1 }
            if isName("user_time") { return 2 }
            if isName("system_time") { return 3 }
            return 0
        }
    }

    /// (virDomainState, reason)
    public func state() throws -> (state: Int, reason: Int) {
        var s: Int32 = 0, r: Int32 = 0
        guard virDomainGetState(ptr, &s, &r, 0) == 0 else { throw LibvirtError.last("virDomainGetState") }
        return (Int(s), Int(r))
    }

    /// Memory statistics by tag (VIR_DOMAIN_MEMORY_STAT_*), KiB.
    public func memoryStats() throws -> [Int32: UInt64] {
        var stats = [virDomainMemoryStatStruct](repeating: virDomainMemoryStatStruct(),
                                                count: Int(VIR_DOMAIN_MEMORY_STAT_NR.rawValue))
        let n = virDomainMemoryStats(ptr, &stats, UInt32(stats.count), 0)
        guard n >= 0 else { throw LibvirtError.last("virDomainMemoryStats") }
        var out: [Int32: UInt64] = [:]
        for i in 0..<Int(n) { out[stats[i].tag] = stats[i].val }
        return out
    }

    public func blockStats(device: String) throws -> BlockStats {
        var s = virDomainBlockStatsStruct()
        guard virDomainBlockStats(ptr, device, &s, MemoryLayout<virDomainBlockStatsStruct>.size) == 0 else {
            throw LibvirtError.last("virDomainBlockStats")
        }
        return BlockStats(rdReqs: known(s.rd_req), rdBytes: known(s.rd_bytes), wrReqs: known(s.wr_req),
                          wrBytes: known(s.wr_bytes), errors: known(s.errs))
    }

    public func interfaceStats(device: String) throws -> InterfaceStats {
        var s = virDomainInterfaceStatsStruct()
        guard virDomainInterfaceStats(ptr, device, &s, MemoryLayout<virDomainInterfaceStatsStruct>.size) == 0 else {
            throw LibvirtError.last("virDomainInterfaceStats")
        }
        return InterfaceStats(rxBytes: known(s.rx_bytes), rxPackets: known(s.rx_packets), rxErrs: known(s.rx_errs),
                              rxDrop: known(s.rx_drop), txBytes: known(s.tx_bytes), txPackets: known(s.tx_packets),
                              txErrs: known(s.tx_errs), txDrop: known(s.tx_drop))
    }

    /// The domain XML. `secure` adds passwords (needs a read-write connection); callers must never
    /// keep or print them — `DomainXML.parse` records only whether one is set.
    public func xmlDesc(secure: Bool = false) throws -> String {
        let flags: UInt32 = secure ? UInt32(VIR_DOMAIN_XML_SECURE.rawValue) : 0
        guard let s = virDomainGetXMLDesc(ptr, flags) else { throw LibvirtError.last("virDomainGetXMLDesc") }
        defer {
            if secure { memset(s, 0, strlen(s)) }   // do not leave a password in freed memory
            free(s)
        }
        return String(cString: s)
    }
}

private func known(_ v: Int64) -> UInt64? { v < 0 ? nil : UInt64(v) }
