#!/usr/bin/env python3
"""Cross-CPU benchmark in the kernel: boots Keel with bench=smp and prints its numbers.

  python3 bench/smp.py --build-dir build [--runs 3] [--smp 4] [--machine pc]

Boots <build-dir>/keel.elf directly (QEMU -kernel, PVH) with the kernel
option bench=smp, once per run, and reads the kernel's own report on COM1
(src/init/bench_smp.cpp):

  - the cross-CPU call round trip from the boot CPU to CPU 1 (mailbox and
    wake-up IPI, until the call has run), min and median over 1000 calls;
  - a call to every CPU at once (call_on_all), min and median over 200;
  - in debug builds (KEEL_DEBUG_LOCKS), the lock-order check's cost: an
    outer and an inner lock taken and released on one CPU, pairs per
    second with the check off, then on, in the same boot;
  - spinlock throughput: lock-unlock pairs per second with 1 CPU (the
    baseline, measured in the same boot), then 2, 4, ... CPUs contending
    for one ticket lock, and each figure's ratio to the baseline.

Across runs it prints the median of each boot's figure. Under QEMU's TCG a
lock hand-off between vCPUs waits for host threads, so contended figures
say more about the emulator than about the lock: compare ratios taken in
the same run, on a quiet host. Exit status 1 when a boot gives no report.
Python standard library only; needs QEMU.
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernel_bench  # noqa: E402

CALL_ONE = re.compile(r"^bench: smp call round trip to CPU 1: min (\d+) ns, median (\d+) ns", re.M)
CALL_ALL = re.compile(r"^bench: smp call to all (\d+) CPUs: min (\d+) ns, median (\d+) ns", re.M)
NESTED = re.compile(r"^bench: smp nested locks, 1 CPU: order check off (\d+) pairs/s, on (\d+)", re.M)
LOCK = re.compile(r"^bench: smp spinlock, (\d+) CPUs?: (\d+) lock-unlock pairs/s", re.M)
WARNING = re.compile(r"^warning: bench: (.*)$", re.M)


def parse(text):
    """{'call to CPU 1': (min, median), 'call to all 4': (min, median),
    ('lock', 1): pairs/s, ('lock', 2): ..., ...} and the benchmark's warnings."""
    figures = {}
    m = CALL_ONE.search(text)
    if m:
        figures["call to CPU 1"] = (int(m.group(1)), int(m.group(2)))
    m = CALL_ALL.search(text)
    if m:
        figures[f"call to all {m.group(1)}"] = (int(m.group(2)), int(m.group(3)))
    m = NESTED.search(text)
    if m:
        figures["nested"] = (int(m.group(1)), int(m.group(2)))
    for m in LOCK.finditer(text):
        figures[("lock", int(m.group(1)))] = int(m.group(2))
    return figures, WARNING.findall(text)


def report(boots):
    med = statistics.median
    print(f"\n{len(boots)} boot(s), the median of each boot's figure:")
    calls = sorted({k for b in boots for k in b if isinstance(k, str) and k != "nested"})
    for key in calls:
        have = [b[key] for b in boots if key in b]
        print(f"  {key:17} min {med(x[0] for x in have):8.0f} ns, "
              f"median {med(x[1] for x in have):8.0f} ns")
    cpus = sorted({k[1] for b in boots for k in b if isinstance(k, tuple)})
    for n in cpus:
        have = [b for b in boots if ("lock", n) in b]
        rate = med(b[("lock", n)] for b in have)
        line = f"  spinlock, {n} CPU{'s' if n > 1 else ' '}  {rate:12.0f} pairs/s"
        base = [b for b in have if ("lock", 1) in b]
        if n > 1 and base:
            # Each boot's ratio, then their median: both sides from one boot.
            line += f"  ({med(b[('lock', n)] / b[('lock', 1)] for b in base):.2f}x 1 CPU)"
        print(line)
    nested = [b["nested"] for b in boots if "nested" in b]
    if nested:
        print(f"  nested locks, 1 CPU, order check off {med(x[0] for x in nested):12.0f} pairs/s, "
              f"on {med(x[1] for x in nested):12.0f} pairs/s "
              f"({med(x[1] / x[0] for x in nested):.2f}x)")


def main():
    return kernel_bench.run_smp_bench(__doc__, "smp", 300.0, parse,
                                      lambda boots, _args: report(boots))


if __name__ == "__main__":
    sys.exit(main())
