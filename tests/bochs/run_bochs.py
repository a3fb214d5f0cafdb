#!/usr/bin/env python3
"""Boots Keel in Bochs (BIOS), watches COM1, types on it, and checks how Bochs ends.

  tests/bochs/run_bochs.py --iso build/keel.iso [--expect 'ready in'] [--reject PANIC]
  tests/bochs/run_bochs.py --kernel build/keel.elf --cmdline 'poweroff' --expect-exit 1
                           [--exit-within 5 '^power: powering off']
  tests/bochs/run_bochs.py --iso build/keel.iso --type 'keel> ' 'uptime\r' --expect 'up '
                           [--timeout 120] [--log-dir DIR] [--keep]

Bochs reads a generated bochsrc: 256 MiB, Bochs' BIOS and the LGPL VGA BIOS,
the ISO as the ATA primary master CD-ROM, the port 0xE9 console on,
`clock: sync=none` (run as fast as the host allows) and a CPU model with
long mode. COM1 is a TCP connection to this script (`mode=socket-client`:
the script listens on 127.0.0.1 before Bochs starts, so Bochs' connection
cannot miss it): what the guest sends is logged to com1.log, and --type
writes to the guest's receive side. Debian builds Bochs with its debugger
and without a headless display, so Bochs runs with `-rc` commands (`c`:
continue) and the `term` display on a pseudo-terminal of its own, whose
output (the screen and port 0xE9) goes to bochs.out.

--kernel with --cmdline builds an ISO variant whose grub.cfg carries the
command line, with the same code the QEMU runner uses
(tests/qemu/qemu_command.py's build_variant_iso, i.e. tools/make_iso.py).

Without --expect-exit the run passes as soon as every --expect regex has
appeared on COM1 (colours removed), and Bochs is then killed. With
--expect-exit N, Bochs must also exit by itself with status N: Bochs 2.7
ends on the guest's ACPI soft-off (SLP_EN with SLP_TYP 0 written to the
PIIX4 PM1a control register) through a Bochs panic, "ACPI control: soft
power off", which `panic: action=fatal` turns into exit status 1; nothing
else (a reset reboots) makes Bochs exit with it. Any run fails at a
--reject regex, another Bochs panic, a guest reset (triple fault) or the
timeout. Failure keeps bochsrc, COM1, bochs.log and bochs.out in --log-dir
(default: a new directory under /tmp) and prints its path.
"""
import argparse
import fcntl
import os
import pty
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
import keel_qemu  # noqa: E402  (the ISO variant, --type's escapes, the colour filter)

ROMS = ["/usr/share/bochs/BIOS-bochs-latest"]
VGAROMS = ["/usr/share/vgabios/vgabios-lgpl.bin", "/usr/share/vgabios/vgabios.bin",
           "/usr/share/bochs/VGABIOS-lgpl-latest"]
RESET = re.compile(r"3rd \(\d+\) exception with no resolution|"
                   r"exception\(\): 3rd|triple fault", re.I)
# The one panic that is Bochs' way of powering off (iodev/acpi.cc).
SOFT_OFF = "ACPI control: soft power off"
PANIC = re.compile(r"^.*\[.*\] *PANIC.*$|^.*>>PANIC<<.*$", re.M)


def first_existing(paths, what, package):
    for p in paths:
        if os.path.isfile(p):
            return p
    sys.exit(f"bochs: FAIL: no {what} ({' or '.join(paths)}): sudo apt-get install {package}")


def bochs_panics(log):
    """Bochs' panics in bochs.log, but its power-off."""
    return [line for line in PANIC.findall(log) if SOFT_OFF not in line]


class Com1:
    """The guest's COM1 as Bochs' TCP client: logs what arrives, sends --type."""

    def __init__(self, path):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.path = path
        self.conn = None
        open(path, "wb").close()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.conn = conn
        keel_qemu.log_socket(conn, self.path)

    def send(self, data):
        if self.conn is None:
            return False
        self.conn.sendall(data)
        return True

    def close(self):
        for s in (self.conn, self.listener):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iso", help="the ISO to boot (or --kernel)")
    ap.add_argument("--kernel", help="boot this kernel ELF from an ISO built for the run")
    ap.add_argument("--cmdline", help="with --kernel: the kernel command line")
    ap.add_argument("--expect", action="append", default=[], metavar="REGEX",
                    help="must appear on COM1 (default: 'ready in', but with --ktap)")
    ap.add_argument("--reject", action="append", default=[], metavar="REGEX")
    ap.add_argument("--type", action="append", default=[], nargs=2, metavar=("AFTER", "TEXT"),
                    help="once /AFTER/ appears on COM1 (after the previous --type's match), "
                    "send TEXT (Python escapes: \\r is Enter) to COM1's input; in order")
    ap.add_argument("--ktap", action="store_true",
                    help="COM1 carries a complete KTAP report with no 'not ok' (the check "
                    "keel_qemu.py makes)")
    ap.add_argument("--expect-exit", type=int, metavar="N",
                    help="Bochs must exit by itself with status N (1: the ACPI soft-off)")
    ap.add_argument("--exit-within", nargs=2, metavar=("SECONDS", "REGEX"),
                    help="Bochs must exit at most SECONDS after REGEX appeared on COM1")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--megs", type=int, default=256)
    ap.add_argument("--cpu-model", default="corei7_haswell_4770",
                    help="Bochs CPU model (bochs --help cpu); it needs long mode")
    ap.add_argument("--ips", type=int, default=50_000_000,
                    help="instructions per emulated second (Bochs' default, 4 million, makes "
                    "a CPU too slow for the kernel's storm detector)")
    ap.add_argument("--name", default="bochs")
    ap.add_argument("--log-dir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--bochs", default="bochs")
    args = ap.parse_args(argv)
    if bool(args.iso) == bool(args.kernel):
        ap.error("give one of --iso and --kernel")
    if args.cmdline is not None and not args.kernel:
        ap.error("--cmdline needs --kernel (the ISO is built for the run)")
    if args.exit_within and args.expect_exit is None:
        ap.error("--exit-within needs --expect-exit")
    default_expect = [] if args.ktap else ["ready in"]  # a test run never gets to "ready"
    expects = [re.compile(e, re.M) for e in (args.expect or default_expect)]
    rejects = [re.compile(r, re.M) for r in args.reject]
    typing = [(re.compile(after, re.M), keel_qemu.typed_bytes(text)) for after, text in args.type]
    exit_within = None
    if args.exit_within:
        exit_within = (float(args.exit_within[0]), re.compile(args.exit_within[1], re.M))
    name = args.name

    if not shutil.which(args.bochs):
        print(f"{name}: FAIL: {args.bochs} not found: sudo apt-get install bochs bochsbios "
              "vgabios bochs-term")
        return 1
    if args.iso and not os.path.isfile(args.iso):
        print(f"{name}: FAIL: ISO {args.iso} not found: build the 'iso' target first")
        return 1
    rom = first_existing(ROMS, "Bochs BIOS", "bochsbios")
    vgarom = first_existing(VGAROMS, "VGA BIOS", "vgabios")
    plugins = "/usr/lib/x86_64-linux-gnu/bochs/plugins"
    if os.path.isdir(plugins) and not any("term_gui" in p for p in os.listdir(plugins)):
        print(f"{name}: FAIL: Bochs' term display is missing: sudo apt-get install bochs-term")
        return 1

    work = tempfile.mkdtemp(prefix="keel-bochs-")
    iso = args.iso
    if args.kernel:
        variant = argparse.Namespace(kernel=args.kernel, cmdline=args.cmdline, module=[],
                                     generated_module=[], acpi_module=[], gfxpayload=None)
        try:
            iso = keel_qemu.build_variant_iso(variant, work)
        except keel_qemu.Failure as e:
            print(f"{name}: FAIL: {e}")
            shutil.rmtree(work, ignore_errors=True)
            return 1
    com1_path = os.path.join(work, "com1.log")
    com1 = Com1(com1_path)
    rc_path = os.path.join(work, "bochsrc")
    with open(rc_path, "w") as f:
        f.write(f"""# Generated by tests/bochs/run_bochs.py
megs: {args.megs}
romimage: file={rom}
vgaromimage: file={vgarom}
ata0-master: type=cdrom, path="{os.path.abspath(iso)}", status=inserted
boot: cdrom
cpu: model={args.cpu_model}, ips={args.ips}
clock: sync=none, time0=local
com1: enabled=1, mode=socket-client, dev=127.0.0.1:{com1.port}
port_e9_hack: enabled=1
display_library: term
mouse: enabled=0
speaker: enabled=0
sound: waveoutdrv=dummy
log: {os.path.join(work, "bochs.log")}
logprefix: %t %e %d
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
""")
    with open(os.path.join(work, "cmds"), "w") as f:
        f.write("c\n")
    env = dict(os.environ, TERM=os.environ.get("TERM") or "vt100")
    if env["TERM"] == "dumb":
        env["TERM"] = "vt100"
    # The term display draws the VGA screen on the pty; keep it in bochs.out.
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out = open(os.path.join(work, "bochs.out"), "wb")

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break  # EIO: the last user of the pty closed it
            if not data:
                break
            out.write(data)
        out.close()

    def serial():
        return keel_qemu.ANSI_SGR.sub("", keel_qemu.read_text(com1_path))

    started = time.monotonic()
    proc = subprocess.Popen([args.bochs, "-q", "-f", "bochsrc", "-rc", "cmds"], cwd=work,
                            env=env, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True)
    os.close(slave)
    drainer = threading.Thread(target=drain, daemon=True)
    drainer.start()

    problems = []
    notes = []
    typed_at = 0
    exit_mark = None  # when --exit-within's line appeared
    try:
        while True:
            text = serial()
            hit = next((r for r in rejects if r.search(text)), None)
            if hit:
                problems.append(f"rejected /{hit.pattern}/ appeared on COM1")
                break
            if typing:
                m = typing[0][0].search(text, typed_at)
                if m and com1.send(typing[0][1]):
                    notes.append(f"typed {typing[0][1]!r} at {time.monotonic() - started:.1f} s")
                    typed_at = m.end()
                    typing.pop(0)
            if exit_within and exit_mark is None and exit_within[1].search(text):
                exit_mark = time.monotonic()
            done = (all(e.search(text) for e in expects) and not typing and
                    (not args.ktap or keel_qemu.check_ktap(text, complete_only=True)[0]))
            log = keel_qemu.read_text(os.path.join(work, "bochs.log"))
            if RESET.search(log):
                problems.append("guest reset (triple fault?): see bochs.log")
                break
            if proc.poll() is not None:
                text = serial()
                panics = bochs_panics(log)
                if panics:
                    problems.append("Bochs panicked: " + panics[0].strip())
                elif args.expect_exit is None:
                    problems.append(f"Bochs exited with status {proc.returncode} (see bochs.out, "
                                    "bochs.log)")
                elif proc.returncode != args.expect_exit:
                    problems.append(f"Bochs exited with status {proc.returncode}, not "
                                    f"{args.expect_exit}")
                else:
                    off = SOFT_OFF in log
                    notes.append(f"Bochs exited with status {proc.returncode}" +
                                 (" (the guest's ACPI soft-off)" if off else ""))
                missing = [e.pattern for e in expects if not e.search(text)]
                if missing:
                    problems.append("Bochs exited before COM1 showed " +
                                    ", ".join(f"/{m}/" for m in missing))
                if exit_within:
                    if exit_mark is None and exit_within[1].search(text):
                        exit_mark = time.monotonic()  # it came with the last bytes
                    if exit_mark is None:
                        problems.append(f"/{exit_within[1].pattern}/ never appeared on COM1")
                    elif time.monotonic() - exit_mark > exit_within[0]:
                        problems.append(f"Bochs exited {time.monotonic() - exit_mark:.1f} s after "
                                        f"/{exit_within[1].pattern}/, not within "
                                        f"{exit_within[0]:g} s")
                break
            if done and args.expect_exit is None:
                break
            if exit_mark is not None and time.monotonic() - exit_mark > exit_within[0]:
                problems.append(f"Bochs still running {exit_within[0]:g} s after "
                                f"/{exit_within[1].pattern}/ appeared on COM1")
                break
            if time.monotonic() - started > args.timeout:
                missing = [e.pattern for e in expects if not e.search(text)]
                if missing:
                    problems.append(f"never appeared on COM1 within {args.timeout:g} s: " +
                                    ", ".join(f"/{m}/" for m in missing))
                if typing:
                    problems.append(f"/{typing[0][0].pattern}/ never appeared to type after")
                if args.expect_exit is not None:
                    problems.append(f"Bochs did not exit within {args.timeout:g} s")
                break
            time.sleep(0.1)
    except KeyboardInterrupt:
        problems.append("interrupted")
    finally:
        elapsed = time.monotonic() - started
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        drainer.join(2)
        os.close(master)
        com1.close()

    text = serial()
    if args.ktap and "interrupted" not in problems:
        _, ktap_problems, summary = keel_qemu.check_ktap(text)
        problems += ktap_problems
        if summary:
            notes.append(summary)
    for n in notes:
        print(f"{name}: {n}")
    if problems:
        print(f"---- COM1 ({len(text)} bytes, last 40 lines) ----")
        print("\n".join(text.rstrip("\n").split("\n")[-40:]))
        print("----")
        for p in problems:
            print(f"{name}: FAIL: {p}")
    else:
        print(f"{name}: PASS ({elapsed:.1f} s)")
    keep = problems or args.keep
    if keep:
        kept = args.log_dir or tempfile.mkdtemp(prefix=f"keel-bochs-{name}-logs-")
        if os.path.exists(kept):
            shutil.rmtree(kept)
        shutil.copytree(work, kept, ignore=shutil.ignore_patterns("variant.iso"))
        print(f"{name}: logs kept in {kept}")
    elif args.log_dir and os.path.isdir(args.log_dir):
        shutil.rmtree(args.log_dir)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
