"""The runner's command line (keel_qemu.py): its options, and the checks
that turn a bad combination into a usage error before QEMU starts."""
import argparse
import json
import os
import re

DEFAULT_OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
DEFAULT_FONT = "/usr/share/consolefonts/Uni2-Terminus16.psf.gz"


def has_positive_check(args):
    """Whether the run names something that must happen for it to pass."""
    return bool(args.expect or args.expect_screen or args.expect_text_attr
                or args.expect_vga_attr or args.expect_vga_cursor_after or args.expect_range
                or args.expect_raw or args.expect_exit is not None or args.expect_halt
                or args.ktap or args.exit_within or args.check_pci)


def sends(args, kind):
    """The values of the --send actions of one kind (qmp, serial, ...)."""
    return [a.split(":", 1)[1] for a in args.send if a.startswith(kind + ":")]


def framebuffer_screen(args):
    """Whether the screen is a framebuffer (read by glyph matching) rather
    than VGA text: under UEFI, and under BIOS when GRUB sets a graphics mode."""
    return args.firmware == "uefi" or bool(args.gfxpayload)


def parse_args(argv, doc):
    """doc is keel_qemu.py's docstring: its first paragraph describes the
    runner, the rest is the help's epilog (what each check means)."""
    ap = argparse.ArgumentParser(
        description=doc.split("\n\n")[0], epilog=doc.split("\n\n", 1)[1],
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
    ap.add_argument("--generated-module", action="append", default=[],
                    metavar="NAME:SIZE[=STRING]",
                    help="with --kernel: a module file NAME of SIZE bytes made for the run")
    ap.add_argument("--acpi-module", action="append", default=[], metavar="SIG:HEX",
                    help="with --kernel: a module holding a whole ACPI table (SIG, the body "
                    "HEX after the 36-byte header, which is made with its checksum), command "
                    "line 'acpi-table': the kernel uses it instead of the firmware's table")
    ap.add_argument("--gfxpayload", metavar="WxHxD",
                    help="with --kernel under BIOS: GRUB hands the kernel a VBE framebuffer "
                    "of this mode (e.g. 1024x768x32) instead of VGA text")
    ap.add_argument("--name", help="test name, for messages and the log directory; a named "
                    "run is a test and needs a check that must appear (--expect, --ktap, ...)")
    ap.add_argument("--log-dir", help="where logs are kept on failure (and with --keep); "
                    "a stale one is removed when the test passes")
    ap.add_argument("--keep", action="store_true", help="keep the logs even when the run passes")
    ap.add_argument("--firmware", choices=("bios", "uefi"), default="bios")
    ap.add_argument("--ovmf", default=DEFAULT_OVMF, help="OVMF code image for --firmware uefi")
    ap.add_argument("--machine", default="pc", help="pc or q35 (default pc)")
    ap.add_argument("--memory", "-m", default="256M")
    ap.add_argument("--cpu", help="QEMU -cpu model (e.g. qemu32: no long mode)")
    ap.add_argument("--smp", default="1", help="QEMU -smp (e.g. 4, or 2,maxcpus=4)")
    ap.add_argument("--thread-per-vcpu", action="store_true",
                    help="a host thread per vCPU even when the vCPUs outnumber the host's cores "
                    "(a boot of very many CPUs, not a lock test: one thread taking 255 vCPUs "
                    "in turn took 200 s to start them, a thread each 8 s)")
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
    ap.add_argument("--check-pci", action="store_true",
                    help="once COM1 shows what was expected, the kernel's `pci BB:DD.F` lines "
                    "must list what QEMU's `info pci` does: the same functions, IDs and BAR sizes")
    ap.add_argument("--ktap", action="store_true")
    ap.add_argument("--exit-within", nargs=2, metavar=("SECONDS", "REGEX"))
    ap.add_argument("--no-debug-exit", action="store_true")
    ap.add_argument("--allow-reboot", action="store_true")
    ap.add_argument("--powerdown-after", metavar="REGEX")
    ap.add_argument("--font", default=DEFAULT_FONT, help="PSF font for reading a framebuffer")
    ap.add_argument("--debugcon", action="store_true", help="log port 0xE9 to debugcon.log")
    ap.add_argument("--no-com1", action="store_true",
                    help="a machine without COM1; the checks read the debug console (0xE9)")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--send", action="append", default=[], metavar="ACTION",
                    help="qmp:JSON, serial:TEXT, sleep:SECONDS or screen:REGEX, once "
                    "--send-after appeared")
    ap.add_argument("--send-after", metavar="REGEX",
                    help="the COM1 line to wait for before the --send actions")
    ap.add_argument("--acpi-table", action="append", default=[], metavar="SIG:HEX",
                    help="add an ACPI table: its signature and its body after the header, in hex")
    ap.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                    help="extra QEMU argument (repeatable; use --qemu-arg=-foo)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print the QEMU command and COM1 as it arrives")
    ap.add_argument("--dump-screen", action="store_true",
                    help="print the screen as read at the end of the run")
    args = ap.parse_args(argv)
    if args.name is not None and not has_positive_check(args):
        # A test that only rejects (or only types) passes when the kernel
        # hangs, or when a CMake list split swallowed its --expect into the
        # text typed before it.
        ap.error(f"{args.name}: a test needs a check that must appear (--expect, "
                 "--expect-screen, --expect-raw, --ktap, --expect-exit, --expect-halt, ...); "
                 "--reject and --type alone would pass on a kernel that hangs")
    args.name = args.name or "keel"
    for flag, specs in (("--acpi-table", args.acpi_table), ("--acpi-module", args.acpi_module)):
        for spec in specs:
            sig, _, body = spec.partition(":")
            try:
                bytes.fromhex(body)
            except ValueError:
                ap.error(f"{flag} {spec!r}: the body after SIG: must be hex")
            if len(sig) != 4:
                ap.error(f"{flag} {spec!r}: a signature has four characters")
    if args.direct and os.environ.get("KEEL_DIRECT_AS_ISO") == "1":
        # Issue 13's benchmark: the suite with every direct boot going
        # through GRUB and a variant ISO again, as before the direct path
        # (bench/README.md, "The suite, direct against the ISO"). With the
        # kernel those boots had: the ISO's copy of keel.elf, without its
        # debug information (GRUB reads every byte of the file).
        boot_copy = os.path.join(os.path.dirname(args.direct), "keel-boot.elf")
        if os.path.basename(args.direct) == "keel.elf" and os.path.isfile(boot_copy):
            args.direct = boot_copy
        args.kernel, args.direct = args.direct, None
    if not (args.kernel or args.direct) and (args.cmdline is not None or args.module
                                             or args.generated_module
                                             or args.acpi_module):
        ap.error("--cmdline and --module need --kernel (the ISO is built for the run) "
                 "or --direct")
    if args.gfxpayload and (not args.kernel or args.firmware != "bios"):
        ap.error("--gfxpayload needs --kernel (the ISO is built for the run) and --firmware bios")
    if args.gfxpayload and not re.fullmatch(r"[0-9]+x[0-9]+x[0-9]+", args.gfxpayload):
        ap.error(f"--gfxpayload wants WIDTHxHEIGHTxDEPTH, not {args.gfxpayload!r}")
    if args.direct and args.firmware != "bios":
        ap.error("--direct boots through SeaBIOS's PVH loader: --firmware bios only")
    for flag, given in (("--expect-vga-cursor-after", args.expect_vga_cursor_after),
                        ("--expect-vga-attr", args.expect_vga_attr),
                        ("--expect-text-attr", args.expect_text_attr)):
        if given and (framebuffer_screen(args) or not args.expect_screen):
            ap.error(f"{flag} needs the VGA text screen (BIOS, no --gfxpayload) and "
                     "an --expect-screen")
    if args.timeout <= 0:
        ap.error("--timeout must be positive")
    if args.exit_within and args.expect_exit is None:
        ap.error("--exit-within needs --expect-exit")
    if args.no_com1 and (args.type or sends(args, "serial") or args.debugcon):
        ap.error("--no-com1 has no COM1 to type on, and its log is the debug console")
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
