"""The checks a run makes through QEMU's monitor once COM1 has shown what
was expected (keel_qemu.py's Run): the screen's text (VGA text buffer or
framebuffer), its colours and cursor, and that every CPU stays halted. A
mixin of Run: it shares the run's QEMU process, monitor and results."""
import os
import re
import time

import pci_compare
from qemu_monitor import Failure, Monitor
from qemu_state import describe_exit, halted_cpus
from run_args import framebuffer_screen
from screen import Font, ocr_framebuffer, read_vga_text

HALT_SETTLE = 0.5  # seconds a halted machine must stay so (--expect-halt)


class RunChecks:
    """Needs from Run: args, workdir, proc, monitor, font, screen_lines,
    screen_attrs, vga_cursor, problems and notes."""

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

    def check_pci(self):
        """--check-pci: the kernel's PCI report against QEMU's `info pci`."""
        if self.monitor is None:
            self.monitor = Monitor(os.path.join(self.workdir, "mon.sock"), self.proc)
        text = self.monitor.command("info pci")
        with open(os.path.join(self.workdir, "info-pci.txt"), "w") as f:
            f.write(text)
        qemu = pci_compare.parse_qemu(text)
        problems = pci_compare.compare(qemu, pci_compare.parse_kernel(self.serial()))
        if not qemu:
            problems.append("QEMU's info pci listed no function")
        self.problems += problems
        if not problems:
            self.notes.append(f"pci: the {len(qemu)} functions of QEMU's info pci, "
                              "with their IDs and BAR sizes")

    def screen(self, tag="screen"):
        """Reads the screen now; returns its lines (and saves them)."""
        if self.monitor is None:
            self.monitor = Monitor(os.path.join(self.workdir, "mon.sock"), self.proc)
        ppm = os.path.join(self.workdir, tag + ".ppm")
        if framebuffer_screen(self.args):
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
            self.screen()  # screen.txt (and screen.ppm from a framebuffer)
            if not framebuffer_screen(self.args):
                self.monitor.command(f'screendump "{os.path.join(self.workdir, "screen.ppm")}"')
        except Exception:  # noqa: BLE001 - a missing picture must not hide the failure
            pass

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
