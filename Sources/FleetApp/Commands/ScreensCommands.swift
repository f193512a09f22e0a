import ArgumentParser
import Collectors
import CollectorsCore
import ConsoleCore
import FleetCore
import Foundation
import ScreenSampler

/// Screen sampler flags shared by `screens` and `wait` (they override config.toml's [screens]).
struct ScreenLookFlags: ParsableArguments {
    @Option(name: .customLong("look-timeout"), help: ArgumentHelp("Seconds for one look at a display (connect, picture). Default: config.toml's, else 5.", valueName: "SECONDS"))
    var timeout: Double?

    @Option(name: .long, help: ArgumentHelp("Displays read at once (default 8; per host: --per-host, default 4).", valueName: "N"))
    var concurrency: Int?

    @Option(name: .long, help: ArgumentHelp("Displays of one host read at once.", valueName: "N"))
    var perHost: Int?

    @Option(name: .customLong("font"), help: "Extra console font (PSF1/PSF2, .gz ok) to recognise with; repeatable.")
    var fonts: [String] = []

    @Option(name: .long, help: ArgumentHelp("Settings file with [screens] rules. Default: $XDG_CONFIG_HOME/fleettui/config.toml", valueName: "FILE"))
    var config: String?

    func validate() throws {
        if let t = timeout, !(0.5...120).contains(t) { throw ValidationError("--look-timeout must be 0.5 to 120 seconds") }
        if let n = concurrency, !(1...256).contains(n) { throw ValidationError("--concurrency must be 1 to 256") }
        if let n = perHost, !(1...64).contains(n) { throw ValidationError("--per-host must be 1 to 64") }
    }

    /// The sampler's options: config.toml's [screens] (warnings on stderr), then these flags.
    func options() -> ScreenSampler.Options {
        let (settings, warnings) = ConfigStore.load(path: config ?? ConfigStore.defaultPath())
        for w in warnings { stderrLine("warning: \(w)") }
        var s = settings.screens
        if let t = timeout { s.timeout = t }
        if let n = concurrency { s.concurrency = n }
        if let n = perHost { s.perHost = n }
        var o = ScreenSampler.Options(settings: s)
        o.extraFonts = fonts
        return o
    }
}

struct ScreensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screens",
        abstract: "What every guest's console says, fleet-wide: one line per domain with a VNC display.",
        discussion: """
        Each running domain's display is looked at once (read-only: no key or pointer is ever sent; displays that \
        want a password are reported as locked, never asked for one) and its screen read as text. The state comes \
        from rules (built in: panic, oops, emergency, noboot, fsck, uefi, grub, login, shell; plus blank, picture, \
        unreachable, locked, text; add your own in config.toml's [[screens.rule]]). Each line: host, domain, state, \
        and the line that decided it (or the --grep match). HOSTS are URIs or names from the fleet file.

        Exit status (as grep): 0 something matched, 1 nothing did, 3 some host or display could not be read.
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var look: ScreenLookFlags
    @Argument(help: "Hosts to look at: libvirt URIs or fleet file host names (default: every host).") var hosts: [String] = []
    @Option(name: .long, help: ArgumentHelp("Only screens with a line matching this regular expression (ICU; (?i) for any case).", valueName: "REGEX"))
    var grep: String?
    @Option(name: .long, help: ArgumentHelp("Only these states, comma separated (e.g. panic,emergency,fsck).", valueName: "LIST"))
    var state: String?
    @Flag(name: .long, help: "Print whole screens, each under a header.") var text = false
    @Flag(name: .long, help: "JSON lines (with each screen's text).") var json = false
    @Flag(name: .long, help: "CSV with a header line.") var csv = false

    func validate() throws {
        if [text, json, csv].filter({ $0 }).count > 1 { throw ValidationError("--text, --json and --csv are exclusive") }
        if let g = grep {
            do { _ = try ScreenPattern(g) } catch { throw ValidationError("--grep: \(error)") }
        }
    }

    func run() throws {
        var options = look.options()
        // A sweep must end: displays are looked at once and never retried.
        options.settings.period = 86_400
        var states: Set<String>?
        if let list = state {
            let known = Set(options.classifier.stateNames)
            let (names, unknown) = parseNameList(list) { known.contains($0) ? $0 : nil }
            guard unknown.isEmpty else {
                throw FleetSourceFactory.failure("screens: unknown state(s) \(unknown.map { Sanitize.oneLine($0) }.joined(separator: ", ")) (known: \(options.classifier.stateNames.joined(separator: ", ")))")
            }
            states = Set(names)
        }
        let grepPattern = try grep.map { try ScreenPattern($0) }

        let fleet: FleetSource
        if connection.demo && hosts.isEmpty {
            fleet = try FleetSourceFactory.demoSource(delay: 3600)   // the demo's consoles, served by this process
        } else {
            fleet = LibvirtFleet(hosts: try chooseHosts(), interval: 3600, label: nil)
        }
        let updated = DispatchSemaphore(value: 0)
        fleet.start { updated.signal() }
        // Every host's first listing (or failure); a host that hangs is given up on after the timeout.
        let deadline = Date(timeIntervalSinceNow: 15)
        var snap = fleet.latest()
        while snap.hosts.contains(where: { $0.refreshCount == 0 }) && Date() < deadline {
            _ = updated.wait(timeout: .now() + 0.1)
            snap = fleet.latest()
        }
        fleet.stop()

        var unreadable = false
        for h in snap.hosts where h.refreshCount == 0 || !h.everConnected || h.state == .down {
            unreadable = true
            stderrLine(h.refreshCount == 0 ? "\(Sanitize.oneLine(h.config.name)): no answer within 15 s"
                                                               : FleetSourceFactory.cannotOpen(h))
        }
        let targets = ScreenTarget.targets(in: snap)
        let screens = ScreenSampler.sweep(targets, options: options)
        for s in screens {
            switch s.observation {
            case .unreachable(let why), .locked(let why):
                unreadable = true
                stderrLine("\(Sanitize.oneLine(s.hostName))/\(Sanitize.oneLine(s.domainName)): \(s.state.name): \(Sanitize.oneLine(why))")
            default: break
            }
        }
        let items = ScreenReport.select(screens, grep: grepPattern, states: states)
        let format: ScreenReport.Format = json ? .json : csv ? .csv : text ? .text : .lines
        var out = ""
        if csv { out += CSV.line(ScreenReport.csvColumns) }
        out += ScreenReport.render(items, format: format)
        FileHandle.standardOutput.write(Data(out.utf8))
        throw ExitCode(unreadable ? 3 : (items.isEmpty ? 1 : 0))
    }

    /// `hosts` arguments (URIs, or names in the fleet file) on top of -c/--fleet/--demo; none: every host.
    private func chooseHosts() throws -> [HostConfig] {
        guard !hosts.isEmpty else {
            switch try FleetSourceFactory.chooseHosts(connection) {
            case .hosts(let h): return h
            case .noHypervisor(let why):
                throw FleetSourceFactory.failure("screens: no hypervisor answers at libvirt's default URI (\(why)); give -c URI or hosts")
            }
        }
        var fleetHosts: [HostConfig]?
        var out: [HostConfig] = connection.connect.isEmpty ? [] : FleetSourceFactory.hosts(fromURIs: connection.connect)
        var uris: [String] = []
        for h in hosts {
            if h.contains(":/") { uris.append(h); continue }
            if fleetHosts == nil {
                fleetHosts = connection.demo ? try FleetSourceFactory.demoHosts()
                    : try FleetSourceFactory.readFleetFile(connection.fleet ?? FleetSourceFactory.defaultFleetFile())
            }
            guard let f = fleetHosts?.first(where: { $0.name == h }) else {
                throw FleetSourceFactory.failure("screens: no host named \(Sanitize.oneLine(h)) in the fleet (give a libvirt URI, or --fleet FILE)")
            }
            out.append(f)
        }
        out += FleetSourceFactory.hosts(fromURIs: uris)
        return out
    }
}

struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until a guest's screen shows one of the patterns (after a reboot: its login prompt).",
        discussion: """
        The screen is looked at about every --interval seconds (read-only, as `screens` does) while the domain \
        runs; while it is down, restarting or its display cannot be read, waiting goes on. Prints the pattern that \
        matched and the screen line, separated by a tab, and exits 0; after --timeout seconds exits 124 (as \
        timeout(1)) with what the screen showed last on stderr. After `virsh reboot` or `reset`, give --changed: \
        the guest's display still shows the old screen (its old login prompt) until the firmware redraws it, so \
        patterns count only once the screen has differed from what the first look saw.
        """)
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var look: ScreenLookFlags
    @Argument(help: "Domain name or UUID") var domain: String
    @Option(name: .customLong("for"), help: ArgumentHelp("A regular expression (ICU; (?i) for any case) to wait for on any screen line; repeatable.", valueName: "REGEX"))
    var patterns: [String] = []
    @Option(name: .customLong("timeout"), help: ArgumentHelp("Give up after this many seconds (exit status 124; default: wait forever).", valueName: "SECONDS"))
    var waitTimeout: Double?
    @Option(name: .long, help: ArgumentHelp("Seconds between two looks at the screen.", valueName: "SECONDS"))
    var interval: Double = 1
    @Flag(name: .long, help: "Match only after the screen has changed from what the first look saw (after a reboot or reset: not the old prompt).")
    var changed = false

    func validate() throws {
        if patterns.isEmpty { throw ValidationError("give at least one --for REGEX") }
        for p in patterns {
            do { _ = try ScreenPattern(p) } catch { throw ValidationError("--for: \(error)") }
        }
        if connection.connect.count > 1 { throw ValidationError("wait watches one guest: give one -c URI") }
        if !(0.1...60).contains(interval) { throw ValidationError("--interval must be 0.1 to 60 seconds") }
        if let t = waitTimeout, t <= 0 { throw ValidationError("--timeout must be more than 0") }
    }

    func run() throws {
        let compiled = try patterns.map { try ScreenPattern($0) }
        let options = look.options()
        let target = try ConsoleTargetResolver.resolve(connection, domain: domain, command: "wait")
        let table: GlyphTable
        do { table = try GlyphTable.system(extraFonts: options.extraFonts) } catch {
            throw FleetSourceFactory.failure("wait: \(error)")
        }
        let end = waitTimeout.map { Monotonic.now() + $0 }
        var hint = ScreenReadHint()
        var conn: Connection?
        var last = "nothing yet"
        var gate = ScreenChangeGate(waitForChange: changed)
        defer { conn?.close() }
        while true {
            let started = Monotonic.now()
            let look = lookAtDomain(target, conn: &conn, options: options, table: table, hint: &hint, last: &last)
            let admitted: Bool
            switch look {
            case .down: admitted = gate.admitsDomainDown()
            case .screen(let observation): admitted = gate.admits(observation)
            case nil: admitted = false
            }
            if admitted, case .screen(.text(let screen)) = look {
                let lines = ScreenLines(screen.trimmedLines)
                for (p, pattern) in zip(patterns, compiled) {
                    if let i = pattern.firstMatchingLine(in: lines) {
                        FileHandle.standardOutput.write(Data("\(p)\t\(Sanitize.forTerminal(lines.lines[i]))\n".utf8))
                        return
                    }
                }
            }
            if let end, Monotonic.now() >= end {
                stderrLine("wait: \(Sanitize.oneLine(domain)): none of the patterns within \(DomainRecord.number(waitTimeout ?? 0)) s; the screen showed: \(last)")
                throw ExitCode(124)
            }
            let pause = max(0.05, interval - (Monotonic.now() - started))
            Thread.sleep(forTimeInterval: end.map { min(pause, max(0.01, $0 - Monotonic.now())) } ?? pause)
        }
    }

    /// One look at the domain: what its screen showed (text, blank, a picture, or unreadable), `.down` when it is
    /// not running, nil when that could not be told (libvirt failed, no VNC display): `last` says what it was.
    private func lookAtDomain(_ target: ConsoleTarget, conn: inout Connection?, options: ScreenSampler.Options,
                              table: GlyphTable, hint: inout ScreenReadHint, last: inout String) -> ScreenLook? {
        do {
            if conn == nil || conn?.isAlive == false {
                conn?.close()
                conn = try Connection.open(target.uri, readOnly: true)
            }
            let c = conn!
            let dom = try DisplayConnector.lookup(c, target.domain)
            guard dom.id != nil else { last = "domain not running"; return .down }
            let desc = try DomainXML.parse(dom.xmlDesc())
            guard let i = desc.graphics.firstIndex(where: { $0.type.lowercased() == "vnc" }) else {
                last = "no VNC display"; return nil
            }
            let uri = (try? c.canonicalURI()) ?? (target.uri ?? "")
            let t = ScreenTarget(key: DomainKey(hostID: uri, uuid: dom.uuid), hostName: uri, hostURI: uri,
                                 domainName: dom.name, graphics: desc.graphics[i], graphicsIndex: i, lifecycle: "")
            let (observation, _) = ScreenSampler.lookOnce(t, options: options, table: table, hint: &hint)
            let state = options.classifier.classify(observation)
            last = "\(state.name)" + (state.line.map { ": \(Sanitize.oneLine($0))" } ?? "")
            return .screen(observation)
        } catch {
            last = Sanitize.oneLine("\(error)")
            if let c = conn, !c.isAlive { c.close(); conn = nil }
            return nil
        }
    }
}

/// What one look of `wait` found: the domain down, or what its display showed.
private enum ScreenLook {
    case down
    case screen(ScreenObservation)
}

/// One `fleettui: …` line on stderr (a diagnostic that does not end the command).
private func stderrLine(_ line: String) {
    FileHandle.standardError.write(Data("fleettui: \(Sanitize.oneLine(line, limit: 500))\n".utf8))
}
