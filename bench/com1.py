"""Reads a QEMU guest's COM1 (`-serial stdio`) until a pattern appears: the
one loop the benchmarks share (boot_time.py, irq.py)."""
import os
import re
import select
import subprocess
import time

ANSI_SGR = re.compile(r"\x1b\[[0-9;]*m")  # COM1's colours (color=on is the default)


def run_until(cmd, pattern, timeout, what):
    """Starts QEMU (`cmd`, which must have -serial stdio), reads COM1 until
    the regex `pattern` (multiline) matches its text, colours removed, then
    kills QEMU. Returns (seconds from start to the match, COM1's text).
    Raises RuntimeError naming `what` on a timeout or an early exit."""
    regex = re.compile(pattern, re.M)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    out = b""
    try:
        while True:
            left = start + timeout - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"{what}: no /{pattern}/ on COM1 within {timeout} s; "
                                   f"COM1: {out[-300:]!r}")
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError(f"{what}: QEMU exited (status {proc.wait()}) before "
                                   f"/{pattern}/; COM1: {out[-300:]!r}")
            out += chunk
            text = ANSI_SGR.sub("", out.decode("utf-8", "replace").replace("\r", ""))
            if regex.search(text):
                return time.monotonic() - start, text
    finally:
        proc.kill()
        proc.wait()
