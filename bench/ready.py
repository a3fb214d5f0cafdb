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
"""
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import com1  # noqa: E402
import kernel_bench  # noqa: E402

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


def main():
    ap = kernel_bench.parser(__doc__, timeout=60.0)
    ap.set_defaults(runs=5)
    ap.add_argument("--cmdline", default="", help="kernel options added to every boot")
    args = ap.parse_args()
    elf = kernel_bench.kernel_elf(ap, args)
    extra = f" {args.cmdline}" if args.cmdline else ""

    print(f"ready.py: {args.runs} direct boots of {elf} per clock, -m {args.memory}"
          f"{', options:' + extra if extra else ''}")
    for name, icount in (("wall", False), ("guest", True)):
        times = [int(READY.search(t).group(1)) for t in boots(args, elf, icount, args.cmdline)]
        med = statistics.median(times)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
