#!/usr/bin/env python3
"""Runs a command that boots Keel (tools/run, a CMake run target) and checks
what it printed on the terminal.

The run targets and tools/run are what a newcomer types first, so their
output is part of the contract: the kernel's log, no firmware noise that
looks like a failure (SeaBIOS "Boot failed", an iPXE banner, QEMU asking for
qemu-system-gui), and the command line given for that one boot.

  run_tool_test.py [--env K=V]... [--expect RE]... [--reject RE]...
                   [--timeout S] [--expect-status N] -- COMMAND...
"""
import argparse
import os
import re
import subprocess
import sys

# Terminal control sequences (SeaBIOS and GRUB draw with them on -nographic).
ANSI = re.compile(r"\x1b(\[[0-9;?]*[A-Za-z]|[()][0-9A-Za-z]|[=>c])")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="set in the command's environment")
    ap.add_argument("--unset", action="append", default=[], metavar="KEY",
                    help="remove from the command's environment")
    ap.add_argument("--expect", action="append", default=[], metavar="RE",
                    help="a regex that must match a line of the output")
    ap.add_argument("--reject", action="append", default=[], metavar="RE",
                    help="a regex that must match no line of the output")
    ap.add_argument("--expect-status", type=int, help="the command's exit status")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("command", nargs="+")
    args = ap.parse_args()

    env = dict(os.environ)
    for key in args.unset:
        env.pop(key, None)
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            ap.error(f"--env wants KEY=VALUE, not {item!r}")
        env[key] = value

    try:
        result = subprocess.run(args.command, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=args.timeout)
        output, status = result.stdout, result.returncode
    except subprocess.TimeoutExpired as e:
        output, status = e.stdout or b"", None
    except FileNotFoundError as e:
        sys.exit(f"run_tool_test: cannot run {args.command[0]}: {e}")
    text = ANSI.sub("", output.decode("utf-8", errors="replace")).replace("\r", "")
    print(text)

    problems = []
    if status is None:
        problems.append(f"the command did not finish within {args.timeout:g} s")
    elif args.expect_status is not None and status != args.expect_status:
        problems.append(f"exit status {status}, expected {args.expect_status}")
    for regex in args.expect:
        if not re.search(regex, text, re.M):
            problems.append(f"no line matches {regex!r}")
    for regex in args.reject:
        m = re.search(regex, text, re.M)
        if m:
            problems.append(f"rejected output {regex!r} found: {m.group(0)!r}")
    for p in problems:
        print(f"run_tool_test: FAIL: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
