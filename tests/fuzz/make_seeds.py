#!/usr/bin/env python3
"""Writes the hand-made seed inputs in corpus/ for the fuzz targets.

Run from anywhere: `python3 tests/fuzz/make_seeds.py`. The outputs are
committed; rerun after changing this script. Layouts follow GRUB's
include/multiboot2.h (tags padded to 8 bytes, END tag of size 8).
"""
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent


def tag(tag_type, payload=b""):
    data = struct.pack("<II", tag_type, 8 + len(payload)) + payload
    return data + b"\0" * (-len(data) % 8)


def mbi(*tags):
    body = b"".join(tags) + tag(0)
    return struct.pack("<II", 8 + len(body), 0) + body


def string(text):
    return text.encode() + b"\0"


def mmap(regions, entry_size=24):
    out = struct.pack("<II", entry_size, 0)
    for base, length, kind in regions:
        out += struct.pack("<QQII", base, length, kind, 0) + b"\0" * (entry_size - 24)
    return out


def rsdp(revision, oem=b"BOCHS "):
    data = b"RSD PTR " + b"\0" + oem + bytes([revision]) + struct.pack("<I", 0x7FE14D2)
    if revision >= 2:
        data += struct.pack("<IQB3x", 36, 0x7FE1500, 0)
    return data


def framebuffer(addr, pitch, width, height, bpp, fb_type, color=b""):
    return struct.pack("<QIIIBBH", addr, pitch, width, height, bpp, fb_type, 0) + color


QEMU_MAP = [
    (0, 0x9FC00, 1),
    (0x9FC00, 0x400, 2),
    (0xF0000, 0x10000, 2),
    (0x100000, 0x7EE0000, 1),
    (0x7FE0000, 0x20000, 2),
    (0xFFFC0000, 0x40000, 2),
]

MULTIBOOT2 = {
    "minimal.bin": mbi(),
    "bios_grub.bin": mbi(
        tag(1, string("/boot/kernel console=serial loglevel=debug")),
        tag(2, string("GRUB 2.06-13+deb12u1")),
        tag(10, struct.pack("<HHIHHHHHH", 0x102, 0xF000, 0x1234, 0xF000, 0x40, 3, 0xFFFF,
                            0xFFF0, 0x100)),
        tag(3, struct.pack("<II", 0x200000, 0x280000) + string("initrd")),
        tag(6, mmap(QEMU_MAP)),
        tag(9, struct.pack("<III", 4, 64, 3) + bytes(range(256))),
        tag(4, struct.pack("<II", 639, 130048)),
        tag(5, struct.pack("<III", 0x80, 0, 0xFFFFFFFF)),
        tag(7, struct.pack("<HHHH", 3, 0xC000, 0x1234, 0x56) + b"\0" * 768),
        tag(8, framebuffer(0xB8000, 160, 80, 25, 16, 2)),
        tag(14, rsdp(0)),
        tag(15, rsdp(2)),
        tag(13, bytes([2, 8]) + b"\0" * 6 + b"_SM_" + b"\0" * 27),
        tag(16, b"\x02\x01\x06\x00" + b"\0" * 296),
    ),
    "efi_grub.bin": mbi(
        tag(1, string("")),
        tag(2, string("GRUB 2.12")),
        tag(6, mmap(QEMU_MAP + [(0x100000000, 0x140000000, 1)])),
        tag(8, framebuffer(0x80000000, 5120, 1280, 800, 32, 1, bytes([16, 8, 8, 8, 0, 8]))),
        tag(12, struct.pack("<Q", 0x7F9EE018)),
        tag(20, struct.pack("<Q", 0x7E1234000)),
        tag(21, struct.pack("<I", 0x200000)),
        tag(17, struct.pack("<II", 48, 1) + b"\0" * 48 * 4),
        tag(18),
    ),
    "indexed_fb.bin": mbi(
        tag(8, framebuffer(0xA0000, 320, 320, 200, 8, 0, struct.pack("<H", 4) + bytes(12))),
        tag(11, struct.pack("<I", 0x7F000000)),
        tag(19, struct.pack("<I", 0x7E000000)),
        tag(1000, b"unknown"),
    ),
    "bad_mmap_entry_size.bin": mbi(tag(6, struct.pack("<II", 20, 0) + bytes(40))),
    # More modules than BootParams keeps (32): the rest are counted, named
    # as far as the names fit and their span kept (issue 14.3).
    "forty_modules.bin": mbi(*[tag(3, struct.pack("<II", 0x400000 + 0x1000 * i,
                                                  0x400800 + 0x1000 * i) + string(f"mod{i}"))
                               for i in range(40)]),
    # A command line longer than the kernel keeps (1023 bytes): truncated.
    "long_cmdline.bin": mbi(tag(1, string("x=" + "y" * 1500)), tag(21, struct.pack("<I", 0x1000000))),
    # A memory map with more entries than BootParams keeps (256).
    "many_regions.bin": mbi(tag(6, mmap([(0x100000 * i, 0x80000, 1 + i % 5) for i in range(300)]))),
    "missing_end.bin": struct.pack("<II", 24, 0) + tag(1, string("x")),
    "huge_tag_size.bin": struct.pack("<IIII", 24, 0, 1, 0xFFFFFFF8) + b"\0" * 8,
}

CMDLINE = {
    "empty.txt": "",
    "all_options.txt": "/boot/kernel console=serial loglevel=debug test=pmm crash=page-fault "
                       "dump-mbi",
    "grub_quoted.txt": '(hd0,gpt2)/boot/kernel "test=a b" msg="say \\"hi\\"" path=C:\\\\x',
    "malformed.txt": '=value console= "unterminated',
    "flags.txt": "test dump-mbi test=all console=fb loglevel=warn",
}


# PVH: the fuzzer serves its input as physical memory from 0x1000 on
# (pvh_fuzz.cpp), the hvm_start_info first (Xen's start_info.h layout).
PVH_BASE = 0x1000


def pvh_memory(version=1, modules=1, memmap=True, rsdp=True):
    cmdline, modlist, names, memory, rsdp_at = 0x40, 0x80, 0xC0, 0x100, 0x200
    mem = bytearray(0x220)
    struct.pack_into("<IIII", mem, 0, 0x336EC578, version, 0, modules)
    struct.pack_into("<QQQ", mem, 16, PVH_BASE + modlist if modules else 0,
                     PVH_BASE + cmdline, PVH_BASE + rsdp_at if rsdp else 0)
    regions = [(0, 0x9FC00, 1), (0x100000, 0x7EE0000, 1), (0xF0000, 0x10000, 2), (0xE0000, 0x100, 3)]
    if memmap:
        struct.pack_into("<QI", mem, 40, PVH_BASE + memory, len(regions))
    for i, (base, length, kind) in enumerate(regions):
        struct.pack_into("<QQI", mem, memory + 24 * i, base, length, kind)
    mem[cmdline:cmdline + 14] = b"test=pvh x=1\0\0"
    for i in range(modules):
        struct.pack_into("<QQQ", mem, modlist + 32 * i, 0x200000 + 0x1000 * i, 0x800,
                         PVH_BASE + names)
    mem[names:names + 7] = b"initrd\0"
    mem[rsdp_at:rsdp_at + 20] = b"RSD PTR " + b"\0" + b"BOCHS " + b"\0" + b"\0" * 4
    return bytes(mem)


PVH = {
    "qemu_like.bin": pvh_memory(),
    "version0.bin": pvh_memory(version=0, memmap=False),
    "no_modules_no_rsdp.bin": pvh_memory(modules=0, rsdp=False),
}


def main():
    for subdir, files, mode in (("multiboot2", MULTIBOOT2, "wb"), ("cmdline", CMDLINE, "w"),
                                ("pvh", PVH, "wb")):
        out = HERE / "corpus" / subdir
        out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            with open(out / name, mode) as f:
                f.write(content)


if __name__ == "__main__":
    main()
