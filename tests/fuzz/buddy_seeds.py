#!/usr/bin/env python3
"""Seeds for fuzz_buddy from real memory maps: the golden Multiboot2
captures (tests/data/mbi/*.bin, their type-6 tag) and the E820 maps of real
PCs (../shared/e820-corpus/*.txt, where present).

The fuzzer's input (buddy_fuzz.cpp) describes up to eight free ranges in two
16 MiB windows: from 0, and from 4 GiB - 1 MiB. Each seed is a map's usable
RAM in those windows (the holes below 1 MiB, the ISA hole at 15 MiB, RAM
starting at 4 GiB above the PCI hole), in the fuzzer's encoding (a page
gap of at most 1023 from the last range, a length of 1 to 4096 pages; a gap
too wide or a range too long is cut), followed by a fixed mix of
allocations and frees for the fuzzer to mutate.

  buddy_seeds.py OUT_DIR [MAP ...]    (files ending .bin are MBIs, others E820 text)
"""
import os
import re
import struct
import sys

PAGE = 4096
LOW_END = 16 << 20
HIGH_BASE = (4 << 30) - (1 << 20)
HIGH_END = (4 << 30) + (16 << 20)
OPERATIONS = bytes([0x00, 0x02, 0x22, 0x44, 0x01, 0x06, 0x01, 0x03, 0x10, 0x26, 0x01, 0x01,
                    0x48, 0x05, 0x01, 0x14, 0x01, 0x01])


def usable_from_mbi(data):
    """Available (type 1) ranges of a Multiboot2 information's memory map."""
    total = struct.unpack_from("<I", data, 0)[0]
    at, ranges = 8, []
    while at + 8 <= min(total, len(data)):
        kind, size = struct.unpack_from("<II", data, at)
        if kind == 0 or size < 8:
            break
        if kind == 6:
            entry_size = struct.unpack_from("<I", data, at + 8)[0]
            for e in range(at + 16, at + size - entry_size + 1, entry_size):
                base, length, etype = struct.unpack_from("<QQI", data, e)
                if etype == 1:
                    ranges.append((base, base + length))
        at += (size + 7) & ~7
    return ranges


def usable_from_e820(text):
    """`BIOS-e820: [mem 0x...-0x...] usable` lines (Linux's dmesg)."""
    pattern = re.compile(r"\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] usable")
    return [(int(a, 16), int(b, 16) + 1) for a, b in pattern.findall(text)]


def clip(ranges, lo, hi):
    """The page-aligned parts of `ranges` inside [lo, hi), sorted."""
    out = []
    for base, end in sorted(ranges):
        base = max(base, lo)
        end = min(end, hi)
        base = (base + PAGE - 1) // PAGE * PAGE
        end = end // PAGE * PAGE
        if end > base:
            out.append((base, end))
    return out


def encode(low, high):
    """The fuzzer's bytes: the count, then a gap and a length word per range."""
    low, high = low[:4], high[:4]
    pieces = []
    at = 0
    for window, start in ((low, 0), (high, HIGH_BASE)):
        at = max(at, start)
        for base, end in window:
            gap = min((base - at) // PAGE, 1023) if base >= at else 0
            pages = min((end - (at + gap * PAGE)) // PAGE, 4096)
            if pages < 1:
                continue
            pieces.append(struct.pack("<HH", gap, pages - 1))
            at += (gap + pages + 1) * PAGE
    low_count = min(len(low), 4)
    # The fuzzer puts the first count/2 ranges low: count = 2 * low ranges
    # (or 2 * low + 1); missing high ranges are a range past the window,
    # which ends the list there.
    count = max(len(pieces), 2 * low_count)
    while len(pieces) < count:
        pieces.append(struct.pack("<HH", 1023, 4095))
    return bytes([(count - 1) % 8]) + b"".join(pieces[:8]) + OPERATIONS


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        if os.path.isdir(path):
            files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".txt")
                           and f != "README.md")
        else:
            files = [path]
        for f in files:
            if f.endswith(".bin"):
                ranges = usable_from_mbi(open(f, "rb").read())
            else:
                ranges = usable_from_e820(open(f, errors="replace").read())
            if not ranges:
                continue
            seed = encode(clip(ranges, 0, LOW_END), clip(ranges, HIGH_BASE, HIGH_END))
            name = "map-" + os.path.splitext(os.path.basename(f))[0]
            with open(os.path.join(out, name), "wb") as o:
                o.write(seed)


if __name__ == "__main__":
    main()
