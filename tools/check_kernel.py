#!/usr/bin/env python3
"""Checks the kernel image after every build; the build fails otherwise.

- GRUB must recognise it: `grub-file --is-x86-multiboot2` succeeds.
- W^X: every PT_LOAD is writable or executable, never both, and the segment
  holding each of .text, .rodata and .data has exactly the permissions that
  section needs (R-X, R--, RW-); the symbol map (.keel_symbols) is R--.
- No relocations: an ET_EXEC file without relocation sections (SHT_REL,
  SHT_RELA), a dynamic section or PT_DYNAMIC/PT_INTERP segments. GRUB
  applies no relocations, also when it moves the image within the
  relocatable tag's window (docs/boot.md, "Relocation"): the trampoline
  relocates itself, and nothing else may need it.
- PVH: a PT_NOTE segment, 4-byte aligned as QEMU's note reader assumes,
  holds a "Xen" note of type XEN_ELFNOTE_PHYS32_ENTRY (18) whose 8-byte
  descriptor is a physical address inside an executable PT_LOAD segment
  (QEMU's -kernel and Xen jump there; docs/boot.md, "PVH").
"""
import shutil
import struct
import subprocess
import sys

PT_LOAD = 1
PT_DYNAMIC = 2
PT_INTERP = 3
PT_NOTE = 4
ET_EXEC = 2
SHT_RELA, SHT_DYNAMIC, SHT_REL = 4, 6, 9
XEN_ELFNOTE_PHYS32_ENTRY = 18
PF_X, PF_W, PF_R = 1, 2, 4
EXPECTED = {".text": PF_R | PF_X, ".rodata": PF_R, ".keel_symbols": PF_R, ".data": PF_R | PF_W,
            ".bss": PF_R | PF_W}


def flags_text(flags):
    return ("R" if flags & PF_R else "-") + ("W" if flags & PF_W else "-") + ("X" if flags & PF_X else "-")


def check_multiboot2(path):
    grub_file = shutil.which("grub-file")
    if not grub_file:
        sys.exit("grub-file not found: sudo apt-get install grub-common")
    if subprocess.run([grub_file, "--is-x86-multiboot2", path]).returncode != 0:
        sys.exit(f"{path}: GRUB does not accept this as a Multiboot2 image "
                 "(grub-file --is-x86-multiboot2 failed)")


def pvh_entry_problems(data, notes, loads):
    """What is wrong with the PVH note, as sentences (none: it is fine)."""
    entries = []
    for offset, size, align in notes:
        at = offset
        while at + 12 <= offset + size:
            namesz, descsz, ntype = struct.unpack_from("<III", data, at)
            name = data[at + 12:at + 12 + namesz].rstrip(b"\0")
            desc = at + 12 + (namesz + 3) // 4 * 4
            if name == b"Xen" and ntype == XEN_ELFNOTE_PHYS32_ENTRY:
                if align != 4:
                    return [f"the PVH note's PT_NOTE is {align}-byte aligned; QEMU reads "
                            "notes 4-byte aligned"]
                if descsz != 8:
                    return [f"the PVH entry note has a {descsz}-byte descriptor, not 8"]
                entries.append(struct.unpack_from("<Q", data, desc)[0])
            at = desc + (descsz + 3) // 4 * 4
    if len(entries) != 1:
        return [f"{len(entries)} PVH entry notes (XEN_ELFNOTE_PHYS32_ENTRY), expected 1: "
                "QEMU's -kernel cannot boot it"]
    entry = entries[0]
    if not any(pa <= entry < pa + filesz and flags & PF_X for pa, filesz, flags in loads):
        return [f"the PVH entry {entry:#x} is in no executable loaded segment"]
    return []


def relocation_problems(data, phoff, phentsize, phnum, shoff, shentsize, shnum, str_off):
    """Why a loader that applies no relocations could not run the image."""
    problems = []
    e_type = struct.unpack_from("<H", data, 0x10)[0]
    if e_type != ET_EXEC:
        problems.append(f"the ELF type is {e_type}, not ET_EXEC (2): a position-independent "
                        "executable needs relocations that no boot loader applies")
    for i in range(phnum):
        p_type = struct.unpack_from("<I", data, phoff + i * phentsize)[0]
        if p_type in (PT_DYNAMIC, PT_INTERP):
            kind = "PT_DYNAMIC" if p_type == PT_DYNAMIC else "PT_INTERP"
            problems.append(f"a {kind} segment: the kernel must be linked static, "
                            "without a dynamic linker")
    names = []
    for i in range(shnum):
        name_off, sh_type = struct.unpack_from("<II", data, shoff + i * shentsize)
        if sh_type in (SHT_REL, SHT_RELA, SHT_DYNAMIC):
            names.append(data[str_off + name_off:data.index(b"\0", str_off + name_off)].decode())
    if names:
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        problems.append(f"relocation or dynamic-linking sections ({shown}): GRUB applies no "
                        "relocations when it loads or moves the image, so the kernel must be "
                        "linked without them (no -pie, -shared or --emit-relocs)")
    return problems


def main(path):
    check_multiboot2(path)
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"{path}: not an ELF64 file")
    (phoff, shoff) = struct.unpack_from("<QQ", data, 0x20)
    (phentsize, phnum, shentsize, shnum, shstrndx) = struct.unpack_from("<HHHHH", data, 0x36)
    segments = []
    notes = []
    loads_phys = []
    for i in range(phnum):
        p_type, p_flags, p_off, p_vaddr, p_pa, p_fsz, p_memsz, p_al = struct.unpack_from(
            "<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD:
            segments.append((p_vaddr, p_vaddr + p_memsz, p_flags))
            loads_phys.append((p_pa, p_fsz, p_flags))
        elif p_type == PT_NOTE:
            notes.append((p_off, p_fsz, p_al))
    errors = pvh_entry_problems(data, notes, loads_phys)
    for start, end, flags in segments:
        if flags & PF_W and flags & PF_X:
            errors.append(f"segment {start:#x}-{end:#x} is writable and executable")
    str_off = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
    errors += relocation_problems(data, phoff, phentsize, phnum, shoff, shentsize, shnum, str_off)
    seen = set()
    for i in range(shnum):
        name_off, _t, _f, addr = struct.unpack_from("<IIQQ", data, shoff + i * shentsize)
        name = data[str_off + name_off:data.index(b"\0", str_off + name_off)].decode()
        if name not in EXPECTED:
            continue
        seen.add(name)
        owner = [s for s in segments if s[0] <= addr < s[1]]
        if not owner:
            errors.append(f"{name} at {addr:#x} is in no PT_LOAD segment")
        elif owner[0][2] != EXPECTED[name]:
            errors.append(f"{name} is in a {flags_text(owner[0][2])} segment, "
                          f"expected {flags_text(EXPECTED[name])}")
    for name in (".text", ".rodata", ".data"):
        if name not in seen:
            errors.append(f"no {name} section")
    if errors:
        for e in errors:
            print(f"{path}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1])
