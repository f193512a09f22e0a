import Foundation

/// libvirt's own client-side debug log of every public API call fleettui makes (LIBVIRT_LOG_FILTERS /
/// LIBVIRT_LOG_OUTPUTS), read back as the stats calls made: how tests observe what a command asks libvirt for
/// (issue 15: batch and export ask only for the groups they print or serve).
public struct LibvirtClientLog {
    public let path: String

    /// A log file in the temporary directory (removed by `remove()`).
    public init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-libvirt-\(UUID().uuidString).log").path
    }

    /// `base` (default: this process's environment) plus the variables that make libvirt log every API call to `path`.
    public func environment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var env = base
        env["LIBVIRT_LOG_FILTERS"] = "1:libvirt.domain"
        env["LIBVIRT_LOG_OUTPUTS"] = "1:file:\(path)"
        return env
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    public var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// The stats-related calls in the log.
    public var calls: Calls { Calls(text) }

    public struct Calls: Sendable {
        /// virConnectGetAllDomainStats / virDomainListGetStats "stats=0x…" (VIR_DOMAIN_STATS_*).
        public var bulkMasks: [UInt32] = []
        public var blockStats = 0, interfaceStats = 0, memoryStats = 0, getInfo = 0, cpuStats = 0
        /// Any API call was logged (else a test would observe nothing).
        public var sawAPICalls = false

        public init(_ text: String) {
            for line in text.split(separator: "\n") {
                if line.contains(" debug : virDomainGetXMLDesc:") { sawAPICalls = true }
                if line.contains(" virConnectGetAllDomainStats:") || line.contains(" virDomainListGetStats:") {
                    if let r = line.range(of: "stats=0x") {
                        let hex = line[r.upperBound...].prefix { $0.isHexDigit }
                        if let v = UInt32(hex, radix: 16) { bulkMasks.append(v) }
                    }
                }
                if line.contains(" virDomainBlockStats:") { blockStats += 1 }
                if line.contains(" virDomainInterfaceStats:") { interfaceStats += 1 }
                if line.contains(" virDomainMemoryStats:") { memoryStats += 1 }
                if line.contains(" virDomainGetInfo:") { getInfo += 1 }
                if line.contains(" virDomainGetCPUStats:") { cpuStats += 1 }
            }
        }

        /// VIR_DOMAIN_STATS_INTERFACE (0x10) or _BLOCK (0x20) in a bulk call, or a per-device call.
        public var asksBlockOrInterface: Bool {
            blockStats > 0 || interfaceStats > 0 || bulkMasks.contains { $0 & (0x10 | 0x20) != 0 }
        }
        /// VIR_DOMAIN_STATS_BALLOON (0x4) in a bulk call, or virDomainMemoryStats.
        public var asksBalloon: Bool { memoryStats > 0 || bulkMasks.contains { $0 & 0x4 != 0 } }

        public var summary: String {
            "\(bulkMasks.count) bulk calls, masks \(Set(bulkMasks).sorted().map { "0x" + String($0, radix: 16) }); BlockStats \(blockStats), InterfaceStats \(interfaceStats), "
                + "MemoryStats \(memoryStats), GetInfo \(getInfo), GetCPUStats \(cpuStats)"
        }
    }
}
