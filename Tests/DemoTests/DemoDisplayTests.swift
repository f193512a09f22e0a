import ConsoleBridge
import ConsoleCore
@testable import Demo
import DemoCore
import FleetCore
import Foundation
import Synchronization
import Testing

/// The demo's displays over real VNC: libvncserver serving each guest's console on its UNIX socket, the console
/// view's own VNC client (libvncclient, VNCSession) reading it, the real recogniser turning the pixels into text.
@Suite(.serialized) struct DemoDisplayTests {
    static let table: GlyphTable = { try! GlyphTable.system() }()

    /// A private demo directory (short: display socket paths must fit in 108 bytes).
    static func makeDirectory() -> String {
        let d = "/tmp/ftd-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        return d
    }

    /// What the guest's screen should be: the same console, made the same way, in this test.
    func expectedLines(_ rt: DemoRuntime, _ name: String) throws -> [String] {
        let world = DemoWorld(hosts: rt.specs, seed: rt.seed, start: rt.start)
        let g = try #require(rt.hosts.lazy.compactMap { world.guest(host: $0.id, name: name) }.first)
        let spec = try #require(g.profile.console)
        let font = try { if case .vgaText = spec.display { return try DemoFonts.vga() } else { return try DemoFonts.framebuffer() } }()
        return try #require(DemoGuestConsole(spec: spec, guest: g, font: font, now: rt.start).lines)
    }

    func socket(_ rt: DemoRuntime, _ name: String) -> String { rt.directory + "/" + name + ".sock" }

    @Test(arguments: ["web-frontend-1", "db-primary-pvhvm", "k8s-worker-2", "grafana", "qemu-tcg-arm-test"])
    func everyTextConsoleIsReadExactlyThroughVNC(_ name: String) throws {
        let rt = try DemoRuntime(directory: Self.makeDirectory())
        defer { rt.stopConsoles(); try? FileManager.default.removeItem(atPath: rt.directory) }
        let viewer = try Viewer(path: socket(rt, name))
        defer { viewer.close() }
        let screen = try viewer.waitForScreen(Self.table) { $0.isText && $0.inkCells > 0 }
        #expect(screen.recognisedFraction == 1)
        let expected = try expectedLines(rt, name), got = screen.lines()
        let diff = zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(3)
            .map { "row \($0.offset): got '\($0.element.0)' want '\($0.element.1)'" }
        #expect(got == expected, "\(name): \(screen.geometry): \(diff.joined(separator: "; "))")
        #expect(viewer.desktopName == "\(name) (FleetTUI demo)")
    }

    @Test func picturesArriveAsPictures() throws {
        let rt = try DemoRuntime(directory: Self.makeDirectory())
        defer { rt.stopConsoles(); try? FileManager.default.removeItem(atPath: rt.directory) }
        let viewer = try Viewer(path: socket(rt, "win2019-hvm"))
        defer { viewer.close() }
        let frame = try viewer.waitForFrame { f in f.width == 1024 && Set(f.pixels.prefix(5000)).count > 10 }
        var reader = ScreenReader(table: Self.table)
        #expect(!reader.screen(of: frame).isText)
    }

    @Test func typingLogsInAndTheShellAnswers() throws {
        let rt = try DemoRuntime(directory: Self.makeDirectory())
        defer { rt.stopConsoles(); try? FileManager.default.removeItem(atPath: rt.directory) }
        let viewer = try Viewer(path: socket(rt, "gitlab"))
        defer { viewer.close() }
        _ = try viewer.waitForScreen(Self.table) { s in s.lines().last { !$0.isEmpty } == "gitlab login:" }
        viewer.type("root\n")
        _ = try viewer.waitForScreen(Self.table) { s in s.lines().last { !$0.isEmpty } == "root@gitlab:~#" }
        let word = "hi-\(UInt32.random(in: 0..<UInt32.max))"
        viewer.type("echo \(word)\n")
        let s = try viewer.waitForScreen(Self.table) { $0.lines().contains(word) }
        let lines = s.lines()
        let i = try #require(lines.firstIndex(of: word))
        #expect(lines[i - 1] == "root@gitlab:~# echo \(word)" && lines[i + 1] == "root@gitlab:~#")
        // A second viewer (the screens sampler, `screen --demo`) sees the same screen.
        let second = try Viewer(path: socket(rt, "gitlab"))
        defer { second.close() }
        #expect(try second.waitForScreen(Self.table) { $0.lines().contains(word) }.lines() == lines)
    }

    /// Two processes showing the demo at once: the first serves each display, the second's server waits; when
    /// the first stops, the second takes the displays over.
    @Test func anotherProcessTakesTheDisplaysOverWhenTheServingOneEnds() throws {
        let dir = Self.makeDirectory()
        let first = try DemoRuntime(directory: dir)
        let second = try DemoRuntime(directory: dir)
        defer { second.stopConsoles(); try? FileManager.default.removeItem(atPath: dir) }
        let viewer = try Viewer(path: socket(first, "k8s-control-1"))
        _ = try viewer.waitForScreen(Self.table) { $0.isText && $0.inkCells > 0 }
        viewer.type("root\n")
        _ = try viewer.waitForScreen(Self.table) { s in s.lines().last { !$0.isEmpty } == "root@k8s-control-1:~#" }
        first.stopConsoles()
        try viewer.waitUntilClosed()
        // The second process's server claims it (within a second) and shows its own, fresh console.
        let deadline = Date(timeIntervalSinceNow: 5)
        var again: Viewer?
        while again == nil && Date() < deadline {
            again = try? Viewer(path: socket(second, "k8s-control-1"), timeout: 1)
            if again == nil { Thread.sleep(forTimeInterval: 0.2) }
        }
        let v = try #require(again, "nobody took the display over")
        defer { v.close() }
        _ = try v.waitForScreen(Self.table) { s in s.lines().last { !$0.isEmpty } == "k8s-control-1 login:" }
    }

    @Test func theDirectoryMustBeOurs() throws {
        let dir = Self.makeDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        chmod(dir, 0o777)
        #expect(throws: DemoRuntime.Failure.self) { try DemoRuntime(directory: dir) }
    }
}

/// A VNCSession on a demo display, collecting frames.
final class Viewer: Sendable {
    let session: VNCSession

    struct Timeout: Error, CustomStringConvertible { var description: String }

    init(path: String, timeout: Double = 5) throws {
        var config = VNCSessionConfiguration(endpoint: .unix(path: path))
        config.connectTimeout = timeout
        let box = Locked<VNCError??>(nil)
        let connected = DispatchSemaphore(value: 0)
        session = VNCSession(configuration: config) { event in
            switch event {
            case .connected: connected.signal()
            case .closed(let e): box.withLock { $0 = .some(e) }; connected.signal()
            case .frame: break
            }
        }
        session.start()
        guard connected.wait(timeout: .now() + timeout + 1) == .success, box.value == nil else {
            session.close()
            throw Timeout(description: "cannot connect to \(path): \(String(describing: box.value))")
        }
        closedBox = box
    }
    private let closedBox: Locked<VNCError??>

    var desktopName: String { session.desktopName }

    func close() { session.close(); _ = session.waitUntilFinished(timeout: 5) }

    func type(_ text: String) {
        for ch in text { session.send(KeyMapper.strokes(forCharacter: ch)) }
    }

    private let latest = Mutex<Framebuffer?>(nil)

    func waitForFrame(timeout: Double = 20, _ ok: (Framebuffer) -> Bool) throws -> Framebuffer {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let u = session.takeUpdate() {
                let f = Framebuffer(width: u.width, height: u.height, pixels: u.pixels)
                latest.withLock { $0 = f }
                if ok(f) { return f }
            } else if let f = latest.withLock({ $0 }), ok(f) {
                return f
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw Timeout(description: "no such frame within \(timeout) s")
    }

    func waitForScreen(_ table: GlyphTable, timeout: Double = 20, _ ok: (TextScreen) -> Bool) throws -> TextScreen {
        var last: TextScreen?
        do {
            _ = try waitForFrame(timeout: timeout) { f in
                var reader = ScreenReader(table: table)
                let s = reader.screen(of: f)
                last = s
                return ok(s)
            }
        } catch {
            throw Timeout(description: "no such screen within \(timeout) s; last:\n" + (last?.lines().joined(separator: "\n") ?? "none"))
        }
        return last!
    }

    func waitUntilClosed(timeout: Double = 5) throws {
        guard session.waitUntilFinished(timeout: timeout) else { throw Timeout(description: "the display stayed open") }
    }
}
