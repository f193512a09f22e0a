#!/usr/bin/env python3
"""Console benchmark: runs the real `fleettui console` on a pseudo-terminal against a bed guest and measures
- key -> echo latency: from writing a key to the pty until fleettui writes the guest's echo to the terminal
  (the guest is idle, so the first output after the key is the echo: nothing is written while it is idle);
- terminal output: bytes written while the guest is idle, per echoed key, and for one new line of guest text.
Usage: console-latency.py FLEETTUI URI DOMAIN [KEYS]"""
import fcntl, os, pty, re, select, signal, statistics, struct, sys, termios, time

fleettui, uri, domain = sys.argv[1:4]
keys = int(sys.argv[4]) if len(sys.argv) > 4 else 40
COLS, ROWS = 100, 30

pid, fd = pty.fork()
if pid == 0:
    os.environ.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    os.execv(fleettui, [fleettui, "console", "-c", uri, domain])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
os.kill(pid, signal.SIGWINCH)


def read_for(seconds):
    """Everything fleettui writes within `seconds`."""
    out, end = b"", time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return out
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                out += os.read(fd, 65536)
            except OSError:
                return out


def quiet(seconds, limit=30):
    """Reads until nothing came for `seconds` (the screen has settled)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not read_for(seconds):
            return True
    return False


def burst(timeout=5.0, settle=0.15):
    """Waits for the first output, then reads until it pauses; returns (latency s, bytes) or (None, 0)."""
    t0 = time.monotonic()
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return None, 0
    first = time.monotonic() - t0
    data = os.read(fd, 65536)
    data += read_for(settle)
    while True:
        more = read_for(settle)
        if not more:
            break
        data += more
    return first, len(data)


def finish(code):
    # `exit`: the guest's tty1 shell respawns, clears the screen and prints its banner again, so the
    # screen is as the bed made it (tests read the banner with `fleettui screen`).
    os.write(fd, b"\x15exit\r")    # Ctrl+U clears a half-typed line first
    read_for(2.5)
    os.write(fd, b"\x1d")          # Ctrl+] detaches
    read_for(1.0)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    sys.exit(code)


# Wait for the status line to say the screen is shown as text (fonts loaded, geometry found), then settle.
start, deadline = b"", time.monotonic() + 120
shown_as_text = re.compile(rb"text \d+x\d+")
while not shown_as_text.search(start) and time.monotonic() < deadline:
    start += read_for(0.5)
if not shown_as_text.search(start):
    print("console: fleettui did not show the guest as text within 120 s", file=sys.stderr)
    finish(1)
quiet(1.5)

# Idle guest: nothing should be written at all.
idle = len(read_for(5.0))
print(f"console: idle {domain}: {idle} bytes written to the terminal in 5 s")

lat, sizes = [], []
letters = "abcdefghijklmnopqrstuvwxyz"
typed = 0
for i in range(keys):
    if i % 2 == 0:
        os.write(fd, letters[(i // 2) % 26].encode()); typed += 1
    else:
        os.write(fd, b"\x7f"); typed -= 1      # Backspace: leave the guest's command line as it was
    t, n = burst()
    if t is None:
        print(f"console: no echo within 5 s for key {i}", file=sys.stderr)
        finish(1)
    lat.append(t * 1000); sizes.append(n)
    quiet(0.2)

lat.sort()
p90 = lat[int(len(lat) * 0.9) - 1]
print(f"console: key->echo on {domain}: median {statistics.median(lat):.1f} ms, p90 {p90:.1f} ms, "
      f"min {lat[0]:.1f} ms, max {lat[-1]:.1f} ms ({len(lat)} keys)")
print(f"console: one echoed key on {domain}: median {int(statistics.median(sizes))} bytes of terminal output")

# One new line of guest text: the command line and its output (two screen lines change).
word = "bench%04d" % (os.getpid() % 10000)
for c in f"echo {word}":
    os.write(fd, c.encode()); burst(2.0, 0.05)
quiet(0.3)
os.write(fd, b"\r")
t, n = burst(5.0, 0.3)
print(f"console: Enter on 'echo {word}' ({domain}): {n} bytes of terminal output for the new lines"
      + (f", first output after {t * 1000:.1f} ms" if t is not None else ""))
finish(0)
