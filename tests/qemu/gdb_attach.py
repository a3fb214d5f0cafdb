#!/usr/bin/env python3
"""Checks the documented GDB workflow (`debug` target + build/gdbinit).

Starts QEMU halted with a GDB stub (as the `debug` target does, on a free
loopback port instead of 1234 so tests can run in parallel), runs GDB in
batch mode with the generated gdbinit, and requires that GDB stops in
kernel_main with symbols and a source line.

  gdb_attach.py --iso build/keel.iso --gdbinit build/gdbinit
"""
import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso", required=True)
    ap.add_argument("--gdbinit", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    gdb = shutil.which("gdb")
    if not gdb:
        sys.exit("gdb not found: sudo apt-get install gdb")

    port = free_port()
    script = open(args.gdbinit).read().replace("localhost:1234", f"localhost:{port}")
    with tempfile.NamedTemporaryFile("w", suffix=".gdb", delete=False) as f:
        f.write(script)
        gdb_script = f.name
    qemu = subprocess.Popen([args.qemu, "-accel", "tcg", "-cdrom", args.iso, "-m", "256M",
                             "-no-reboot", "-nic", "none", "-display", "none",
                             "-serial", "null", "-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        result = subprocess.run([gdb, "-nx", "-batch", "-x", gdb_script, "-ex", "bt", "-ex", "kill"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=args.timeout)
    finally:
        qemu.kill()
        qemu.wait()
    print(result.stdout)
    problems = []
    if not re.search(r"Breakpoint 1, kernel_main \(magic=920085129, mbi_phys=\d+\)", result.stdout):
        problems.append("GDB did not stop in kernel_main with its arguments")
    if not re.search(r"^\d+\s+\S", result.stdout, re.M):
        problems.append("GDB showed no source line (source directory not found?)")
    if "kernel_entry64" not in result.stdout:
        problems.append("the backtrace does not reach kernel_entry64")
    for p in problems:
        print(f"gdb_attach: FAIL: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
