#!/usr/bin/env python3
"""CPU cost of watching one busy QEMU host: the monitor (and virt-top, batch mode) against one
`virsh domstats` call for every group, own CPU and libvirtd's, read from /proc/PID/stat.

    monitor-cost.py URI DAEMON_PID FLEETTUI LABEL SECONDS

Run by Benchmarks/monitor-cost.sh (which starts the private QEMU host and its guests); prints one line
per figure and appends them to $BENCH_OUT/monitor-cost.txt.
"""
import os, re, subprocess, sys, time, shutil, tempfile, uuid, resource

CLOCK = re.compile(r"\b\d\d:\d\d:\d\d\b")

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ms(pid):
    """utime + stime of the whole process (every thread, living or gone), in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / TICK


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


OUT = os.path.join(os.environ.get("BENCH_OUT", "/tmp"), "monitor-cost.txt")


def report(line):
    print(line, flush=True)
    with open(OUT, "a") as f:
        f.write(line + "\n")


def tmux(*args, check=True):
    for attempt in range(3):
        r = subprocess.run(["tmux", "-L", f"fleettui-bench-{os.getpid()}", "-f", "/dev/null", *args], capture_output=True, text=True)
        if r.returncode == 0 or not check:
            return r
        time.sleep(0.5)   # a tmux server still going away after the last session ended
    raise SystemExit(f"tmux {' '.join(args[:3])}: {r.stderr.strip()}")


def pane_pid(session):
    return int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").stdout.strip())


def screen(session):
    return tmux("capture-pane", "-p", "-t", session).stdout


def daemon_idle(daemon, seconds):
    a = cpu_ms(daemon)
    time.sleep(seconds)
    return (cpu_ms(daemon) - a) / seconds


def domstats(uri, daemon, calls):
    """Own CPU (rusage of the virsh process, start-up included) and daemon CPU per call."""
    own, dmn = [], []
    for _ in range(calls):
        d0 = cpu_ms(daemon)
        p = subprocess.Popen(["virsh", "-r", "-c", uri, "domstats", "--state", "--cpu-total", "--balloon",
                              "--vcpu", "--interface", "--block"], stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        d1 = cpu_ms(daemon)
        if status != 0:
            raise SystemExit("virsh domstats failed")
        own.append((ru.ru_utime + ru.ru_stime) * 1000)
        dmn.append(d1 - d0)
        time.sleep(0.3)
    return sum(own) / calls, sum(dmn) / calls


def interactive(name, cmd, daemon, seconds, ready):
    """Runs `cmd` in an 80x24 tmux pane; after it shows `ready` and settles, measures its CPU and the
    daemon's over `seconds`. Returns (own ms, daemon ms) per refresh, the last screen, the refreshes counted."""
    session = f"bench-{name}-{uuid.uuid4().hex[:6]}"
    log = f"/tmp/{session}.collect.log"
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24",
         "env", "TERM=xterm-256color", "LANG=C.UTF-8", f"FLEETTUI_COLLECT_LOG={log}", *cmd)
    try:
        tmux("set-option", "-t", session, "window-size", "manual", check=False)
        pid = pane_pid(session)
        deadline = time.time() + 60
        while ready not in screen(session):
            if time.time() > deadline:
                raise SystemExit(f"{name}: nothing on screen after 60 s:\n{screen(session)}")
            time.sleep(0.2)
        time.sleep(4)   # first refreshes, XML reads, rates
        # Refreshes are counted on the screen: each one shows a new time in the header (at -d 1 two refreshes are
        # at least a second apart; on a loaded machine one can take longer than the delay, so time is no count).
        def full_refreshes():
            try:
                with open(log) as f:
                    return sum(1 for line in f if " refresh " in line)
            except OSError:
                return None
        r0 = full_refreshes()
        o0, d0, t0 = cpu_ms(pid), cpu_ms(daemon), time.monotonic()
        seen = set()
        while time.monotonic() - t0 < seconds:
            m = CLOCK.search(screen(session).split("\n", 1)[0])
            if m:
                seen.add(m.group(0))
            time.sleep(0.2)
        o1, d1 = cpu_ms(pid), cpu_ms(daemon)
        last = screen(session)
        n = max(1, len(seen) - 1)   # the time shown at the start was refreshed before the window
        r1 = full_refreshes()
        if r0 is not None and r1 is not None and r1 > r0:
            n = r1 - r0   # fleettui's own log: full refreshes only (on-demand fills are charged to them)
        return (o1 - o0) / n, (d1 - d0) / n, last, n
    finally:
        tmux("kill-session", "-t", session, check=False)
        if os.path.exists(log):
            os.remove(log)


def batch(fleettui, uri, daemon, n, extra):
    # The CSV goes to a file of our own, never /dev/null: a fleettui built before 16524d4 (FLEETTUI_BEFORE) replaced
    # the file it was given by a new one (an atomic write), and as root that turned /dev/null into a regular file.
    with tempfile.TemporaryDirectory(prefix="fleettui-bench-") as tmp:
        d0 = cpu_ms(daemon)
        p = subprocess.Popen([fleettui, "-b", "-d", "1", "-n", str(n), "--csv", os.path.join(tmp, "out.csv"), "-c", uri, *extra],
                             stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        d1 = cpu_ms(daemon)
    if status != 0:
        raise SystemExit("fleettui batch failed")
    refreshes = n + 1   # the first (unprinted) reading, then n
    return (ru.ru_utime + ru.ru_stime) * 1000 / refreshes, (d1 - d0) / refreshes


def main():
    uri, daemon, fleettui, label, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
    # A session that outlives the measured ones: the tmux server stays up between them (a new session on a server
    # that is just exiting fails with "server exited unexpectedly").
    tmux("new-session", "-d", "-s", "keeper", "sleep", "86400")
    try:
        run(uri, daemon, fleettui, label, seconds)
    finally:
        tmux("kill-server", check=False)


def run(uri, daemon, fleettui, label, seconds):
    repeat = int(os.environ.get("BENCH_REPEAT", "2"))
    report(f"== {label} (load average {loadavg()}, {os.cpu_count()} CPUs)")
    idle = daemon_idle(daemon, 5)
    report(f"  libvirtd with no client: {idle:.1f} ms CPU per second (included in every daemon figure below)")
    for r in range(repeat):
        own, dmn = domstats(uri, daemon, 8)
        call = own + dmn
        report(f"  [{r + 1}] virsh domstats --state --cpu-total --balloon --vcpu --interface --block: "
               f"{call:.1f} ms per call = own {own:.1f} + libvirtd {dmn:.1f} (mean of 8; load {loadavg()})")
        binaries = [("fleettui", fleettui)]
        before = os.environ.get("FLEETTUI_BEFORE")
        if before:
            binaries.append(("fleettui (before)", before))
        for name, binary in binaries:
            own_m, dmn_m, screen_text, n = interactive("fleettui", [binary, "-c", uri, "-d", "1"], daemon, seconds, "ftb-")
            if name == "fleettui":
                last = screen_text
            total = own_m + dmn_m
            report(f"  [{r + 1}] {name} -d 1, 80x24: {total:.1f} ms per refresh = own {own_m:.1f} + libvirtd {dmn_m:.1f} "
                   f"({n} refreshes in {seconds:.0f} s) = {total / call:.2f} of the domstats call (load {loadavg()})")
        virt_top = os.environ.get("VIRT_TOP") or shutil.which("virt-top")
        if virt_top:
            version = subprocess.run([virt_top, "--version"], capture_output=True, text=True).stdout.strip()
            own_v, dmn_v, _, n = interactive("virttop", [virt_top, "-c", uri, "-d", "1"], daemon, seconds, "ftb-")
            report(f"  [{r + 1}] {version or 'virt-top'} -d 1, 80x24: {own_v + dmn_v:.1f} ms per refresh = own {own_v:.1f} + libvirtd {dmn_v:.1f} "
                   f"({n} refreshes in {seconds:.0f} s) = {(own_v + dmn_v) / call:.2f} of the domstats call")
        elif r == 0:
            report("  virt-top: NOT INSTALLED, not compared (Debian 12 has no virt-top package; VIRT_TOP=BINARY names one)")
        for name, binary in binaries:
            own_b, dmn_b = batch(binary, uri, daemon, int(seconds / 2), [])
            report(f"  [{r + 1}] {name} -b -d 1 --csv (all columns): {own_b + dmn_b:.1f} ms per refresh = own {own_b:.1f} + libvirtd {dmn_b:.1f}")
        own_c, dmn_c = batch(fleettui, uri, daemon, int(seconds / 2), ["--columns", "name,cpu"])
        report(f"  [{r + 1}] fleettui -b -d 1 --csv --columns name,cpu: {own_c + dmn_c:.1f} ms per refresh = own {own_c:.1f} + libvirtd {dmn_c:.1f}")
    print("  last monitor screen:\n    " + "\n    ".join(last.splitlines()[:6]), flush=True)


if __name__ == "__main__":
    main()
