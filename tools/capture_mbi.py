#!/usr/bin/env python3
"""Captures real Multiboot2 boot information for the host tests' golden files.

Boots the kernel with `dump-mbi` on its command line under QEMU + SeaBIOS,
QEMU + OVMF and Bochs, reads the "mbi-dump" lines from serial and writes
tests/data/mbi/<machine>.bin:

  python3 tools/capture_mbi.py --kernel build/keel.elf [--only qemu-seabios]

The files are committed; rerun this after changing what GRUB is asked for
(the Multiboot2 header or iso/grub.cfg).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
CMDLINE = "dump-mbi golden=1"


def decode(serial_text):
    """The bytes of the first complete mbi-dump in serial_text, or None."""
    begin = re.search(r"mbi-dump begin (\d+)", serial_text)
    if not begin or "mbi-dump end" not in serial_text:
        return None
    size = int(begin.group(1))
    data = bytearray()
    for offset, hexdata in re.findall(r"mbi-dump ([0-9a-f]{6}) ([0-9a-f]+)", serial_text):
        if int(offset, 16) != len(data):
            sys.exit(f"mbi-dump: expected offset {len(data):#x}, got {offset}")
        data += bytes.fromhex(hexdata)
    if len(data) != size:
        sys.exit(f"mbi-dump: expected {size} bytes, got {len(data)}")
    return bytes(data)


def boot_qemu(iso, serial_path, uefi, timeout=60):
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "256M", "-no-reboot", "-display", "none",
           "-cdrom", iso, "-serial", f"file:{serial_path}"]
    if uefi:
        cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF}"]
    proc = subprocess.Popen(cmd)
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            time.sleep(0.5)
            text = open(serial_path, errors="replace").read() if os.path.exists(serial_path) else ""
            if "mbi-dump end" in text:
                return text
            if proc.poll() is not None:
                break
        sys.exit(f"no mbi-dump on serial within {timeout} s ({serial_path})")
    finally:
        proc.kill()
        proc.wait()


def boot_bochs(iso, serial_path):
    runner = os.path.join(ROOT, "tests", "bochs", "run_bochs.py")
    logs = serial_path + ".logs"
    subprocess.run([sys.executable, runner, "--iso", iso, "--expect", "mbi-dump end",
                    "--timeout", "180", "--keep", "--log-dir", logs], check=True)
    return open(os.path.join(logs, "com1.log"), errors="replace").read()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--only", choices=["qemu-seabios", "qemu-ovmf", "bochs"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="keel-mbi-") as tmp:
        iso = os.path.join(tmp, "dump.iso")
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "make_iso.py"),
                        "--kernel", args.kernel, "--output", iso, "--cmdline", CMDLINE], check=True)
        machines = {
            "qemu-seabios": lambda s: boot_qemu(iso, s, uefi=False),
            "qemu-ovmf": lambda s: boot_qemu(iso, s, uefi=True),
            "bochs": lambda s: boot_bochs(iso, s),
        }
        for name, boot in machines.items():
            if args.only and name != args.only:
                continue
            data = decode(boot(os.path.join(tmp, f"{name}.serial")))
            if data is None:
                sys.exit(f"{name}: incomplete mbi-dump")
            out = os.path.join(ROOT, "tests", "data", "mbi", f"{name}.bin")
            with open(out, "wb") as f:
                f.write(data)
            print(f"{name}: {len(data)} bytes -> {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
