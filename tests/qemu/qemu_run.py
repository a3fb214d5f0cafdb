"""One boot (keel_qemu.py): starts QEMU, watches COM1 until the outcome is
known, judges what COM1 showed and how QEMU ended, then stops QEMU and
keeps the logs. Sending input (run_input.py) and the checks through the
monitor (run_checks.py) are mixins: all three share one run's state (the
process, its work directory, the problems and notes found)."""
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from ktap import check_ktap
from qemu_command import boot_iso, qemu_command
from qemu_monitor import POLL, Failure, Monitor
from qemu_state import describe_exit, read_text
from run_checks import RunChecks
from run_input import RunInput, typed_bytes

# Colours on COM1 (ECMA-48 SGR: ESC [ params m), removed before matching.
ANSI_SGR = re.compile(r"\x1b\[[0-9;]*m")


class Run(RunInput, RunChecks):
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

    def raw_serial(self):
        return read_text(os.path.join(self.workdir, "serial.log"))

    def serial(self):
        return ANSI_SGR.sub("", self.raw_serial())

    def qemu_log(self):
        return read_text(os.path.join(self.workdir, "qemu.log"))

    def start(self):
        """Builds what the boot needs, starts QEMU; returns the run's deadline."""
        a = self.args
        iso = boot_iso(a, self.workdir)
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
        return deadline

    def run(self):
        a = self.args
        deadline = self.start()
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
        if self.proc.poll() is None and not self.problems and a.check_pci:
            self.check_pci()
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
