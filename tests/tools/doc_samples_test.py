#!/usr/bin/env python3
"""tools/doc_samples.py's matching, without a boot: what docs.samples passes
and what it must refuse.

- a quoted line matches the printed one when its words are the same and
  its numbers close (a decimal within 2x, a hex value in the same MiB);
- a count four times too small, a CR3 in another MiB, a changed word, or
  lines in another order are refused, naming the line;
- a `| free:` line is checked for its words only;
- table columns may move (a run of spaces matches any run).

Usage: doc_samples_test.py
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import doc_samples  # noqa: E402

LOG = [
    "acpi: 7 tables (FACP APIC HPET MCFG WAET DSDT FACS)",
    "symbols: 1546 functions in the build's symbol map (61932 bytes)",
    "  CR0 0x0000000080010011  CR3 0x000000000ffdf000  CR4 0x00000000000000a0",
    "  RAX 0x0000000000000000  RBX 0xffffffff8027c5d0",
    "1    1                1       15         14",
    "System halted.",
]


def sample(lines, free=""):
    marker = "--direct {build}/keel.elf" + (f" | free: {free}" if free else "")
    return doc_samples.Sample(ROOT / "README.md", 1, marker, 2, lines)


def verdict(lines, free=""):
    missing, found, why = doc_samples.match(sample(lines, free), LOG)
    return "ok" if found is not None else f"line {missing}: {why}"


def main():
    cases = [
        # (quoted lines, free regex, expected: "ok" or a word of the reason)
        (["symbols: 1600 functions in the build's symbol map (60000 bytes)"], "", "ok"),
        (["acpi: 7 tables (FACP APIC HPET MCFG WAET DSDT FACS)", "System halted."], "", "ok"),
        (["1    1                1        9         12"], "", "ok"),
        (["symbols: 404 functions in the build's symbol map (16301 bytes)"], "", "stale"),
        (["  CR0 0x0000000080010011  CR3 0x0000000000165000  CR4 0x00000000000000a0"], "",
         "stale"),
        (["symbols: 1546 functions in this build's symbol map (61932 bytes)"], "", "not in"),
        (["System halted.", "acpi: 7 tables (FACP APIC HPET MCFG WAET DSDT FACS)"], "",
         "not in"),
        (["  RAX 0x0000000000000000  RBX 0x0000000000000780"], "", "stale"),
        (["  RAX 0x0000000000000000  RBX 0x0000000000000780"], "^  RAX", "ok"),
        (["", "System halted.", ""], "", "ok"),
    ]
    failures = 0
    for lines, free, expected in cases:
        got = verdict(lines, free)
        if (expected == "ok") != (got == "ok") or (expected != "ok" and expected not in got):
            failures += 1
            print(f"FAIL: {lines!r} (free {free!r}): expected {expected}, got {got}")
    # --update's matching ignores the numbers' closeness, not the words.
    _, found, _ = doc_samples.match(
        sample(["symbols: 404 functions in the build's symbol map (16301 bytes)"]), LOG,
        numbers=False)
    if found != [LOG[1]]:
        failures += 1
        print(f"FAIL: --update did not take the printed line: {found!r}")
    print(f"doc_samples_test: {len(cases) + 1} cases, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
