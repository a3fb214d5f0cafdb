#!/usr/bin/env python3
"""Checks tools/setup-deps' stamp: a second run with nothing changed skips
the package check, and a change to dpkg's database (here: a copy of its
status file, touched) makes it check again.

Runs `setup-deps --check`, which never installs anything; it needs the
build packages installed (tools/test installs them first).

  setup_deps_stamp_test.py [--setup-deps tools/setup-deps]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED = "unchanged since the last check"
CHECKED = "packages are installed"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--setup-deps", default=os.path.join(HERE, "..", "..", "tools", "setup-deps"))
    args = ap.parse_args()
    if not os.path.exists("/var/lib/dpkg/status"):
        sys.exit("setup_deps_stamp_test: no /var/lib/dpkg/status: not a Debian system")

    with tempfile.TemporaryDirectory(prefix="keel-stamp-") as tmp:
        status = os.path.join(tmp, "status")
        shutil.copy("/var/lib/dpkg/status", status)
        env = dict(os.environ, KEEL_DPKG_STATUS=status,
                   KEEL_SETUP_DEPS_STAMP_DIR=os.path.join(tmp, "stamps"))

        def run(step):
            r = subprocess.run([args.setup_deps, "--check"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            print(f"{step}: exit {r.returncode}: {r.stdout.strip()}")
            if r.returncode != 0:
                sys.exit("setup_deps_stamp_test: FAIL: packages are missing; "
                         "run tools/setup-deps first")
            return r.stdout

        problems = []
        if CHECKED not in run("first run"):
            problems.append("the first run (no stamp) did not check the packages")
        if SKIPPED not in run("second run"):
            problems.append("the second run, with nothing changed, checked the packages again")
        later = time.time() + 5
        os.utime(status, (later, later))
        if CHECKED not in run("after dpkg's status changed"):
            problems.append("a changed dpkg status file did not trigger a new check")
    for p in problems:
        print(f"setup_deps_stamp_test: FAIL: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
