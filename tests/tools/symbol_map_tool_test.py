#!/usr/bin/env python3
"""tools/make_symbol_map.py makes the map the build embeds, and its verify
step refuses an image whose map does not list the image's functions.

- generate on keel-nomap.elf writes keel.map again, byte for byte (the
  encoding is a function of the function list: no set or dict order leaks);
- verify passes on keel.elf with keel.map;
- verify fails, in its own words, on a copy whose embedded map records one
  function 16 bytes further on ("moved functions"), and when the map file
  is not the one embedded ("is not the map").

Usage: symbol_map_tool_test.py --nm NM --build BUILD_DIR
"""
import argparse
import pathlib
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import make_symbol_map  # noqa: E402

TOOL = ROOT / "tools" / "make_symbol_map.py"


def run(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)],
                          capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nm", required=True)
    parser.add_argument("--build", required=True, type=pathlib.Path)
    args = parser.parse_args()
    nomap, elf, built_map = (args.build / n for n in ("keel-nomap.elf", "keel.elf", "keel.map"))
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        made = run("generate", "--nm", args.nm, "--elf", nomap, "--output", tmp / "again.map")
        if made.returncode != 0 or (tmp / "again.map").read_bytes() != built_map.read_bytes():
            failures.append(f"generate did not make keel.map again: {made.stderr.strip()}")
        ok = run("verify", "--nm", args.nm, "--elf", elf, "--map", built_map)
        if ok.returncode != 0:
            failures.append(f"verify refused the build's own image: {ok.stderr.strip()}")

        # One record's start moved by 16 bytes, in the image and its map file.
        image = bytearray(elf.read_bytes())
        offset, size = make_symbol_map.section_range(bytes(image), str(elf),
                                                     make_symbol_map.SECTION)
        header = len(make_symbol_map.MAGIC) + struct.calcsize("<IIQIII")
        record = offset + header + 12 * 5
        struct.pack_into("<I", image, record, struct.unpack_from("<I", image, record)[0] + 16)
        (tmp / "moved.elf").write_bytes(image)
        (tmp / "moved.map").write_bytes(bytes(image[offset:offset + size]))
        moved = run("verify", "--nm", args.nm, "--elf", tmp / "moved.elf", "--map",
                    tmp / "moved.map")
        if moved.returncode != 1 or "moved functions" not in moved.stderr:
            failures.append(f"verify took a map with a moved function (exit status "
                            f"{moved.returncode}): {moved.stderr.strip()}")

        other = run("verify", "--nm", args.nm, "--elf", elf, "--map", tmp / "moved.map")
        if other.returncode != 1 or "is not the map" not in other.stderr:
            failures.append(f"verify took a map file that is not the embedded one (exit "
                            f"status {other.returncode}): {other.stderr.strip()}")
    for failure in failures:
        print(f"FAIL: {failure}")
    if failures:
        return 1
    print("symbol map tool: generate repeats keel.map; verify passes the build's image and "
          "refuses a moved function and a stale map file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
