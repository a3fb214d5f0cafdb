#!/usr/bin/env python3
"""Turn Debian's pci.ids into the kernel's compact PCI name table (C++).

The output defines the arrays src/drivers/pci/name_table.hpp declares: vendor
names (all of them), device names (for the vendors given with --devices-of,
or all with --devices-of all), class and subclass names. Every name is stored
once in one NUL-separated string pool that the tables index by offset; the
tables are sorted so the kernel finds a name by binary search. Subsystem
lines and programming-interface names are left out: the boot report does
not print them. Non-ASCII letters are reduced to ASCII (the boot log is
ASCII), so the pool's bytes 0x80-0xFF are free: each stands for one of the
128 words that save the most ("Corporation ", "Controller", "PCI ",
...), kept in a table of their own. That takes the pool to about 60% of
its plain size. Python standard library only.

usage: pciids2cpp.py [--devices-of all|VVVV,VVVV,...] <pci.ids> <out.cpp>
"""

import argparse
import collections
import re
import sys
import unicodedata

# Name bytes from FIRST_TOKEN up are words from the token table.
FIRST_TOKEN = 0x80
MAX_TOKENS = 128
# The longest name the kernel expands (drivers::pci::names::kMaxNameLength).
MAX_NAME_LENGTH = 127
# A name is a run of these pieces: a word with the space after it, or a
# space (names may hold two in a row). Joined, they give the name back.
PIECE = re.compile(r"[^ ]+ ?| ")


class IdsError(Exception):
    pass


def ascii_name(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c if 32 <= ord(c) < 127 else "?" for c in plain).strip()
    return plain or "?"


def parse(lines):
    """Returns (vendors, devices, classes, subclasses) as dicts."""
    vendors, devices, classes, subclasses = {}, {}, {}, {}
    vendor = None
    klass = None
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        try:
            if line.startswith("C "):
                klass = int(line[2:4], 16)
                classes[klass] = ascii_name(line[4:])
                vendor = None
            elif line.startswith("\t\t"):
                continue  # subsystem or programming interface
            elif line.startswith("\t"):
                key, name = line[1:5], line[5:]
                if vendor is not None:
                    devices[(vendor, int(key, 16))] = ascii_name(name)
                elif klass is not None:
                    subclasses[(klass, int(key[:2], 16))] = ascii_name(line[3:])
            elif line[0] in "0123456789abcdef":
                vendor = int(line[:4], 16)
                vendors[vendor] = ascii_name(line[4:])
                klass = None
            else:
                # Other top-level lists (device types, languages): not needed.
                vendor = klass = None
        except ValueError as e:
            raise IdsError(f"line {number}: cannot read {line!r}: {e}") from None
    if not vendors or not classes:
        raise IdsError("no vendors or no classes found: is this a pci.ids file?")
    return vendors, devices, classes, subclasses


def choose_tokens(names):
    """The pieces worth a token byte: a piece used n times saves n * (len - 1)
    bytes and costs len + 1 in the token table. The MAX_TOKENS that save
    the most, best first (ties by text, so the output is reproducible)."""
    counts = collections.Counter(piece for name in names for piece in PIECE.findall(name))
    saving = {p: n * (len(p) - 1) - (len(p) + 1) for p, n in counts.items() if len(p) > 1}
    best = sorted((p for p in saving if saving[p] > 0), key=lambda p: (-saving[p], p))
    return best[:MAX_TOKENS]


def encode(name, token_of):
    return bytes(b for piece in PIECE.findall(name)
                 for b in ((token_of[piece],) if piece in token_of else piece.encode("ascii")))


class Pool:
    """Names, each once, encoded with the tokens, NUL-terminated."""

    def __init__(self, tokens):
        self.token_of = {t: FIRST_TOKEN + i for i, t in enumerate(tokens)}
        self.offsets = {}
        self.parts = []
        self.size = 0

    def add(self, text):
        if len(text) > MAX_NAME_LENGTH:
            raise IdsError(f"the name {text!r} is longer than {MAX_NAME_LENGTH} characters, "
                           "the most the kernel expands (raise kMaxNameLength)")
        if text not in self.offsets:
            data = encode(text, self.token_of)
            self.offsets[text] = self.size
            self.parts.append(data)
            self.size += len(data) + 1
        return self.offsets[text]


def c_string(data):
    """A C string literal of `data` and a NUL; bytes outside printable ASCII
    as three-digit octal escapes (a hex escape would swallow a following
    hex digit)."""
    out = []
    for b in data:
        c = chr(b)
        if c in '\\"?':
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '\\0"'


def generate(vendors, devices, classes, subclasses, source):
    everything = set(vendors.values()) | set(devices.values()) | set(classes.values()) | set(
        subclasses.values())
    tokens = choose_tokens(sorted(everything))
    pool = Pool(tokens)
    out = []
    out.append(f"// Generated by tools/pciids2cpp.py from {source}: do not edit.")
    out.append('#include "drivers/pci/name_table.hpp"')
    out.append("")
    out.append("namespace drivers::pci::names {")
    rows_v = [f"    {{0x{v:04x}, {pool.add(n)}}}," for v, n in sorted(vendors.items())]
    rows_d = [f"    {{0x{v:04x}, 0x{d:04x}, {pool.add(n)}}},"
              for (v, d), n in sorted(devices.items())]
    rows_c = [f"    {{0x{c:02x}, {pool.add(n)}}}," for c, n in sorted(classes.items())]
    rows_s = [f"    {{0x{c:02x}{s:02x}, {pool.add(n)}}},"
              for (c, s), n in sorted(subclasses.items())]
    # The literal ends in one more NUL than the pool needs: harmless.
    out.append("extern const char kPool[];")
    out.append("const char kPool[] =")
    for text in pool.parts:
        out.append("    " + c_string(text))
    out[-1] += ";"
    for name, rows, kind in (("kVendors", rows_v, "VendorName"),
                             ("kDevices", rows_d, "DeviceName"),
                             ("kClasses", rows_c, "ClassName"),
                             ("kSubclasses", rows_s, "SubclassName")):
        out.append(f"const {kind} {name}[] = {{")
        out.extend(rows)
        out.append("};")
    out.append("const char kTokenText[] =")
    offsets, at = [], 0
    for t in tokens:
        out.append("    " + c_string(t.encode("ascii")))
        offsets.append(at)
        at += len(t) + 1
    if not tokens:
        out.append('    ""')
    out[-1] += ";"
    out.append("const u16 kTokenOffsets[] = {" + ", ".join(str(o) for o in offsets or [0]) + "};")
    # The kernel's side of the format, checked where it is compiled rather
    # than kept in step by comments (name_table.hpp).
    longest = max((len(n) for n in pool.offsets), default=0)
    out.append(f"static_assert(kFirstToken == 0x{FIRST_TOKEN:02x}, \"pciids2cpp.py's FIRST_TOKEN\");")
    out.append(f"static_assert(kFirstToken + {len(tokens)} <= 0x100, \"a token per byte value\");")
    out.append(f"static_assert(kMaxNameLength >= {longest}, \"the longest name in pci.ids\");")
    out.append("const NameTable kTable{kPool, sizeof(kPool),")
    out.append("    {kVendors, sizeof(kVendors) / sizeof(kVendors[0])},")
    out.append("    {kDevices, sizeof(kDevices) / sizeof(kDevices[0])},")
    out.append("    {kClasses, sizeof(kClasses) / sizeof(kClasses[0])},")
    out.append("    {kSubclasses, sizeof(kSubclasses) / sizeof(kSubclasses[0])},")
    out.append(f"    kTokenText, sizeof(kTokenText), {{kTokenOffsets, {len(tokens)}}}}};")
    out.append("")
    out.append("}  // namespace drivers::pci::names")
    sizes = (pool.size + at + 2 * len(tokens), len(rows_v) * 8, len(rows_d) * 8,
             len(rows_c) * 8, len(rows_s) * 8)
    return "\n".join(out) + "\n", sizes


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices-of", default="all",
                        help="vendor IDs (hex, comma-separated) whose device names are kept")
    parser.add_argument("ids")
    parser.add_argument("output")
    args = parser.parse_args(argv)
    try:
        with open(args.ids, encoding="utf-8", errors="replace") as f:
            vendors, devices, classes, subclasses = parse(f)
    except OSError as e:
        print(f"pciids2cpp: cannot read {args.ids}: {e.strerror}", file=sys.stderr)
        return 1
    except IdsError as e:
        print(f"pciids2cpp: {args.ids}: {e}", file=sys.stderr)
        return 1
    if args.devices_of != "all":
        try:
            keep = {int(v, 16) for v in args.devices_of.replace(";", ",").split(",") if v}
        except ValueError:
            print(f"pciids2cpp: --devices-of wants hex vendor IDs, not {args.devices_of!r}",
                  file=sys.stderr)
            return 2
        devices = {k: n for k, n in devices.items() if k[0] in keep}
    try:
        text, sizes = generate(vendors, devices, classes, subclasses, args.ids)
    except IdsError as e:
        print(f"pciids2cpp: {args.ids}: {e}", file=sys.stderr)
        return 1
    with open(args.output, "w", encoding="ascii") as f:
        f.write(text)
    print(f"pciids2cpp: {len(vendors)} vendors, {len(devices)} devices, {len(classes)} classes, "
          f"{len(subclasses)} subclasses: {sum(sizes) // 1024} KiB "
          f"({sizes[0] // 1024} KiB of names)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
