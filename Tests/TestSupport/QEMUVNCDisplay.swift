import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real VNC server for tests: QEMU with no guest, whose display (the BIOS screen, in VGA text mode
/// once settled) is served on 127.0.0.1 with the given VNC options. Stopped on deinit.
public final class QEMUVNCDisplay {
    public let process: SpawnedProcess
    public let display: Int
    public var port: Int { 5900 + display }

    /// `display`: a VNC display number to reuse (a restarted server on the same port); nil = a free one.
    public init(vncOptions: String = "", objects: [String] = [], display reuse: Int? = nil) throws {
        var display = reuse ?? 0
        if reuse == nil {
            for _ in 0..<50 {
                let d = Int.random(in: 30...99)
                if Self.portIsFree(5900 + d) { display = d; break }
            }
        }
        guard display > 0 else { throw Spawn.Failure(description: "no free VNC display in 30-99") }
        self.display = display
        var args = ["-display", "none", "-nodefaults", "-no-user-config", "-vga", "std", "-machine", "pc",
                    "-accel", "tcg", "-m", "32"]
        for o in objects { args += ["-object", o] }
        args += ["-vnc", "127.0.0.1:\(display)" + (vncOptions.isEmpty ? "" : "," + vncOptions)]
        process = try SpawnedProcess("/usr/bin/qemu-system-x86_64", args, stderr: .inherit)
        let deadline = Date(timeIntervalSinceNow: 20)
        while Self.portIsFree(5900 + display) {
            guard Date() < deadline, process.isRunning else {
                throw Spawn.Failure(description: "qemu did not open its VNC port \(5900 + display)")
            }
            usleep(50_000)
        }
        // Let the BIOS settle into its text mode, as a running guest's display is: a client that
        // connects while it switches modes can be sent a rectangle of the new size before the
        // server knows the client follows resizes, which libvncclient rightly refuses.
        Thread.sleep(forTimeInterval: 3)
    }

    deinit { process.stop(grace: 2) }

    /// The server dies (SIGKILL), as a crashed or restarted QEMU's does.
    public func kill() { process.kill(SIGKILL); _ = process.wait(timeout: 5) }

    public static func portIsFree(_ port: Int) -> Bool { Ports.isFree(port) }
}
