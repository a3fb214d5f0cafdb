#!/usr/bin/env python3
"""Loader text with control bytes and non-UTF-8 bytes, end to end.

tools/make_iso.py must accept a command line that is not UTF-8 (issue 14.7:
it crashed with UnicodeEncodeError), and the kernel must log the bytes
escaped (issue 14.6: ESC[2J from the command line cleared the operator's
terminal). Builds an ISO whose command line is b"esc=\\x1b[2J raw=\\xff", boots
it, and checks COM1 shows `command line: esc=\\x1b[2J raw=\\xff` and no ESC.

  loader_text_test.py --kernel build/keel-boot.elf [--qemu qemu-system-x86_64]
"""
import argparse
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        iso = os.path.join(tmp, "text.iso")
        # color=off: the only ESC bytes the kernel itself sends are its
        # colours; without them any ESC on COM1 came from the command line.
        cmdline = b"esc=\x1b[2J raw=\xff color=off"
        made = subprocess.run([sys.executable.encode(), bytes(ROOT / "tools" / "make_iso.py"),
                               b"--kernel", os.fsencode(args.kernel), b"--output",
                               os.fsencode(iso), b"--cmdline", cmdline],
                              capture_output=True)
        if made.returncode != 0:
            print(made.stdout.decode(errors="replace"), made.stderr.decode(errors="replace"))
            print("FAIL: make_iso.py refused a non-UTF-8 command line")
            return 1
        proc = subprocess.Popen(
            [args.qemu, "-cdrom", iso, "-m", "256M", "-display", "none", "-serial", "stdio",
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
    problems = []
    expected = rb"command line: esc=\x1b[2J raw=\xff"
    if expected not in out:
        line = next((l for l in out.splitlines() if l.startswith(b"command line:")), b"(none)")
        problems.append(f"expected {expected!r}, COM1 had {line!r}")
    kernel_part = out[out.find(b"Keel "):] if b"Keel " in out else out
    if b"\x1b" in kernel_part:
        problems.append("a raw ESC byte reached COM1")
    for p in problems:
        print("FAIL:", p)
    print("loader text: ok" if not problems else "loader text: failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
