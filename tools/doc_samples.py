#!/usr/bin/env python3
"""Checks, or brings up to date, the kernel output quoted in the docs.

A sample is a fenced block in a Markdown file under docs/ (or README.md)
right after a marker line naming the boot that prints it, in the test
runner's words (tests/qemu/keel_qemu.py; {build} is the build folder):

    <!-- sample: --kernel {build}/keel.elf --memory 128M -->
    ```
    free memory: 125 MiB in 4 ranges (after 8 reservations)
    ```

  tools/doc_samples.py --check  [--build build] [-- runner args...]
      boots each sample's machine and fails unless every line of the block
      is a line of that boot's COM1 output, in the block's order (other
      lines may come between), with the same words and numbers close to
      this build's: a decimal number within a factor of 2, a hexadecimal
      one in the same MiB (the same value above bit 20). Addresses and
      sizes move a little with every change to the code, and a sample need
      not be rewritten for that; a count that has grown fourfold, or a CR3
      from when the image loaded elsewhere, is stale and fails.
  tools/doc_samples.py --update [--build build] [-- runner args...]
      the same boots, then writes each line as this build printed it into
      the doc: the samples quote a real boot, not an old one.

A marker may end with `| free: REGEX`: the block's lines that REGEX finds
are checked for their words only, for numbers that change from boot to
boot (general registers holding a random stack guard or a time).

Runner arguments after `--` go to every boot (the test suite passes its
--qemu, --ovmf and --font). Blank lines in a block are kept and skipped.
Exits 1 when a sample does not match (naming the file, the line and the
kept boot log), 2 when a boot cannot run.
"""
import argparse
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
RUNNER = ROOT / "tests" / "qemu" / "keel_qemu.py"
MARKER = re.compile(r"^<!--\s*sample:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^```")
NUMBER = re.compile(r"0x[0-9a-fA-F]+|\d+")
ANSI_SGR = re.compile(r"\x1b\[[0-9;]*m")


def literal(text):
    """Text as a regular expression; a run of spaces matches any run, since
    a table's columns move with the width of the numbers in them."""
    return " +".join(re.escape(part) for part in re.split(r" +", text))


def pattern(line):
    """A line as a regular expression whose numbers match any number of
    their kind (hexadecimal with 0x, or decimal)."""
    out, at = [], 0
    for m in NUMBER.finditer(line):
        out.append(literal(line[at:m.start()]))
        out.append(r"0x[0-9a-fA-F]+" if m.group().startswith("0x") else r"\d+")
        at = m.end()
    out.append(literal(line[at:]))
    return "".join(out)


class Sample:
    def __init__(self, path, marker_line, marker, first, lines):
        self.path = path          # the Markdown file
        self.marker_line = marker_line  # 1-based line of the marker
        args, _, free = marker.partition("| free:")
        self.args = args.strip()  # runner arguments, {build} not yet filled in
        # Lines whose numbers are not compared (None: every line's are).
        self.free = re.compile(free.strip()) if free.strip() else None
        self.first = first        # 0-based index of the block's first line
        self.lines = lines        # the block's lines, without the fences

    def where(self, k):
        return f"{self.path.relative_to(ROOT)}:{self.first + k + 1}"


def find_samples(paths):
    samples = []
    for path in paths:
        text = path.read_text(encoding="utf-8").split("\n")
        i = 0
        while i < len(text):
            m = MARKER.match(text[i])
            if not m:
                i += 1
                continue
            if i + 1 >= len(text) or not FENCE.match(text[i + 1]):
                sys.exit(f"{path.relative_to(ROOT)}:{i + 1}: a sample marker must be followed "
                         f"by a fenced block on the next line")
            end = i + 2
            while end < len(text) and not FENCE.match(text[end]):
                end += 1
            if end >= len(text):
                sys.exit(f"{path.relative_to(ROOT)}:{i + 2}: the sample's block never ends")
            samples.append(Sample(path, i + 1, m.group(1), i + 2, text[i + 2:end]))
            i = end + 1
    return samples


def boot(sample, build, runner_args, log_dir):
    """The COM1 lines of the sample's boot (ANSI colours removed)."""
    last = next(line for line in reversed(sample.lines) if line.strip())
    args = [a.replace("{build}", str(build)) for a in shlex.split(sample.args)]
    command = [sys.executable, str(RUNNER), "--name", f"sample-{sample.marker_line}",
               "--log-dir", str(log_dir), "--keep", "--timeout", "60",
               *runner_args, *args, "--expect", "^" + pattern(last) + "$"]
    done = subprocess.run(command, capture_output=True, text=True)
    serial = log_dir / "serial.log"
    if not serial.exists():
        print(done.stdout + done.stderr, file=sys.stderr)
        sys.exit(f"{sample.path.relative_to(ROOT)}:{sample.marker_line}: the boot did not "
                 f"run (exit status {done.returncode}): {shlex.join(command)}")
    text = serial.read_text(encoding="utf-8", errors="replace")
    return [ANSI_SGR.sub("", line).rstrip("\r") for line in text.split("\n")]


def close(quoted, printed):
    """Whether a number the doc quotes is near enough the one printed."""
    if quoted.startswith("0x"):
        return int(quoted, 16) >> 20 == int(printed, 16) >> 20
    a, b = int(quoted), int(printed)
    if a == 0 or b == 0:
        return a == b
    return max(a, b) <= 2 * min(a, b)


def match(sample, log, numbers=True):
    """For each line of the block, the log line it stands for (None for a
    blank line), as (None, lines, None); on failure (the index of the first
    line not matched, None, why). Without `numbers`, the numbers' closeness
    is not checked (--update rewrites them)."""
    found, at = [], 0
    for k, line in enumerate(sample.lines):
        if not line.strip():
            found.append(None)
            continue
        regex = re.compile(pattern(line))
        while at < len(log) and not regex.fullmatch(log[at]):
            at += 1
        if at == len(log):
            return k, None, "not in the boot's output (in the block's order)"
        stale = [(q, p) for q, p in zip(NUMBER.findall(line), NUMBER.findall(log[at]))
                 if not close(q, p)]
        if sample.free and sample.free.search(line):
            stale = []
        if numbers and stale:
            quoted = ", ".join(f"{q} where this build prints {p}" for q, p in stale)
            return k, None, f"stale numbers ({quoted}); run tools/doc_samples.py --update"
        found.append(log[at])
        at += 1
    return None, found, None


def main():
    argv = sys.argv[1:]
    runner_args = []
    if "--" in argv:
        runner_args = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--update", action="store_true")
    parser.add_argument("--build", default=str(ROOT / "build"))
    args = parser.parse_args(argv)
    build = pathlib.Path(args.build).resolve()
    if not (build / "keel.elf").exists():
        print(f"doc_samples: {build}/keel.elf not found: build first "
              f"(cmake --build {build})", file=sys.stderr)
        return 2
    docs = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
    samples = find_samples(docs)
    if not samples:
        print("doc_samples: no sample markers in the docs", file=sys.stderr)
        return 1
    failures = 0
    updates = {}
    keep = pathlib.Path(tempfile.mkdtemp(prefix="keel-doc-samples-"))
    for sample in samples:
        log_dir = keep / f"{sample.path.stem}-{sample.marker_line}"
        log = boot(sample, build, runner_args, log_dir)
        missing, found, why = match(sample, log, numbers=not args.update)
        if found is None:
            failures += 1
            print(f"{sample.where(missing)}: {why}: {sample.lines[missing]}\n"
                  f"  boot: {sample.args}\n  its COM1 log: {log_dir / 'serial.log'}")
            continue
        if args.update:
            lines = updates.setdefault(sample.path,
                                       sample.path.read_text(encoding="utf-8").split("\n"))
            for k, line in enumerate(found):
                if line is not None:
                    lines[sample.first + k] = line
        print(f"{sample.path.relative_to(ROOT)}:{sample.marker_line}: "
              f"{sum(1 for f in found if f is not None)} lines, as the boot printed them")
    for path, lines in updates.items():
        path.write_text("\n".join(lines), encoding="utf-8")
        print(f"doc_samples: updated {path.relative_to(ROOT)}")
    if failures:
        print(f"doc_samples: {failures} of {len(samples)} samples do not match this build's "
              f"kernel; fix the doc's words, or the kernel's (boot logs kept in {keep})")
        return 1
    shutil.rmtree(keep, ignore_errors=True)
    print(f"doc_samples: {len(samples)} samples match this build's kernel")
    return 0


if __name__ == "__main__":
    sys.exit(main())
