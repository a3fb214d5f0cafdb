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
whose path is printed. Python standard library only. Its parts, next to
it: the command line (run_args.py), what QEMU is started with
(qemu_command.py), one boot's run loop and verdict (qemu_run.py), the input
it sends (run_input.py), the checks through the monitor (run_checks.py),
reading QEMU's logs and exit (qemu_state.py), the channels into QEMU
(qemu_monitor.py), reading the screen (screen.py) and the KTAP report
(ktap.py).
"""
import os
import shutil
import signal
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Besides what main needs, the parts' names are re-exported as they were
# when this was one file: test_keel_qemu.py and tests/bochs/run_bochs.py
# (and scripts written against the one file) reach them through here.
from ktap import KTAP_RESULT, check_ktap  # noqa: E402,F401
from qemu_command import (MAKE_ISO, REPO, build_variant_iso, direct_boot_args,  # noqa: E402,F401
                          module_files, qemu_command, tcg_accel)
from qemu_monitor import (POLL, Failure, Monitor, Qmp, SerialInput, connect_unix,  # noqa: E402,F401
                          log_socket)
from qemu_run import ANSI_SGR, Run  # noqa: E402,F401
from qemu_state import describe_exit, halted_cpus, read_text  # noqa: E402,F401
from run_args import DEFAULT_FONT, DEFAULT_OVMF, sends  # noqa: E402,F401
from run_args import parse_args as parse_run_args  # noqa: E402
from run_checks import HALT_SETTLE  # noqa: E402,F401
from run_input import typed_bytes  # noqa: E402,F401
from screen import (VGA_COLS, VGA_CRTC_INDEX, VGA_ROWS, VGA_TEXT_BASE,  # noqa: E402,F401
                    VGA_TEXT_WINDOW, Font, cp437, hmp_port_byte, ocr_framebuffer, parse_ppm,
                    read_vga_text, vga_crtc)


def parse_args(argv):
    """The options (run_args.py), with this docstring as their --help."""
    return parse_run_args(argv, __doc__)


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
