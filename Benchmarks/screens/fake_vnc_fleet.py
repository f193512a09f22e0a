#!/usr/bin/env python3
"""Many fake VNC displays in one process, for the screens benchmark: each serves one real captured guest frame
(gzip'd binary PPMs: the bed's state guests and recognition captures) over RFB 3.8, security None, raw encoding,
any 32-bit true-colour pixel format the client asks for. Incremental update requests are held (nothing changes),
as QEMU holds them for an idle screen. Key and pointer events are counted and reported (there must be none).

    fake_vnc_fleet.py COUNT FRAME.ppm.gz...

Prints "PORT FRAME-NAME" per display on stdout, then "ready"; runs until SIGTERM, then prints
"events KEYS POINTERS CONNECTIONS" and exits.
"""
import gzip, os, selectors, signal, socket, struct, sys


def read_ppm(path):
    d = gzip.open(path).read() if path.endswith('.gz') else open(path, 'rb').read()
    parts, i = [], 0
    while len(parts) < 4:
        while d[i:i + 1].isspace(): i += 1
        if d[i:i + 1] == b'#':
            while d[i:i + 1] != b'\n': i += 1
            continue
        j = i
        while not d[j:j + 1].isspace(): j += 1
        parts.append(d[i:j]); i = j
    i += 1
    assert parts[0] == b'P6' and parts[3] == b'255', path
    w, h = int(parts[1]), int(parts[2])
    return w, h, d[i:i + w * h * 3]


class Frame:
    def __init__(self, path):
        self.name = os.path.basename(path).split('.')[0]
        self.w, self.h, self.rgb = read_ppm(path)
        self.cache = {}

    def pixels(self, fmt):
        """Raw pixels in a 32-bpp true-colour format (bpp, big_endian, shifts)."""
        if fmt not in self.cache:
            big, rs, gs, bs = fmt
            out = bytearray(self.w * self.h * 4)
            for chan, shift in ((0, rs), (1, gs), (2, bs)):
                pos = (3 - shift // 8) if big else shift // 8
                out[pos::4] = self.rgb[chan::3]
            self.cache[fmt] = bytes(out)
        return self.cache[fmt]


class Conn:
    def __init__(self, sock, frame):
        self.sock, self.frame = sock, frame
        self.inb, self.out = bytearray(), bytearray()
        self.stage = 'version'
        self.fmt = (False, 16, 8, 0)
        self.sent_full = False


def main():
    count = int(sys.argv[1])
    frames = [Frame(p) for p in sys.argv[2:]]
    sel = selectors.DefaultSelector()
    listeners = {}
    for i in range(count):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(('127.0.0.1', 0)); ls.listen(16); ls.setblocking(False)
        f = frames[i % len(frames)]
        listeners[ls] = f
        sel.register(ls, selectors.EVENT_READ, ('listen', ls))
        print(ls.getsockname()[1], f.name)
    counts = {'keys': 0, 'pointers': 0, 'connections': 0}

    def done(*_):
        print('events', counts['keys'], counts['pointers'], counts['connections'], flush=True)
        os._exit(0)
    signal.signal(signal.SIGTERM, done)
    print('ready', flush=True)
    while True:
        for key, ev in sel.select():
            kind, obj = key.data
            if kind == 'listen':
                try:
                    s, _ = obj.accept()
                except BlockingIOError:
                    continue
                s.setblocking(False)
                c = Conn(s, listeners[obj])
                counts['connections'] += 1
                c.out += b'RFB 003.008\n'
                sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, ('conn', c))
                continue
            c = obj
            try:
                if ev & selectors.EVENT_READ:
                    d = c.sock.recv(65536)
                    if not d:
                        raise ConnectionError
                    c.inb += d
                    k, p = handle(c)
                    counts['keys'] += k; counts['pointers'] += p
                if ev & selectors.EVENT_WRITE and c.out:
                    n = c.sock.send(c.out)
                    del c.out[:n]
                sel.modify(c.sock, selectors.EVENT_READ | (selectors.EVENT_WRITE if c.out else 0), ('conn', c))
            except (ConnectionError, OSError):
                sel.unregister(c.sock); c.sock.close()


def handle(c):
    keys = pointers = 0
    b = c.inb
    while True:
        if c.stage == 'version':
            if len(b) < 12: break
            del b[:12]; c.out += b'\x01\x01'; c.stage = 'security'
        elif c.stage == 'security':
            if len(b) < 1: break
            del b[:1]; c.out += struct.pack('>I', 0); c.stage = 'init'
        elif c.stage == 'init':
            if len(b) < 1: break
            del b[:1]
            name = c.frame.name.encode()
            c.out += struct.pack('>HHBBBBHHHBBBxxxI', c.frame.w, c.frame.h, 32, 24, 0, 1, 255, 255, 255, 16, 8, 0, len(name)) + name
            c.stage = 'normal'
        else:
            if not b: break
            t = b[0]
            if t == 0:    # SetPixelFormat
                if len(b) < 20: break
                bpp, depth, big, tc, rm, gm, bm, rs, gs, bs = struct.unpack('>BBBBHHHBBB', b[4:17])
                if bpp != 32 or not tc:
                    raise ConnectionError('only 32-bpp true colour')
                c.fmt = (bool(big), rs, gs, bs); del b[:20]
            elif t == 2:  # SetEncodings
                if len(b) < 4: break
                n = struct.unpack('>H', b[2:4])[0]
                if len(b) < 4 + 4 * n: break
                del b[:4 + 4 * n]
            elif t == 3:  # FramebufferUpdateRequest
                if len(b) < 10: break
                incremental = b[1]; del b[:10]
                if not incremental or not c.sent_full:
                    f = c.frame
                    c.out += struct.pack('>BxHHHHHi', 0, 1, 0, 0, f.w, f.h, 0) + f.pixels(c.fmt)
                    c.sent_full = True
            elif t == 4:  # KeyEvent
                if len(b) < 8: break
                del b[:8]; keys += 1
            elif t == 5:  # PointerEvent
                if len(b) < 6: break
                del b[:6]; pointers += 1
            elif t == 6:  # ClientCutText
                if len(b) < 8: break
                n = struct.unpack('>I', b[4:8])[0]
                if len(b) < 8 + n: break
                del b[:8 + n]
            else:
                raise ConnectionError('unknown message %d' % t)
    return keys, pointers


if __name__ == '__main__':
    main()
