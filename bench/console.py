#!/usr/bin/env python3
"""Framebuffer console benchmark: boots Keel with bench=console and prints its numbers.

  python3 bench/console.py --build-dir build [--runs 3]

Boots <build-dir>/keel.iso under UEFI (OVMF: GRUB hands over the 1024x768
framebuffer the kernel asks for; BIOS boots stay in VGA text mode) with the
kernel option bench=console, once per run, and reads the kernel's own report
on COM1 (src/init/bench_console.cpp):

  - lines per second: 500 full-width lines (128 columns at 1024x768), each a
    write of its own through the screen's log sink, every row differing from
    its neighbours, timed by the monotonic clock;
  - the default path: batched presents, drawn through the pixel shadow in
    RAM (a scroll is a memmove there; the framebuffer is only written);
  - three paths measured in the same boot that draw straight into the
    framebuffer, the shadow detached: every cell of every changed row drawn
    again and a scroll redrawing the whole screen (the first console);
    presented on every write (before batched presents; a scroll redraws
    the cells that changed); and batched without a shadow (what a console
    that got no shadow does);
  - a full screen of new lines (48 at 1024x768), batched, until drawn;
  - the bound: the same lines written straight into a text grid in RAM;
  - how many times the batched run drew the screen (the tick's presents
    included), which should stay near 100 a second.

Each figure is the time until the screen shows the last line (the batched
run ends with a present).

Across runs it prints the median of each boot's figures. Timings come from
QEMU's TCG on a shared machine: compare the ratio, not absolute numbers.
Exit status 1 when a boot gives no report. Python standard library only;
needs QEMU and OVMF.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import com1  # noqa: E402
import kernel_bench  # noqa: E402

OVMF = "/usr/share/OVMF/OVMF_CODE.fd"
AFTER = re.compile(r"^bench console: (\d+) lines/s \((\d+x\d+) framebuffer\)$", re.M)
BEFORE = re.compile(r"^bench console: (\d+) lines/s, every cell redrawn \(baseline\)$", re.M)
EVERY_WRITE = re.compile(
    r"^bench console: (\d+) lines/s, presented on every write \(before batching\)$", re.M)
SCREENFUL = re.compile(r"^bench console: a full screen \((\d+) lines\) scrolled in (\d+) us", re.M)
DIRECT = re.compile(r"^bench console: (\d+) lines/s, batched without a shadow", re.M)
GRID = re.compile(r"^bench console: (\d+) lines/s into the cell grid alone", re.M)
PRESENTS = re.compile(r"^bench console: (\d+) presents in (\d+) ms for \d+ lines", re.M)
WARNING = re.compile(r"^warning: bench: console: (.*)$", re.M)


def make_iso(elf, workdir):
    """An ISO whose GRUB passes bench=console (tools/make_iso.py)."""
    iso = os.path.join(workdir, "keel-bench-console.iso")
    subprocess.run([sys.executable, os.path.join(REPO, "tools", "make_iso.py"), "--kernel", elf,
                    "--output", iso, "--cmdline", "bench=console"], check=True,
                   stdout=subprocess.DEVNULL)
    return iso


def boot(iso, memory, timeout):
    """COM1's text up to the benchmark's last line (or its warning)."""
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-machine", "pc", "-m", memory,
           "-no-reboot", "-display", "none", "-nic", "none", "-monitor", "none",
           "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF}",
           "-serial", "stdio", "-cdrom", iso]
    _, text = com1.run_until(cmd, r"^(bench console: .* presents in |warning: bench: console)",
                             timeout, "bench=console")
    return text


def main():
    ap = kernel_bench.parser(__doc__, timeout=300.0)
    args = ap.parse_args()
    if not os.path.isfile(OVMF):
        sys.exit(f"{OVMF} not found: sudo apt-get install ovmf")
    elf = kernel_bench.kernel_elf(ap, args)

    failed = False
    boots = []
    with tempfile.TemporaryDirectory(prefix="keel-bench-console-") as workdir:
        iso = make_iso(elf, workdir)
        for _ in range(args.runs):
            text = boot(iso, args.memory, args.timeout)
            for w in WARNING.findall(text):
                print(f"  the kernel says: {w}")
            after, before = AFTER.search(text), BEFORE.search(text)
            every_write, presents = EVERY_WRITE.search(text), PRESENTS.search(text)
            grid = GRID.search(text)
            screenful = SCREENFUL.search(text)
            direct = DIRECT.search(text)
            if not after or not before:
                failed = True
                continue
            boots.append((int(after.group(1)), int(before.group(1)), after.group(2),
                          int(every_write.group(1)) if every_write else None,
                          (int(presents.group(1)), int(presents.group(2))) if presents else None,
                          int(grid.group(1)) if grid else None,
                          (int(screenful.group(1)), int(screenful.group(2))) if screenful else None,
                          int(direct.group(1)) if direct else None))
    if boots:
        med = statistics.median
        ratios = [b[0] / b[1] for b in boots if b[1]]
        print(f"{len(boots)} boot(s), {boots[0][2]} framebuffer, the median of each boot's figure:")
        directs = [b[7] for b in boots if b[7]]
        label = ("batched, through the shadow" if directs else
                 "batched presents" if boots[0][3] is not None else "shadow cells, scroll by moving")
        print(f"  {label:37}  {med([b[0] for b in boots]):6.0f} lines/s")
        if directs:
            print(f"  batched without a shadow               {med(directs):6.0f} lines/s")
        writes = [b for b in boots if b[3]]
        if writes:
            print(f"  presented on every write (before)      {med([b[3] for b in writes]):6.0f} "
                  "lines/s")
        print(f"  every cell redrawn (baseline)          {med([b[1] for b in boots]):6.0f} lines/s")
        if writes:
            print(f"  ratio to presenting on every write     {med([b[0] / b[3] for b in writes]):6.2f}x")
        if ratios:
            print(f"  ratio to the baseline                  {med(ratios):6.2f}x")
        grids = [b[5] for b in boots if b[5]]
        if grids:
            print(f"  the cell grid alone (the bound)        {med(grids):6.0f} lines/s")
        screens = [b[6] for b in boots if b[6]]
        if screens:
            print(f"  a full screen ({screens[0][0]} lines), batched         "
                  f"{med([s[1] for s in screens]) / 1000:6.1f} ms")
        counts = [b[4] for b in boots if b[4]]
        if counts:
            print(f"  presents in the batched run            {med([c[0] for c in counts]):6.0f} "
                  f"in {med([c[1] for c in counts]):.0f} ms")
    return 1 if failed or not boots else 0


if __name__ == "__main__":
    sys.exit(main())
