#!/usr/bin/env python3
"""Allocator benchmark in the kernel: boots Keel with bench=alloc and prints its numbers.

  python3 bench/alloc.py --build-dir build [--runs 3] [--smp 4] [--machine pc]

Boots <build-dir>/keel.elf directly (QEMU -kernel, PVH) with the kernel
option bench=alloc, once per run, and reads the kernel's own report on COM1
(src/init/bench_alloc.cpp): nanoseconds per operation (one allocation or one
free, timed by the TSC over 20000 alloc/free pairs in batches of 32) for

  - frames: kernel::mm::allocate_frames(0) / free_frames, order 0;
  - heap: operator new(64, nothrow) / operator delete;

each on the boot CPU alone, then on every CPU at once (a cross-CPU call:
the median CPU and the slowest). The ratio "all CPUs / 1 CPU" is what
contention on the allocators' locks costs.

Across runs it prints the median of each boot's figure. Timings come from
QEMU's TCG on a shared machine: compare ratios taken in the same run, not
absolute numbers between machines. Exit status 1 when a boot gives no report.
Python standard library only; needs QEMU.
"""
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kernel_bench  # noqa: E402

ONE = re.compile(r"^bench: alloc, (frames \(order 0\)|heap \(64 B\)), 1 CPU: (\d+) ns per operation",
                 re.M)
ALL = re.compile(r"^bench: alloc, (frames \(order 0\)|heap \(64 B\)), (\d+) CPUs at once: "
                 r"median (\d+) ns, slowest (\d+) ns per operation", re.M)
WARNING = re.compile(r"^warning: bench: (.*)$", re.M)


def parse(text):
    """{('frames (order 0)', 1): (ns,), ('heap (64 B)', 4): (median, slowest), ...}
    and the benchmark's warnings."""
    figures = {}
    for m in ONE.finditer(text):
        figures[(m.group(1), 1)] = (int(m.group(2)),)
    for m in ALL.finditer(text):
        figures[(m.group(1), int(m.group(2)))] = (int(m.group(3)), int(m.group(4)))
    return figures, WARNING.findall(text)


def report(boots, smp):
    med = statistics.median
    print(f"\n{len(boots)} boot(s), {smp} CPU(s), the median of each boot's figure "
          "(ns per operation):")
    for subject in ("frames (order 0)", "heap (64 B)"):
        alone = [b[(subject, 1)][0] for b in boots if (subject, 1) in b]
        if alone:
            print(f"  {subject:17} 1 CPU       {med(alone):8.0f} ns")
        together = [b for b in boots if (subject, smp) in b and (subject, 1) in b]
        if smp > 1 and together:
            median = med([b[(subject, smp)][0] for b in together])
            slowest = med([b[(subject, smp)][1] for b in together])
            # Each boot's ratio, then their median: both sides from one boot.
            ratio = med([b[(subject, smp)][0] / b[(subject, 1)][0] for b in together])
            print(f"  {subject:17} {smp} CPUs      {median:8.0f} ns (slowest {slowest:.0f} ns),"
                  f" {ratio:.2f}x the single CPU's")


def main():
    return kernel_bench.run_smp_bench(__doc__, "alloc", 180.0, parse,
                                      lambda boots, args: report(boots, args.smp))


if __name__ == "__main__":
    sys.exit(main())
