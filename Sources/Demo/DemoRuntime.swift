import Collectors
import CollectorsCore
import ConsoleCore
import DemoCore
import FleetCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The demo fleet in this process: its hosts (libvirt test-driver node files, copied into the demo directory
/// with their VNC sockets filled in, so that libvirt, `virsh -c test:///…` and the console's display lookup all
/// see the same guests and displays), the simulated world behind the stats, and the guests' consoles served on
/// those sockets. One per process, made by the first `DemoRuntime.shared()`.
public final class DemoRuntime: Sendable {
    /// Where the node files and the display sockets are: `$XDG_RUNTIME_DIR/fleettui-demo`, else
    /// `/tmp/fleettui-demo-UID` (a directory of ours, mode 0700).
    public let directory: String
    public let hosts: [HostConfig]
    public let specs: [DemoHostSpec]
    public let seed: UInt64
    /// Wall-clock seconds when the demo started in this process.
    public let start: Double
    /// Why the consoles cannot show text (no console font installed), if so.
    public let consoleProblem: String?
    private let server: DemoConsoleServer

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private static let made = Mutex<Result<DemoRuntime, Failure>?>(nil)

    /// The process's demo, made (files written, consoles served) on first use.
    public static func shared() throws -> DemoRuntime {
        try made.withLock { slot in
            if slot == nil { slot = Result { () throws(Failure) -> DemoRuntime in try DemoRuntime(directory: defaultDirectory()) } }
            return try slot!.get()
        }
    }

    /// A demo whose files and sockets are in `directory` (tests make their own; the program uses `shared()`).
    init(directory: String, seed: UInt64 = DemoWorld.defaultSeed) throws(Failure) {
        let dir = try Self.prepareDirectory(directory)
        self.directory = dir
        self.seed = seed
        start = Date().timeIntervalSince1970
        let source: URL
        do { source = try DemoFleet.directory() } catch { throw Failure(description: "\(error)") }
        var specs: [DemoHostSpec] = []
        for m in DemoFleet.members {
            let xml: String
            do {
                xml = try String(contentsOf: source.appendingPathComponent(m.file), encoding: .utf8)
                    .replacingOccurrences(of: "@DEMO_CONSOLES@", with: Self.xmlEscaped(dir))
            } catch { throw Failure(description: "cannot read the demo fleet's \(m.file): \(error.localizedDescription)") }
            let path = dir + "/" + m.file
            try Self.write(xml, to: path)
            let node: NodeXML
            do { node = try NodeXML.parse(xml) } catch { throw Failure(description: "\(m.file): \(error)") }
            specs.append(DemoHostSpec(config: HostConfig(id: m.name, name: m.name, uri: "test://" + path, group: m.group), node: node))
        }
        self.specs = specs
        hosts = specs.map(\.config)

        // The consoles: every guest running now that has a display and something to show on it.
        let world = DemoWorld(hosts: specs, seed: seed, start: start)
        let fb = Result { try DemoFonts.framebuffer() }, vga = Result { try DemoFonts.vga() }
        var problem: String?
        var displays: [HostedDisplay] = []
        for spec in specs {
            for d in spec.node.domains where d.state == .running {
                guard let guest = world.guest(host: spec.config.id, name: d.name), let console = guest.profile.console,
                      let socket = d.description.graphics.first(where: { $0.type == "vnc" })?.socket else { continue }
                let font: ConsoleFont?
                switch console.display {
                case .framebuffer: font = try? fb.get()
                case .vgaText: font = try? vga.get()
                }
                if font == nil, !console.isPicture { problem = "demo consoles show no text: \(DemoFonts.Missing())" }
                displays.append(HostedDisplay(name: d.name, socketPath: socket,
                                              console: DemoGuestConsole(spec: console, guest: guest, font: font, now: start)))
            }
        }
        consoleProblem = problem
        server = DemoConsoleServer(displays: displays)
        server.start()
    }

    /// The guests whose displays this demo serves (or watches for another process serving them).
    public var consoleNames: [String] { server.names }

    /// A fleet source for the demo: simulated stats, refreshed every `interval` seconds.
    public func makeSource(interval: Double, label: String = "demo fleet") -> DemoFleetSource {
        DemoFleetSource(specs: specs, seed: seed, interval: interval, label: label)
    }

    /// Stops serving the consoles (tests; a process's demo otherwise lives as long as the process).
    public func stopConsoles() { server.stop() }

    // MARK: - the directory

    static func defaultDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let run = env["XDG_RUNTIME_DIR"], run.hasPrefix("/") { return run + "/fleettui-demo" }
        return "/tmp/fleettui-demo-\(getuid())"
    }

    /// Makes the directory (0700) or checks that an existing one is ours: a real directory, owned by us, closed
    /// to others (in /tmp, someone else could have made it first).
    static func prepareDirectory(_ dir: String) throws(Failure) -> String {
        if mkdir(dir, 0o700) != 0 && errno != EEXIST {
            throw Failure(description: "cannot make the demo directory \(Sanitize.oneLine(dir)): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard lstat(dir, &st) == 0, st.st_mode & S_IFMT == S_IFDIR, st.st_uid == getuid(), st.st_mode & 0o077 == 0 else {
            throw Failure(description: "the demo directory \(Sanitize.oneLine(dir)) is not a private directory of this user; remove it")
        }
        // A display's socket path must fit in sockaddr_un (108 bytes).
        guard dir.utf8.count + "/qemu-tcg-arm-test.sock".utf8.count < 108 else {
            throw Failure(description: "the demo directory \(Sanitize.oneLine(dir)) is too long a path for its display sockets")
        }
        return dir
    }

    /// Writes the file only if it differs (several processes may start the demo at once): a temporary file
    /// renamed over it, so a reader never sees half of one.
    static func write(_ text: String, to path: String) throws(Failure) {
        if let old = FileManager.default.contents(atPath: path), old == Data(text.utf8) { return }
        let tmp = path + ".\(getpid()).tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
            guard rename(tmp, path) == 0 else { throw Failure(description: String(cString: strerror(errno))) }
        } catch {
            unlink(tmp)
            throw Failure(description: "cannot write \(Sanitize.oneLine(path)): \(error)")
        }
    }

    static func xmlEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
