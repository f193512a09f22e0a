import Foundation

/// The test bed brought up by `Tests/Bed/bed up` (real libvirtd + QEMU guests with VNC, and libvirtd
/// daemons on loopback TCP serving test-driver fleets). It describes itself in a JSON file;
/// integration tests read it here. A missing bed is a test failure, never a silent skip.
public struct TestBed: Decodable, Sendable {
    public struct Guest: Decodable, Sendable {
        public var name: String          // libvirt domain name on qemuURI
        public var mode: String          // "vgatext" or "fbcon-1024x768" …
        public var vncHost: String       // "127.0.0.1"
        public var vncPort: Int
        public var expectText: [String]? // lines known to be on its screen once booted
        public var prompt: String?       // its shell prompt on tty1 once booted, "NAME:/#"
        public var font: String?         // console font loaded with loadfont ("" = the built-in one)
        public var serialLog: String?    // its serial console (kernel log, READY marker): for debugging
        public var kernel: String?       // the kernel image it boots (UEFI fbcon guests): its built-in fonts
    }
    /// A guest of Tests/Bed/screens showing one screen state, drawn by the real software (a panic, GRUB, …).
    public struct StateGuest: Decodable, Sendable {
        public var name: String          // libvirt domain name on qemuURI ("scr-panic")
        public var state: String         // the state the screen rules must give: panic, grub, login, …
        public var mode: String          // "vgatext", "fbcon-1024x768", "grub-gfxterm-800x600" …
        public var vncHost: String
        public var vncPort: Int
        public var expectLine: String    // a regex the deciding line matches ("" for blank and picture)
        public var serialLog: String?
    }
    public struct TCPHost: Decodable, Sendable {
        public var name: String          // "bed1"
        public var uri: String           // test+tcp://127.0.0.1:16610/abs/path/fleet.xml
        public var port: Int
        public var domains: Int
        public var kind: String?         // "kvm" or "xen": the shape of its domains
        public var fleetFile: String?    // the test-driver node XML it serves
    }
    /// The bed's real Xen host (Tests/Bed/xen): Xen 4.17 + a Debian dom0 under QEMU, libvirt's libxl driver.
    public struct XenHost: Decodable, Sendable {
        public struct Guest: Decodable, Sendable {
            public var name: String          // "xen-fb" (PV framebuffer) or "xen-busy" (PV disk + NIC, busy CPU)
            public var memoryMib: Int
            public var vncPort: Int?         // the PV framebuffer's VNC port, dom0's and (forwarded) ours
            public var prompt: String?
            public var mode: String?
            public var expectText: [String]?
            public var consoleLog: String?   // its hvc0, logged by xenconsoled, a path in dom0
            public var disk: String?         // its PV disk's target ("xvda")
            public var bridge: String?
            public var mac: String?
        }
        public var uri: String               // xen+tcp://127.0.0.1:PORT/system
        public var sshUri: String            // xen+ssh://root@127.0.0.1:PORT/system?keyfile=…
        public var libvirtPort: Int
        public var sshPort: Int
        public var vncPort: Int
        public var qemuPid: Int32            // the QEMU running Xen: SIGSTOP hangs the whole host
        public var serialLog: String         // Xen's com1 then dom0's hvc0
        public var memoryMib: Int
        public var dom0MemoryMib: Int
        public var cpus: Int
        public var xenVersion: String?
        public var guests: [Guest]

        public func guest(_ name: String) throws -> Guest {
            guard let g = guests.first(where: { $0.name == name }) else { throw Failure.notUp("the Xen host has no guest \(name)") }
            return g
        }
    }
    /// bed.json's "xen": the host, or why there is none.
    private struct XenEntry: Decodable, Sendable {
        var host: XenHost?
        var error: String?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: K.self)
            error = try c.decodeIfPresent(String.self, forKey: .error)
            host = error == nil ? try XenHost(from: decoder) : nil
        }
        enum K: String, CodingKey { case error }
    }

    public var qemuURI: String
    /// The same libvirtd through the bed's loopback sshd: qemu+ssh://root@127.0.0.1:PORT/system?keyfile=…
    /// (libvirt's ssh transport, and the console's ssh tunnel). Nil in a bed.json from before it had one.
    public var sshQemuURI: String?
    public var guests: [Guest]
    public var tcpHosts: [TCPHost]
    /// Hosts only the tests that kill or stall a host use (one each), so tests that read every host of
    /// `tcpHosts` never meet a host another test is breaking at the same moment (suites run in parallel).
    public var spareHosts: [TCPHost]
    /// The state guests (Tests/Bed/screens); empty in a bed.json from before they existed.
    public var stateGuests: [StateGuest]
    /// UEFI guests (Tests/Bed/uefi): "uefi-shell-800x600" (OVMF at its UEFI shell; tests drive it with keys under
    /// `withGuest`), "uefi-setup-1024x768" (OVMF at its setup front page), "fbcon-1920x1080" and "fbcon-2560x1600"
    /// (Linux on efifb). Empty in a bed.json from before.
    public var uefiGuests: [Guest]
    /// The `bed` script, absolute path (a copy kept in the state dir); `bed kill-host NAME` (SIGKILL),
    /// `bed stall-host NAME` (SIGSTOP: hangs) and `bed start-host NAME` manage TCP daemons.
    public var script: String
    private var xenEntry: XenEntry?

    // bed.json says "qemu_uri": the snake-case conversion makes that "qemuUri", not "qemuURI".
    private enum CodingKeys: String, CodingKey {
        case qemuURI = "qemuUri", sshQemuURI = "sshQemuUri", guests, tcpHosts, spareHosts, stateGuests, script, uefiGuests
        case xenEntry = "xen"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        qemuURI = try c.decode(String.self, forKey: .qemuURI)
        sshQemuURI = try c.decodeIfPresent(String.self, forKey: .sshQemuURI)
        guests = try c.decode([Guest].self, forKey: .guests)
        tcpHosts = try c.decode([TCPHost].self, forKey: .tcpHosts)
        spareHosts = try c.decodeIfPresent([TCPHost].self, forKey: .spareHosts) ?? []
        stateGuests = try c.decodeIfPresent([StateGuest].self, forKey: .stateGuests) ?? []
        uefiGuests = try c.decodeIfPresent([Guest].self, forKey: .uefiGuests) ?? []
        script = try c.decode(String.self, forKey: .script)
        xenEntry = try c.decodeIfPresent(XenEntry.self, forKey: .xenEntry)
    }

    /// The Xen host, or a clear failure saying why the bed has none.
    public func xen() throws -> XenHost {
        if let h = xenEntry?.host { return h }
        if xenEntry == nil, let h = TestBed.xenStateFile() { return h }
        throw Failure.notUp("no Xen host: \(xenEntry?.error ?? "bed.json has no \"xen\" (a bed from before Tests/Bed/xen)")")
    }

    /// The Xen host's own record (state dir xen/host.json, status "ready"), for a bed.json rewritten by a `bed up`
    /// of a script from before Tests/Bed/xen while the Xen host runs on.
    private static func xenStateFile() -> XenHost? {
        let dir = (stateFile as NSString).deletingLastPathComponent + "/xen/"
        guard let status = try? String(contentsOfFile: dir + "status", encoding: .utf8),
              status.trimmingCharacters(in: .whitespacesAndNewlines) == "ready",
              let data = FileManager.default.contents(atPath: dir + "host.json") else { return nil }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try? d.decode(XenHost.self, from: data)
    }

    /// Whether the Xen tests run: always, unless the bed was brought up without its Xen host on purpose
    /// (`BED_XEN=0 bed up`: they are reported skipped). In CI (`CI` set) always: a missing or failed Xen host fails
    /// them, it never skips them.
    public static var xenTestsEnabled: Bool {
        if let ci = ProcessInfo.processInfo.environment["CI"], !ci.isEmpty, ci != "0", ci != "false" { return true }
        guard let bed = try? load() else { return true }
        return bed.xenEntry?.error?.hasPrefix("disabled") != true
    }

    /// The spare host reserved for one disruptive test: 0 = CollectorsTests' kill, 1 = the monitor e2e's.
    public func spareHost(_ n: Int) throws -> TCPHost {
        guard spareHosts.indices.contains(n) else {
            throw Failure.notUp("bed.json lists \(spareHosts.count) spare hosts, test needs #\(n + 1) (BED_SPARE_HOSTS)")
        }
        return spareHosts[n]
    }

    /// The state guest showing `state` (the first, if several), or a clear failure.
    public func stateGuest(_ state: String) throws -> StateGuest {
        guard let g = stateGuests.first(where: { $0.state == state }) else {
            throw Failure.notUp("bed.json has no state guest showing '\(state)' (Tests/Bed/screens)")
        }
        return g
    }

    /// `sshQemuURI`, or a clear failure (a bed brought up before it had an sshd).
    public func sshURI() throws -> String {
        guard let u = sshQemuURI else { throw Failure.notUp("bed.json has no ssh_qemu_uri (bed up starts the sshd)") }
        return u
    }

    public static var stateFile: String {
        ProcessInfo.processInfo.environment["FLEETTUI_BED_STATE"].map { $0 + "/bed.json" }
            ?? "/var/tmp/fleettui-bed/bed.json"
    }

    public enum Failure: Error, CustomStringConvertible {
        case notUp(String)
        public var description: String {
            switch self { case .notUp(let why): return "test bed is not up (\(why)); run: Tests/Bed/bed up" }
        }
    }

    /// Loads the bed description or throws a clear error.
    public static func load() throws -> TestBed {
        guard let data = FileManager.default.contents(atPath: stateFile) else {
            throw Failure.notUp("no \(stateFile)")
        }
        do {
            let d = JSONDecoder()
            d.keyDecodingStrategy = .convertFromSnakeCase
            return try d.decode(TestBed.self, from: data)
        } catch {
            throw Failure.notUp("unreadable \(stateFile): \(error)")
        }
    }

    /// Runs `body` holding `guest`'s keyboard and screen. Tests that type into a guest (or read what its
    /// screen shows) live in several suites, and suites run in parallel: without this, one test's keys land
    /// in the middle of another's command line. A lock file beside bed.json (flock), so separate test or
    /// bench processes wait for each other too.
    public func withGuest<T>(_ guest: Guest, timeout: TimeInterval = 300, _ body: () throws -> T) throws -> T {
        try withGuest(named: guest.name, timeout: timeout, body)
    }

    /// The same for any guest by name (the state guests: a test that reboots one holds it meanwhile, so the tests
    /// reading its screen wait; the Xen host's guests too).
    public func withGuest<T>(named name: String, timeout: TimeInterval = 300, _ body: () throws -> T) throws -> T {
        let path = (TestBed.stateFile as NSString).deletingLastPathComponent + "/keyboard-\(name).lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.notUp("cannot open \(path): errno \(errno)") }
        defer { close(fd) }   // closing the descriptor releases the lock
        let deadline = Date(timeIntervalSinceNow: timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw Failure.notUp("flock \(path): errno \(errno)") }
            guard Date() < deadline else { throw Failure.notUp("\(name)'s keyboard still held after \(Int(timeout)) s") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try body()
    }

    /// The same for several guests at once (their locks taken in order of name, so two holders of several never wait
    /// for each other): a reader of many screens whose states it checks holds them all.
    public func withGuests<T>(named names: [String], timeout: TimeInterval = 300, _ body: () throws -> T) throws -> T {
        func holding(_ rest: ArraySlice<String>) throws -> T {
            guard let first = rest.first else { return try body() }
            return try withGuest(named: first, timeout: timeout) { try holding(rest.dropFirst()) }
        }
        return try holding(Array(Set(names)).sorted()[...])
    }

    /// Runs `body` holding the Xen host: shared by the tests that only use it (they run side by side), exclusive
    /// for one that breaks it for a while (SIGSTOP of its QEMU), so no other test meets that damage. A lock file
    /// beside bed.json (flock), across test processes too.
    public func withXen<T>(exclusive: Bool = false, timeout: TimeInterval = 600, _ body: (XenHost) throws -> T) throws -> T {
        let host = try xen()
        let path = (TestBed.stateFile as NSString).deletingLastPathComponent + "/xen-host.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure.notUp("cannot open \(path): errno \(errno)") }
        defer { close(fd) }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw Failure.notUp("flock \(path): errno \(errno)") }
            guard Date() < deadline else { throw Failure.notUp("the Xen host still held by another test after \(Int(timeout)) s") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try body(host)
    }

    /// Runs the bed script with arguments (e.g. ["kill-host", "bed1"]); returns its exit status.
    @discardableResult
    public func run(_ args: [String]) throws -> Int32 {
        try Spawn.run(script, args, stdout: .inherit, stderr: .inherit, timeout: 900).status
    }
}
