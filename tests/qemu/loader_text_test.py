#!/usr/bin/env python3
"""Loader text with control bytes and non-UTF-8 bytes, end to end.

tools/make_iso.py must accept a command line that is not UTF-8 (issue 14.7:
it crashed with UnicodeEncodeError), and the kernel must log the bytes
escaped (issue 14.6: ESC[2J from the command line cleared the operator's
terminal, and so did the messages that repeat a crash=, keymap= or test=
value). Builds ISOs whose command lines hold ESC and 0xFF bytes, boots them,
and checks COM1 shows each value escaped (`command line: esc=\\x1b[2J
raw=\\xff`, `unknown keymap '\\x1b[2J'`, ...) and no raw ESC.

  loader_text_test.py --kernel build/keel-boot.elf [--qemu qemu-system-x86_64]
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def boot(qemu, kernel, tmp, cmdline):
    """COM1 of a BIOS boot of an ISO with `cmdline` until `ready` (or EOF),
    or None when make_iso.py refused the command line."""
    iso = os.path.join(tmp, "text.iso")
    made = subprocess.run([sys.executable.encode(), bytes(ROOT / "tools" / "make_iso.py"),
                           b"--kernel", os.fsencode(kernel), b"--output",
                           os.fsencode(iso), b"--cmdline", cmdline],
                          capture_output=True)
    if made.returncode != 0:
        print(made.stdout.decode(errors="replace"), made.stderr.decode(errors="replace"))
        return None
    proc = subprocess.Popen(
        [qemu, "-cdrom", iso, "-m", "256M", "-display", "none", "-serial", "stdio",
         "-monitor", "none", "-no-reboot", "-boot", "d", "-nic", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    out = b""
    try:
        for line in proc.stdout:  # until the kernel is ready (it then halts)
            out += line
            if line.startswith(b"ready") or b"PANIC" in line:
                break
    finally:
        proc.kill()
        proc.wait()
    return out


# Each boot: its command line and the escaped text COM1 must show. color=off:
# the only ESC bytes the kernel itself sends are its colours; without them
# any ESC on COM1 came from the command line. The options whose values the
# kernel repeats in a message (crash=, keymap=, test=) carry an ESC too.
BOOTS = [
    (b"esc=\x1b[2J raw=\xff crash=\x1b[2J keymap=\x1b[2J color=off",
     [rb"command line: esc=\x1b[2J raw=\xff",
      rb"crash: unknown crash test '\x1b[2J'",
      rb"keymap: unknown keymap '\x1b[2J'"]),
    (b"test=\x1b[2J color=off",
     [rb"# no in-kernel test name starts with '\x1b[2J'"]),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    args = ap.parse_args()
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for cmdline, expected_lines in BOOTS:
            out = boot(args.qemu, args.kernel, tmp, cmdline)
            if out is None:
                problems.append(f"make_iso.py refused the command line {cmdline!r}")
                continue
            for expected in expected_lines:
                if expected not in out:
                    problems.append(f"{cmdline!r}: expected {expected!r} on COM1")
            kernel_part = out[out.find(b"Keel "):] if b"Keel " in out else out
            if b"\x1b" in kernel_part:
                problems.append(f"{cmdline!r}: a raw ESC byte reached COM1")
    for p in problems:
        print("FAIL:", p)
    print("loader text: ok" if not problems else "loader text: failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
