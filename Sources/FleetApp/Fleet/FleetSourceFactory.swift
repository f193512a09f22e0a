import ArgumentParser
import Collectors
import Demo
import FleetCore
import Foundation

/// Which hosts to watch, and the source that watches them:
/// `--source KIND=URL` (another stats source) › `--demo` › `-c URI` (repeatable) › `--fleet FILE` or
/// `$XDG_CONFIG_HOME/fleettui/fleet.toml` › `LIBVIRT_DEFAULT_URI` › libvirt's default, if a local
/// hypervisor answers within a few seconds › else, in the interactive monitor only, the built-in demo fleet
/// (labelled "demo fleet" in the title). Batch output and the exporter never fall back to the demo: with no
/// hypervisor they stop with one line saying so (exit status 1), unless `--demo` is given.
enum FleetSourceFactory {
    /// `demand`: what the first readings need (nil: everything), e.g. batch `--columns`.
    /// `demoFallback`: open the demo fleet when no hypervisor answers (the interactive monitor).
    static func make(_ options: ConnectionOptions, delay: Double, demand: FleetDemand? = nil,
                     demoFallback: Bool = false) throws -> FleetSource {
        if let src = options.source { return try ExternalSource.make(src, delay: delay) }
        if options.demo { return try demoSource(delay: delay) }
        switch try chooseHosts(options) {
        case .hosts(let hosts):
            let fleet = LibvirtFleet(hosts: hosts, interval: delay)
            if let demand { fleet.setDemand(demand) }
            fleet.startCollecting()
            try requireSomeHostAnswers(fleet)
            return fleet
        case .noHypervisor(let why):
            if demoFallback { return try demoSource(delay: delay) }
            throw failure("no hypervisor answers at libvirt's default URI (\(why)); give -c URI, or --demo for the built-in demo fleet")
        }
    }

    /// The built-in demo: simulated stats (it reads everything anyway: no demand), its guests' consoles served by
    /// this process.
    static func demoSource(delay: Double) throws -> FleetSource {
        let demo: DemoRuntime
        do { demo = try DemoRuntime.shared() } catch { throw failure("demo fleet: \(error)") }
        if let p = demo.consoleProblem { FileHandle.standardError.write(Data("fleettui: warning: \(p)\n".utf8)) }
        return demo.makeSource(interval: delay)
    }

    // MARK: hosts

    enum Choice {
        case hosts([HostConfig])
        /// Nothing configured and libvirt's default URI did not answer (why, one line).
        case noHypervisor(String)
    }

    static func chooseHosts(_ options: ConnectionOptions) throws -> Choice {
        if options.demo { return .hosts(try demoHosts()) }
        if !options.connect.isEmpty { return .hosts(hosts(fromURIs: options.connect)) }
        if let file = options.fleet {
            return .hosts(try readFleetFile(file))
        }
        let defaultFile = defaultFleetFile()
        if FileManager.default.fileExists(atPath: defaultFile) { return .hosts(try readFleetFile(defaultFile)) }
        if let env = ProcessInfo.processInfo.environment["LIBVIRT_DEFAULT_URI"], !env.isEmpty {
            return .hosts(hosts(fromURIs: [env]))
        }
        switch probeLocalHypervisor(timeout: 3) {
        case .success(let local): return .hosts([local])
        case .failure(let why): return .noHypervisor(why.description)
        }
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

    /// The demo's hosts (test-driver node files whose VNC displays this process serves, or another one does).
    static func demoHosts() throws -> [HostConfig] {
        do { return try DemoRuntime.shared().hosts } catch { throw failure("demo fleet: \(error)") }
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

    struct ProbeFailure: Error, CustomStringConvertible { var description: String }

    /// Opens libvirt's default connection on a side thread, so a hypervisor that never answers
    /// cannot hang startup: libvirt's reason when it fails, or "no answer within N s".
    static func probeLocalHypervisor(timeout: Double) -> Result<HostConfig, ProbeFailure> {
        let found = Locked<Result<HostConfig, ProbeFailure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            do {
                let c = try Connection.open(nil)
                let uri = (try? c.canonicalURI()) ?? ""
                let host = HostConfig(name: uri.isEmpty ? "localhost" : displayName(uri), uri: uri)
                found.withLock { $0 = .success(host) }
                c.close()
            } catch {
                found.withLock { $0 = .failure(ProbeFailure(description: Sanitize.oneLine("\(error)", limit: 200))) }
            }
            done.signal()
        }
        t.stackSize = 1 << 20
        t.start()
        guard done.wait(timeout: .now() + timeout) == .success, let r = found.value else {
            return .failure(ProbeFailure(description: "no answer within \(Int(timeout)) s"))
        }
        return r
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
