"""What the in-kernel benchmarks' scripts share (alloc.py, console.py,
irq.py, smp.py): their common options, finding and building the kernel, and
the QEMU command line of a direct (PVH) boot. Each script adds only its
kernel option, what it reads on COM1 and how it reports."""
import argparse
import os
import shutil
import subprocess
import sys

import com1

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))


def parser(doc, timeout):
    """The options every benchmark takes; the script's docstring is its help
    (first paragraph the description, the rest the epilog)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                 epilog=doc.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build"),
                    help="a configured build directory (its keel.elf is built first)")
    ap.add_argument("--elf", help="boot this kernel ELF instead of <build-dir>/keel.elf")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory", default="256M")
    ap.add_argument("--timeout", type=float, default=timeout, help="per boot, seconds")
    return ap


def kernel_elf(ap, args):
    """The ELF to boot: --elf, else <build-dir>/keel.elf built first when the
    folder is configured. Exits with the command to run when QEMU or the
    kernel is missing."""
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if not shutil.which("qemu-system-x86_64"):
        sys.exit("qemu-system-x86_64 not found: tools/setup-deps")
    if args.elf:
        return args.elf
    elf = os.path.join(args.build_dir, "keel.elf")
    if os.path.isfile(os.path.join(args.build_dir, "CMakeCache.txt")):
        subprocess.run(["cmake", "--build", args.build_dir, "--target", "kernel"],
                       check=True, stdout=subprocess.DEVNULL)
    if not os.path.isfile(elf):
        sys.exit(f"{elf} not found: configure and build first")
    return elf


def direct_boot(elf, cmdline, machine="pc", memory="256M", smp=1):
    """QEMU booting `elf` through its PVH note, COM1 on stdout (com1.run_until)."""
    return ["qemu-system-x86_64", "-accel", "tcg", "-machine", machine, "-m", memory,
            "-smp", str(smp), "-no-reboot", "-display", "none", "-nic", "none",
            "-monitor", "none", "-serial", "stdio", "-kernel", elf, "-append", cmdline]


def smp_parser(doc, timeout):
    """parser() plus --smp (default 4) and --machine (default pc)."""
    ap = parser(doc, timeout)
    ap.add_argument("--smp", type=int, default=4, help="CPUs (default 4)")
    ap.add_argument("--machine", default="pc")
    return ap


def collect(runs, boot_once, parse, tag=""):
    """Boots `runs` times: boot_once() returns COM1's text, parse(text) the
    boot's figures (empty: no report) and the kernel's warnings, which are
    printed. Returns (figures of each boot, whether a boot gave none)."""
    boots, failed = [], False
    for _ in range(runs):
        figures, warnings = parse(boot_once())
        for w in warnings:
            print(f"  {tag}the kernel says: {w}")
        failed = failed or not figures
        boots.append(figures)
    return boots, failed


def boot_report(elf, name, args):
    """COM1's text of a direct boot with bench=<name> (args: --machine,
    --memory, --smp, --timeout), up to the report's last line, which every
    in-kernel benchmark ends with `bench: <name> done` or `... not run`."""
    cmd = direct_boot(elf, f"bench={name}", args.machine, args.memory, args.smp)
    _, text = com1.run_until(cmd, rf"^(warning: )?bench: {name} (done|not run)", args.timeout,
                             args.machine)
    return text


def run_smp_bench(doc, name, timeout, parse, report):
    """The whole main() of a bench=<name> script on --smp CPUs: the options,
    the kernel, --runs boots parsed by parse(text), then report(boots, args).
    Exit status 1 when a boot gave no report."""
    ap = smp_parser(doc, timeout)
    args = ap.parse_args()
    if args.smp < 1:
        ap.error("--smp must be at least 1")
    elf = kernel_elf(ap, args)
    boots, failed = collect(args.runs, lambda: boot_report(elf, name, args), parse)
    report(boots, args)
    return 1 if failed else 0
