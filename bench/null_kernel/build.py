#!/usr/bin/env python3
"""Builds the null kernel (null.S) into an ELF and an ISO like Keel's.

  bench/null_kernel/build.py --output-dir DIR     # -> DIR/null.elf, DIR/null.iso

clang assembles null.S for i386 and ld.lld links it at 1 MiB (null.ld);
tools/make_iso.py packages it with the same GRUB configuration as keel.iso.
Used by bench/boot_time.py and by the runner's --null-kernel.
"""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def find_tool(names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError(f"none of {', '.join(names)} found: sudo apt-get install clang lld")


def build(output_dir, iso=True, blocks=0):
    """Returns (elf, iso or None). blocks > 0 builds the translation probe
    instead (null-blocks<n>.elf: null.S with -DNULL_BLOCKS=n), ELF only."""
    os.makedirs(output_dir, exist_ok=True)
    clang = find_tool(["clang", "clang-14", "clang-15", "clang-16"])
    lld = find_tool(["ld.lld", "ld.lld-14", "ld.lld-15", "ld.lld-16"])
    name = f"null-blocks{blocks}" if blocks > 0 else "null"
    obj = os.path.join(output_dir, name + ".o")
    elf = os.path.join(output_dir, name + ".elf")
    defines = [f"-DNULL_BLOCKS={blocks}"] if blocks > 0 else []
    subprocess.run([clang, "--target=i386-unknown-none-elf", *defines, "-c",
                    os.path.join(HERE, "null.S"), "-o", obj], check=True)
    subprocess.run([lld, "-m", "elf_i386", "-T", os.path.join(HERE, "null.ld"), obj, "-o", elf],
                   check=True)
    if not iso or blocks > 0:
        return elf, None
    iso_path = os.path.join(output_dir, "null.iso")
    subprocess.run([sys.executable, os.path.join(REPO, "tools", "make_iso.py"), "--kernel", elf,
                    "--output", iso_path], check=True)
    return elf, iso_path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output-dir", required=True)
    args = ap.parse_args()
    try:
        elf, iso = build(args.output_dir)
    except (RuntimeError, subprocess.CalledProcessError) as e:
        sys.exit(f"null kernel: {e}")
    print(elf)
    print(iso)


if __name__ == "__main__":
    main()
