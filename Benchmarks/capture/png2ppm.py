#!/usr/bin/env python3
"""Writes a screenshot (PNG as `virsh screenshot` saves it, or already PPM) as a gzip'd binary PPM.
   png2ppm.py IN OUT.ppm.gz"""
import gzip, struct, sys, zlib


def ppm_of_png(b):
    i, idat = 8, b''
    while i < len(b):
        n, t = struct.unpack('>I4s', b[i:i + 8]); d = b[i + 8:i + 8 + n]; i += 12 + n
        if t == b'IHDR': w, h, depth, ct = struct.unpack('>IIBB', d[:10]); assert depth == 8 and ct in (2, 6)
        elif t == b'IDAT': idat += d
    ch = 3 if ct == 2 else 4; raw = zlib.decompress(idat); stride = w * ch
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - ch] if x >= ch else 0; up = prev[x]; c = prev[x - ch] if x >= ch else 0
            p = [0, a, up, (a + up) // 2, None][f]
            if f == 4:
                e = a + up - c; pa, pb, pc = abs(e - a), abs(e - up), abs(e - c)
                p = a if pa <= pb and pa <= pc else (up if pb <= pc else c)
            line[x] = (line[x] + p) & 255
        rows.append(bytes(line if ch == 3 else bytearray(v for k, v in enumerate(line) if k % 4 != 3))); prev = line
    return b'P6\n%d %d\n255\n' % (w, h) + b''.join(rows)


if __name__ == '__main__':
    data = open(sys.argv[1], 'rb').read()
    ppm = ppm_of_png(data) if data[:8] == b'\x89PNG\r\n\x1a\n' else data
    gzip.open(sys.argv[2], 'wb', 9).write(ppm)
