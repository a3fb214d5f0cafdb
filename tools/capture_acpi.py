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
  python3 tools/capture_acpi.py --iso build/keel.iso   # boot Keel meanwhile

The firmware builds the tables before it boots anything, so no disk is
needed; with --iso the RSDP address is taken from Keel's boot log line
`ACPI RSDP at 0x...` instead of a memory scan. The files are committed;
rerun after a QEMU or firmware upgrade and review the diff.
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
}


def checksum_ok(data):
    return sum(data) & 0xFF == 0


def find_rsdps(memory):
    """The addresses of every valid RSDP (16-byte aligned, v1 checksum).

    OVMF leaves an early, nearly empty table set (OEM "INTEL", an RSDT with
    one null entry) beside the one it hands to the OS, so the caller keeps
    the candidate whose walk reaches a FADT and the most tables."""
    found = []
    start = 0
    while True:
        at = memory.find(b"RSD PTR ", start)
        if at < 0:
            return found
        if at % 16 == 0 and checksum_ok(memory[at:at + 20]):
            found.append(at)
        start = at + 1


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


def capture(name, iso, tmp, timeout):
    firmware, machine, extra = CONFIGS[name]
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
        while time.time() < deadline:
            time.sleep(3)
            rsdp = None
            if iso:
                text = open(serial, errors="replace").read() if os.path.exists(serial) else ""
                match = re.search(r"ACPI RSDP at (0x[0-9a-f]+)", text)
                if not match:
                    continue
                rsdp = int(match.group(1), 16)
            monitor.command(f'pmemsave 0 {MEMORY:#x} "{dump}"')
            memory = open(dump, "rb").read()
            best = None
            for candidate in [rsdp] if rsdp is not None else find_rsdps(memory):
                try:
                    tables = walk(memory, candidate)
                except (struct.error, UnicodeDecodeError, SystemExit):
                    continue  # caught mid-construction, or not a table set
                if any(stem == "facp" for stem, _, _ in tables):
                    if best is None or len(tables) > len(best):
                        best = tables
            if best is not None:
                return best
        sys.exit(f"{name}: no RSDP found within {timeout} s")
    finally:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(CONFIGS))
    ap.add_argument("--iso", help="boot this ISO and read the RSDP address from its log")
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="keel-acpi-") as tmp:
        for name in CONFIGS:
            if args.only and name != args.only:
                continue
            tables = capture(name, args.iso and os.path.abspath(args.iso), tmp, args.timeout)
            out = os.path.join(ROOT, "tests", "data", "acpi", name)
            os.makedirs(out, exist_ok=True)
            for old in os.listdir(out):
                os.remove(os.path.join(out, old))
            firmware, machine, extra = CONFIGS[name]
            index = {"firmware": firmware, "machine": machine,
                     "qemu_args": f"-machine {machine} -m {MEMORY >> 20} " + " ".join(extra),
                     "tables": []}
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
