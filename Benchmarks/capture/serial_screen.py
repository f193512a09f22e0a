#!/usr/bin/env python3
"""The text of a firmware screen, rebuilt from what the firmware wrote to its serial console.

OVMF mirrors its text console on the serial port (EDK2's terminal driver, PC-ANSI: cursor positioning and
colours as ANSI sequences, box drawing, arrows and blocks as code page 437 bytes). Replaying that stream on a
small terminal model gives the screen's text from the firmware itself, independent of any pixel recognition:
the expected text of the captured frames.

EDK2's terminal driver sends ASCII stand-ins for the arrows and triangles its graphics console draws: --edk2
puts the glyphs back where the setup browser uses them (checked by eye against the frames): "^v=Move Highlight"
is "↑↓=Move Highlight", "<^> and <v>" is "<↑> and <↓>", a '>' before a menu item is '►', a 'v'/'^' in a frame line
is '▼'/'▲'; in 100 columns, the right side of the page frames, which the terminal driver cannot place (edk2_glyphs). GRUB's serial terminal (terminfo -u) sends UTF-8 instead: --utf8; it frames its menu with heavy box
drawing where gfxterm draws light lines (checked by eye): --grub puts the light ones back.

    serial_screen.py LOG COLS ROWS [--from OFFSET] [--utf8] [--edk2|--grub]   prints the screen, one line per
                                                                              row, trailing spaces trimmed
"""
import re
import sys

# Code page 437 for the bytes EDK2's PC-ANSI terminal sends for non-ASCII characters (and its arrows/triangles,
# which it sends as the CP437 glyph bytes 0x10-0x1F).
CP437_LOW = "\u0000☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼"
CP437_HIGH = ("ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
              "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0")


class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.x = self.y = 0
        self.pending = False   # the cursor sits past the last column: the next character wraps first
        self.clear()

    def clear(self):
        self.cells = [[" "] * self.cols for _ in range(self.rows)]

    def line_feed(self):
        self.y += 1
        if self.y == self.rows:
            del self.cells[0]
            self.cells.append([" "] * self.cols)
            self.y = self.rows - 1

    def put(self, ch):
        if self.pending:
            self.x = 0
            self.line_feed()
            self.pending = False
        self.cells[self.y][self.x] = ch
        if self.x == self.cols - 1:
            self.pending = True
        else:
            self.x += 1

    def csi(self, params, final):
        nums = [int(p) if p.isdigit() else 0 for p in params.lstrip("?").split(";")] if params else []
        n = nums[0] if nums and nums[0] > 0 else 1
        self.pending = False
        if final in "Hf":
            row = nums[0] if len(nums) > 0 and nums[0] > 0 else 1
            col = nums[1] if len(nums) > 1 and nums[1] > 0 else 1
            self.y, self.x = min(row, self.rows) - 1, min(col, self.cols) - 1
        elif final == "J":
            if (nums[0] if nums else 0) == 2:
                self.clear()
            elif (nums[0] if nums else 0) == 0:
                self.cells[self.y][self.x:] = [" "] * (self.cols - self.x)
                for r in range(self.y + 1, self.rows):
                    self.cells[r] = [" "] * self.cols
        elif final == "K":
            self.cells[self.y][self.x:] = [" "] * (self.cols - self.x)
        elif final == "A":
            self.y = max(0, self.y - n)
        elif final == "B":
            self.y = min(self.rows - 1, self.y + n)
        elif final == "C":
            self.x = min(self.cols - 1, self.x + n)
        elif final == "D":
            self.x = max(0, self.x - n)
        # m (colours), h/l (modes): no effect on the text

    def feed(self, data, utf8=False):
        i = 0
        while i < len(data):
            b = data[i]
            if b == 0x1B:
                if i + 1 < len(data) and data[i + 1] == ord("["):
                    j = i + 2
                    while j < len(data) and not (0x40 <= data[j] <= 0x7E):
                        j += 1
                    if j >= len(data):
                        break
                    self.csi(data[i + 2:j].decode("latin-1"), chr(data[j]))
                    i = j + 1
                    continue
                i += 2
                continue
            if b == 0x0D:
                self.x = 0
                self.pending = False
            elif b == 0x0A:
                self.line_feed()
                self.pending = False
            elif b == 0x08:
                self.x = max(0, self.x - 1)
                self.pending = False
            elif b in (0x00, 0x07, 0x0B, 0x0C, 0x0E, 0x0F):
                pass
            elif b < 0x20:
                self.put(CP437_LOW[b])
            elif b < 0x7F:
                self.put(chr(b))
            elif utf8 and b >= 0xC0:
                n = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
                self.put(data[i:i + n].decode("utf-8", "replace")[:1])
                i += n
                continue
            elif b >= 0x80:
                self.put(CP437_HIGH[b - 0x80])
            i += 1

    def lines(self):
        return ["".join(r).rstrip() for r in self.cells]


def edk2_glyphs(lines, cols=80):
    """The graphics console's glyphs for the EDK2 terminal driver's ASCII stand-ins (see the module comment).

    In a text mode of 100 columns (the shell's and, at bigger modes, the setup's 100x31) the terminal driver cannot
    put its cursor in the last column: its cursor escape has two digits a number ("ESC[02;:0H" for column 100, which
    it does not send), so what the setup browser draws there never reaches the serial line: the right side of its
    page frames, whose left side is a '│' in the first column (checked by eye against the frames). Put it back."""
    out = []
    for line in lines:
        if cols > 99 and line.startswith("│") and len(line) < cols:
            line = line.ljust(cols - 1) + "│"
        line = line.replace("^v=Move Highlight", "↑↓=Move Highlight").replace("<^> and <v>", "<↑> and <↓>")
        line = re.sub(r"^( *)> (?=\S)", r"\1► ", line)
        line = re.sub(r"(?<=─)v(?=─)", "▼", line)
        line = re.sub(r"(?<=─)\^(?=─)", "▲", line)
        out.append(line)
    return out


GRUB_LIGHT = str.maketrans("┏┓┗┛━┃", "┌┐└┘─│")


def grub_glyphs(lines):
    """gfxterm's light menu frame for the heavy one GRUB's serial terminal draws."""
    return [line.translate(GRUB_LIGHT) for line in lines]


def main():
    args = sys.argv[1:]
    start = 0
    utf8 = "--utf8" in args
    if utf8:
        args.remove("--utf8")
    edk2 = "--edk2" in args
    if edk2:
        args.remove("--edk2")
    grub = "--grub" in args
    if grub:
        args.remove("--grub")
    if "--from" in args:
        k = args.index("--from")
        start = int(args[k + 1])
        del args[k:k + 2]
    log, cols, rows = args[0], int(args[1]), int(args[2])
    s = Screen(cols, rows)
    s.feed(open(log, "rb").read()[start:], utf8)
    out = edk2_glyphs(s.lines(), cols) if edk2 else grub_glyphs(s.lines()) if grub else s.lines()
    while out and out[-1] == "":
        out.pop()
    sys.stdout.write("".join(line + "\n" for line in out))


if __name__ == "__main__":
    main()
