#!/usr/bin/env python3
"""Captures QEMU's real ACPI tables for the host tests' golden files.

Boots QEMU (TCG) with each firmware and machine type, dumps guest memory
through the monitor's `pmemsave`, finds the RSDP (the valid "RSD PTR "
structure, as the kernel gets it from GRUB), walks RSDP -> XSDT (RSDT when
there is none) -> every table, plus the DSDT and FACS the FADT points to,
and writes tests/data/acpi/<firmware>-<machine>/:

  rsdp.dat, xsdt.dat / rsdt.dat, facp.dat, apic.dat, ... (one raw table per
  file, header included, named as `acpixtract -a` names them: lower-case
  signature, a number from the second table of a signature on)
  tables.json   where each file was in guest physical memory, and how QEMU ran

  python3 tools/capture_acpi.py                  # every configuration
  python3 tools/capture_acpi.py --only ovmf-q35
  python3 tools/capture_acpi.py --iso build/keel.iso   # boot Keel: its RSDP
  python3 tools/capture_acpi.py --only bochs --iso build/keel.iso --elf build/keel.elf

Bochs has no monitor to dump memory from: its debugger (Debian builds
Bochs with it) stops at the kernel's entry point (--elf's ELF entry, where
GRUB jumps with paging off, so linear addresses are physical) and writes
guest memory to a file with `writemem`; the tables are then found as for
QEMU, by scanning for the RSDP. KEEL_CAPTURE_DEBUG=1 prints each RSDP
candidate and Bochs' screen.

The firmware builds the tables before it boots anything, so no disk is
needed. OVMF builds two RSDPs over the same tables: a revision 0 one with
an RSDT (GRUB's old-ACPI Multiboot2 tag) and a revision 2 one with an XSDT
(the new-ACPI tag, which the kernel prefers). The capture keeps the RSDP
the kernel uses: with --iso, the one matching Keel's boot log line
`acpi: RSDP revision N (OEM), XSDT at 0x...`; without, the highest
revision whose walk reaches a FADT. The files are committed; rerun after a
QEMU or firmware upgrade and review the diff.
"""
import argparse
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
MEMORY = 256 << 20

# name -> (firmware, machine, extra QEMU arguments)
CONFIGS = {
    "seabios-pc": ("seabios", "pc", ["-smp", "4"]),
    "seabios-q35": ("seabios", "q35", ["-smp", "4"]),
    "seabios-pc-nohpet": ("seabios", "pc", ["-smp", "1", "-no-hpet"]),
    "ovmf-pc": ("ovmf", "pc", ["-smp", "1"]),
    "ovmf-q35": ("ovmf", "q35", ["-smp", "2"]),
    # Bochs 2.7's own BIOS (rombios32 builds the tables), the i440FX with
    # its PIIX4 ACPI block and HPET, as tests/bochs/run_bochs.py runs it.
    "bochs": ("bochs", "i440fx", []),
}
BOCHS_ROM = "/usr/share/bochs/BIOS-bochs-latest"
# The first that exists, in tests/bochs/run_bochs.py's order.
BOCHS_VGAROMS = ["/usr/share/vgabios/vgabios-lgpl.bin", "/usr/share/vgabios/vgabios.bin",
                 "/usr/share/bochs/VGABIOS-lgpl-latest"]
BOCHS_CPU = "corei7_haswell_4770"


def checksum_ok(data):
    return sum(data) & 0xFF == 0


# Keel's report of the RSDP it took (src/kernel/acpi/report.cpp).
KEEL_RSDP_LINE = re.compile(r"acpi: RSDP revision (\d+) \((.{6})\), (XSDT|RSDT) at (0x[0-9a-f]+)")


def find_rsdps(memory):
    """The addresses of every valid RSDP (v1 checksum), at any alignment.

    Only a BIOS scan needs the 16-byte alignment: UEFI hands the RSDP over
    through its configuration table, and OVMF's revision 2 RSDP sits right
    after its 20-byte revision 0 one, at an address ending in 4. Requiring
    the alignment here is why the OVMF captures once held the revision 0
    RSDP and its RSDT, which the kernel does not use.

    OVMF leaves an early, nearly empty table set (OEM "INTEL", an RSDT with
    one null entry) beside the one it hands to the OS, and hands the OS two
    RSDPs (revision 0 with an RSDT, revision 2 with an XSDT): the caller
    keeps the one the kernel uses (see choose())."""
    found = []
    start = 0
    while True:
        at = memory.find(b"RSD PTR ", start)
        if at < 0:
            return found
        if checksum_ok(memory[at:at + 20]):
            found.append(at)
        start = at + 1


def rsdp_root(memory, rsdp):
    """(revision, "XSDT" or "RSDT", root address) as the kernel reads them."""
    revision = memory[rsdp + 15]
    if revision >= 2:
        length, xsdt = struct.unpack_from("<IQ", memory, rsdp + 20)
        if xsdt and 36 <= length <= 4096 and checksum_ok(memory[rsdp:rsdp + length]):
            return revision, "XSDT", xsdt
    return revision, "RSDT", struct.unpack_from("<I", memory, rsdp + 16)[0]


def choose(memory, candidates, logged):
    """The table walk from the RSDP the kernel uses, or None.

    `logged` is Keel's (revision, root kind, root address) when it booted;
    else the kernel's own preference stands in: the new-ACPI tag (the
    highest revision) when the firmware gives one, then the walk that
    reaches a FADT and the most tables, then the firmware's RSDP rather
    than a loader's copy of it (in the BIOS area, or nearest its root)."""
    best, best_key = None, None
    for candidate in candidates:
        root = rsdp_root(memory, candidate)
        if os.environ.get("KEEL_CAPTURE_DEBUG"):
            print(f"RSDP candidate at {candidate:#x}: revision {root[0]}, {root[1]} at {root[2]:#x}")
        if logged is not None and root != logged:
            continue
        try:
            tables = walk(memory, candidate)
        except (struct.error, UnicodeDecodeError, SystemExit):
            continue  # caught mid-construction, or not a table set
        if not any(stem == "facp" for stem, _, _ in tables):
            continue
        # Equal copies (GRUB's in the Multiboot2 information, once Keel
        # runs) lose to the firmware's own: a BIOS's is in 0xE0000-0xFFFFF
        # (ACPI 6.5 §5.2.5.1), UEFI's sits beside its tables.
        in_bios_area = 0xE0000 <= candidate < 0x100000
        key = (root[0], len(tables), in_bios_area, -abs(candidate - root[2]))
        if best_key is None or key > best_key:
            best, best_key = tables, key
    return best


def header_length(memory, phys):
    if phys + 8 > len(memory):
        sys.exit(f"table at {phys:#x} is outside the {len(memory):#x} bytes dumped")
    return struct.unpack_from("<I", memory, phys + 4)[0]


def walk(memory, rsdp):
    """[(file stem, phys, bytes)] for the RSDP, the root table and every table."""
    revision = memory[rsdp + 15]
    rsdt = struct.unpack_from("<I", memory, rsdp + 16)[0]
    length = 20
    xsdt = 0
    if revision >= 2:
        length, xsdt = struct.unpack_from("<IQ", memory, rsdp + 20)
    found = [("rsdp", rsdp, memory[rsdp:rsdp + length])]
    if xsdt:
        root, entry_size, fmt = xsdt, 8, "<Q"
    else:
        root, entry_size, fmt = rsdt, 4, "<I"
    root_bytes = memory[root:root + header_length(memory, root)]
    found.append((root_bytes[:4].decode().lower(), root, root_bytes))
    addresses = [struct.unpack_from(fmt, root_bytes, off)[0]
                 for off in range(36, len(root_bytes) - entry_size + 1, entry_size)]
    seen = set()

    def add(phys):
        if phys == 0 or phys in seen:
            return None
        seen.add(phys)
        data = memory[phys:phys + header_length(memory, phys)]
        found.append((None, phys, data))
        return data

    for phys in addresses:
        data = add(phys)
        if data is not None and data[:4] == b"FACP":
            facs, dsdt = struct.unpack_from("<II", data, 36)
            if len(data) >= 148:
                x_facs, x_dsdt = struct.unpack_from("<QQ", data, 132)
                facs, dsdt = x_facs or facs, x_dsdt or dsdt
            add(dsdt)
            add(facs)
    # acpixtract's names: "ssdt", then "ssdt2", "ssdt3"... for repeats.
    counts = {}
    named = []
    for stem, phys, data in found:
        if stem is None:
            sig = data[:4].decode("ascii", "replace").lower()
            counts[sig] = counts.get(sig, 0) + 1
            stem = sig if counts[sig] == 1 else f"{sig}{counts[sig]}"
        named.append((stem, phys, bytes(data)))
    return named


class Monitor:
    def __init__(self, path, timeout=30):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.read_until(b"(qemu) ")

    def read_until(self, marker, timeout=60):
        data = b""
        self.sock.settimeout(timeout)
        while marker not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data

    def command(self, text):
        self.sock.sendall(text.encode() + b"\n")
        return self.read_until(b"(qemu) ")


def elf_entry(path):
    with open(path, "rb") as f:
        header = f.read(64)
    if header[:4] != b"\x7fELF" or header[4] != 2:
        sys.exit(f"{path}: not a 64-bit ELF file")
    return struct.unpack_from("<Q", header, 24)[0]


def capture_bochs(iso, elf, tmp, timeout):
    """Boots `iso` in Bochs, stops at the kernel's entry and dumps memory."""
    import pty  # Bochs' term display needs a terminal; Linux only, as Bochs here
    if not iso or not elf:
        sys.exit("bochs: --iso and --elf are needed (Bochs is stopped at the kernel's entry)")
    dump = os.path.join(tmp, "bochs.mem")
    vgarom = next((p for p in BOCHS_VGAROMS if os.path.isfile(p)), None)
    if vgarom is None:
        sys.exit("bochs: no VGA BIOS (" + " or ".join(BOCHS_VGAROMS) + ")")
    with open(os.path.join(tmp, "bochsrc"), "w") as f:
        f.write(f"""megs: {MEMORY >> 20}
romimage: file={BOCHS_ROM}
vgaromimage: file={vgarom}
ata0-master: type=cdrom, path="{iso}", status=inserted
boot: cdrom
cpu: model={BOCHS_CPU}, ips=50000000
clock: sync=none, time0=local
display_library: term
mouse: enabled=0
speaker: enabled=0
sound: waveoutdrv=dummy
log: {os.path.join(tmp, "bochs.log")}
panic: action=fatal
""")
    with open(os.path.join(tmp, "cmds"), "w") as f:
        f.write(f'pb {elf_entry(elf):#x}\nc\nwritemem "{dump}" 0 {MEMORY:#x}\nquit\n')
    master, slave = pty.openpty()
    proc = subprocess.Popen(["bochs", "-q", "-f", "bochsrc", "-rc", "cmds"], cwd=tmp,
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                            env=dict(os.environ, TERM="vt100"))
    os.close(slave)
    try:
        deadline = time.time() + timeout
        while proc.poll() is None and time.time() < deadline:
            try:
                screen = os.read(master, 65536)  # the screen: drained, not kept
                if os.environ.get("KEEL_CAPTURE_DEBUG"):
                    sys.stdout.buffer.write(screen)
            except OSError:
                time.sleep(0.2)
        if proc.poll() is None:
            sys.exit(f"bochs: the kernel's entry was not reached within {timeout} s")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(master)
    if not os.path.exists(dump) or os.path.getsize(dump) != MEMORY:
        sys.exit(f"bochs: no memory dump (see {tmp}/bochs.log)")
    memory = open(dump, "rb").read()
    best = choose(memory, find_rsdps(memory), None)
    if best is None:
        sys.exit("bochs: no RSDP leading to a FADT in the memory dump")
    return best


def capture(name, iso, tmp, timeout, elf=None):
    firmware, machine, extra = CONFIGS[name]
    if firmware == "bochs":
        return capture_bochs(iso, elf, tmp, timeout)
    sock = os.path.join(tmp, f"{name}.monitor")
    serial = os.path.join(tmp, f"{name}.serial")
    dump = os.path.join(tmp, f"{name}.mem")
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-machine", machine, "-m", str(MEMORY >> 20),
           "-display", "none", "-no-reboot", "-monitor", f"unix:{sock},server,nowait",
           "-serial", f"file:{serial}"] + extra
    if firmware == "ovmf":
        cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF}"]
    if iso:
        cmd += ["-cdrom", iso]
    proc = subprocess.Popen(cmd)
    try:
        monitor = Monitor(sock)
        deadline = time.time() + timeout
        previous = None
        while time.time() < deadline:
            time.sleep(3)
            logged = None
            if iso:
                # Keel logs the RSDP it took from GRUB's copy in the
                # Multiboot2 tag, not the firmware's address: match it by
                # revision and root table among the firmware's RSDPs.
                text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
                match = KEEL_RSDP_LINE.search(text)
                if not match:
                    continue
                logged = (int(match.group(1)), match.group(3), int(match.group(4), 16))
            monitor.command(f'pmemsave 0 {MEMORY:#x} "{dump}"')
            memory = open(dump, "rb").read()
            best = choose(memory, find_rsdps(memory), logged)
            # Keel's line comes after ExitBootServices, when the tables are
            # final; without it, OVMF may still be adding tables (its
            # revision 2 RSDP, the BGRT), so wait for two equal dumps.
            if best is not None and (logged is not None or best == previous):
                return best
            previous = best
        sys.exit(f"{name}: no RSDP found within {timeout} s")
    finally:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(CONFIGS))
    ap.add_argument("--iso", help="boot this ISO and read the RSDP address from its log")
    ap.add_argument("--elf", help="with --only bochs: the kernel ELF the ISO boots")
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="keel-acpi-") as tmp:
        for name in CONFIGS:
            if args.only and name != args.only:
                continue
            if CONFIGS[name][0] == "bochs" and not args.only:
                print("bochs: skipped (needs --only bochs --iso ISO --elf ELF)")
                continue
            tables = capture(name, args.iso and os.path.abspath(args.iso), tmp, args.timeout,
                             args.elf)
            out = os.path.join(ROOT, "tests", "data", "acpi", name)
            os.makedirs(out, exist_ok=True)
            for old in os.listdir(out):
                os.remove(os.path.join(out, old))
            firmware, machine, extra = CONFIGS[name]
            index = {"firmware": firmware, "machine": machine,
                     "qemu_args": f"-machine {machine} -m {MEMORY >> 20} " + " ".join(extra),
                     "tables": []}
            if firmware == "bochs":
                del index["qemu_args"]
                index["bochs"] = f"Bochs 2.7, megs: {MEMORY >> 20}, cpu: model={BOCHS_CPU}"
            for stem, phys, data in tables:
                with open(os.path.join(out, f"{stem}.dat"), "wb") as f:
                    f.write(data)
                index["tables"].append({"file": f"{stem}.dat", "phys": f"{phys:#x}",
                                        "bytes": len(data)})
            with open(os.path.join(out, "tables.json"), "w") as f:
                json.dump(index, f, indent=1)
                f.write("\n")
            print(f"{name}: " + " ".join(t[0] for t in tables) + f" -> {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
