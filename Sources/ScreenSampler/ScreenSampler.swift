import CLibvirtShims
import Collectors
import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation
import Synchronization

/// Looks at every domain's screen now and then, beside the stats collectors: for each target, connect, take one
/// picture, read it, disconnect — never a key or a pointer event. Bounded concurrency in total and per host, one
/// timeout a look, backoff for displays that fail, each domain looked at every `period` seconds (sooner when it
/// starts, stops or restarts, or when asked). Results are an immutable `ScreenSnapshot` (text only: no pixels are
/// kept), handed over like the fleet snapshot.
///
/// Threads: one dispatcher that picks what is due, `concurrency` workers that do the looks (each look's VNC
/// session has its own thread while it lasts). A hung display holds one worker, and one of its host's slots, for
/// at most `timeout`: the other hosts' displays go on.
public final class ScreenSampler: Sendable {
    public struct Options: Sendable {
        public var settings = ScreenSettings()
        public var classifier = ScreenClassifier.builtIn
        public var look = ScreenLookOptions()
        /// Extra console fonts (--font) for recognition.
        public var extraFonts: [String] = []
        /// Cores the process may use while the sampler starts looks (its CPU time as the kernel counts it, averaged
        /// by a leaky bucket): past it, no new look starts until the average is back under; looks under way go on.
        /// A sweep of 500 displays costs about 2 core-seconds (Benchmarks/screens.sh), so this shapes how fast it
        /// goes, not what it sees. 0 or less: no limit.
        public var cpuBudget = 0.8
        public init() {}

        public init(settings: ScreenSettings) {
            self.settings = settings
            classifier = settings.classifier
            look.timeout = settings.timeout
        }
    }

    public let options: Options
    /// Looks between two heap trims.
    static let trimEvery = 16

    private struct Entry {
        var target: ScreenTarget
        var due: Double
        var inFlight = false
        var failures = 0
        var hint = ScreenReadHint()
        var screen: DomainScreen?
    }

    private struct Job {
        var target: ScreenTarget
        var hint: ScreenReadHint
        /// What the last look saw and made of it: the same observation again keeps its state (the rules are not run
        /// again).
        var last: (observation: ScreenObservation, state: ScreenState)?
    }

    private struct State {
        var entries: [DomainKey: Entry] = [:]
        var queue: [Job] = []
        var busyPerHost: [String: Int] = [:]
        var busy = 0
        var snapshot = ScreenSnapshot.empty
        var stopped = false
        var started = false
        var onUpdate: (@Sendable () -> Void)?
        var looksDone = 0
        var table: GlyphTable?
        var tableError: String?
        /// Screens someone is looking at (the detail pane, the screens view): looked at every `focusPeriod`.
        var focused: Set<DomainKey> = []
        var focusPeriod = 2.0
        var paused = false
    }

    private let state = Mutex(State())
    /// The dispatcher sleeps on this until the next look is due, a worker frees up, or the targets change.
    private let dispatchWake = DispatchSemaphore(value: 0)
    /// One signal per queued job (and one per worker to stop them).
    private let jobsReady = DispatchSemaphore(value: 0)
    private let ssh: SSHMultiplexer

    public init(options: Options, ssh: SSHMultiplexer = .shared) {
        self.options = options
        self.ssh = ssh
    }

    deinit { stop() }

    // MARK: - API

    /// Starts the dispatcher and the workers. `onUpdate` is called (on a sampler thread) after each look.
    public func start(onUpdate: (@Sendable () -> Void)? = nil) {
        let already = state.withLock { s -> Bool in
            s.onUpdate = onUpdate
            defer { s.started = true }
            return s.started
        }
        guard !already else { return }
        // The process-wide malloc setup (a fixed mmap threshold: each look's multi-MB frame is mapped and
        // unmapped whole, not left to fragment an arena) and libvirt's, for the graphics FD route.
        LibvirtRuntime.start()
        let d = Thread { [self] in dispatch() }
        d.name = "screens dispatcher"
        d.stackSize = 1 << 20
        d.start()
        for i in 0..<max(1, options.settings.concurrency) {
            let w = Thread { [self] in work() }
            w.name = "screens worker \(i)"
            w.stackSize = 4 << 20
            w.start()
        }
    }

    /// The domains to watch (e.g. from each new fleet snapshot: `ScreenTarget.targets(in:)`). New ones are looked
    /// at as soon as a worker is free; a domain whose lifecycle changed (started, restarted, its port moved) is
    /// looked at again in a few seconds; domains no longer listed are forgotten.
    public func setTargets(_ targets: [ScreenTarget]) {
        let now = Monotonic.now()
        state.withLock { s in
            var seen = Set<DomainKey>()
            seen.reserveCapacity(targets.count)
            for t in targets {
                seen.insert(t.key)
                if var e = s.entries[t.key] {
                    guard e.target != t else { continue }
                    if e.target.lifecycle != t.lifecycle {
                        // Give the guest a moment to draw, then look (and a period later as usual).
                        e.due = min(e.due, now + 3)
                        e.failures = 0
                    }
                    e.target = t
                    s.entries[t.key] = e
                } else {
                    s.entries[t.key] = Entry(target: t, due: now)
                }
            }
            if seen.count != s.entries.count {
                var removed = false
                for k in s.entries.keys where !seen.contains(k) {
                    s.entries[k] = nil
                    if s.snapshot.screens.removeValue(forKey: k) != nil { removed = true }
                }
                if removed { s.snapshot.generation += 1 }
            }
        }
        dispatchWake.signal()
    }

    /// Screens on show (the detail pane's, the screens view's tiles): looked at every `period` seconds while
    /// focused, so what is shown stays live; the rest keep the normal period. Newly focused ones are looked at now.
    public func focus(_ keys: Set<DomainKey>, period: Double = 2) {
        let now = Monotonic.now()
        let changed = state.withLock { s -> Bool in
            guard s.focused != keys || s.focusPeriod != period else { return false }
            for k in keys where !s.focused.contains(k) {
                if let seen = s.entries[k]?.screen?.seenAt, Date().timeIntervalSince(seen) < period { continue }
                s.entries[k]?.due = now
            }
            s.focused = keys
            s.focusPeriod = period
            return true
        }
        if changed { dispatchWake.signal() }
    }

    /// No new looks while paused (looks under way finish): the monitor pauses the sampler while a console has the
    /// terminal. Against qemu-xen's PV framebuffer, keys typed into the console were lost in 4 of 5 runs while the
    /// sampler kept connecting to the same display; nothing the sampler sees is on show then anyway. Resuming looks
    /// at what came due meanwhile.
    public func pause(_ paused: Bool) {
        state.withLock { $0.paused = paused }
        dispatchWake.signal()
    }

    /// Look at these domains (all when nil) as soon as possible.
    public func lookSoon(_ keys: [DomainKey]? = nil) {
        let now = Monotonic.now()
        state.withLock { s in
            for k in keys ?? Array(s.entries.keys) { s.entries[k]?.due = now }
        }
        dispatchWake.signal()
    }

    public func latest() -> ScreenSnapshot { state.withLock { $0.snapshot } }

    /// Looks finished since start (tests, benchmarks).
    public var completedLooks: Int { state.withLock { $0.looksDone } }

    /// Stops looking. Looks under way end within their timeout; the shared ssh masters stay for the process.
    public func stop() {
        let was = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return s.stopped
        }
        guard !was else { return }
        dispatchWake.signal()
        for _ in 0..<max(1, options.settings.concurrency) { jobsReady.signal() }
    }

    /// Every target looked at once (batch commands): returns when each has a screen, or `timeout` passed
    /// (targets still unseen are then `unreachable`).
    public static func sweep(_ targets: [ScreenTarget], options: Options, timeout: Double? = nil,
                             ssh: SSHMultiplexer = .shared) -> [DomainScreen] {
        let s = ScreenSampler(options: options, ssh: ssh)
        let progress = DispatchSemaphore(value: 0)
        s.start { progress.signal() }
        s.setTargets(targets)
        let limit = Monotonic.now() + (timeout ?? (options.look.timeout * Double(targets.count) + 30))
        var snap = s.latest()
        while snap.screens.count < targets.count && Monotonic.now() < limit {
            _ = progress.wait(timeout: .now() + 0.2)
            snap = s.latest()
        }
        s.stop()
        let now = Date()
        return targets.map { t in
            snap[t.key] ?? DomainScreen(key: t.key, hostName: t.hostName, domainName: t.domainName,
                                        state: options.classifier.classify(.unreachable("not looked at in time")),
                                        observation: .unreachable("not looked at in time"), seenAt: now, changedAt: now,
                                        route: "-")
        }
    }

    /// One look at one display, now, on the calling thread (`fleettui wait`): its observation and the route
    /// taken. `hint` carries what the previous look at the same display learnt.
    public static func lookOnce(_ target: ScreenTarget, options: Options, table: GlyphTable, hint: inout ScreenReadHint,
                                ssh: SSHMultiplexer = .shared) -> (observation: ScreenObservation, route: String) {
        LibvirtRuntime.start()
        let o = DisplayLook.look(target, options: options.look, ssh: ssh, table: table, hint: &hint)
        return (o.observation, o.route)
    }

    // MARK: - Dispatcher

    private func dispatch() {
        let table: GlyphTable?, fontError: String?
        do { table = try GlyphTable.system(extraFonts: options.extraFonts); fontError = nil } catch {
            table = nil; fontError = "\(error)"
        }
        state.withLock { $0.table = table; $0.tableError = fontError }
        let perHost = max(1, options.settings.perHost)
        let total = max(1, options.settings.concurrency)
        var cpu = CPUBudget(cores: options.cpuBudget)
        while true {
            let now = Monotonic.now()
            let overBudget = cpu.wait(now: now)
            let (stopped, queued, nextDue) = state.withLock { s -> (Bool, Int, Double) in
                if s.stopped { return (true, 0, 0) }
                var queued = 0
                if !s.paused, overBudget == 0, s.busy + s.queue.count < total {
                    // Due entries, most overdue first, within the host and total limits. Keys and times only: this
                    // runs after every look, over every entry.
                    var due: [(at: Double, key: DomainKey)] = []
                    for i in s.entries.indices where !s.entries.values[i].inFlight && s.entries.values[i].due <= now {
                        due.append((s.entries.values[i].due, s.entries.keys[i]))
                    }
                    due.sort { $0.at < $1.at }
                    for (_, key) in due {
                        guard s.busy + s.queue.count < total else { break }
                        let host = key.hostID
                        guard s.busyPerHost[host, default: 0] < perHost, let i = s.entries.index(forKey: key) else { continue }
                        s.busyPerHost[host, default: 0] += 1
                        s.entries.values[i].inFlight = true
                        let e = s.entries.values[i]
                        s.queue.append(Job(target: e.target, hint: e.hint, last: e.screen.map { ($0.observation, $0.state) }))
                        queued += 1
                    }
                }
                var next = Double.infinity
                // Paused: sleep until woken (resuming signals), not at every overdue entry's due time.
                if !s.paused {
                    for i in s.entries.indices where !s.entries.values[i].inFlight { next = min(next, s.entries.values[i].due) }
                }
                return (false, queued, next)
            }
            if stopped { return }
            for _ in 0..<queued { jobsReady.signal() }
            var wait = nextDue.isFinite ? max(0.01, min(nextDue - now, 5)) : 5
            // Over the CPU budget: look again once the bucket has drained (workers finishing wake it sooner).
            if overBudget > 0 { wait = min(wait, max(0.01, overBudget)) }
            _ = dispatchWake.wait(timeout: .now() + wait)
        }
    }

    // MARK: - Workers

    private func work() {
        while true {
            jobsReady.wait()
            guard let (job, glyphs, fontError) = state.withLock({ s -> (Job, GlyphTable?, String?)? in
                if s.stopped || s.queue.isEmpty { return nil }
                s.busy += 1
                return (s.queue.removeFirst(), s.table, s.tableError)
            }) else {
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            var hint = job.hint
            let outcome: DisplayLook.Outcome
            if let glyphs {
                outcome = DisplayLook.look(job.target, options: options.look, ssh: ssh, table: glyphs, hint: &hint)
            } else {
                outcome = DisplayLook.Outcome(observation: .unreachable("no console fonts: \(fontError ?? "?")"), route: "-")
            }
            let screenState = job.last.flatMap { $0.observation == outcome.observation ? $0.state : nil }
                ?? options.classifier.classify(outcome.observation)
            let (callback, trim, idle) = state.withLock { s -> ((@Sendable () -> Void)?, Bool, Bool) in
                s.busy -= 1
                s.busyPerHost[job.target.key.hostID, default: 1] -= 1
                s.looksDone += 1
                if var e = s.entries[job.target.key] {
                    let focused = s.focused.contains(job.target.key)
                    record(&e, target: job.target, hint: hint, outcome: outcome, state: screenState,
                           period: focused ? min(s.focusPeriod, options.settings.period) : options.settings.period)
                    s.entries[job.target.key] = e
                    s.snapshot.screens[job.target.key] = e.screen
                    s.snapshot.generation += 1
                }
                return (s.onUpdate, s.looksDone % ScreenSampler.trimEvery == 0, s.busy == 0 && s.queue.isEmpty)
            }
            dispatchWake.signal()
            // The frame buffers the looks pass on to each other (FramePool) go back once no look is under way: an
            // idle sampler keeps none.
            if idle { FramePool.shared.drain() }
            // Each look leaves freed frame-sized buffers in the heap; the screens kept are small strings scattered
            // among them, so the heap cannot shrink by itself: hand the free pages back now and then (memory stays
            // in proportion to the screens' text, not to the looks made).
            if trim { fleet_malloc_trim() }
            callback?()
        }
    }

    private func record(_ e: inout Entry, target: ScreenTarget, hint: ScreenReadHint, outcome: DisplayLook.Outcome,
                        state: ScreenState, period: Double) {
        let now = Date()
        e.inFlight = false
        e.hint = hint
        // Backoff for failing displays: the period, doubled per failure in a row, at most 10 minutes. A locked
        // display stays locked: every 10 minutes. Everything else: the period, with a little jitter so displays
        // seen together drift apart.
        let delay: Double
        switch outcome.observation {
        case .unreachable:
            e.failures += 1
            delay = min(600, period * pow(2, Double(min(e.failures - 1, 6))))
        case .locked:
            e.failures = 0
            delay = max(options.settings.period, 600)
        default:
            e.failures = 0
            delay = period
        }
        e.due = Monotonic.now() + delay * Double.random(in: 0.9...1.1)
        let changed = e.screen.map { $0.observation != outcome.observation || $0.state != state } ?? true
        e.screen = DomainScreen(key: target.key, hostName: target.hostName, domainName: target.domainName,
                                state: state, observation: outcome.observation, seenAt: now,
                                changedAt: changed ? now : (e.screen?.changedAt ?? now), route: outcome.route,
                                failures: e.failures)
    }
}

/// The sampler's CPU limit: a leaky bucket over the process's CPU time (user + system, getrusage). Credit accrues at
/// `cores` core-seconds a second up to a small burst; the CPU used since the last check is taken from it. In debt, no
/// new look starts for as long as paying it back takes.
struct CPUBudget {
    let cores: Double
    /// Core-seconds of credit at most: a burst (a sweep's first looks) goes at once.
    static let burst = 0.1
    private var credit = CPUBudget.burst
    private var lastCPU: Double
    private var lastWall: Double

    init(cores: Double) {
        self.cores = cores
        lastCPU = CPUBudget.processCPU()
        lastWall = Monotonic.now()
    }

    /// Seconds until the next look may start (0: now).
    mutating func wait(now: Double) -> Double {
        guard cores > 0 else { return 0 }
        let used = CPUBudget.processCPU()
        credit = min(CPUBudget.burst, credit + cores * (now - lastWall) - (used - lastCPU))
        lastCPU = used
        lastWall = now
        return credit >= 0 ? 0 : -credit / cores
    }

    static func processCPU() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
    }
}
