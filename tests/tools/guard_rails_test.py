#!/usr/bin/env python3
"""Checks the top-level CMakeLists.txt's guard rails for newcomers:
  - `cmake .` in the source folder is refused, with the command to run;
  - CXX=g++ and -DCMAKE_CXX_COMPILER=g++ (which the toolchain file would
    silently override) are refused, naming cmake/toolchain-gcc.cmake;
    CXX=<the toolchain's own clang++> is accepted;
  - ctest in a folder that is configured but not built stops at once with
    one message naming the build command, and runs no test.

  guard_rails_test.py --source <checkout> [--cmake cmake]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def configure(cmake, args, cwd, env_extra=None):
    env = dict(os.environ)
    env.pop("CXX", None)
    env.update(env_extra or {})
    r = subprocess.run([cmake] + args, cwd=cwd, env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return r.returncode, " ".join(r.stdout.split())  # CMake wraps messages


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", required=True)
    ap.add_argument("--cmake", default="cmake")
    args = ap.parse_args()
    source = os.path.abspath(args.source)
    problems = []
    with tempfile.TemporaryDirectory(prefix="keel-guard-") as tmp:
        # In-source: the check comes before project(), so the top-level
        # CMakeLists.txt alone is enough (the real checkout stays clean).
        insrc = os.path.join(tmp, "insrc")
        os.mkdir(insrc)
        shutil.copy(os.path.join(source, "CMakeLists.txt"), insrc)
        rc, out = configure(args.cmake, ["."], insrc)
        print(f"cmake . -> {rc}: {out[-300:]}")
        if rc == 0 or "cmake -S . -B build" not in out:
            problems.append("`cmake .` in the source folder was not refused with the command to run")

        rc, out = configure(args.cmake, ["-S", source, "-B", os.path.join(tmp, "gxx")], tmp,
                            {"CXX": "g++"})
        print(f"CXX=g++ -> {rc}: {out[-400:]}")
        if rc == 0 or "toolchain-gcc.cmake" not in out or "CXX=g++ is ignored" not in out:
            problems.append("CXX=g++ was not refused with a pointer to cmake/toolchain-gcc.cmake")

        rc, out = configure(args.cmake, ["-S", source, "-B", os.path.join(tmp, "gxx-d"),
                                         "-DCMAKE_CXX_COMPILER=g++"], tmp)
        print(f"-DCMAKE_CXX_COMPILER=g++ -> {rc}: {out[-400:]}")
        if rc == 0 or "toolchain-gcc.cmake" not in out or "-DCMAKE_CXX_COMPILER=g++" not in out:
            problems.append("-DCMAKE_CXX_COMPILER=g++ was not refused with a pointer to "
                            "cmake/toolchain-gcc.cmake")

        clang = shutil.which("clang++")
        if clang:
            rc, out = configure(args.cmake, ["-S", source, "-B", os.path.join(tmp, "clang"),
                                             "-DBUILD_TESTING=OFF"], tmp, {"CXX": clang})
            print(f"CXX={clang} -> {rc}")
            if rc != 0:
                problems.append(f"CXX={clang}, the default toolchain's own compiler, was refused: "
                                f"{out[-300:]}")
        # Configured with the tests, never built: ctest must say so once.
        unbuilt = os.path.join(tmp, "unbuilt")
        rc, out = configure(args.cmake, ["-S", source, "-B", unbuilt, "-DBUILD_TESTING=ON",
                                         "-DKEEL_HOST_TESTS=OFF", "-DKEEL_FUZZ_TESTS=OFF"], tmp)
        if rc != 0:
            problems.append(f"configuring a build folder failed: {out[-300:]}")
        else:
            ctest = os.path.join(os.path.dirname(args.cmake), "ctest")
            if not os.path.exists(ctest):
                ctest = "ctest"
            r = subprocess.run([ctest, "--test-dir", unbuilt], text=True, timeout=60,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            said = " ".join(r.stdout.split())
            print(f"ctest in an unbuilt folder -> {r.returncode}: {said[-300:]}")
            if (r.returncode == 0 or "is not built" not in said or "cmake --build" not in said
                    or said.count("is not built") != 1 or "Test #" in said):
                problems.append("ctest in an unbuilt folder did not stop at once with one "
                                "message naming the build command")
    for p in problems:
        print(f"guard_rails_test: FAIL: {p}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
