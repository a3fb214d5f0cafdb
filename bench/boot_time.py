#!/usr/bin/env python3
"""Boot-time benchmark: Keel against a kernel that does nothing.

  python3 bench/boot_time.py --build-dir build [--runs 5] [--uefi] [--direct] [--no-build-time]

Boots build/keel.iso and the null kernel (bench/null_kernel: a Multiboot2
header and 32-bit code that prints "ready" on COM1 and halts, packaged by the
same tools/make_iso.py) alternately in QEMU (TCG, the boot tests' machine),
and measures the wall time from starting QEMU to the ready marker on COM1
("ready in" for Keel, "ready" for the null kernel). Both include QEMU's
start, the firmware and GRUB, so the ratio keel/null shows what Keel itself
adds to a boot; the goal is at most 1.25. --uefi measures OVMF as well.

--direct measures the PVH path as well: build/keel.elf and the null
kernel's ELF (it carries a PVH note too) booted by QEMU's -kernel, no
firmware boot menu, no GRUB, no CD. It prints their ratio (goal: at most
1.5) and the direct path against the ISO path, all from the same run.

It also prints the ISO sizes and, unless --no-build-time, the clean build
time of the kernel and ISO (configure + build in a temporary directory).
Python standard library only; needs clang, lld, GRUB, xorriso and QEMU.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "null_kernel"))
import build as null_kernel  # noqa: E402
import com1  # noqa: E402

OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
GOAL = 1.25
DIRECT_GOAL = 1.5


def boot_once(iso, marker, firmware, memory, timeout):
    """Seconds from starting QEMU to `marker` on COM1, and COM1's text.
    `iso` is an ISO, or with firmware "direct" an ELF for -kernel (PVH)."""
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-m", memory,
           "-no-reboot", "-display", "none", "-nic", "none", "-monitor", "none",
           "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    cmd += ["-kernel", iso] if firmware == "direct" else ["-cdrom", iso, "-boot", "d"]
    if firmware == "uefi":
        cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={OVMF}"]
    return com1.run_until(cmd, marker, timeout, os.path.basename(iso))


def fmt(values):
    return (f"{statistics.median(values):6.3f} s  [{min(values):.3f} .. {max(values):.3f}]")


def measure(firmware, keel_iso, null_iso, runs, memory, timeout):
    keel, null, reported = [], [], []
    boot_once(null_iso, r"^ready", firmware, memory, timeout)  # warm the page cache
    # "ready in N us", or "ready (boot time unknown...)" when a loaded host
    # disturbed every PIT window of the TSC calibration.
    boot_once(keel_iso, r"^ready", firmware, memory, timeout)
    for i in range(runs):
        order = [("keel", keel_iso), ("null", null_iso)]
        if i % 2:
            order.reverse()
        for name, iso in order:
            if name == "keel":
                seconds, text = boot_once(iso, r"^ready", firmware, memory, timeout)
                keel.append(seconds)
                m = re.search(r"ready in ([0-9]+) us", text)
                if m:
                    reported.append(int(m.group(1)))
            else:
                seconds, _ = boot_once(iso, r"^ready", firmware, memory, timeout)
                null.append(seconds)
    ratio = statistics.median(keel) / statistics.median(null)
    label = {"bios": "BIOS (SeaBIOS)", "uefi": "UEFI (OVMF)",
             "direct": "direct (QEMU -kernel, PVH, SeaBIOS)"}[firmware]
    goal = DIRECT_GOAL if firmware == "direct" else GOAL
    print(f"\nboot to ready, {label}, {runs} runs each, median [min .. max]:")
    print(f"  keel  {fmt(keel)}" + (f"   (the kernel reports ready in "
                                    f"{int(statistics.median(reported))} us)" if reported else ""))
    print(f"  null  {fmt(null)}")
    verdict = "ok" if ratio <= goal else "OVER THE GOAL"
    print(f"  ratio keel/null {ratio:.3f}  (goal <= {goal}: {verdict})")
    measure.keel_medians[firmware] = statistics.median(keel)
    return ratio


measure.keel_medians = {}


def clean_build_time(jobs):
    with tempfile.TemporaryDirectory(prefix="keel-bench-build-") as tmp:
        t0 = time.monotonic()
        subprocess.run(["cmake", "-S", REPO, "-B", tmp, "-DBUILD_TESTING=OFF"], check=True,
                       stdout=subprocess.DEVNULL)
        t1 = time.monotonic()
        subprocess.run(["cmake", "--build", tmp, "--target", "iso", "--parallel", str(jobs)],
                       check=True, stdout=subprocess.DEVNULL)
        t2 = time.monotonic()
    return t1 - t0, t2 - t1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build"),
                    help="a configured build directory (its keel.iso is built if missing)")
    ap.add_argument("--iso", help="boot this ISO instead of <build-dir>/keel.iso")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--uefi", action="store_true", help="measure OVMF too")
    ap.add_argument("--direct", action="store_true",
                    help="measure the PVH path too (keel.elf and null.elf by -kernel)")
    ap.add_argument("--memory", default="256M")
    ap.add_argument("--timeout", type=float, default=60.0, help="per boot, seconds")
    ap.add_argument("--no-build-time", action="store_true",
                    help="skip the clean build (configure + build in a temporary directory)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if not shutil.which("qemu-system-x86_64"):
        sys.exit("qemu-system-x86_64 not found: tools/setup-deps")

    iso = args.iso or os.path.join(args.build_dir, "keel.iso")
    if not args.iso:
        if os.path.isfile(os.path.join(args.build_dir, "CMakeCache.txt")):
            subprocess.run(["cmake", "--build", args.build_dir, "--target", "iso"], check=True,
                           stdout=subprocess.DEVNULL)
        elif not os.path.isfile(iso):
            sys.exit(f"{iso} not found: configure and build first "
                     f"(cmake -S . -B {args.build_dir} && cmake --build {args.build_dir})")

    ratios = {}
    with tempfile.TemporaryDirectory(prefix="keel-bench-") as tmp:
        _, null_iso = null_kernel.build(tmp)
        print(f"keel ISO: {iso}, {os.path.getsize(iso) / 1024:.0f} KiB")
        print(f"null ISO: {os.path.getsize(null_iso) / 1024:.0f} KiB (GRUB alone, the floor)")
        build = os.path.dirname(iso)
        for name, what in (("keel.elf", "as built, with debug information, for GDB"),
                           ("keel-boot.elf", "in the ISO: debug information stripped, "
                            "symbols kept")):
            if os.path.isfile(os.path.join(build, name)):
                size = os.path.getsize(os.path.join(build, name))
                print(f"{name}: {size / 1024:.0f} KiB ({what})")
        ratios["bios"] = measure("bios", iso, null_iso, args.runs, args.memory, args.timeout)
        if args.uefi:
            if not os.path.isfile(OVMF):
                sys.exit(f"{OVMF} not found: tools/setup-deps")
            ratios["uefi"] = measure("uefi", iso, null_iso, args.runs, args.memory, args.timeout)
        if args.direct:
            elf = os.path.join(build, "keel.elf")
            if not os.path.isfile(elf):
                sys.exit(f"{elf} not found: cmake --build {build} --target kernel")
            null_elf = os.path.join(tmp, "null.elf")
            ratios["direct"] = measure("direct", elf, null_elf, args.runs, args.memory,
                                       args.timeout)
            medians = measure.keel_medians
            print("\nkeel's boot to ready, the direct path against the ISO path(s):")
            for name in ("bios", "uefi"):
                if name in medians:
                    print(f"  {name}/direct {medians[name] / medians['direct']:.2f}x "
                          f"({medians[name]:.3f} s against {medians['direct']:.3f} s)")

    if not args.no_build_time:
        configure, build = clean_build_time(args.jobs)
        print(f"\nclean build of the kernel and ISO ({args.jobs} jobs): configure {configure:.1f} s"
              f" + build {build:.1f} s = {configure + build:.1f} s")
    over = [k for k, r in ratios.items() if r > (DIRECT_GOAL if k == "direct" else GOAL)]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
