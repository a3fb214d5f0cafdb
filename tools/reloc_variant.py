#!/usr/bin/env python3
"""Writes a copy of a kernel ELF whose Multiboot2 relocatable tag asks the
loader for another placement preference (docs/boot.md, "Relocation").

    reloc_variant.py --preference highest keel-boot.elf keel-reloc-high.elf

Only the tag's preference word changes: the code, the symbol map and every
other byte stay those of the kernel the build made, so a test of the copy
tests that kernel placed elsewhere. The header's checksum covers only its
first four words, not the tags, so it stays valid. Fails with a sentence
when the file has no Multiboot2 header or no relocatable tag.
Python standard library only.
"""
import argparse
import re
import struct
import sys
from pathlib import Path

# The protocol's numbers come from the header the kernel's assembly and
# parser use, so the three cannot disagree.
PROTOCOL_H = Path(__file__).resolve().parent.parent / "src/boot/multiboot2/protocol.h"


def protocol_numbers(path=PROTOCOL_H):
    """The `#define MB2_NAME value` lines of protocol.h, as integers."""
    numbers = {}
    for m in re.finditer(r"^#define (MB2_\w+) (0x[0-9A-Fa-f]+|\d+)\b", path.read_text(), re.M):
        numbers[m.group(1)] = int(m.group(2), 0)
    return numbers


MB2 = protocol_numbers()
MB2_HEADER_MAGIC = MB2["MB2_HEADER_MAGIC"]
MB2_SEARCH = MB2["MB2_HEADER_SEARCH_BYTES"]
TAG_END = MB2["MB2_HEADER_TAG_END"]
TAG_RELOCATABLE = MB2["MB2_HEADER_TAG_RELOCATABLE"]
PREFERENCES = {name: MB2[f"MB2_RELOC_PREFERENCE_{name.upper()}"]
               for name in ("none", "lowest", "highest")}


def find_header(data):
    for at in range(0, min(len(data), MB2_SEARCH) - 16, 8):
        magic, arch, length, checksum = struct.unpack_from("<IIII", data, at)
        if magic == MB2_HEADER_MAGIC and (magic + arch + length + checksum) & 0xFFFFFFFF == 0:
            return at, length
    return None


def relocatable_tag(data, header, length):
    at = header + 16
    while at + 8 <= header + length:
        tag_type, _flags, size = struct.unpack_from("<HHI", data, at)
        if tag_type == TAG_END or size < 8:
            break
        if tag_type == TAG_RELOCATABLE:
            if size != 24:
                sys.exit(f"the relocatable tag is {size} bytes long, not 24")
            return at
        at += (size + 7) // 8 * 8
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preference", choices=sorted(PREFERENCES), required=True)
    parser.add_argument("input")
    parser.add_argument("output")
    args = parser.parse_args()
    data = bytearray(open(args.input, "rb").read())
    found = find_header(data)
    if found is None:
        sys.exit(f"{args.input}: no Multiboot2 header in the first {MB2_SEARCH} bytes")
    tag = relocatable_tag(data, *found)
    if tag is None:
        sys.exit(f"{args.input}: the Multiboot2 header has no relocatable tag "
                 f"(type {TAG_RELOCATABLE})")
    struct.pack_into("<I", data, tag + 20, PREFERENCES[args.preference])
    with open(args.output, "wb") as out:
        out.write(data)


if __name__ == "__main__":
    main()
