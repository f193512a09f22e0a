import FleetCore

/// What the man page says besides the options (those come from the argument parser): keys, files, environment,
/// exit status, batch fields. Tests check the README against the same lists.
enum Reference {
    static let description = """
    FleetTUI watches many libvirt hosts at once (qemu:///system, xen:///system, qemu+ssh://, xen+ssh://, any URI), \
    read-only: every domain's CPU, memory, block and network I/O as rates, host by host and fleet-wide, in a \
    curses screen with virt-top's keys and htop's comfort, or as plain text, CSV or JSON lines for scripts. \
    It attaches to a guest's graphical console (VNC) and shows it as text: bitmap-font consoles (BIOS, boot \
    loaders, the Linux console) come back as the real characters.
    """

    static let hostOrder = """
    Where the hosts come from, first match wins: --source, --demo, -c/--connect URI (repeatable), --fleet FILE, \
    $XDG_CONFIG_HOME/fleettui/fleet.toml, LIBVIRT_DEFAULT_URI, libvirt's default if a local hypervisor answers \
    within 3 s, else the built-in demo fleet (labelled "demo fleet").
    """

    static let consoleKeys: [(String, String)] = [
        ("Ctrl+]", "detach (back to the monitor or the shell)"),
        ("F12", "the menu: Ctrl+Alt+Del, Ctrl+Alt+Backspace, Ctrl+Alt+F1…F12, SysRq, PrintScreen, F12 itself; text / picture / automatic mode; zoom (+ - 0) and pan (arrows); reconnect; detach"),
        ("anything else", "goes to the guest: printable keys, Enter, Tab, Backspace, Esc, arrows, F1–F11, Home/End, PgUp/PgDn, Insert/Delete, Ctrl and Alt combinations, pasted text (bracketed paste)"),
    ]

    static let files: [(String, String)] = [
        ("$XDG_CONFIG_HOME/fleettui/fleet.toml", "the fleet: [[host]] tables with name, uri and an optional group ($XDG_CONFIG_HOME defaults to ~/.config)."),
        ("$XDG_CONFIG_HOME/fleettui/config.toml", "monitor settings (sort, sort_descending, columns, theme, delay, group_by_host), written by W; flags override it; --no-init-file skips it; batch output never reads it."),
        ("$XDG_CONFIG_HOME/fleettui/themes/NAME.theme", "your themes: lines of theme[key]=\"#rrggbb\" (or \"default\", or a palette index 0-255)."),
        ("PREFIX/share/fleettui/themes/NAME.theme", "the installed themes (dark, light, monochrome, high-contrast), found relative to the binary (../share/fleettui/themes)."),
        ("/usr/share/consolefonts, /usr/share/kbd/consolefonts", "console fonts the text recognition uses (console-setup-linux, console-data), plus --font FILE."),
    ]

    static let environment: [(String, String)] = [
        ("NO_COLOR", "set and not empty: no colours in any command, unless --colors asks for them."),
        ("TERM, COLORTERM", "what the terminal can show (colours, keys); COLORTERM=truecolor allows 24-bit colour outside curses."),
        ("XDG_CONFIG_HOME", "where fleet.toml, config.toml and themes/ are (default ~/.config)."),
        ("LIBVIRT_DEFAULT_URI", "the host to watch when no -c, --fleet or fleet.toml says otherwise."),
        ("COLUMNS, LINES", "the picture size of screen and render when stdout is not a terminal."),
        ("FLEETTUI_VNC_LOG", "a file for libvncclient's messages (never passwords)."),
        ("FLEETTUI_PROMQL_LOG", "a file for PromQL timings (--source prometheus=URL)."),
        ("FLEETTUI_SSH", "the ssh program for +ssh console tunnels (default: ssh)."),
    ]

    static let exitStatus: [(String, String)] = [
        ("0", "success; in batch mode and export, every host answered."),
        ("1", "nothing to show: no host answered, or the fleet file, the domain or its display could not be used (one line on stderr)."),
        ("3", "batch mode: some hosts did not answer (the others were reported; one line on stderr per failure)."),
        ("64", "a bad flag or value (the usage and the valid values are printed)."),
        ("128+N", "stopped by signal N (the terminal is restored first)."),
    ]

    /// CSV columns and JSON keys with their units.
    static let batchFields: [(String, String)] = [
        ("time", "the refresh's time, ISO 8601 UTC with milliseconds (a new one every iteration)"),
        ("host", "the host's name (fleet file name, or the URI's host part)"),
        ("domain, uuid, id", "the domain's name, UUID and numeric ID (empty/null when inactive)"),
        ("state", "running, blocked, paused, shutdown, shutoff, crashed, pmsuspended, nostate"),
        ("kind, pv_drivers", "KVM, QEMU, PV, PVH, HVM, LXC or ?; true for an HVM guest with PV drivers"),
        ("vcpus", "virtual CPUs"),
        ("cpu_pct", "% of the whole host's CPU time (virt-top's %CPU: 100 = every physical CPU busy)"),
        ("cpu_pct_per_vcpu", "% of the domain's own vCPUs (100 = all its vCPUs busy)"),
        ("cpu_time_ns", "CPU time used since the domain started, nanoseconds"),
        ("mem_kib, mem_max_kib", "current (balloon) and maximum memory, KiB"),
        ("mem_rss_kib, mem_used_kib", "the guest process's resident memory on the host; the guest's own used memory (KiB, where known)"),
        ("mem_pct", "current memory as % of the host's physical memory"),
        ("rd_bytes_s, wr_bytes_s", "block I/O, bytes per second"),
        ("rd_reqs_s, wr_reqs_s", "block I/O, requests per second"),
        ("rx_bytes_s, tx_bytes_s", "network, bytes per second"),
        ("rx_pkts_s, tx_pkts_s", "network, packets per second"),
        ("net_errs_s, net_drops_s", "network errors and drops (rx + tx) per second"),
        ("stale", "true when the host did not answer since the previous iteration: the values are its last known"),
    ]
}
