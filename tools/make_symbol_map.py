#!/usr/bin/env python3
"""Makes and checks the kernel's symbol map (src/kernel/debug/symbol_map.hpp).

The names come from the toolchain's own demangler: `nm -C` (GNU nm for the
GCC build, llvm-nm for the clang one), so the kernel carries no demangler.

  make_symbol_map.py generate --nm NM --elf keel-nomap.elf --output keel.map
      the map of the image's functions (every defined text symbol with a
      size), sorted by address.
  make_symbol_map.py verify --nm NM --elf keel.elf --map keel.map
      the image must embed keel.map in .keel_symbols, and that map, decoded,
      must list the image's own functions: embedding it moved no function.
  make_symbol_map.py spoil --elf keel-boot.elf --output keel-badmap.elf
      a copy of the image whose map has a wrong magic number: the crash
      test of the kernel's fallback to the mangled .symtab names.
"""
import argparse
import collections
import re
import struct
import subprocess
import sys

MAGIC = b"KEELSYMS"
VERSION = 1
SECTION = ".keel_symbols"
MAX_TOKENS = 128
FIRST_TOKEN = 0x80
# nm's type letters for code: local and global text, weak definitions.
CODE_TYPES = set("tTwW")
# POSIX format: "name type value [size]"; the name may contain spaces (it is
# demangled) and GNU nm leaves the size out when it is zero.
NM_LINE = re.compile(r"^(.*) ([A-Za-z?]) ([0-9a-fA-F]+) ?([0-9a-fA-F]*)$")


def functions(nm, elf):
    try:
        out = subprocess.run([nm, "-C", "-P", "-S", "-t", "x", "--defined-only", elf],
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"make_symbol_map: running {nm} on {elf} failed: {e}")
    found = set()
    for line in out.splitlines():
        m = NM_LINE.match(line)
        if not m:
            sys.exit(f"make_symbol_map: cannot parse this line of `{nm} -P`: {line!r}")
        name, kind, value, size = m.groups()
        size = int(size, 16) if size else 0
        if kind not in CODE_TYPES or size == 0:
            continue
        if size >= 1 << 32:
            sys.exit(f"make_symbol_map: {name} is {size} bytes, more than a map record holds")
        found.add((int(value, 16), size, name))
    if not found:
        sys.exit(f"make_symbol_map: {nm} lists no functions with a size in {elf}")
    # By start, then the largest first: a lookup walks back from the end of
    # a run of equal starts and so meets the innermost function first.
    ordered = sorted(found, key=lambda f: (f[0], -f[1], f[2]))
    unique = []
    for f in ordered:  # aliases (same start and size) print as one name
        if unique and unique[-1][:2] == f[:2]:
            continue
        unique.append(f)
    return unique


def make_tokens(names):
    """Replaces the most frequent pair of symbols with a new token, up to
    MAX_TOKENS times (byte-pair encoding); returns the tokens and the names
    as byte strings of symbols (bytes below FIRST_TOKEN are characters).

    Every symbol fits a byte (FIRST_TOKEN + MAX_TOKENS is 256), so a name is
    a bytes object and bytes.replace does the left-to-right, non-overlapping
    replacement. The pair counts are kept across rounds, recounting only the
    names a round changed: counting every name every round took 9 s of each
    -O0 build."""
    encoded = list(names)
    counts = collections.Counter()
    for name in encoded:
        counts.update(zip(name, name[1:]))
    tokens = []
    while len(tokens) < MAX_TOKENS:
        if not counts:
            break
        # The most frequent pair; of equally frequent ones, the greatest.
        pair, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        if frequency < 3:  # a token costs 2 bytes and saves 1 a use
            break
        symbol = FIRST_TOKEN + len(tokens)
        tokens.append(pair)
        old, new = bytes(pair), bytes([symbol])
        gone, came = collections.Counter(), collections.Counter()
        for k, name in enumerate(encoded):
            if old in name:
                replaced = name.replace(old, new)
                gone.update(zip(name, name[1:]))
                came.update(zip(replaced, replaced[1:]))
                encoded[k] = replaced
        counts.update(came)
        counts.subtract(gone)
        counts = +counts  # drop the pairs no name holds any more
    return tokens, encoded


def encode(funcs):
    unique_names = sorted({name for _, _, name in funcs})
    raw = []
    for name in unique_names:
        data = name.encode()
        if not data or any(b == 0 or b >= FIRST_TOKEN for b in data):
            sys.exit(f"make_symbol_map: {name!r} is empty or not ASCII")
        raw.append(data)
    tokens, encoded = make_tokens(raw)
    names = bytearray()
    offsets = {}
    for name, symbols in zip(unique_names, encoded):
        offsets[name] = len(names)
        names += bytes(symbols) + b"\0"
    base = funcs[0][0]
    records = bytearray()
    for start, size, name in funcs:
        if start - base >= 1 << 32:
            sys.exit(f"make_symbol_map: {name} at {start:#x} is 4 GiB or more above the "
                     f"first function ({base:#x}): a map record cannot hold it")
        records += struct.pack("<III", start - base, size, offsets[name])
    max_size = max(size for _, size, _ in funcs)
    header = MAGIC + struct.pack("<IIQIII", VERSION, len(funcs), base, len(names), max_size,
                                 len(tokens))
    table = b"".join(bytes(pair) for pair in tokens)
    return bytes(header + records + table + names)


def decode(data):
    """The (start, size, name) records of an encoded map: encode's inverse,
    so that verify compares functions rather than encoding them again."""
    header = len(MAGIC) + struct.calcsize("<IIQIII")
    _, count, base, names_size, _, token_count = struct.unpack_from("<IIQIII", data, len(MAGIC))
    table = header + 12 * count
    expansions = []
    for k in range(token_count):
        pair = data[table + 2 * k:table + 2 * k + 2]
        expansions.append(b"".join(
            expansions[b - FIRST_TOKEN] if b >= FIRST_TOKEN else bytes([b]) for b in pair))
    names = data[table + 2 * token_count:table + 2 * token_count + names_size]
    records = []
    for k in range(count):
        start, size, offset = struct.unpack_from("<III", data, header + 12 * k)
        symbols = names[offset:names.index(b"\0", offset)]
        name = b"".join(
            expansions[b - FIRST_TOKEN] if b >= FIRST_TOKEN else bytes([b]) for b in symbols)
        records.append((base + start, size, name.decode()))
    return records


def section_range(data, elf, wanted):
    """(file offset, size) of section `wanted`, or None."""
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{elf}: not an ELF64 file")
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    str_off = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
    for i in range(shnum):
        name_off, sh_type = struct.unpack_from("<II", data, shoff + i * shentsize)
        offset, size = struct.unpack_from("<QQ", data, shoff + i * shentsize + 0x18)
        name = data[str_off + name_off:data.index(b"\0", str_off + name_off)].decode()
        if name == wanted:
            return offset, size
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("generate", "verify", "spoil"))
    parser.add_argument("--nm")
    parser.add_argument("--elf", required=True)
    parser.add_argument("--output")
    parser.add_argument("--map")
    args = parser.parse_args()
    image = open(args.elf, "rb").read()
    where = section_range(image, args.elf, SECTION)
    if args.mode == "spoil":
        if not args.output:
            parser.error("spoil needs --output")
        if where is None or where[1] < len(MAGIC):
            sys.exit(f"{args.elf}: no {SECTION} section to spoil")
        spoiled = bytearray(image)
        spoiled[where[0]] ^= 0xFF
        with open(args.output, "wb") as f:
            f.write(spoiled)
        return
    if not args.nm:
        parser.error(f"{args.mode} needs --nm")
    funcs = functions(args.nm, args.elf)
    if args.mode == "generate":
        if not args.output:
            parser.error("generate needs --output")
        with open(args.output, "wb") as f:
            f.write(encode(funcs))
        return
    if not args.map:
        parser.error("verify needs --map")
    if where is None:
        sys.exit(f"{args.elf}: no {SECTION} section: the symbol map was not linked in")
    embedded = image[where[0]:where[0] + where[1]]
    if embedded != open(args.map, "rb").read():
        sys.exit(f"{args.elf}: {SECTION} is not the map {args.map} (stale object?)")
    # Decoded, the embedded map must list the final image's functions: this
    # checks the encoding's round trip and that linking the map in moved no
    # function, without encoding the list again.
    if decode(embedded) != funcs:
        sys.exit(f"{args.elf}: linking the symbol map in moved functions, so the map it "
                 f"embeds is wrong. {SECTION} must come after .text in linker/kernel.ld.")


if __name__ == "__main__":
    main()
