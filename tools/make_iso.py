#!/usr/bin/env python3
"""Packages the kernel into a hybrid BIOS + UEFI ISO with grub-mkrescue.

Used by the `iso` build target and by the QEMU tests, which boot the same
kernel with other command lines or GRUB modules.

  make_iso.py --kernel keel.elf --output keel.iso [--cmdline "test"]
              [--module FILE[=STRING]]... [--menu-timeout SECONDS]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "..", "iso", "grub.cfg")

# Only what grub.cfg uses (serial and terminal: the --menu variant's COM1
# terminal): the ISO stays small and boots fast. The core image
# grub-mkrescue builds already holds the CD/ISO9660 drivers.
GRUB_MODULES = ("normal serial terminal terminfo echo sleep true multiboot2 test all_video part_acorn part_amiga part_apple part_bsd part_dfly "
                "part_dvh part_gpt part_msdos part_plan part_sun part_sunpc")


def grub_quote(text):
    """Quotes text for grub.cfg: single quotes, with ' written as '\\''."""
    return "'" + text.replace("'", "'\\''") + "'"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--module", action="append", default=[],
                    help="FILE or FILE=STRING (STRING is the module's command line)")
    ap.add_argument("--gfxpayload", metavar="WxHxD",
                    help="under BIOS, have GRUB set this VBE mode (e.g. 1024x768x32) and hand "
                    "the kernel a framebuffer instead of VGA text (UEFI always has one)")
    ap.add_argument("--menu-timeout", type=int, default=0, metavar="SECONDS",
                    help="show GRUB's menu for SECONDS, on the screen and COM1 (0: boot at once)")
    args = ap.parse_args()
    if args.menu_timeout < 0:
        ap.error(f"--menu-timeout must be 0 or more seconds, not {args.menu_timeout}")

    mkrescue = shutil.which("grub-mkrescue")
    if not mkrescue:
        sys.exit("grub-mkrescue not found: sudo apt-get install grub-common grub-pc-bin "
                 "grub-efi-amd64-bin xorriso mtools")

    with tempfile.TemporaryDirectory(prefix="keel-iso-") as root:
        os.makedirs(os.path.join(root, "boot", "grub"))
        os.makedirs(os.path.join(root, "boot", "modules"))
        shutil.copy(args.kernel, os.path.join(root, "boot", "keel.elf"))
        module_lines = []
        for i, spec in enumerate(args.module):
            path, _, string = spec.partition("=")
            name = f"{i}-{os.path.basename(path)}"
            shutil.copy(path, os.path.join(root, "boot", "modules", name))
            string = string or os.path.basename(path)
            module_lines.append(f"    module2 /boot/modules/{name} {grub_quote(string)}")
        cfg = open(TEMPLATE).read()
        # One GRUB word per command-line word: GRUB joins them with single
        # spaces, so the kernel sees the line as written. (A word holding a
        # space would come back wrapped in quotes: GRUB re-quotes it.)
        cmdline_words = " ".join(grub_quote(word) for word in args.cmdline.split())
        cfg = cfg.replace("@KEEL_CMDLINE@", cmdline_words)
        cfg = cfg.replace("@KEEL_MODULES@", "\n".join(module_lines))
        cfg = cfg.replace("@KEEL_TIMEOUT@", str(args.menu_timeout))
        bios_mode = "text"
        if args.gfxpayload:
            # all_video holds the VBE driver GRUB needs to set the mode.
            bios_mode = args.gfxpayload
            cfg = cfg.replace("@KEEL_BIOS_VIDEO@", "insmod all_video")
        cfg = cfg.replace("@KEEL_BIOS_VIDEO@", "")
        cfg = cfg.replace("@KEEL_BIOS_GFXPAYLOAD@", bios_mode)
        # Only with a menu: GRUB then also writes to COM1, which boot tests
        # without one must not see before the kernel's log.
        terminal = ""
        if args.menu_timeout > 0:
            terminal = ("serial --unit=0 --speed=115200\n"
                        "terminal_input console serial\n"
                        "terminal_output console serial")
        cfg = cfg.replace("@KEEL_MENU_TERMINAL@", terminal)
        # surrogateescape: a command line that is not UTF-8 (argv bytes Python
        # could not decode) goes into grub.cfg byte for byte; the kernel
        # escapes what is not printable when it logs it.
        with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w", encoding="utf-8",
                  errors="surrogateescape") as f:
            f.write(cfg)
        # No --compress: xz made each image take a second longer to build
        # (the tests build about thirty) to save half a MiB.
        cmd = [mkrescue, "-o", args.output, f"--install-modules={GRUB_MODULES}",
               "--fonts=", "--locales=", "--themes=", root]
        result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout)
            sys.exit(f"grub-mkrescue failed ({result.returncode}); is xorriso installed? "
                     "sudo apt-get install xorriso mtools")


if __name__ == "__main__":
    main()
