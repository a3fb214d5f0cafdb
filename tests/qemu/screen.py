"""Reading what the guest shows: the VGA text screen (through the CRTC's
start address and pmemsave) and the framebuffer (a screendump matched glyph
by glyph against the console's PSF font). keel_qemu.py's --expect-screen and
--send screen: use them. Python's standard library only."""
import os
import re
import sys

from qemu_monitor import Failure

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

VGA_TEXT_BASE = 0xB8000
VGA_COLS, VGA_ROWS = 80, 25
VGA_TEXT_WINDOW = 32 * 1024  # 0xB8000-0xBFFFF
VGA_CRTC_INDEX = 0x3D4  # and its data port, 0x3D5


# Reading the screen

def cp437(byte):
    if byte == 0:
        return " "
    if byte < 0x20 or byte == 0x7F:
        return "."
    return bytes([byte]).decode("cp437")


def hmp_port_byte(monitor, port):
    """A byte read from an I/O port through HMP's `i` (`portb[0x03d4] = 0x0e`)."""
    out = monitor.command(f"i/b {port:#x}")
    m = re.search(r"=\s*0x([0-9a-fA-F]+)", out)
    if not m:
        raise Failure(f"HMP `i/b {port:#x}` answered {out!r}")
    return int(m.group(1), 16)


def vga_crtc(monitor):
    """The CRTC's start address and cursor location (registers 0x0C-0x0F, in
    cells from the start of video memory): the console scrolls by moving the
    start through the 32 KiB text window (docs/console.md). Read with the
    guest paused and the index register restored, so the guest never sees
    its CRTC index change under it."""
    running = "running" in monitor.command("info status")
    if running:
        monitor.command("stop")
    try:
        index = hmp_port_byte(monitor, VGA_CRTC_INDEX)
        values = []
        for register in (0x0C, 0x0D, 0x0E, 0x0F):
            monitor.command(f"o/b {VGA_CRTC_INDEX:#x} {register:#x}")
            values.append(hmp_port_byte(monitor, VGA_CRTC_INDEX + 1))
        monitor.command(f"o/b {VGA_CRTC_INDEX:#x} {index:#x}")
    finally:
        if running:
            monitor.command("cont")
    start = values[0] << 8 | values[1]
    cursor = values[2] << 8 | values[3]
    # The kernel never lets a screen run past the window's end; anyone else
    # would wrap, which this reader does not follow.
    if (start + VGA_COLS * VGA_ROWS) * 2 > VGA_TEXT_WINDOW:
        raise Failure(f"VGA start address {start:#x} puts the screen past the 32 KiB window")
    return start, cursor


def read_vga_text(monitor, path):
    """The 80x25 VGA text screen as (lines, attributes, cursor), from the
    CRTC's start address on; cursor is (row, column) on the screen, or None
    when the CRTC puts it off the screen (hidden)."""
    start, cursor = vga_crtc(monitor)
    base = VGA_TEXT_BASE + 2 * start
    monitor.command(f'pmemsave {base:#x} {VGA_COLS * VGA_ROWS * 2} "{path}"')
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) != VGA_COLS * VGA_ROWS * 2:
        raise Failure(f"pmemsave returned {len(raw)} bytes of VGA text memory")
    lines, attrs = [], []
    for row in range(VGA_ROWS):
        cells = raw[row * VGA_COLS * 2:(row + 1) * VGA_COLS * 2]
        lines.append("".join(cp437(b) for b in cells[0::2]))
        attrs.append(bytes(cells[1::2]))
    on_screen = 0 <= cursor - start < VGA_COLS * VGA_ROWS
    return lines, attrs, divmod(cursor - start, VGA_COLS) if on_screen else None


class Font:
    """A PSF font's glyphs, keyed by bitmap, for exact-match OCR."""

    def __init__(self, path):
        sys.path.insert(0, os.path.join(REPO, "tools"))
        try:
            import psf2cpp  # the console engineer's PSF parser
        finally:
            sys.path.pop(0)
        try:
            self.width, self.height, glyphs, table = psf2cpp.load(path)
        except psf2cpp.FontError as e:
            raise Failure(f"font for screen OCR: {e}")
        self.row_bytes = (self.width + 7) // 8
        self.by_bitmap = {}
        # Printable ASCII first, so a glyph shared with another code point
        # reads as ASCII; fonts without a Unicode table are CP437-ordered.
        codepoints = sorted(table or {}, key=lambda cp: (not 0x20 <= cp < 0x7F, cp))
        if table:
            for cp in codepoints:
                self.by_bitmap.setdefault(bytes(glyphs[table[cp]]), chr(cp))
        else:
            for index in range(min(256, len(glyphs))):
                self.by_bitmap.setdefault(bytes(glyphs[index]), cp437(index))
        self.by_bitmap[bytes(self.row_bytes * self.height)] = " "


def parse_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        if not m:
            raise Failure(f"{path}: not a PPM image")
        fields.append(m.group(2))
        pos = m.end()
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise Failure(f"{path}: unsupported PPM format {fields[0]!r}")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + width * height * 3]
    if len(pixels) != width * height * 3:
        raise Failure(f"{path}: truncated PPM image")
    return width, height, pixels


def ocr_framebuffer(path, font):
    """Text on a framebuffer image: cells of the font's size from the top-left;
    in each cell a pixel is foreground iff it differs from the background, which
    is whichever of the cell's colours makes the bitmap a glyph of the font."""
    width, height, px = parse_ppm(path)
    cw, ch = font.width, font.height
    stride = width * 3
    lines = []
    for row in range(height // ch):
        text = []
        for col in range(width // cw):
            x0 = col * cw * 3
            rows = [px[(row * ch + y) * stride + x0:(row * ch + y) * stride + x0 + cw * 3]
                    for y in range(ch)]
            first = rows[0][:3]
            if all(r == first * cw for r in rows):
                text.append(" ")
                continue
            counts = {}
            for r in rows:
                for x in range(0, cw * 3, 3):
                    c = r[x:x + 3]
                    counts[c] = counts.get(c, 0) + 1
            char = "?"
            for bg in sorted(counts, key=counts.get, reverse=True):
                bitmap = bytearray()
                for r in rows:
                    bits = 0
                    for x in range(cw):
                        if r[x * 3:x * 3 + 3] != bg:
                            bits |= 1 << (font.row_bytes * 8 - 1 - x)
                    bitmap += bits.to_bytes(font.row_bytes, "big")
                found = font.by_bitmap.get(bytes(bitmap))
                if found is not None:
                    char = found
                    break
            text.append(char)
        lines.append("".join(text))
    return lines
