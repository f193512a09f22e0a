/// The monitor's keys, as the help screen (h), the man page (KEYS) and the README list them: one list, so
/// they cannot disagree (Tests check the README's key table and `MonitorState.handle` against it).
/// A row with an empty description is a group title.
public enum MonitorKeys {
    public static let help: [(String, String)] = [
        ("Navigation", ""),
        ("Up/Down  k/j", "move the selection (mouse: click selects, wheel scrolls)"),
        ("PgUp/PgDn", "move by a page"),
        ("Home/End", "first / last row"),
        ("Enter", "domain detail (on a host row: the hosts view); click the selected row again too"),
        ("Esc  Left", "back; in the table Esc clears the filter"),
        ("Sorting", ""),
        ("P M T N A", "sort by %CPU, memory, CPU time, domain ID (virt-top's N), name (A); again: reverse"),
        ("< >", "sort by the previous / next column"),
        ("R  I", "reverse the sort order"),
        ("F  F6", "sort menu"),
        ("click header", "sort by that column (again: reverse)"),
        ("B", "block I/O in bytes or in requests per second (virt-top's B)"),
        ("Views", ""),
        ("0", "domains (the table)"),
        ("1", "physical CPUs of every host"),
        ("2", "network interfaces"),
        ("3", "block devices"),
        ("4  H", "hosts: state, hypervisor, CPUs, memory, overcommit, latency, last error"),
        ("5  S", "screens: every guest's console as text, side by side; arrows move, Enter attaches"),
        ("g  t", "group domains by host, with host totals"),
        ("/  \\", "filter (name, host, state, kind; host: name: state: virt: prefixes; screen:panic); Esc clears"),
        ("c  v", "view the selected domain's console as text"),
        ("Settings", ""),
        ("d  s", "set the refresh delay (seconds)"),
        ("W", "write settings to $XDG_CONFIG_HOME/fleettui/config.toml (off with --no-init-file)"),
        ("Space  Ctrl+L", "redraw the screen"),
        ("h  ?  F1", "this help"),
        ("q  F10", "quit"),
        ("Marks", ""),
        ("!", "first column: the host stopped answering; values are the last known (dimmed)"),
        ("x", "first column: the domain is gone (undefined or destroyed); shown for two refreshes"),
    ]

    /// Every key named in `help`, one token each ("P", "F6", "Ctrl+L", "Up" …), titles and marks left out.
    public static var tokens: Set<String> {
        var out: Set<String> = []
        var inMarks = false
        for (k, v) in help {
            if v.isEmpty { inMarks = k == "Marks"; continue }
            if inMarks || k == "click header" { continue }
            for part in k.split(whereSeparator: { $0 == " " || $0 == "/" && k.count > 1 && k != "/  \\" }) {
                out.insert(String(part))
            }
        }
        return out
    }
}
