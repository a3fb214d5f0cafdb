#!/usr/bin/env python3
"""tools/check_kernel.py fails, and says why, on images it must refuse.

Every build runs check_kernel.py on the kernel; a check that never fires
proves nothing. This patches copies of the real kernel ELF, one defect each,
and expects exit status 1 with the check's own words:

- ELF type ET_DYN (a position-independent executable): "not ET_EXEC";
- a section of type SHT_RELA: "relocation or dynamic-linking sections";
- the .text segment made writable too: "writable and executable";
- the PVH entry note's type changed: "0 PVH entry notes".

The unpatched copy must pass. Usage: check_kernel_test.py --kernel build/keel.elf
"""
import argparse
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHECK = ROOT / "tools" / "check_kernel.py"
PT_LOAD, PT_NOTE, PF_X, PF_W = 1, 4, 1, 2
SHT_RELA = 4


def headers(data):
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    return phoff, phentsize, phnum, shoff, shentsize, shnum, shstrndx


def section_offset(data, wanted):
    """File offset of the section header named `wanted`."""
    _, _, _, shoff, shentsize, shnum, shstrndx = headers(data)
    strtab = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
    for i in range(shnum):
        at = shoff + i * shentsize
        name_off = struct.unpack_from("<I", data, at)[0]
        name = data[strtab + name_off:data.index(b"\0", strtab + name_off)].decode()
        if name == wanted:
            return at
    raise SystemExit(f"check_kernel_test: no {wanted} section in the kernel")


def make_dyn(data):
    struct.pack_into("<H", data, 0x10, 3)


def make_rela(data):
    struct.pack_into("<I", data, section_offset(data, ".symtab") + 4, SHT_RELA)


def make_wx(data):
    phoff, phentsize, phnum = headers(data)[:3]
    for i in range(phnum):
        at = phoff + i * phentsize
        p_type, p_flags = struct.unpack_from("<II", data, at)
        if p_type == PT_LOAD and p_flags & PF_X:
            struct.pack_into("<I", data, at + 4, p_flags | PF_W)
            return
    raise SystemExit("check_kernel_test: no executable PT_LOAD in the kernel")


def spoil_pvh_note(data):
    phoff, phentsize, phnum = headers(data)[:3]
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data,
                                                                 phoff + i * phentsize)
        if p_type != PT_NOTE:
            continue
        at = p_offset
        while at + 12 <= p_offset + p_filesz:
            namesz, descsz, ntype = struct.unpack_from("<III", data, at)
            if data[at + 12:at + 12 + namesz].rstrip(b"\0") == b"Xen" and ntype == 18:
                struct.pack_into("<I", data, at + 8, 17)
                return
            at += 12 + (namesz + 3) // 4 * 4 + (descsz + 3) // 4 * 4
    raise SystemExit("check_kernel_test: no PVH entry note in the kernel")


CASES = [
    ("ELF type ET_DYN", make_dyn, "not ET_EXEC"),
    ("a SHT_RELA section", make_rela, "relocation or dynamic-linking sections (.symtab)"),
    ("a writable code segment", make_wx, "is writable and executable"),
    ("no PVH entry note", spoil_pvh_note, "0 PVH entry notes"),
]


def run(path):
    return subprocess.run([sys.executable, str(CHECK), path], capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    args = ap.parse_args()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.elf")
        shutil.copy(args.kernel, good)
        result = run(good)
        if result.returncode != 0:
            problems.append(f"the unpatched kernel is refused: {result.stdout}{result.stderr}")
        for what, patch, words in CASES:
            data = bytearray(open(args.kernel, "rb").read())
            patch(data)
            path = os.path.join(tmp, "bad.elf")
            with open(path, "wb") as f:
                f.write(data)
            result = run(path)
            said = result.stdout + result.stderr
            if result.returncode == 0:
                problems.append(f"{what}: accepted")
            elif words not in said:
                problems.append(f"{what}: refused, but without '{words}': {said.strip()}")
            else:
                print(f"{what}: refused ({words})")
    for p in problems:
        print("FAIL:", p)
    print("check_kernel: ok" if not problems else "check_kernel: failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
