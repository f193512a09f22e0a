import Collectors
import FleetCore
import Foundation

/// Which host a `console`/`screen` domain lives on: `-c URI` when given; otherwise the fleet's hosts
/// (`--demo`, `--fleet FILE`, the default fleet file) are asked in parallel and the one host that has
/// the domain is used; with no fleet at all, libvirt's default URI (as virt-viewer does).
enum ConsoleTargetResolver {
    static func resolve(_ options: ConnectionOptions, domain: String, command: String) throws -> ConsoleTarget {
        if let uri = options.connect.first { return ConsoleTarget(uri: uri, domain: domain) }
        let hosts: [HostConfig]
        if options.demo { hosts = try FleetSourceFactory.demoHosts() }
        else if let file = options.fleet { hosts = try FleetSourceFactory.readFleetFile(file) }
        else if FileManager.default.fileExists(atPath: FleetSourceFactory.defaultFleetFile()) {
            hosts = try FleetSourceFactory.readFleetFile(FleetSourceFactory.defaultFleetFile())
        } else {
            return ConsoleTarget(uri: nil, domain: domain)
        }
        if hosts.count == 1 { return ConsoleTarget(uri: hosts[0].uri, domain: domain) }

        let found = hostsHaving(domain, among: hosts, timeout: 10)
        let name = Sanitize.oneLine(domain)
        switch found.count {
        case 1: return ConsoleTarget(uri: found[0].uri, domain: domain)
        case 0: throw CommandFailure("\(command): no domain \(name) on any of the fleet's \(hosts.count) hosts (or they did not answer); give -c URI")
        default:
            let names = found.map { Sanitize.oneLine($0.name) }.joined(separator: ", ")
            throw CommandFailure("\(command): \(name) is on several hosts (\(names)): give -c URI")
        }
    }

    /// The hosts on which `domain` (name or UUID) is defined, in fleet order. Hosts that do not answer
    /// within `timeout` count as not having it; their threads are left to finish on their own.
    static func hostsHaving(_ domain: String, among hosts: [HostConfig], timeout: Double) -> [HostConfig] {
        let found = Locked([Bool](repeating: false, count: hosts.count))
        let group = DispatchGroup()
        for (i, host) in hosts.enumerated() {
            group.enter()
            let t = Thread {
                defer { group.leave() }
                guard let c = try? Connection.open(host.uri.isEmpty ? nil : host.uri, readOnly: true) else { return }
                defer { c.close() }
                if (try? DisplayConnector.lookup(c, domain)) != nil {
                    found.withLock { $0[i] = true }
                }
            }
            t.stackSize = 1 << 20
            t.start()
        }
        _ = group.wait(timeout: .now() + timeout)
        let has = found.value
        return hosts.indices.filter { has[$0] }.map { hosts[$0] }
    }
}
