#!/usr/bin/env python3
"""Takes the README's screenshot: boots the ISO in QEMU, waits for the
`ready in` line on COM1, and saves the screen (QEMU's `screendump`) as PNG.

  python3 tools/screenshot.py --iso build/keel.iso --output docs/screenshot.png [--uefi]
"""
import argparse
import os
import socket
import struct
import subprocess
import tempfile
import time
import zlib

OVMF = "/usr/share/OVMF/OVMF_CODE.fd"


def ppm_to_png(ppm):
    """Converts a binary (P6) PPM to PNG bytes, with only the standard library."""
    magic, dims, maxval, pixels = ppm.split(b"\n", 3)
    assert magic == b"P6" and maxval == b"255", "QEMU writes 8-bit P6 PPM"
    width, height = map(int, dims.split())
    rows = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--uefi", action="store_true")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--type", default="", help="a line to type at the shell first "
                    "(lower-case letters, digits, spaces and '-')")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="keel-shot-") as tmp:
        serial, monitor, ppm = (os.path.join(tmp, n) for n in ("com1.log", "mon.sock", "s.ppm"))
        cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "256M", "-no-reboot", "-nic", "none",
               "-display", "none", "-cdrom", args.iso, "-serial", f"file:{serial}",
               "-monitor", f"unix:{monitor},server,nowait"]
        if args.uefi:
            cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF}"]
        qemu = subprocess.Popen(cmd)
        try:
            deadline = time.time() + args.timeout
            while "ready in" not in (open(serial, errors="replace").read()
                                     if os.path.exists(serial) else ""):
                if time.time() > deadline or qemu.poll() is not None:
                    raise SystemExit("the kernel did not reach `ready in`")
                time.sleep(0.2)
            time.sleep(0.5)  # let the console's last flush reach the screen
            with socket.socket(socket.AF_UNIX) as mon:
                mon.connect(monitor)
                if args.type:
                    names = {" ": "spc", "-": "minus"}
                    for ch in args.type + "\n":
                        key = "ret" if ch == "\n" else names.get(ch, ch)
                        mon.sendall(f"sendkey {key}\n".encode())
                        time.sleep(0.15)
                    time.sleep(1.5)  # the command's answer reaches the screen
                mon.sendall(f"screendump {ppm}\n".encode())
                for _ in range(50):
                    time.sleep(0.1)
                    if os.path.exists(ppm) and os.path.getsize(ppm) > 0:
                        break
            time.sleep(0.3)
            with open(args.output, "wb") as out:
                out.write(ppm_to_png(open(ppm, "rb").read()))
            print(f"wrote {args.output}")
        finally:
            qemu.kill()
            qemu.wait()


if __name__ == "__main__":
    main()
