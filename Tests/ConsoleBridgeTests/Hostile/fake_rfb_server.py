#!/usr/bin/env python3
"""A deliberately broken RFB (VNC) server for tests: serves one connection on 127.0.0.1 with the behaviour
named on the command line, prints its port on stdout first. Every scenario ends by itself (no orphan)."""
import os, socket, struct, sys, time

scenario = sys.argv[1]
linger = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
W, H = 64, 48

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
srv.settimeout(linger)
try:
    c, _ = srv.accept()
except socket.timeout:
    sys.exit(0)
c.settimeout(linger)


def recv(n):
    data = b""
    while len(data) < n:
        chunk = c.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def pixel_format():
    # 32 bpp, depth 24, little endian, true colour, red shift 16, green 8, blue 0
    return struct.pack(">BBBBHHHBBB3x", 32, 24, 0, 1, 255, 255, 255, 16, 8, 0)


def server_init(w=W, h=H, name=b"fake", name_len=None):
    c.sendall(struct.pack(">HH", w, h) + pixel_format() + struct.pack(">I", len(name) if name_len is None else name_len) + name)


def handshake_38(security=1, fail_reason=None):
    c.sendall(b"RFB 003.008\n")
    recv(12)
    c.sendall(bytes([1, security]))
    chosen = recv(1)[0]
    if chosen == 2:                       # VncAuth: challenge, response, then the result
        c.sendall(os.urandom(16))
        recv(16)
    if fail_reason is not None:
        c.sendall(struct.pack(">I", 1) + struct.pack(">I", len(fail_reason)) + fail_reason)
        return False
    c.sendall(struct.pack(">I", 0))       # SecurityResult OK
    recv(1)                               # ClientInit
    return True


def pattern_update(x=0, y=0, w=W, h=H):
    pixels = b"".join(struct.pack("<I", ((i * 7) & 0xFF) << 16 | ((i * 3) & 0xFF) << 8 | (i & 0xFF)) for i in range(w * h))
    return struct.pack(">BxH", 0, 1) + struct.pack(">HHHHi", x, y, w, h, 0) + pixels


def stall():
    time.sleep(linger)


try:
    if scenario == "garbage":
        c.sendall(os.urandom(64) + b"\n" * 20)
        stall()
    elif scenario == "close-early":
        pass
    elif scenario == "stall-greeting":
        stall()
    elif scenario == "good":
        handshake_38()
        server_init()
        c.sendall(pattern_update())
        stall()
    elif scenario == "stall-mid-message":
        handshake_38()
        server_init()
        c.sendall(pattern_update()[: 12 + 16 + W * H * 2])   # half the pixels, then nothing
        stall()
    elif scenario == "truncated-close":
        handshake_38()
        server_init()
        c.sendall(pattern_update()[:20])
    elif scenario == "huge-framebuffer":
        handshake_38()
        server_init(65535, 65535)
        stall()
    elif scenario == "huge-name":
        handshake_38()
        server_init(name=b"x", name_len=0xFFFFFFF0)
        stall()
    elif scenario == "evil-name":
        handshake_38()
        server_init(name=b"\x1b]0;pwned\x07evil\x1b[2J\x1b[31mred\x9b1m" + b"A" * 5000)
        c.sendall(pattern_update())
        stall()
    elif scenario == "oversized-rect":
        handshake_38()
        server_init()
        c.sendall(struct.pack(">BxH", 0, 1) + struct.pack(">HHHHi", 60, 40, 1000, 1000, 0) + b"\0" * 4096)
        stall()
    elif scenario == "resize-huge":
        handshake_38()
        server_init()
        c.sendall(pattern_update())
        time.sleep(0.3)
        c.sendall(struct.pack(">BxH", 0, 1) + struct.pack(">HHHHi", 0, 0, 30000, 30000, -223))
        stall()
    elif scenario == "resize-ok":
        handshake_38()
        server_init()
        c.sendall(pattern_update())
        time.sleep(0.3)
        c.sendall(struct.pack(">BxH", 0, 1) + struct.pack(">HHHHi", 0, 0, 32, 16, -223))
        time.sleep(0.1)
        c.sendall(pattern_update(0, 0, 32, 16))
        stall()
    elif scenario == "unknown-message":
        handshake_38()
        server_init()
        c.sendall(bytes([200]) + os.urandom(100))
        stall()
    elif scenario == "none-only":            # offers only "no authentication" (3.8)
        handshake_38(security=1)
        server_init()
        stall()
    elif scenario == "rfb33-none":           # RFB 3.3: the server dictates "None"
        c.sendall(b"RFB 003.003\n")
        recv(12)
        c.sendall(struct.pack(">I", 1))
        recv(1)
        server_init()
        stall()
    elif scenario == "auth-fail":
        handshake_38(security=2, fail_reason=b"Authentication failed \x1b[2J")
        stall()
    elif scenario == "bad-security-type":    # offers only a type nobody allows
        c.sendall(b"RFB 003.008\n")
        recv(12)
        c.sendall(bytes([1, 30]))
        stall()
    else:
        sys.exit(f"unknown scenario {scenario}")
except (EOFError, BrokenPipeError, ConnectionResetError, socket.timeout):
    pass
finally:
    c.close()
