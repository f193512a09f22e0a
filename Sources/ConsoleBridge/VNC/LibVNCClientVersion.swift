import Foundation

/// Checks that the installed libvncclient has the fixes for the server-triggered heap overflows of
/// 0.9.14 (CVE-2026-32853, CVE-2026-44988, CVE-2026-50538): Debian's 0.9.14+dfsg-1+deb12u2 or later.
/// The library does not report its own package revision, so dpkg is asked (once per process).
public enum LibVNCClientVersion {
    public static let minimumDebian = "0.9.14+dfsg-1+deb12u2"

    /// nil when fine or unknown (not a Debian system); else one line to show the user.
    public static let warning: String? = {
        guard let installed = run("/usr/bin/dpkg-query", ["-W", "-f=${Version}", "libvncclient1"]).out,
              !installed.isEmpty else { return nil }
        let older = run("/usr/bin/dpkg", ["--compare-versions", installed, "lt", minimumDebian]).status == 0
        return older ? "libvncclient1 \(installed) lacks security fixes for hostile VNC servers; upgrade to \(minimumDebian) or later" : nil
    }()

    private static func run(_ exe: String, _ args: [String]) -> (status: Int32, out: String?) {
        guard FileManager.default.isExecutableFile(atPath: exe) else { return (-1, nil) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        // Not waitUntilExit(): on Linux it can miss the exit of a child and spin forever. A bounded
        // wait on the termination handler instead; a dpkg that does not answer means "unknown".
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        do { try p.run() } catch { return (-1, nil) }
        // Wait first, read after: reading to EOF would block as long as a hung dpkg keeps the pipe open.
        // The output (one version string) fits the pipe's buffer, so the child never waits on us.
        guard exited.wait(timeout: .now() + 3) == .success else { p.terminate(); return (-1, nil) }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
