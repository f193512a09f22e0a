import Foundation

/// The demo guests' shell: a handful of commands, enough to show that typing into a console works and that
/// what comes back is read as text.
public enum DemoShell {
    public enum Action: Equatable, Sendable { case none, clear, logout, reboot }

    public struct Result: Equatable, Sendable {
        public var output: [String]
        public var action: Action
        public init(_ output: [String] = [], _ action: Action = .none) { self.output = output; self.action = action }
    }

    /// What the commands may ask about.
    public struct Context: Sendable {
        public var hostname: String
        public var user: String
        public var now: Double
        public var uptime: Double
        public var load: (Double, Double, Double)
        public var memoryMiB: Int
        public var usedMiB: Int
        public init(hostname: String, user: String, now: Double, uptime: Double, load: (Double, Double, Double),
                    memoryMiB: Int, usedMiB: Int) {
            self.hostname = hostname; self.user = user; self.now = now; self.uptime = uptime; self.load = load
            self.memoryMiB = memoryMiB; self.usedMiB = usedMiB
        }
    }

    public static let commands = ["clear", "date", "echo", "exit", "free", "help", "hostname", "logout", "reboot",
                                  "uname", "uptime", "whoami"]

    public static func prompt(_ c: Context) -> String {
        "\(c.user)@\(c.hostname):~\(c.user == "root" ? "#" : "$") "
    }

    public static func run(_ line: String, _ c: Context) -> Result {
        let words = split(line)
        guard let cmd = words.first else { return Result() }
        let args = Array(words.dropFirst())
        switch cmd {
        case "help":
            return Result([
                "This is a FleetTUI demo guest: its console is served over VNC by fleettui itself and read back as text.",
                "Commands:",
                "  help              this list",
                "  echo WORDS...     print the words",
                "  uptime            how long the guest has been up, and its load",
                "  free [-m|-h]      memory",
                "  date, hostname, uname [-a|-r], whoami",
                "  clear             clear the screen (Ctrl+L too)",
                "  exit, logout      back to the login prompt (Ctrl+D too)",
                "  reboot            boot the guest again",
                "Keys: Left/Right/Home/End, Backspace/Delete, Up/Down (history), Tab (completes a command), Ctrl+C, Ctrl+U.",
            ])
        case "echo":
            var a = args
            var newline = true
            if a.first == "-n" { a.removeFirst(); newline = false }
            _ = newline
            return Result([a.joined(separator: " ")])
        case "uptime":
            return Result([uptimeLine(c)])
        case "clear": return Result([], .clear)
        case "exit", "logout": return Result([], .logout)
        case "reboot":
            guard c.user == "root" else { return Result(["reboot: must be superuser."]) }
            return Result([], .reboot)
        case "hostname": return Result([c.hostname])
        case "whoami": return Result([c.user])
        case "date": return Result([date(c.now)])
        case "uname":
            switch args.first {
            case "-r": return Result([LinuxBootLog.kernel])
            case "-a": return Result(["Linux \(c.hostname) \(LinuxBootLog.kernel) \(LinuxBootLog.kernelBuild) x86_64 GNU/Linux"])
            case nil, "-s": return Result(["Linux"])
            default: return Result(["uname: invalid option -- '\(args[0].dropFirst().prefix(1))'", "Try 'uname --help' for more information."])
            }
        case "free":
            let total = c.memoryMiB, used = min(c.usedMiB, total)
            let cache = (total - used) * 2 / 3, free = total - used - cache
            func f(_ v: Int) -> String { args.first == "-h" ? human(v) : String(args.first == "-m" ? v : v * 1024) }
            let pad = { (s: String) in String(repeating: " ", count: max(0, 12 - s.count)) + s }
            return Result(["               total        used        free      shared  buff/cache   available",
                           "Mem:   " + [total, used, free, 12, cache, total - used].map { pad(f($0)) }.joined(),
                           "Swap:  " + [0, 0, 0].map { pad(f($0)) }.joined()])
        default:
            return Result(["-bash: \(cmd): command not found"])
        }
    }

    static func uptimeLine(_ c: Context) -> String {
        let up = Int(c.uptime)
        let days = up / 86400, hours = up % 86400 / 3600, minutes = up % 3600 / 60
        var upText: String
        if days > 0 { upText = "\(days) day\(days == 1 ? "" : "s"), " } else { upText = "" }
        upText += days == 0 && hours == 0 ? "\(minutes) min" : String(format: "%2d:%02d", hours, minutes)
        return String(format: " %@ up %@,  1 user,  load average: %.2f, %.2f, %.2f",
                      clock(c.now), upText, c.load.0, c.load.1, c.load.2)
    }

    static func clock(_ t: Double) -> String {
        let s = Int(t) % 86400
        return String(format: "%02d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
    }

    static func date(_ t: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE MMM d HH:mm:ss 'UTC' yyyy"
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    static func human(_ mib: Int) -> String {
        mib >= 1024 ? String(format: "%.1fGi", Double(mib) / 1024) : "\(mib)Mi"
    }

    /// Words as a shell splits them: blanks separate, '…' and "…" quote, a backslash escapes one character.
    public static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = "", inWord = false, quote: Character?, escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else if ch == "\\" && q == "\"" { escaped = true } else { current.append(ch) }
                continue
            }
            switch ch {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = ch; inWord = true
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(ch); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
