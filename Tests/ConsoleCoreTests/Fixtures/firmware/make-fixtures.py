#!/usr/bin/env python3
"""Makes the synthetic firmware fixtures of FirmwareFontTests (run from this directory; output is deterministic
for a given Python lzma). Nothing here comes from EDK2: the glyphs are a formula, the structures follow the
UEFI PI specification.
  text.lzma        a text with repeats, .lzma "alone" format with an end marker and unknown size
  text-sized.lzma  the same stream with its size in the header (as EDK2 writes it)
  synthetic.fd     a firmware volume: one driver file, its sections LZMA-compressed in a GUID-defined section:
                   a PE32 section holding an EFI_NARROW_GLYPH array and an HII simple font package with two wide
                   glyphs, and a user-interface section "GraphicsConsoleDxe"
"""
import lzma
import struct

LZMA_GUID = bytes.fromhex("98584eee143959429d6edc7bd79403cf")


def text():
    words = ["firmware", "volume", "glyph", "console", "shell", "setup", "boot", "manager", "0123456789"]
    out, x = [], 1
    for i in range(3000):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(words[x % len(words)])
        if i % 13 == 0:
            out.append("\n")
    return (" ".join(out)).encode()


def glyph_rows(cp, row, wide=False):
    # The same formula as FirmwareFontTests.syntheticRow.
    v = (cp * 2654435761 + row * 40503 + (7 if wide else 0)) & 0xFFFFFFFF
    return (v >> 13) & (0xFFFF if wide else 0xFF)


def narrow_record(cp):
    rows = bytes(0 if cp == 0x20 else glyph_rows(cp, r) for r in range(19))
    return struct.pack("<HB", cp, 0) + rows


def section(kind, body):
    size = 4 + len(body)
    return struct.pack("<I", size)[:3] + bytes([kind]) + body


def align4(b):
    return b + b"\0" * (-len(b) % 4)


def main():
    t = text()
    stream = lzma.compress(t, format=lzma.FORMAT_ALONE, preset=6)
    open("text.lzma", "wb").write(stream)
    open("text-sized.lzma", "wb").write(stream[:5] + struct.pack("<Q", len(t)) + stream[13:])
    open("text.txt", "wb").write(t)

    narrow = [0x20] + list(range(0x21, 0x7F)) + [0x2500, 0x2502, 0x2191, 0x2193]
    array = b"".join(narrow_record(cp) for cp in narrow) + struct.pack("<HB", 0, 0) + bytes(19)
    wide = [0x4E00, 0x4E8C]
    wide_records = b"".join(
        struct.pack("<HB", cp, 2)
        + bytes(glyph_rows(cp, r, True) >> 8 for r in range(19))
        + bytes(glyph_rows(cp, r, True) & 0xFF for r in range(19))
        + bytes(3)
        for cp in wide)
    package = struct.pack("<I", (8 + len(wide_records)) | (0x07 << 24)) + struct.pack("<HH", 0, len(wide)) + wide_records
    pe = b"MZ" + bytes(62) + b"synthetic driver image " + bytes(41) + array + bytes(16) + package + bytes(32)
    ui = "GraphicsConsoleDxe\0".encode("utf-16-le")
    inner = align4(section(0x10, pe)) + section(0x15, ui)
    packed = lzma.compress(inner, format=lzma.FORMAT_ALONE)
    packed = packed[:5] + struct.pack("<Q", len(inner)) + packed[13:]
    guided = section(0x02, LZMA_GUID + struct.pack("<HH", 24, 1) + packed)
    ffs_body = guided
    ffs_size = 24 + len(ffs_body)
    ffs = bytes(range(16)) + struct.pack("<H", 0) + bytes([0x07, 0x00]) + struct.pack("<I", ffs_size)[:3] + b"\xf8" + ffs_body
    ffs += b"\xff" * (-len(ffs) % 8)
    header_len = 72
    body = ffs + b"\xff" * 64
    fv_len = header_len + len(body)
    fv_len += -fv_len % 8
    hdr = bytes(16) + bytes.fromhex("78e58c8c3d8a1c4f9935896185c32dd3") + struct.pack("<Q", fv_len) + b"_FVH"
    hdr += struct.pack("<IHHHBB", 0x0004FEFF, header_len, 0, 0, 0, 2)
    hdr += struct.pack("<II", fv_len // 8, 8) + struct.pack("<II", 0, 0)
    fv = hdr + body
    fv += b"\xff" * (fv_len - len(fv))
    open("synthetic.fd", "wb").write(b"\xff" * 4096 + fv)


main()
