#!/usr/bin/env python3
"""Interrupt and sleep benchmark: boots Keel with bench=irq and prints its numbers.

  python3 bench/irq.py --build-dir build [--runs 3] [--machine pc] [--machine q35]

Boots <build-dir>/keel.elf directly (QEMU -kernel, PVH: no firmware menu,
GRUB or CD, which add nothing to what is measured) with the kernel option
bench=irq, once per run and machine, and reads the kernel's own report on
COM1 (src/init/bench.cpp):

  - the interrupt round trip: a self-IPI sent through the local APIC
    (kernel::irq::raise) to the entry of the line's handler, min and median
    in nanoseconds over 101 interrupts, timed by the TSC;
  - the baseline measured in the same boot: a software `int` on the same
    vector, through the same IDT stub, dispatch and handler, so the ratio
    self-IPI/int is what the interrupt controller's delivery adds;
  - the sleep error: sleep_us(1000) and sleep_us(100000), each timed by the
    HPET (the TSC where there is none), median and error against the time
    asked for.

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
import com1  # noqa: E402
import kernel_bench  # noqa: E402

ROUND_TRIP = re.compile(r"^bench: irq round trip, (self-IPI|int instruction \(baseline\)) to "
                        r"handler entry: min (\d+) ns, median (\d+) ns", re.M)
SLEEP = re.compile(r"^bench: sleep_us\((\d+)\) against the (\w+): median (\d+) us, min (\d+) us",
                   re.M)
WARNING = re.compile(r"^warning: bench: (.*)$", re.M)


def boot(elf, machine, memory, timeout):
    """COM1's text up to the benchmark's last line."""
    cmd = kernel_bench.direct_boot(elf, "bench=irq", machine, memory)
    _, text = com1.run_until(cmd, r"^(warning: )?bench: (done|not run)", timeout, machine)
    return text


def parse(text):
    """The figures of one boot: {'ipi': (min, median), 'int': (min, median),
    'sleep 1000': (median, min, clock), ...}, and the benchmark's warnings."""
    figures = {}
    for m in ROUND_TRIP.finditer(text):
        key = "ipi" if m.group(1) == "self-IPI" else "int"
        figures[key] = (int(m.group(2)), int(m.group(3)))
    for m in SLEEP.finditer(text):
        figures[f"sleep {m.group(1)}"] = (int(m.group(3)), int(m.group(4)), m.group(2))
    return figures, WARNING.findall(text)


def report(machine, boots):
    med = statistics.median
    print(f"\n{machine}, {len(boots)} boot(s), the median of each boot's figure:")
    for key, label in (("ipi", "self-IPI to handler entry  "),
                       ("int", "int instruction (baseline) ")):
        got = [b[key] for b in boots if key in b]
        if got:
            print(f"  {label} min {med([g[0] for g in got]):8.0f} ns"
                  f"   median {med([g[1] for g in got]):8.0f} ns")
    # Each boot's ratio, then their median: both sides of a ratio come from
    # the same boot, under the same load.
    pairs = [b for b in boots if "ipi" in b and "int" in b and b["int"][0] and b["int"][1]]
    if pairs:
        rmin = med([b["ipi"][0] / b["int"][0] for b in pairs])
        rmed = med([b["ipi"][1] / b["int"][1] for b in pairs])
        print(f"  ratio self-IPI/int          min {rmin:8.2f}x    median {rmed:8.2f}x")
    for asked in (1000, 100000):
        got = [b[f"sleep {asked}"] for b in boots if f"sleep {asked}" in b]
        if got:
            median = med([g[0] for g in got])
            error = median - asked
            print(f"  sleep_us({asked}) against the {got[0][2]}: median {median:.0f} us, "
                  f"error {error:+.0f} us ({100.0 * error / asked:+.2f}%)")


def main():
    ap = kernel_bench.parser(__doc__, timeout=120.0)
    ap.add_argument("--machine", action="append",
                    help="QEMU machine, repeatable (default: pc and q35)")
    args = ap.parse_args()
    elf = kernel_bench.kernel_elf(ap, args)

    failed = False
    for machine in args.machine or ["pc", "q35"]:
        boots, bad = kernel_bench.collect(
            args.runs, lambda m=machine: boot(elf, m, args.memory, args.timeout), parse,
            f"{machine}: ")
        failed = failed or bad
        report(machine, boots)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
