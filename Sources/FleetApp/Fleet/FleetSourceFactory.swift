import ArgumentParser
import Collectors
import FleetCore
import Foundation

/// Which hosts to watch, and the source that watches them:
/// `--source KIND=URL` (another stats source) › `--demo` › `-c URI` (repeatable) › `--fleet FILE` or
/// `$XDG_CONFIG_HOME/fleettui/fleet.toml` › `LIBVIRT_DEFAULT_URI` › libvirt's default, if a local
/// hypervisor answers within a few seconds › else the built-in demo fleet, labelled "demo fleet".
enum FleetSourceFactory {
    /// `demand`: what the first readings need (nil: everything), e.g. batch `--columns`.
    static func make(_ options: ConnectionOptions, delay: Double, demand: FleetDemand? = nil) throws -> FleetSource {
        if let src = options.source { return try ExternalSource.make(src, delay: delay) }
        let (hosts, label) = try chooseHosts(options)
        let fleet = LibvirtFleet(hosts: hosts, interval: delay, label: label)
        if let demand { fleet.setDemand(demand) }
        fleet.startCollecting()
        try requireSomeHostAnswers(fleet)
        return fleet
    }

    // MARK: hosts

    static func chooseHosts(_ options: ConnectionOptions) throws -> ([HostConfig], String?) {
        if options.demo { return (try demoHosts(), "demo fleet") }
        if !options.connect.isEmpty { return (hosts(fromURIs: options.connect), nil) }
        if let file = options.fleet {
            return (try readFleetFile(file), nil)
        }
        let defaultFile = defaultFleetFile()
        if FileManager.default.fileExists(atPath: defaultFile) { return (try readFleetFile(defaultFile), nil) }
        if let env = ProcessInfo.processInfo.environment["LIBVIRT_DEFAULT_URI"], !env.isEmpty {
            return (hosts(fromURIs: [env]), nil)
        }
        if let local = probeLocalHypervisor(timeout: 3) { return ([local], nil) }
        return (try demoHosts(), "demo fleet")
    }

    static func defaultFleetFile() -> String {
        let env = ProcessInfo.processInfo.environment
        let config = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return config + "/fleettui/fleet.toml"
    }

    static func readFleetFile(_ path: String) throws -> [HostConfig] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("cannot read fleet file \(Sanitize.oneLine(path))")
        }
        do {
            return try FleetFile.parse(String(decoding: data, as: UTF8.self), source: Sanitize.oneLine(path))
        } catch {
            throw failure("\(error)")
        }
    }

    static func demoHosts() throws -> [HostConfig] {
        do { return try DemoFleet.hosts() } catch { throw failure("\(error)") }
    }

    /// One host per URI, named by the URI's host part (or file name, or the URI itself), made unique.
    static func hosts(fromURIs uris: [String]) -> [HostConfig] {
        var used: Set<String> = []
        return uris.map { uri in
            var name = displayName(uri)
            var n = 2
            while used.contains(name) { name = "\(displayName(uri)) (\(n))"; n += 1 }
            used.insert(name)
            return HostConfig(name: name, uri: uri)
        }
    }

    static func displayName(_ uri: String) -> String {
        guard let comps = URLComponents(string: uri), let scheme = comps.scheme else { return uri }
        if let host = comps.host, !host.isEmpty {
            return comps.port.map { "\(host):\($0)" } ?? host
        }
        if scheme.hasPrefix("test"), comps.path.hasSuffix(".xml") {
            return (comps.path as NSString).lastPathComponent
        }
        return uri
    }

    /// Opens libvirt's default connection on a side thread, so a hypervisor that never answers
    /// cannot hang startup: nil when nothing answers within `timeout`.
    static func probeLocalHypervisor(timeout: Double) -> HostConfig? {
        let found = Locked<HostConfig?>(nil)
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            if let c = try? Connection.open(nil) {
                let uri = (try? c.canonicalURI()) ?? ""
                let host = HostConfig(name: uri.isEmpty ? "localhost" : displayName(uri), uri: uri)
                found.withLock { $0 = host }
                c.close()
            }
            done.signal()
        }
        t.stackSize = 1 << 20
        t.start()
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return found.value
    }

    // MARK: first contact

    /// Waits (a few seconds at most) for every host's first attempt. If every host has failed,
    /// there is nothing to show: one line per host, exit status 1.
    static func requireSomeHostAnswers(_ fleet: LibvirtFleet) throws {
        let deadline = Date(timeIntervalSinceNow: 5)
        var snap = fleet.latest()
        while snap.hosts.contains(where: { $0.refreshCount == 0 }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            snap = fleet.latest()
        }
        let attempted = snap.hosts.filter { $0.refreshCount > 0 }
        guard attempted.count == snap.hosts.count, attempted.allSatisfy({ !$0.everConnected }) else { return }
        fleet.stop()
        throw CommandFailure(lines: snap.hosts.map(cannotOpen))
    }

    static func cannotOpen(_ h: HostStatus) -> String {
        "cannot open \(Sanitize.oneLine(h.config.uri.isEmpty ? "libvirt's default URI" : h.config.uri)): \(h.lastError ?? "no answer")"
    }

    static func failure(_ line: String) -> CommandFailure { CommandFailure(line) }
}
