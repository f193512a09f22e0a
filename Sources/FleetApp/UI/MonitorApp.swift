import ArgumentParser
import Collectors
import Foundation
import FleetCore
import ScreenSampler

/// The interactive monitor: the only loop that touches the terminal. It draws; everything else (collecting,
/// rates) happens on the fleet source's threads, which wake the loop when a new snapshot is ready.
struct MonitorApp {
    let source: FleetSource
    let options: UIOptions
    var colours: ColourSetting = .auto
    let delay: Double
    /// -d was on the command line: it wins over the settings file (BatchOptions always has a value).
    var delayGiven = MonitorApp.delayGivenOnCommandLine()
    /// --end-time: quit then.
    var endTime: Date? = nil
    /// Look at the guests' screens (a sampler beside the source): libvirt hosts and the demo, whose rows carry
    /// their VNC displays; not a Prometheus-fed source. Off unless the command asks (tests drive scripted sources).
    var lookAtScreens = false

    func run() throws {
        let terminal: Terminal
        do { terminal = try Terminal.open(colors: colours, mouse: !options.noMouse) } catch { throw CommandFailure(error) }
        defer { terminal.close() }
        try run(on: terminal)
        if let sig = terminal.interruptSignal { throw ExitCode(128 + sig) }
    }

    /// The monitor on an open terminal (the curses one, or a test's in-memory one) until `q` or a signal.
    func run(on terminal: TerminalIO) throws {
        let configPath = options.config ?? ConfigStore.defaultPath()
        var (settings, warnings) = options.noInitFile ? (MonitorSettings(), []) : ConfigStore.load(path: configPath)
        try apply(options, to: &settings)
        if delayGiven { settings.delay = delay }
        let (theme, themeWarnings) = try ThemeLoader.load(settings.theme)
        warnings += themeWarnings
        for w in warnings { FileHandle.standardError.write(Data(("fleettui: " + w + "\n").utf8)) }

        var state = MonitorState()
        state.sort = settings.sort
        state.columns = settings.columns
        state.grouped = settings.grouped
        state.delay = settings.delay
        state.consoleAvailable = ConsoleHook.available
        if let v = options.initialView { state.view = v }
        if options.blockInBytes == false { state.columns = state.columns.map { $0 == .rd ? .rdrq : $0 == .wr ? .wrrq : $0 } }
        if options.blockInBytes == true { state.columns = state.columns.map { $0 == .rdrq ? .rd : $0 == .wrrq ? .wr : $0 } }
        if options.noInitFile { state.saveDisabledReason = "W is off: started with --no-init-file" }
        if let first = warnings.first { state.message = Sanitize.oneLine(first, limit: 200) }

        let styles = ThemeStyles(theme: terminal.colorMode == .none ? BuiltinThemes.theme("monochrome")! : theme)
        let glyphs: Glyphs = terminal.unicode && !options.ascii ? .unicode : .ascii

        let waker = terminal.waker
        // Screens: the libvirt collectors' running domains are looked at by a sampler beside them.
        var sampler: ScreenSampler?
        var source = self.source
        if lookAtScreens && !options.noScreens {
            let s = ScreenSampler(options: ScreenSampler.Options(settings: settings.screens))
            sampler = s
            source = ScreenedFleet(base: source, sampler: s)
        }
        if settings.delay != delay { source.setInterval(settings.delay) }
        source.start(onUpdate: { waker.wake() })
        defer { source.stop() }

        // Columns left at the default get SCREEN when the screens are looked at.
        if sampler != nil && state.columns == DomainColumn.defaultSet { state.columns = DomainColumn.defaultWithScreen }
        var loop = Loop(state: state, settings: settings, configPath: configPath, styles: styles, glyphs: glyphs, endTime: endTime)
        loop.sampler = sampler
        try loop.run(source: source, terminal: terminal)
    }

    private func apply(_ o: UIOptions, to s: inout MonitorSettings) throws {
        if let spec = try o.sortSpec() { s.sort = spec }
        if let cols = try o.columnList() { s.columns = cols }
        if let t = o.theme { s.theme = t }
        if let g = o.groupByHost { s.grouped = g }
    }

    static func delayGivenOnCommandLine() -> Bool {
        CommandLine.arguments.dropFirst().contains { a in
            a == "-d" || a == "--delay" || a.hasPrefix("--delay=") || (a.hasPrefix("-d") && !a.hasPrefix("--") && a.count > 2)
        }
    }
}

/// The event loop's state: what is shown, and the derived table order.
private struct Loop {
    var state: MonitorState
    var settings: MonitorSettings
    let configPath: String
    let styles: ThemeStyles
    let glyphs: Glyphs
    let endTime: Date?
    var table = FleetTable()
    var history = FleetHistory()
    var demand: FleetDemand?
    var sampler: ScreenSampler?
    let clock: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss"
        return f
    }()

    mutating func run(source: FleetSource, terminal: TerminalIO) throws {
        var generation: UInt64 = .max
        var clockText = "--:--:--"
        while !terminal.interrupted {
            if let end = endTime, Date() >= end { return }
            let snap = source.latest()
            if snap.generation != generation {
                generation = snap.generation
                history.record(snap)
                clockText = clock.string(from: snap.time)
            }
            // Cheap when nothing changed: FleetTable recomputes only for a new generation, sort, filter or grouping.
            table.update(snapshot: snap, sort: state.sort, filter: state.filter, grouped: state.grouped)
            let layout = ScreenLayout(width: terminal.width, height: terminal.height)
            state.resolve(table, layout: layout)
            // Tell the source what is on screen: its collectors read that (and at once what is new on it).
            let want = state.demand(table: table, layout: layout)
            if want != demand { demand = want; source.setDemand(want) }
            var ctx = RenderContext(width: layout.width, height: layout.height, palette: styles, glyphs: glyphs,
                                    refreshedAt: clockText, snapshotAge: max(0, Date().timeIntervalSince(snap.time)))
            ctx.now = Date()
            terminal.draw(MonitorScreen.render(state, table: table, history: history, context: ctx))
            // The screens on show stay live: the detail pane's, the screens view's tiles.
            if let sampler {
                switch state.view {
                case .detail: sampler.focus(Set([state.detailKey].compactMap { $0 }))
                case .screens: sampler.focus(Set(ScreenTiles.visibleKeys(state, table: table, layout: layout)))
                default: sampler.focus([])
                }
            }

            // Wake at least once a second so a stalled collector shows its age.
            let wait = endTime.map { min(1.0, max(0.01, $0.timeIntervalSinceNow)) } ?? 1.0
            guard let key = terminal.nextKey(timeout: wait) else { continue }
            for effect in state.handle(key, table: table, layout: layout) {
                switch effect {
                case .quit: return
                case .setDelay(let d):
                    source.setInterval(d)
                    settings.delay = d
                case .saveConfig:
                    // settings.screens is kept as read: W never loses the user's [screens] rules.
                    settings.sort = state.sort; settings.columns = state.columns
                    settings.grouped = state.grouped; settings.delay = state.delay
                    do {
                        try ConfigStore.save(settings, path: configPath)
                        state.message = "Settings written to \(Sanitize.oneLine(configPath, limit: 120))"
                    } catch {
                        state.message = "Cannot write \(Sanitize.oneLine(configPath, limit: 80)): \(Sanitize.oneLine("\(error)", limit: 100))"
                    }
                case .repaint:
                    terminal.invalidate()
                case .attachConsole(let key):
                    attach(key, terminal: terminal)
                }
            }
        }
    }

    private mutating func attach(_ key: DomainKey, terminal: TerminalIO) {
        guard let row = table.snapshot.domains.first(where: { $0.sample.key == key }),
              let host = table.snapshot.hosts.first(where: { $0.config.id == key.hostID })?.config else {
            state.message = "That domain is gone"
            return
        }
        // The sampler stays off the displays while the console has the terminal (see ScreenSampler.pause).
        sampler?.pause(true)
        defer { sampler?.pause(false) }
        switch ConsoleHook.attach(row: row, host: host, terminal: terminal, palette: styles) {
        case .detached: state.message = "Detached from " + Sanitize.oneLine(row.sample.name, limit: 60)
        case .failed(let line): state.message = "Console: " + Sanitize.oneLine(line, limit: 200)
        case .interrupted: break      // the loop sees terminal.interrupted and returns
        }
        terminal.invalidate()
    }
}
