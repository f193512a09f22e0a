import Foundation
import FleetCore

/// Hand-built snapshots and a minimal reader of the Prometheus text format, for pure tests.
public enum FleetFixtures {
    public static func host(_ name: String, state: ConnectionState = .up, cpus: Int? = 8, memKiB: UInt64? = 16 << 20) -> HostStatus {
        var h = HostStatus(config: HostConfig(name: name, uri: "test+tcp://127.0.0.1:16610/\(name).xml"), state: state)
        h.cpus = cpus; h.memoryKiB = memKiB; h.hypervisor = "TEST"
        h.refreshLatency = 0.012; h.callsLastRefresh = 1
        return h
    }

    public static func row(host: String, name: String, uuid: String, state: DomainState = .running, cpuNs: UInt64? = 5_000_000_000,
                    disks: [DeviceCounters] = [], nics: [DeviceCounters] = [], stale: Bool = false) -> DomainRow {
        var s = DomainSample(key: DomainKey(hostID: host, uuid: uuid), name: name, id: 3, state: state, kind: .kvm,
                             vcpus: 2, cpuTimeNs: cpuNs, memCurrentKiB: 1 << 20, memMaximumKiB: 2 << 20,
                             disks: disks, nics: nics, monotonicNs: 1)
        s.memRSSKiB = 512 * 1024
        return DomainRow(sample: s, rates: DomainRates(), stale: stale, hostName: host)
    }

    public static func disk(_ name: String, path: String? = "/img/\(UUID().uuidString).qcow2") -> DeviceCounters {
        var d = DeviceCounters(name: name, path: path)
        d.rdBytes = 4096; d.wrBytes = 8192; d.rdReqs = 10; d.wrReqs = 20
        return d
    }

    public static func nic(_ name: String) -> DeviceCounters {
        var d = DeviceCounters(name: name)
        d.rxBytes = 1000; d.txBytes = 2000; d.rxPkts = 10; d.txPkts = 20; d.rxErrs = 0; d.txErrs = 1; d.rxDrop = 2; d.txDrop = 3
        return d
    }

    /// Sample lines of an exposition body as (name, labels, value); comment lines skipped.
    public static func samples(_ body: [UInt8]) -> [PromSeries] {
        let text = String(decoding: body, as: UTF8.self)
        var out: [PromSeries] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var labels: [String: String] = [:]
            var i = line.startIndex
            while i < line.endIndex, line[i] != "{", line[i] != " " { i = line.index(after: i) }
            labels["__name__"] = String(line[line.startIndex..<i])
            if i < line.endIndex, line[i] == "{" {
                i = line.index(after: i)
                while line[i] != "}" {
                    let eq = line[i...].firstIndex(of: "=")!
                    let key = String(line[i..<eq])
                    var j = line.index(eq, offsetBy: 2)     // past ="
                    var value = ""
                    while line[j] != "\"" {
                        if line[j] == "\\" {
                            j = line.index(after: j)
                            value.append(line[j] == "n" ? "\n" : line[j])
                        } else { value.append(line[j]) }
                        j = line.index(after: j)
                    }
                    labels[key] = value
                    i = line.index(after: j)
                    if line[i] == "," { i = line.index(after: i) }
                }
                i = line.index(after: i)
            }
            let valueText = line[line.index(after: i)...]
            out.append(PromSeries(labels: labels, value: Double(valueText) ?? .nan))
        }
        return out
    }
}
