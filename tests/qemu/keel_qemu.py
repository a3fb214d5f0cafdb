#!/usr/bin/env python3
"""Boots Keel in QEMU (TCG) and checks what it prints on COM1 and the screen.

Used by the CTest boot tests (tests/CMakeLists.txt) and by hand:

  # boot the built ISO, print COM1 as it arrives, stop after 20 s
  tests/qemu/keel_qemu.py --iso build/keel.iso -v --timeout 20

  # a variant ISO with another kernel command line, checked like a test
  tests/qemu/keel_qemu.py --kernel build/keel.elf --cmdline test --ktap --expect-exit 33

  # the kernel ELF booted directly through its PVH note: no GRUB, no ISO
  tests/qemu/keel_qemu.py --direct build/keel.elf --cmdline test --ktap --expect-exit 33

  # UEFI (OVMF), reading the framebuffer text back by glyph matching
  tests/qemu/keel_qemu.py --iso build/keel.iso --firmware uefi --expect-screen 'ready in'

What the options check:
  --expect REGEX         must appear on COM1 (repeatable; all must appear)
  --expect-screen REGEX  must appear on the screen: the VGA text buffer at
                         0xB8000 from the CRTC start address on (BIOS) or the framebuffer decoded by exact
                         matching of 8x16 cells against the PSF font (UEFI)
  --expect-vga-attr ROW ATTR
                         BIOS: every cell of VGA text row ROW has attribute ATTR
  --expect-vga-cursor-after REGEX
                         BIOS: the VGA cursor is right after REGEX's last
                         match on the screen
  --expect-text-attr REGEX ATTR
                         BIOS: the cells of REGEX's match on the screen (its
                         lowest row) have attribute ATTR
  --expect-range REGEX MIN MAX
                         REGEX's first group, an integer, on COM1 in [MIN, MAX]
  --reject REGEX         must never appear on COM1 (e.g. PANIC)
  --expect-exit N        QEMU must exit with status N (isa-debug-exit: 33 = pass)
  --expect-halt          after everything expected appeared, the machine must
                         still run 0.5 s later with every CPU halted (HLT=1 for
                         each in 'info registers -a'): a halt, not a reset
                         (-no-reboot turns a reset into an exit)
  --ktap                 COM1 carries a complete KTAP report: a plan, as many
                         top-level results as planned, and no "not ok"
  --type AFTER TEXT      once /AFTER/ appears on COM1 (after the previous
                         --type's match), send TEXT to COM1's input (Python
                         escapes: \r is Enter, \x03 Ctrl-C; {garbage:N}: N
                         fixed pseudo-random bytes, no CR or LF); in order
  --expect-raw REGEX, --reject-raw REGEX
                         like --expect/--reject on COM1 as sent, colours
                         included: the others match with ANSI colour (SGR)
                         sequences removed
  --exit-within SECONDS REGEX
                         QEMU must exit at most SECONDS after REGEX appeared
                         on COM1 (with --expect-exit: power-off, reset)

Power tests (docs/power.md):
  --no-debug-exit        leave out the isa-debug-exit device
  --allow-reboot         leave out -no-reboot: a reset reboots instead of
                         ending QEMU, so an exit can only be a power-off
  --powerdown-after REGEX
                         once REGEX appears on COM1, press the ACPI power
                         button (the monitor's system_powerdown)

Input (the input tests, tests/qemu/input_tests.cmake):
  --send ACTION          done in order once --send-after has appeared on COM1
                         (repeatable): qmp:JSON runs a QMP command (send-key,
                         input-send-event; QMP goes over -qmp), serial:TEXT
                         writes TEXT (Python escapes: \r, \x1b) to COM1's
                         input (COM1 becomes a chardev socket that logs to the
                         same serial.log), sleep:SECONDS waits,
                         screen:REGEX waits (up to 30 s) until REGEX shows on
                         the screen, else fails the run (a screen between
                         keys: the console's scrollback tests)
  --send-after REGEX     the COM1 line that must appear before the --send actions

The run ends as soon as the outcome is known: when everything expected has
appeared (or, with --expect-exit, when QEMU exits), at the first rejected
line, or at --timeout. On failure the serial log, QEMU's log (-d
cpu_reset,guest_errors), its output, the screen (text and image) and the
command line are kept in --log-dir (default: a new directory under /tmp),
whose path is printed. Python standard library only. Its parts: the
channels into QEMU (qemu_monitor.py), reading the screen (screen.py) and
the KTAP report (ktap.py).
"""
import argparse
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HALT_SETTLE = 0.5  # seconds a halted machine must stay so (--expect-halt)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ktap import KTAP_RESULT, check_ktap  # noqa: E402,F401
from qemu_monitor import POLL, Failure, Monitor, Qmp, SerialInput, connect_unix  # noqa: E402,F401
from screen import (VGA_COLS, VGA_CRTC_INDEX, VGA_ROWS, VGA_TEXT_BASE,  # noqa: E402,F401
                    VGA_TEXT_WINDOW, Font, cp437, hmp_port_byte, ocr_framebuffer, parse_ppm,
                    read_vga_text, vga_crtc)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
MAKE_ISO = os.path.join(REPO, "tools", "make_iso.py")
DEFAULT_OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
DEFAULT_FONT = "/usr/share/consolefonts/Uni2-Terminus16.psf.gz"
# Colours on COM1 (ECMA-48 SGR: ESC [ params m), removed before matching.
ANSI_SGR = re.compile(r"\x1b\[[0-9;]*m")




# --------------------------------------------------------------------------
# The run

def module_files(args, workdir):
    """--module's files, then --generated-module's, written into workdir."""
    modules = list(args.module)
    for spec in args.generated_module:
        name, _, size = spec.rpartition(":")
        if not name or not size.isdigit():
            raise Failure(f"--generated-module wants NAME:SIZE, not {spec!r}")
        path = os.path.join(workdir, name)
        pattern = bytes((i * 7 + 3) & 0xFF for i in range(251))  # deterministic, not all zero
        data = (pattern * (int(size) // len(pattern) + 1))[:int(size)]
        with open(path, "wb") as f:
            f.write(data)
        modules.append(path)
    return modules


def build_variant_iso(args, workdir):
    if not os.path.isfile(args.kernel):
        raise Failure(f"kernel {args.kernel} not found: build the 'kernel' target first")
    modules = module_files(args, workdir)
    iso = os.path.join(workdir, "variant.iso")
    cmd = [sys.executable, MAKE_ISO, "--kernel", args.kernel, "--output", iso]
    if args.cmdline is not None:
        cmd += ["--cmdline", args.cmdline]
    for m in modules:
        cmd += ["--module", m]
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise Failure("make_iso.py failed:\n" + result.stdout)
    return iso


def direct_boot_args(args, workdir):
    """QEMU's PVH boot of the kernel ELF (-kernel): the command line goes in
    -append, the one module QEMU passes in -initrd."""
    if not os.path.isfile(args.direct):
        raise Failure(f"kernel {args.direct} not found: build the 'kernel' target first")
    modules = module_files(args, workdir)
    if len(modules) > 1:
        raise Failure("--direct passes one module (QEMU's -initrd under PVH), not "
                      f"{len(modules)}")
    cmd = ["-kernel", args.direct]
    if args.cmdline is not None:
        cmd += ["-append", args.cmdline]
    if modules:
        cmd += ["-initrd", modules[0].split("=", 1)[0]]
    return cmd


def typed_bytes(text):
    """--type's TEXT as bytes: Python escapes decoded; {garbage:N} is N bytes
    of every value but CR and LF, the same ones on every run."""
    out = b""
    for part in re.split(r"(\{garbage:[0-9]+\})", text):
        m = re.fullmatch(r"\{garbage:([0-9]+)\}", part)
        if m:
            rng = random.Random(11)
            out += bytes(b for b in (rng.randrange(256) for _ in range(int(m.group(1)) * 2))
                         if b not in (0x0A, 0x0D))[:int(m.group(1))]
        else:
            out += part.encode("latin-1").decode("unicode_escape").encode("latin-1")
    return out


def sends(args, kind):
    return [a.split(":", 1)[1] for a in args.send if a.startswith(kind + ":")]


def tcg_accel(smp):
    """TCG with a host thread per vCPU, unless the vCPUs outnumber the host's
    cores: then spinning vCPUs wait for the host scheduler to run the one
    holding the lock (smp.ktest.4 on two cores took 3.7 to 27 s, measured),
    and one thread taking the vCPUs in turn (a spinning one gives way at its
    PAUSE) is both faster and steady. Lock tests on as many vCPUs as cores
    keep the threads."""
    vcpus = int(str(smp).split(",")[0])
    return "tcg,thread=single" if vcpus > (os.cpu_count() or 1) else "tcg"


def qemu_command(args, iso, workdir, monitor_path):
    serial_log = os.path.join(workdir, "serial.log")
    # --type: COM1 is a socket; QEMU waits for the runner to connect, which
    # then writes serial.log itself (a socket's logfile= duplicates bytes).
    if args.type:
        serial = ["-chardev", f"socket,id=com1,path={os.path.join(workdir, 'com1.sock')},"
                  "server=on,wait=on", "-serial", "chardev:com1"]
    elif sends(args, "serial"):
        # A socket for input that still logs COM1's output to serial.log.
        serial = ["-chardev", f"socket,id=com1,path={os.path.join(workdir, 'com1.sock')},"
                  f"server=on,wait=off,logfile={serial_log}", "-serial", "chardev:com1"]
    else:
        serial = ["-serial", "file:" + serial_log]
    cmd = [args.qemu, "-accel", tcg_accel(args.smp), "-machine", args.machine, "-m", args.memory,
           "-smp", str(args.smp), "-no-reboot", "-display", "none", "-nic", "none",
           *serial,
           "-monitor", f"unix:{monitor_path},server,nowait",
           "-d", "cpu_reset,guest_errors", "-D", os.path.join(workdir, "qemu.log"),
           ]
    if args.allow_reboot:
        cmd.remove("-no-reboot")
    if not args.no_debug_exit:
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if args.direct:
        cmd += direct_boot_args(args, workdir)
    else:
        cmd += ["-cdrom", iso, "-boot", "d"]
    if args.cpu:
        cmd += ["-cpu", args.cpu]
    if args.firmware == "uefi":
        if not os.path.isfile(args.ovmf):
            raise Failure(f"OVMF firmware {args.ovmf} not found: sudo apt-get install ovmf")
        cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={args.ovmf}"]
    if args.debugcon:
        cmd += ["-debugcon", "file:" + os.path.join(workdir, "debugcon.log")]
    if sends(args, "qmp"):
        cmd += ["-qmp", f"unix:{os.path.join(workdir, 'qmp.sock')},server=on,wait=off"]
    cmd += args.qemu_arg
    return cmd


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def halted_cpus(regs):
    """From 'info registers -a': (CPUs listed, the numbers of those not
    halted), or None when the output lists no CPU."""
    sections = re.split(r"^CPU#(\d+)\s*$", regs, flags=re.M)
    if len(sections) < 3:
        return None
    numbers = sections[1::2]
    bodies = sections[2::2]
    running = [int(n) for n, body in zip(numbers, bodies) if not re.search(r"\bHLT=1\b", body)]
    return len(numbers), running


def describe_exit(rc, qemu_log=""):
    if rc == 0:
        if "Triple fault" in qemu_log:
            return ("QEMU exited with status 0: guest reset by a triple fault "
                    "(-no-reboot turns a reset into an exit; qemu.log has the CPU state)")
        return ("QEMU exited with status 0: guest reset (triple fault?) or power-off "
                "(-no-reboot turns a reset into an exit; see qemu.log)")
    if rc > 0 and rc & 1 and rc >= 3:
        return f"QEMU exited with status {rc}: the guest wrote {(rc - 1) >> 1:#x} to isa-debug-exit"
    if rc < 0:
        return f"QEMU was killed by signal {-rc}"
    return f"QEMU exited with status {rc}"


class Run:
    def __init__(self, args):
        self.args = args
        self.problems = []
        self.notes = []
        self.screen_lines = None
        self.screen_attrs = None
        self.vga_cursor = None
        self.workdir = tempfile.mkdtemp(prefix="keel-qemu-")
        self.proc = None
        self.monitor = None
        self.font = None
        self.started = None
        self.com1 = None
        self.typing = [(re.compile(after, re.M), typed_bytes(text)) for after, text in args.type]
        self.typed_at = 0
        self.qmp = None
        self.serial_input = None

    def send_input(self):
        """Does the --send actions, in order."""
        for action in self.args.send:
            kind, _, value = action.partition(":")
            if kind == "qmp":
                if self.qmp is None:
                    self.qmp = Qmp(os.path.join(self.workdir, "qmp.sock"), self.proc)
                cmd = json.loads(value)
                self.qmp.command(cmd)
                if cmd.get("execute") == "send-key":
                    # QEMU releases the keys hold-time (100 ms by default)
                    # after answering: wait, so the next action comes after.
                    hold_ms = cmd.get("arguments", {}).get("hold-time", 100)
                    time.sleep(hold_ms / 1000 + 0.2)
            elif kind == "serial":
                if self.serial_input is None:
                    self.serial_input = SerialInput(os.path.join(self.workdir, "com1.sock"),
                                                    self.proc)
                self.serial_input.write(value.encode("latin-1").decode("unicode_escape")
                                        .encode("utf-8"))
            elif kind == "screen":
                self.wait_for_screen(value)
            else:
                time.sleep(float(value))

    def wait_for_screen(self, pattern):
        """--send screen:REGEX: the screen shows REGEX within 30 s, or the run fails."""
        regex = re.compile(pattern, re.M)
        deadline = time.monotonic() + 30
        while self.proc.poll() is None:
            if regex.search("\n".join(l.rstrip() for l in self.screen("screen-send"))):
                self.notes.append(f"screen showed /{pattern}/ during the sends")
                return
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        raise Failure(f"never appeared on the screen during the sends: /{pattern}/")

    def screen(self, tag="screen"):
        """Reads the screen now; returns its lines (and saves them)."""
        if self.monitor is None:
            self.monitor = Monitor(os.path.join(self.workdir, "mon.sock"), self.proc)
        ppm = os.path.join(self.workdir, tag + ".ppm")
        if self.args.firmware == "uefi":
            self.monitor.command(f'screendump "{ppm}"')
            if self.font is None:
                self.font = Font(self.args.font)
            lines = ocr_framebuffer(ppm, self.font)
        else:
            lines, self.screen_attrs, self.vga_cursor = read_vga_text(
                self.monitor, os.path.join(self.workdir, "vga.bin"))
        with open(os.path.join(self.workdir, tag + ".txt"), "w") as f:
            f.write("\n".join(l.rstrip() for l in lines) + "\n")
        self.screen_lines = lines
        return lines

    def screen_image(self):
        """A picture of the screen, for the logs (best effort)."""
        try:
            if self.monitor is None:
                self.monitor = Monitor(os.path.join(self.workdir, "mon.sock"), self.proc, 2)
            self.screen()  # screen.txt (and screen.ppm under UEFI)
            if self.args.firmware == "bios":
                self.monitor.command(f'screendump "{os.path.join(self.workdir, "screen.ppm")}"')
        except Exception:  # noqa: BLE001 - a missing picture must not hide the failure
            pass

    def raw_serial(self):
        return read_text(os.path.join(self.workdir, "serial.log"))

    def serial(self):
        return ANSI_SGR.sub("", self.raw_serial())

    def connect_com1(self, deadline):
        """--type: connects to COM1's socket and logs what arrives on it."""
        path = os.path.join(self.workdir, "com1.sock")
        while True:
            try:
                self.com1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.com1.connect(path)
                break
            except OSError:
                self.com1.close()
                self.com1 = None
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise Failure("QEMU's COM1 socket never appeared")
                time.sleep(POLL)

        def log_com1(sock, path):
            with open(path, "ab") as log:
                while True:
                    try:
                        data = sock.recv(4096)
                    except OSError:
                        return
                    if not data:
                        return
                    log.write(data)
                    log.flush()
        threading.Thread(target=log_com1, args=(self.com1, os.path.join(self.workdir, "serial.log")),
                         daemon=True).start()

    def type_pending(self, serial):
        """Sends the next --type text once its pattern has appeared."""
        pattern, text = self.typing[0]
        m = pattern.search(serial, self.typed_at)
        if m:
            self.com1.sendall(text)
            self.typed_at = m.end()
            self.typing.pop(0)

    def qemu_log(self):
        return read_text(os.path.join(self.workdir, "qemu.log"))

    def run(self):
        a = self.args
        iso = a.iso
        if a.kernel:
            iso = build_variant_iso(a, self.workdir)
        elif a.null_kernel:
            sys.path.insert(0, os.path.join(REPO, "bench", "null_kernel"))
            import build as null_kernel
            try:
                _, iso = null_kernel.build(self.workdir)
            except (RuntimeError, subprocess.CalledProcessError) as e:
                raise Failure(f"building the null kernel: {e}")
        elif a.direct:
            pass  # qemu_command checks the ELF
        elif not os.path.isfile(iso):
            raise Failure(f"ISO {iso} not found: build the 'iso' target first")
        monitor_path = os.path.join(self.workdir, "mon.sock")
        cmd = qemu_command(a, iso, self.workdir, monitor_path)
        with open(os.path.join(self.workdir, "command.txt"), "w") as f:
            f.write(shlex.join(cmd) + "\n")
        if a.verbose:
            print("+ " + shlex.join(cmd), flush=True)
        out = open(os.path.join(self.workdir, "qemu.out"), "wb")
        self.started = time.monotonic()
        deadline = self.started + a.timeout
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT)
        out.close()
        if a.type:
            self.connect_com1(deadline)
        expects = [re.compile(e, re.M) for e in a.expect]
        rejects = [re.compile(r, re.M) for r in a.reject]
        ranges = [(re.compile(r, re.M), int(lo), int(hi)) for r, lo, hi in a.expect_range]
        wait_for_exit = a.expect_exit is not None
        rejects += [re.compile(r, re.M) for r in a.reject_raw]
        raw_expects = [re.compile(e, re.M) for e in a.expect_raw]
        powerdown = re.compile(a.powerdown_after, re.M) if a.powerdown_after else None
        exit_within = (float(a.exit_within[0]), re.compile(a.exit_within[1], re.M)) \
            if a.exit_within else None
        exit_mark = None  # when exit_within's REGEX was first seen
        checks = (expects or raw_expects or ranges or a.ktap or a.expect_screen or a.expect_halt
                  or wait_for_exit or self.typing)
        shown = 0
        timed_out = False
        send_after = re.compile(a.send_after, re.M) if a.send_after else None
        to_send = bool(a.send)
        while True:
            serial = self.serial()
            if to_send and (send_after is None or send_after.search(serial)):
                to_send = False
                self.send_input()
            if a.verbose and len(serial) > shown:
                sys.stdout.write(serial[shown:])
                sys.stdout.flush()
                shown = len(serial)
            raw = self.raw_serial()
            for r in rejects:
                m = r.search(raw if r.pattern in a.reject_raw else serial)
                if m:
                    where = raw if r.pattern in a.reject_raw else serial
                    line = where[where.rfind("\n", 0, m.start()) + 1:].split("\n")[0]
                    raise Failure(f"rejected /{r.pattern}/ appeared on COM1: {line!r}")
            if exit_within and exit_mark is None and exit_within[1].search(serial):
                exit_mark = time.monotonic()
            if powerdown and powerdown.search(serial):
                powerdown = None
                if self.monitor is None:
                    self.monitor = Monitor(os.path.join(self.workdir, "mon.sock"), self.proc)
                self.monitor.command("system_powerdown")
                self.notes.append("pressed the power button (system_powerdown) at "
                                  f"{time.monotonic() - self.started:.1f} s")
            if self.proc.poll() is not None:
                break
            if self.typing:
                self.type_pending(serial)
            # Not before every --send has gone out: a screen check needs them.
            if checks and not wait_for_exit and not self.typing and not to_send:
                if (all(e.search(serial) for e in expects)
                        and all(e.search(raw) for e in raw_expects)
                        and all(r.search(serial) for r, _, _ in ranges)
                        and (not a.ktap or check_ktap(serial, complete_only=True)[0])):
                    break
            if time.monotonic() > deadline:
                timed_out = True
                break
            time.sleep(POLL)
        elapsed = time.monotonic() - self.started
        serial = self.serial()
        rc = self.proc.poll()

        missing = [e.pattern for e in expects if not e.search(serial)]
        raw = self.raw_serial()
        missing += [e.pattern for e in raw_expects if not e.search(raw)]
        if self.typing:
            self.problems.append("never typed (its prompt never appeared): " +
                                 ", ".join(f"{t!r} after /{p.pattern}/" for p, t in self.typing))
        for r, lo, hi in ranges:
            m = r.search(serial)
            if not m:
                missing.append(r.pattern)
                continue
            value = int(m.group(1))
            self.notes.append(f"/{r.pattern}/ -> {value} (want {lo}..{hi})")
            if not lo <= value <= hi:
                self.problems.append(f"/{r.pattern}/ gave {value}, not within [{lo}, {hi}]")
        if missing:
            where = ("before QEMU exited" if rc is not None and not timed_out
                     else f"within {a.timeout:g} s")
            self.problems.append("never appeared on COM1 " + where + ": " +
                                 ", ".join(f"/{p}/" for p in missing))

        if rc is not None:
            if wait_for_exit:
                if rc != a.expect_exit:
                    self.problems.append(f"expected exit status {a.expect_exit}; " +
                                         describe_exit(rc, self.qemu_log()))
                else:
                    self.notes.append(f"QEMU exited with status {rc} as expected")
            else:
                self.problems.append(describe_exit(rc, self.qemu_log()))
        elif timed_out:
            if wait_for_exit:
                self.problems.append(f"QEMU still running after {a.timeout:g} s "
                                     f"(expected exit status {a.expect_exit})")
            elif not checks:
                self.notes.append(f"no checks given: stopped after {a.timeout:g} s")
            elif not missing and a.ktap:
                self.problems.append(f"KTAP report incomplete after {a.timeout:g} s")

        if exit_within:
            limit, pattern = exit_within
            if exit_mark is None:
                self.problems.append(f"/{pattern.pattern}/ never appeared on COM1, so the "
                                     f"time to exit cannot be measured")
            elif rc is not None:
                took = elapsed - (exit_mark - self.started)
                if took > limit:
                    self.problems.append(f"QEMU exited {took:.1f} s after /{pattern.pattern}/, "
                                         f"more than {limit:g} s")
                else:
                    self.notes.append(f"QEMU exited {took:.1f} s after /{pattern.pattern}/")

        if a.ktap:
            _, problems, summary = check_ktap(serial)
            if summary:
                print(summary)
            self.problems += problems

        if self.proc.poll() is None and not self.problems and a.expect_screen:
            self.check_screen(deadline)
        if self.proc.poll() is None and not self.problems and a.expect_halt:
            self.check_halt()
        # Whatever came after the expected lines (e.g. during the halt check).
        serial = self.serial()
        raw = self.raw_serial()
        for r in rejects:
            where = raw if r.pattern in a.reject_raw else serial
            m = r.search(where)
            if m:
                line = where[where.rfind("\n", 0, m.start()) + 1:].split("\n")[0]
                self.problems.append(f"rejected /{r.pattern}/ appeared on COM1: {line!r}")
        return elapsed

    def check_screen(self, deadline):
        pats = [re.compile(p, re.M) for p in self.args.expect_screen]
        while True:
            text = "\n".join(l.rstrip() for l in self.screen())
            missing = [p.pattern for p in pats if not p.search(text)]
            if not missing:
                self.notes.append("screen shows " + ", ".join(f"/{p.pattern}/" for p in pats))
                self.check_attrs()
                return
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.problems.append("never appeared on the screen: " +
                                     ", ".join(f"/{p}/" for p in missing))
                return
            time.sleep(0.2)

    def check_attrs(self):
        for pattern, attr in self.args.expect_text_attr:
            attr = int(attr, 0)
            found = [(row, m) for row, line in enumerate(self.screen_lines or [])
                     for m in [re.search(pattern, line.rstrip())] if m]
            if not found:
                self.problems.append(f"/{pattern}/ is not on the screen (for its colour)")
                continue
            row, m = found[-1]
            got = self.screen_attrs[row][m.start():m.end()]
            wrong = sorted({f"{a:#04x}" for a in got if a != attr})
            if wrong:
                self.problems.append(f"/{pattern}/ on row {row}: attributes {', '.join(wrong)}, "
                                     f"expected {attr:#04x}")
            else:
                self.notes.append(f"/{pattern}/ on row {row}: attribute {attr:#04x}")
        for pattern in self.args.expect_vga_cursor_after:
            # Unstripped: the cursor may stand after trailing blanks (a prompt's).
            found = [(row, m) for row, line in enumerate(self.screen_lines or [])
                     for m in [re.search(pattern, line)] if m]
            if not found:
                self.problems.append(f"/{pattern}/ is not on the screen (for the cursor)")
                continue
            row, m = found[-1]
            if self.vga_cursor != (row, m.end()):
                self.problems.append(f"VGA cursor at (row, column) {self.vga_cursor}, expected "
                                     f"{(row, m.end())}: right after /{pattern}/")
            else:
                self.notes.append(f"VGA cursor right after /{pattern}/ at {(row, m.end())}")
        for row, attr in self.args.expect_vga_attr:
            row, attr = int(row, 0), int(attr, 0)
            got = self.screen_attrs[row] if self.screen_attrs and row < len(self.screen_attrs) else b""
            wrong = sorted({f"{a:#04x}" for a in got if a != attr})
            if not got or wrong:
                self.problems.append(f"VGA text row {row}: attributes {', '.join(wrong) or 'none'}"
                                     f", expected {attr:#04x} in every cell")
            else:
                self.notes.append(f"VGA text row {row}: attribute {attr:#04x} in every cell")

    def check_halt(self):
        # Long enough for a triple fault's reset (QEMU exits: -no-reboot) or
        # a reboot loop to show; every crash test waits it out.
        time.sleep(HALT_SETTLE)
        if self.proc.poll() is not None:
            self.problems.append("machine did not stay halted: " +
                                 describe_exit(self.proc.poll(), self.qemu_log()))
            return
        if self.monitor is None:
            self.monitor = Monitor(os.path.join(self.workdir, "mon.sock"), self.proc)
        # Every CPU, not only the monitor's current one: a panic stops all
        # of them. QEMU 7.2 prints "CPU#<n>" and then that CPU's registers,
        # HLT=1 among them once it is halted.
        for _ in range(10):
            regs = self.monitor.command("info registers -a")
            running = halted_cpus(regs)
            if running is not None and not running[1]:
                count = running[0]
                self.notes.append(f"machine halted (HLT=1 on all {count} CPU"
                                  f"{'s' if count != 1 else ''}), still running {HALT_SETTLE:g} s later")
                return
            time.sleep(0.1)
        with open(os.path.join(self.workdir, "registers.txt"), "w") as f:
            f.write(regs)
        if running is None:
            self.problems.append(f"machine still running {HALT_SETTLE:g} s later but 'info registers -a' "
                                 "named no CPU (see registers.txt)")
        else:
            self.problems.append(f"machine still running {HALT_SETTLE:g} s later but CPU "
                                 f"{', '.join(str(c) for c in running[1])} not halted (HLT=0 in "
                                 "'info registers -a', see registers.txt)")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                if self.monitor:
                    self.monitor.sock.sendall(b"quit\n")
                    self.proc.wait(2)
            except Exception:  # noqa: BLE001
                pass
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(3)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        if self.monitor:
            self.monitor.close()
        if self.com1:
            try:
                self.com1.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.com1.close()
        for channel in (self.qmp, self.serial_input):
            if channel:
                channel.close()

    def keep_logs(self, log_dir):
        if os.path.exists(log_dir):
            shutil.rmtree(log_dir)
        os.makedirs(log_dir)
        for name in sorted(os.listdir(self.workdir)):
            src = os.path.join(self.workdir, name)
            if name.endswith((".iso", ".sock")) or not os.path.isfile(src):
                continue
            shutil.copy(src, log_dir)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--iso", help="boot this ISO")
    src.add_argument("--kernel", help="build a variant ISO from this kernel ELF (tools/make_iso.py)")
    src.add_argument("--direct", metavar="ELF",
                     help="boot this kernel ELF with QEMU's -kernel (its PVH note): no GRUB, "
                     "no ISO; --cmdline becomes -append, one --module -initrd")
    src.add_argument("--null-kernel", action="store_true",
                     help="build and boot bench/null_kernel (prints 'ready' and halts): "
                     "checks the runner and QEMU setup without Keel")
    ap.add_argument("--cmdline", help="with --kernel: the kernel command line")
    ap.add_argument("--module", action="append", default=[], metavar="FILE[=STRING]",
                    help="with --kernel: a GRUB module (repeatable)")
    ap.add_argument("--generated-module", action="append", default=[], metavar="NAME:SIZE",
                    help="with --kernel: a module file NAME of SIZE bytes made for the run")
    ap.add_argument("--name", default="keel", help="test name, for messages and the log directory")
    ap.add_argument("--log-dir", help="where logs are kept on failure (and with --keep); "
                    "a stale one is removed when the test passes")
    ap.add_argument("--keep", action="store_true", help="keep the logs even when the run passes")
    ap.add_argument("--firmware", choices=("bios", "uefi"), default="bios")
    ap.add_argument("--ovmf", default=DEFAULT_OVMF, help="OVMF code image for --firmware uefi")
    ap.add_argument("--machine", default="pc", help="pc or q35 (default pc)")
    ap.add_argument("--memory", "-m", default="256M")
    ap.add_argument("--cpu", help="QEMU -cpu model (e.g. qemu32: no long mode)")
    ap.add_argument("--smp", default="1", help="QEMU -smp (e.g. 4, or 2,maxcpus=4)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds (default 60)")
    ap.add_argument("--expect", action="append", default=[], metavar="REGEX")
    ap.add_argument("--expect-screen", action="append", default=[], metavar="REGEX")
    ap.add_argument("--expect-text-attr", action="append", default=[], nargs=2,
                    metavar=("REGEX", "ATTR"))
    ap.add_argument("--expect-vga-attr", action="append", default=[], nargs=2,
                    metavar=("ROW", "ATTR"),
                    help="BIOS: every cell of VGA text row ROW has attribute ATTR "
                    "(e.g. 0 0x4f: white on red); checked with --expect-screen")
    ap.add_argument("--expect-vga-cursor-after", action="append", default=[],
                    metavar="REGEX",
                    help="BIOS: the VGA cursor is right after REGEX's last match on the "
                    "screen; checked with --expect-screen")
    ap.add_argument("--expect-range", action="append", default=[], nargs=3,
                    metavar=("REGEX", "MIN", "MAX"))
    ap.add_argument("--reject", action="append", default=[], metavar="REGEX")
    ap.add_argument("--expect-raw", action="append", default=[], metavar="REGEX")
    ap.add_argument("--reject-raw", action="append", default=[], metavar="REGEX")
    ap.add_argument("--type", action="append", default=[], nargs=2, metavar=("AFTER", "TEXT"))
    ap.add_argument("--expect-exit", type=int, metavar="N")
    ap.add_argument("--expect-halt", action="store_true")
    ap.add_argument("--ktap", action="store_true")
    ap.add_argument("--exit-within", nargs=2, metavar=("SECONDS", "REGEX"))
    ap.add_argument("--no-debug-exit", action="store_true")
    ap.add_argument("--allow-reboot", action="store_true")
    ap.add_argument("--powerdown-after", metavar="REGEX")
    ap.add_argument("--font", default=DEFAULT_FONT, help="PSF font for reading a framebuffer")
    ap.add_argument("--debugcon", action="store_true", help="log port 0xE9 to debugcon.log")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--send", action="append", default=[], metavar="ACTION",
                    help="qmp:JSON, serial:TEXT, sleep:SECONDS or screen:REGEX, once "
                    "--send-after appeared")
    ap.add_argument("--send-after", metavar="REGEX",
                    help="the COM1 line to wait for before the --send actions")
    ap.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                    help="extra QEMU argument (repeatable; use --qemu-arg=-foo)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print the QEMU command and COM1 as it arrives")
    ap.add_argument("--dump-screen", action="store_true",
                    help="print the screen as read at the end of the run")
    args = ap.parse_args(argv)
    if args.direct and os.environ.get("KEEL_DIRECT_AS_ISO") == "1":
        # Issue 13's benchmark: the suite with every direct boot going
        # through GRUB and a variant ISO again, as before the direct path
        # (bench/README.md, "The suite, direct against the ISO").
        args.kernel, args.direct = args.direct, None
    if not (args.kernel or args.direct) and (args.cmdline is not None or args.module
                                             or args.generated_module):
        ap.error("--cmdline and --module need --kernel (the ISO is built for the run) "
                 "or --direct")
    if args.direct and args.firmware != "bios":
        ap.error("--direct boots through SeaBIOS's PVH loader: --firmware bios only")
    if args.expect_vga_cursor_after and (args.firmware != "bios" or not args.expect_screen):
        ap.error("--expect-vga-cursor-after needs --firmware bios and an --expect-screen")
    if args.expect_vga_attr and (args.firmware != "bios" or not args.expect_screen):
        ap.error("--expect-vga-attr needs --firmware bios and an --expect-screen")
    if args.expect_text_attr and (args.firmware != "bios" or not args.expect_screen):
        ap.error("--expect-text-attr needs --firmware bios and an --expect-screen")
    if args.timeout <= 0:
        ap.error("--timeout must be positive")
    if args.exit_within and args.expect_exit is None:
        ap.error("--exit-within needs --expect-exit")
    if args.type and sends(args, "serial"):
        ap.error("--type and --send serial: both want COM1's input: use one")
    for action in args.send:
        kind, sep, value = action.partition(":")
        if not sep or kind not in ("qmp", "serial", "sleep", "screen"):
            ap.error(f"bad --send {action!r}: qmp:JSON, serial:TEXT, sleep:SECONDS or "
                     "screen:REGEX")
        if kind == "qmp":
            try:
                json.loads(value)
            except ValueError as e:
                ap.error(f"bad --send {action!r}: {e}")
    extra = [args.exit_within[1]] if args.exit_within else []
    extra += [args.powerdown_after] if args.powerdown_after else []
    extra += [args.send_after] if args.send_after else []
    for r in (args.expect + args.expect_screen + args.reject + extra +
              [r[0] for r in args.expect_range]):
        try:
            re.compile(r)
        except re.error as e:
            ap.error(f"bad regex {r!r}: {e}")
    return args


def main(argv):
    args = parse_args(argv)
    if shutil.which(args.qemu) is None:
        print(f"{args.name}: FAIL: {args.qemu} not found (sudo apt-get install qemu-system-x86)")
        return 1
    run = Run(args)
    elapsed = 0.0
    # A CTest timeout or Ctrl-C ends QEMU too.
    def on_sigterm(*_):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        elapsed = run.run()
        if args.dump_screen and run.proc.poll() is None and run.screen_lines is None:
            run.screen()
    except Failure as e:
        run.problems.append(str(e))
    except KeyboardInterrupt:
        run.problems.append("interrupted")
    if run.problems and run.proc is not None and run.proc.poll() is None:
        run.screen_image()
    run.stop()

    serial = run.serial()
    if args.dump_screen and run.screen_lines is not None:
        print("---- screen ----")
        print("\n".join(l.rstrip() for l in run.screen_lines).rstrip("\n"))
        print("----------------")
    for note in run.notes:
        print(f"{args.name}: {note}")
    def keep_dir():
        return args.log_dir or tempfile.mkdtemp(prefix=f"keel-qemu-{args.name}-logs-")
    if run.problems:
        if not args.verbose:
            tail = serial.rstrip("\n").split("\n")[-40:]
            print(f"---- last {len(tail)} lines of COM1 ----")
            print("\n".join(tail))
            print("----")
        if run.screen_lines is not None:
            print("---- screen ----")
            print("\n".join(l.rstrip() for l in run.screen_lines).rstrip("\n"))
            print("----")
        for p in run.problems:
            print(f"{args.name}: FAIL: {p}")
        kept = keep_dir()
        run.keep_logs(kept)
        print(f"{args.name}: logs kept in {kept}")
        result = 1
    else:
        if args.keep:
            kept = keep_dir()
            run.keep_logs(kept)
            print(f"{args.name}: logs kept in {kept}")
        elif args.log_dir and os.path.isdir(args.log_dir):
            shutil.rmtree(args.log_dir)  # a stale failure's logs
        print(f"{args.name}: PASS ({elapsed:.1f} s)")
        result = 0
    shutil.rmtree(run.workdir, ignore_errors=True)
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
