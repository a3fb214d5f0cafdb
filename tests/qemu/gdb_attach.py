#!/usr/bin/env python3
"""Checks the documented GDB workflow (`debug` target + build/gdbinit).

Starts QEMU halted with a GDB stub (as the `debug` target does, on a free
loopback port instead of 1234 so tests can run in parallel), runs GDB in
batch mode with the generated gdbinit, and requires that GDB stops in
kernel_main with its arguments, that `list` prints the real source text
there, and that `bt`, from kernel_main and from a function it calls, ends
at kernel_entry64 with no garbage frames after it.

  gdb_attach.py --iso build/keel.iso --gdbinit build/gdbinit
"""
import argparse
import os
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


MARK = "@@keel-gdb-section "


def sections(output):
    """Splits GDB's output at the `echo` markers this script inserts."""
    parts = {}
    name = "attach"
    for line in output.splitlines():
        if line.startswith(MARK):
            name = line[len(MARK):].strip()
            continue
        parts.setdefault(name, []).append(line)
    return parts


def check_listing(parts, problems):
    """`list` must print the real source: every numbered line GDB shows must
    be that line of the file GDB says it located, and kernel_main must be
    among them. An unreadable file gives "No such file or directory"
    instead, which this rejects (a regex for "a digit and some text" used to
    accept that very error line)."""
    info = "\n".join(parts.get("info-source", []))
    located = re.search(r"^Located in (.+)$", info, re.M)
    if not located:
        problems.append("GDB did not locate the source file of kernel_main (`info source` "
                        "has no 'Located in' line): are the DWARF paths wrong?")
        return
    path = located.group(1).strip()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        problems.append(f"GDB located {path}, which cannot be read: {e}")
        return
    shown = 0
    defines_kernel_main = False
    for line in parts.get("list", []):
        if "No such file" in line:
            problems.append(f"`list` failed: {line.strip()}")
            return
        m = re.match(r"^(\d+)\t(.*)$", line)
        if not m:
            continue
        number, text = int(m.group(1)), m.group(2)
        if number > len(lines) or lines[number - 1] != text:
            problems.append(f"`list` line {number} is {text!r}, but {path}:{number} is "
                            f"{lines[number - 1] if number <= len(lines) else '(past the end)'!r}")
            return
        shown += 1
        defines_kernel_main |= "kernel_main(" in text
    if not defines_kernel_main:
        problems.append("`list` did not show the source line that defines kernel_main")
    if shown < 5:
        problems.append(f"`list` showed {shown} source lines, not a screenful")


def check_backtrace(parts, name, function, problems):
    """`bt` must start in `function` and end at kernel_entry64, the first
    frame the kernel has: anything after it (`?? ()`, address 0) is GDB
    unwinding garbage because the entry's call-frame information does not
    mark the end of the chain."""
    frames = [line for line in parts.get(name, []) if re.match(r"^#\d+\s", line)]
    if not frames:
        problems.append(f"{name}: GDB printed no backtrace")
        return
    if not re.search(rf"\b{re.escape(function)} \(", frames[0]):
        problems.append(f"{name}: the backtrace does not start in {function}: {frames[0]}")
    if "kernel_entry64" not in frames[-1]:
        problems.append(f"{name}: the backtrace does not end at kernel_entry64; "
                        f"its last frame is: {frames[-1]}")
    for frame in frames:
        if "?? (" in frame:
            problems.append(f"{name}: a frame without a function: {frame}")
            break


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso", required=True)
    ap.add_argument("--gdbinit", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--later-break", default="arch::paging::init",
                    help="a function kernel_main calls: `bt` from there must end at kernel_entry64")
    ap.add_argument("--unoptimized", action="store_true",
                    help="a Debug build: no variable may show as <optimized out>")
    args = ap.parse_args()
    gdb = shutil.which("gdb")
    if not gdb:
        sys.exit("gdb not found: sudo apt-get install gdb")
    for path in (args.iso, args.gdbinit):
        if not os.path.exists(path):
            sys.exit(f"gdb_attach: {path} not found: build first (cmake --build <build dir>)")

    port = free_port()
    script = open(args.gdbinit).read().replace("localhost:1234", f"localhost:{port}")
    with tempfile.NamedTemporaryFile("w", suffix=".gdb", delete=False) as f:
        f.write(script)
        gdb_script = f.name

    def section(name):
        return ["-ex", f"echo {MARK}{name}\\n"]

    commands = (section("info-source") + ["-ex", "info source"]
                + section("list") + ["-ex", "list"]
                + section("bt-main") + ["-ex", "bt"]
                + section("later") + ["-ex", f"hbreak {args.later_break}", "-ex", "continue"]
                + section("bt-later") + ["-ex", "bt"]
                + section("end") + ["-ex", "kill"])
    qemu = subprocess.Popen([args.qemu, "-accel", "tcg", "-cdrom", args.iso, "-m", "256M",
                             "-no-reboot", "-nic", "none", "-display", "none", "-boot", "d",
                             "-serial", "null", "-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        result = subprocess.run([gdb, "-nx", "-batch", "-x", gdb_script] + commands,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=args.timeout)
    finally:
        qemu.kill()
        qemu.wait()
        os.unlink(gdb_script)
    print(result.stdout)
    parts = sections(result.stdout)
    problems = []
    if not re.search(r"Breakpoint 1, kernel_main \(magic=920085129, mbi_phys=\d+\)", result.stdout):
        problems.append("GDB did not stop in kernel_main with its arguments")
    check_listing(parts, problems)
    check_backtrace(parts, "bt-main", "kernel_main", problems)
    check_backtrace(parts, "bt-later", args.later_break, problems)
    if args.unoptimized and "<optimized out>" in result.stdout:
        problems.append("a Debug build shows <optimized out> values: is it built with -O0?")
    for p in problems:
        print(f"gdb_attach: FAIL: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
