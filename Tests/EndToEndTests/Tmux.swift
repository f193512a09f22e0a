import Foundation
import TestSupport

/// A tmux session on a private server (`tmux -L fleettui-e2e`) running a plain shell, for driving the real
/// fleettui binary like a user: send keys, read the screen, resize the window.
final class Tmux {
    static let socket = "fleettui-e2e"
    static let prompt = "E2E-SHELL$"
    let name: String

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Starts `bash` in a new detached session of the given size, with a known prompt.
    init(prefix: String, width: Int = 160, height: Int = 50, environment: [String: String] = [:]) throws {
        name = "\(prefix)-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        var env = ["PS1": Tmux.prompt + " ", "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HISTFILE": "/dev/null"]
        for (k, v) in environment { env[k] = v }
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Tmux.quote($0.value))" }.joined(separator: " ")
        try Tmux.run(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height),
                      "env -i PATH=\(Tmux.quote(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")) HOME=\(Tmux.quote(NSHomeDirectory())) \(exports) bash --norc --noprofile"])
        // tmux ignores -x/-y for later clients' sizing unless told the window size is manual.
        _ = try? Tmux.run(["set-option", "-t", name, "window-size", "manual"])
        _ = try waitFor("the shell prompt", timeout: 10) { $0.contains { $0.hasPrefix(Tmux.prompt) } }
    }

    deinit { _ = try? Tmux.run(["kill-session", "-t", name]) }

    /// Types a shell command line and presses Enter.
    func type(_ line: String) throws {
        try Tmux.run(["send-keys", "-t", name, "-l", line])
        try Tmux.run(["send-keys", "-t", name, "Enter"])
    }

    /// Sends tmux key names ("Enter", "Escape", "Down", "q", "C-c" …).
    func keys(_ keys: String...) throws {
        try Tmux.run(["send-keys", "-t", name] + keys)
        // ESC followed at once by another key is what a terminal sends for Alt+key: wait past the
        // program's escape delay, as a person's next key would, so an Escape stays an Escape.
        if keys.last == "Escape" { Thread.sleep(forTimeInterval: 0.1) }
    }

    /// Sends text literally (each character as a key).
    func text(_ text: String) throws {
        try Tmux.run(["send-keys", "-t", name, "-l", text])
    }

    func screen() throws -> [String] {
        let out = try Tmux.run(["capture-pane", "-p", "-t", name])
        var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The screen with its colours and attributes as escape sequences (capture-pane -e).
    func screenWithAttributes() throws -> String {
        try Tmux.run(["capture-pane", "-p", "-e", "-t", name])
    }

    /// A tmux format value of the pane, e.g. "#{alternate_on}", "#{pane_width}".
    func format(_ f: String) throws -> String {
        try Tmux.run(["display-message", "-p", "-t", name, f]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try Tmux.run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `condition` holds; fails with the last screen in the message.
    @discardableResult
    func waitFor(_ what: String, timeout: Double, _ condition: ([String]) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(description: "timed out after \(timeout)s waiting for \(what); screen:\n" + last.joined(separator: "\n"))
    }

    @discardableResult
    static func run(_ args: [String]) throws -> String {
        // Output to files, not pipes: the tmux server this may start inherits them and lives on.
        let r: Spawn.Result
        do { r = try Spawn.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + args, timeout: 60) } catch {
            throw Failure(description: "cannot run tmux (apt-get install tmux): \(error)")
        }
        guard r.status == 0 else {
            throw Failure(description: "tmux \(args.joined(separator: " ")) failed (\(r.timedOut ? "timed out" : "status \(r.status)")): \(r.err)")
        }
        return r.out
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
