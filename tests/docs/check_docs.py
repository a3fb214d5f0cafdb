#!/usr/bin/env python3
"""Checks that the documentation names only things the kernel has.

Fails when README.md or a Markdown file under docs/ mentions
  - a command-line option (the option tables of README.md and
    docs/cmdline.md) that the option parser does not accept, or a value of
    one that it does not know; and when the parser accepts an option that
    neither table lists;
  - a crash test `crash=<name>` that is not registered;
  - an in-kernel test `test=<name>` that selects no KTEST (the option takes
    a prefix, so `test=paging` is fine while a paging_* test exists; each
    of `test=a,b` is checked);
  - a `multiboot2 <path>` other than the kernel path iso/grub.cfg uses.

The facts come from the whole src/ tree, found by how things are
registered, never by a file path (src/ is being reorganised):
  - options: string literals the parser compares the option key with,
    `key == "console"`;
  - crash tests: the entries `{"name", "what to expect", function}` of an
    array of `CrashTest` (the table `crash=` looks names up in);
  - in-kernel tests: `KTEST(name)` outside comments and the macro itself.

  check_docs.py [--root <checkout>]
"""
import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".cc", ".S")

# Placeholders in docs, not names: crash=<name>, test=<prefix>.
NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
CRASH_REF = re.compile(r"(?<![\w-])crash=(" + NAME + r")")
TEST_REF = re.compile(r"(?<![\w-])test=(" + NAME + r"(?:," + NAME + r")*)")
MB2_REF = re.compile(r"\bmultiboot2\s+(/\S+)")
# Names that docs use on purpose to show the error for an unknown one.
DELIBERATELY_UNKNOWN = re.compile(r"^no-such|^nonexistent")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def strip_comments(text):
    """Removes // and /* */ comments, keeping line numbers and strings."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def source_facts(src):
    """Options, option values, crash names and KTEST names in the sources."""
    options, literals, crashes, ktests = set(), set(), set(), set()
    files = 0
    for root, dirs, names in os.walk(src):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            files += 1
            code = strip_comments(read(os.path.join(root, name)))
            literals.update(re.findall(r'"([^"\\\n]*)"', code))
            options.update(re.findall(r'\bkey\s*==\s*"(' + NAME + r')"', code))
            options.update(re.findall(r'"(' + NAME + r')"\s*==\s*key\b', code))
            for table in re.finditer(r"\bCrashTest\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\};", code, re.S):
                crashes.update(re.findall(r'\{\s*"(' + NAME + r')"\s*,', table.group(1)))
            for m in re.finditer(r"^(?!\s*#\s*define)[^\n]*?\bKTEST\(\s*(\w+)\s*\)", code, re.M):
                ktests.add(m.group(1))
    return files, options, literals, crashes, ktests


def markdown_files(root):
    paths = [os.path.join(root, "README.md")]
    for base, dirs, names in os.walk(os.path.join(root, "docs")):
        dirs.sort()
        paths += [os.path.join(base, n) for n in sorted(names) if n.endswith(".md")]
    return [p for p in paths if os.path.exists(p)]


def option_table(text, heading):
    """The first column of the first table under `heading`: a list of
    (line number, code span) for each `...` in it."""
    lines = text.splitlines()
    spans = []
    inside = False
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            if inside and spans:
                break
            inside = line.strip("# ").strip() == heading
            continue
        if not inside or not line.startswith("|"):
            if inside and spans and not line.startswith("|"):
                break
            continue
        # Split on | but not on \| (an escaped bar inside a cell).
        cells = re.split(r"(?<!\\)\|", line)
        first = cells[1] if len(cells) > 1 else ""
        if re.fullmatch(r"\s*:?-+:?\s*", first):
            continue
        for span in re.findall(r"`([^`]+)`", first):
            spans.append((number, span.replace("\\|", "|")))
    return spans


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   "..", ".."),
                    help="the checkout (default: this script's)")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    src = os.path.join(root, "src")
    if not os.path.isdir(src):
        sys.exit(f"check_docs: {src} is not a directory: pass --root <checkout>")

    files, options, literals, crashes, ktests = source_facts(src)
    problems = []
    # A pattern that finds nothing means the sources changed how they
    # register things: say so rather than call every doc wrong (or right).
    for what, found, how in (("option names", options, 'key == "name"'),
                             ("crash tests", crashes, 'CrashTest table[] = {{"name", ...}}'),
                             ("in-kernel tests", ktests, "KTEST(name)")):
        if not found:
            problems.append(f"src/ ({files} files): no {what} found by the pattern {how}; "
                            f"update tests/docs/check_docs.py to the new registration")
    print(f"check_docs: {files} source files; options: {', '.join(sorted(options))}")
    print(f"check_docs: {len(crashes)} crash tests, {len(ktests)} in-kernel tests")

    kernel_path = None
    grub_cfg = os.path.join(root, "iso", "grub.cfg")
    if os.path.exists(grub_cfg):
        m = MB2_REF.search(read(grub_cfg))
        kernel_path = m.group(1) if m else None

    documented = set()
    for path in markdown_files(root):
        rel = os.path.relpath(path, root)
        text = read(path)
        for number, line in enumerate(text.splitlines(), 1):
            where = f"{rel}:{number}"
            for name in CRASH_REF.findall(line):
                if name not in crashes and not DELIBERATELY_UNKNOWN.search(name):
                    problems.append(f"{where}: crash={name}: no such crash test "
                                    f"(registered: {', '.join(sorted(crashes))})")
            for names in TEST_REF.findall(line):
                for name in names.split(","):  # test=a,b: each a prefix
                    if not any(t.startswith(name) for t in ktests) and \
                            not DELIBERATELY_UNKNOWN.search(name):
                        problems.append(f"{where}: test={names}: no KTEST name starts with "
                                        f"{name}")
            for mb2_path in MB2_REF.findall(line):
                if kernel_path and mb2_path.strip("`") != kernel_path:
                    problems.append(f"{where}: multiboot2 {mb2_path}: the ISO's kernel is "
                                    f"{kernel_path} (iso/grub.cfg)")

        tables = []
        if rel == "README.md":
            tables.append("Kernel command line")
        if rel == os.path.join("docs", "cmdline.md"):
            tables.append("Options")
        for heading in tables:
            spans = option_table(text, heading)
            if not spans:
                problems.append(f"{rel}: no option table under the heading '{heading}'")
            for number, span in spans:
                key, has_value, values = span.partition("=")
                documented.add(key)
                if key not in options:
                    problems.append(f"{rel}:{number}: option `{span}`: the kernel has no "
                                    f"option '{key}' (it has: {', '.join(sorted(options))})")
                    continue
                for value in values.split("|") if has_value else []:
                    if value and not value.startswith("<") and value not in literals:
                        problems.append(f"{rel}:{number}: option `{span}`: '{value}' is not "
                                        f"a value the sources spell out")
    for key in sorted(options - documented):
        problems.append(f"option '{key}' is accepted by the kernel but missing from the "
                        f"option tables of README.md and docs/cmdline.md")

    for p in problems:
        print(f"check_docs: FAIL: {p}")
    if not problems:
        print("check_docs: every documented option, crash test and test name exists")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
