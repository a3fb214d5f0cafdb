#!/usr/bin/env python3
"""Where the kernel's own boot time goes: `ready in` and its phases.

  python3 bench/ready.py --build-dir build [--runs 5] [--memory 256M]

Issue #10's goal is at most 10 ms from the trampoline's first instruction
to `ready` under QEMU TCG with 256 MiB. The kernel measures that span
itself with the TSC (`ready in N us`), and with loglevel=debug it also
logs `boot phases: trampoline .. us, CPU tables .. us, ...`: each init
phase from its start to the next one's (src/kernel/phase_times.hpp).

Boots <build-dir>/keel.elf directly (PVH: the span measured starts in the
kernel, so the firmware and GRUB would only add waiting) in two clocks:

  - wall: plain TCG, the TSC following the host's clock. This is what the
    goal is about, and on a loaded host it is inflated by every time slice
    QEMU does not get; run it on a quiet machine.
  - guest: TCG with `-icount shift=0,sleep=off`, one instruction per
    nanosecond of virtual time: independent of the host's load, it counts
    the kernel's instructions and the time it waits on purpose (the
    calibration windows). Reproducible, so the number to compare before
    and after a change, and the phase breakdown is taken here.

Each clock's `ready in` median over --runs boots (info level: debug's extra
lines cost time too), the goal, and the phases at debug level side by side:
one guest-clock boot and the per-phase median of --runs wall-clock boots.
A phase far slower in wall time than in guest time is paying for what TCG
does besides running instructions: translating code the first time it runs,
and calling into device models on every port or MMIO access.
--cmdline adds kernel options to every boot (e.g. console=serial, to take
the VGA console out of the comparison). Exit status 1 when a boot gives no
`ready in`. Python standard library only; needs QEMU.

Last, where the wall clock goes (--no-translation skips it): one boot
with QEMU's `-d in_asm` counts the distinct blocks of kernel code TCG
translates before `ready` (up to init::report_ready, found with nm), and
the null kernel is booted --probe-runs times (9) beside a copy of itself with 4000
more blocks of straight code (bench/null_kernel, NULL_BLOCKS): the
difference over 4000 is what translating one block costs on this host,
now. Their product is the part of the wall-clock `ready in` that no
change to the kernel's instructions can remove, only running less
distinct code before `ready`.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import com1  # noqa: E402
import kernel_bench  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "null_kernel"))
import build as null_kernel  # noqa: E402

GOAL_US = 10_000
READY = re.compile(r"^ready in (\d+) us", re.M)
PHASES = re.compile(r"^debug: boot phases: (.*)$", re.M)


def boot(elf, memory, icount, cmdline, timeout):
    cmd = kernel_bench.direct_boot(elf, cmdline, memory=memory)
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    _, text = com1.run_until(cmd, r"^ready in \d+ us", timeout, os.path.basename(elf))
    return text


def phases_of(text):
    """[(phase, us)] of a debug boot's `boot phases:` line ([] without one)."""
    m = PHASES.search(text)
    if not m:
        return []
    out = []
    for part in m.group(1).split(", "):
        name, us = re.fullmatch(r"(.*) (\d+) us", part).groups()
        out.append((name, int(us)))
    return out


def boots(args, elf, icount, cmdline):
    texts = []
    for _ in range(args.runs):
        try:
            texts.append(boot(elf, args.memory, icount, cmdline, args.timeout))
        except RuntimeError as e:
            sys.exit(f"ready.py: {e}")
    return texts


PROBE_BLOCKS = 4000
KERNEL_BASE = 0xFFFF_FFFF_8000_0000  # the higher half: the kernel's own code
TB_START = re.compile(r"^IN:")
TB_ADDRESS = re.compile(r"^0x([0-9a-f]+):")


def symbol_address(elf, name):
    """The address of function `name` (as `nm -C` prints it), or None."""
    nm = shutil.which("llvm-nm") or shutil.which("nm")
    if nm is None:
        return None
    out = subprocess.run([nm, "-C", "--defined-only", elf], capture_output=True, text=True)
    for line in out.stdout.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    return None


def kernel_blocks(elf, memory, timeout):
    """Distinct blocks of kernel code TCG translates before report_ready()."""
    ready = symbol_address(elf, "init::report_ready()")
    if ready is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "in_asm.log")
        cmd = kernel_bench.direct_boot(elf, "", memory=memory) + ["-d", "in_asm", "-D", log]
        com1.run_until(cmd, r"^ready in \d+ us", timeout, os.path.basename(elf))
        blocks = set()
        at_start = False
        with open(log, errors="replace") as f:
            for line in f:
                if TB_START.match(line):
                    at_start = True
                    continue
                m = TB_ADDRESS.match(line) if at_start else None
                if m:
                    at_start = False
                    address = int(m.group(1), 16)
                    if address == ready:
                        return len(blocks)
                    if address >= KERNEL_BASE:
                        blocks.add(address)
    return None


def block_cost_us(runs, timeout):
    """Microseconds TCG takes to translate one block here: the null kernel
    and its PROBE_BLOCKS copy, booted alternately, medians compared."""
    with tempfile.TemporaryDirectory() as tmp:
        null_elf, _ = null_kernel.build(tmp, iso=False)
        probe_elf, _ = null_kernel.build(tmp, blocks=PROBE_BLOCKS)
        times = {null_elf: [], probe_elf: []}
        for i in range(runs):
            # Each goes first every other time, as boot_time.py's pairs.
            for elf in list(times) if i % 2 == 0 else list(times)[::-1]:
                seconds, _ = com1.run_until(kernel_bench.direct_boot(elf, ""), r"^ready",
                                            timeout, os.path.basename(elf))
                times[elf].append(seconds)
    null_s = statistics.median(times[null_elf])
    probe_s = statistics.median(times[probe_elf])
    return (probe_s - null_s) * 1e6 / PROBE_BLOCKS, null_s, probe_s


def report_translation(args, elf, wall_us):
    blocks = kernel_blocks(elf, args.memory, args.timeout)
    if blocks is None:
        print("  translation: no init::report_ready in the ELF's symbols (or no nm): skipped")
        return
    runs = args.probe_runs
    per_block, null_s, probe_s = block_cost_us(runs, args.timeout)
    spent_ms = blocks * per_block / 1000
    print(f"  translation: {blocks} distinct blocks of kernel code before ready; this host "
          f"translates one in {per_block:.1f} us")
    print(f"    (null kernel {null_s * 1000:.1f} ms, with {PROBE_BLOCKS} more blocks "
          f"{probe_s * 1000:.1f} ms; medians of {runs})")
    print(f"    {blocks} x {per_block:.1f} us = {spent_ms:.1f} ms of the wall clock's "
          f"{wall_us / 1000:.1f} ms: the floor for this much distinct code")


def main():
    ap = kernel_bench.parser(__doc__, timeout=60.0)
    ap.set_defaults(runs=5)
    ap.add_argument("--cmdline", default="", help="kernel options added to every boot")
    ap.add_argument("--no-translation", action="store_true",
                    help="skip counting translated blocks and measuring their cost")
    ap.add_argument("--probe-runs", type=int, default=9,
                    help="boots of each of the null kernel and its probe (default 9)")
    args = ap.parse_args()
    elf = kernel_bench.kernel_elf(ap, args)
    extra = f" {args.cmdline}" if args.cmdline else ""

    print(f"ready.py: {args.runs} direct boots of {elf} per clock, -m {args.memory}"
          f"{', options:' + extra if extra else ''}")
    medians = {}
    for name, icount in (("wall", False), ("guest", True)):
        times = [int(READY.search(t).group(1)) for t in boots(args, elf, icount, args.cmdline)]
        med = statistics.median(times)
        medians[name] = med
        print(f"  {name:5} clock: ready in {med / 1000:7.2f} ms median "
              f"[{min(times) / 1000:.2f} .. {max(times) / 1000:.2f}]  "
              f"({med / GOAL_US:.2f}x the 10 ms goal)")
    debug = "loglevel=debug" + extra
    guest = phases_of(boot(elf, args.memory, True, debug, args.timeout))
    wall_runs = [dict(phases_of(t)) for t in boots(args, elf, False, debug)]
    if guest:
        print(f"  phases at loglevel=debug: guest clock (1 boot), wall clock (median of "
              f"{args.runs}), wall/guest")
        for name, us in guest:
            walls = [run[name] for run in wall_runs if name in run]
            wall = statistics.median(walls) if walls else None
            ratio = f"{wall / us:6.1f}x" if wall is not None and us > 0 else "      "
            wall_text = f"{wall:9.0f} us" if wall is not None else "        -"
            print(f"    {name:22} {us:7} us {wall_text} {ratio}")
    if not args.no_translation:
        try:
            report_translation(args, elf, medians["wall"])
        except (RuntimeError, subprocess.CalledProcessError) as e:
            sys.exit(f"ready.py: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
