#!/usr/bin/env python3
"""The layering rules of docs/ARCHITECTURE.md, proven with the compiler.

Each case compiles a one-line file that includes one header, with exactly
the include root (the "view", cmake/Layers.cmake) a layer's own sources get.
A forbidden include must fail with "file not found"; an allowed one must
compile, so the test cannot pass merely because nothing compiles. Also
refuses any #include with a ".." in its path (which would step around
the views), and checks the few API rules that are meant to be build errors
too (CODE_CASES), each beside a use that compiles.

  check_layers.py --compiler CXX [--flag F ...] --layers DIR --src DIR
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

# (layer, header, allowed)
CASES = [
    ("kernel", "arch/x86_64/paging/mapper.hpp", False),  # arch internals
    ("kernel", "arch/x86_64/cpu.hpp", False),
    ("kernel", "arch/setup.hpp", False),                 # init's interface only
    ("kernel", "drivers/serial/uart16550.hpp", False),   # kernel knows no driver
    ("kernel", "boot/multiboot2/boot_info.hpp", False),  # nor a boot protocol
    ("kernel", "init/boot_console.hpp", False),
    ("lib", "kernel/log/log.hpp", False),                # lib includes only lib
    ("lib", "arch/arch.hpp", False),
    ("boot", "kernel/log/log.hpp", False),
    ("boot", "arch/arch.hpp", False),
    ("drivers", "arch/x86_64/cpu.hpp", False),
    ("drivers", "boot/params.hpp", False),
    ("drivers", "init/boot_console.hpp", False),
    ("arch", "drivers/pit/pit.hpp", False),
    ("arch", "boot/multiboot2/parse.hpp", False),
    ("init", "boot/multiboot2/parse.hpp", False),
    ("init", "arch/x86_64/paging/paging.hpp", False),
    # Controls: the edges the rules allow.
    ("kernel", "arch/arch.hpp", True),
    ("kernel", "boot/params.hpp", True),
    ("kernel", "lib/format/format.hpp", True),
    ("boot", "lib/ktl/span.hpp", True),
    ("drivers", "arch/io.hpp", True),
    ("drivers", "kernel/log/sink.hpp", True),
    ("arch", "kernel/log/log.hpp", True),
    ("init", "drivers/serial/uart16550.hpp", True),
    ("init", "boot/loader.hpp", True),
]

# The standard library is absent on purpose: the error says so and names
# the replacement (cmake/Layers.cmake writes these headers).
STD_CASES = [("kernel", "vector", "no C\+\+ standard library.*ktl::span"),
             ("drivers", "optional", "ktl::optional")]

# (layer, code, None if it compiles, else what the error must name)
_SPINLOCK = '#include "kernel/sync/spinlock.hpp"\nvoid f(kernel::Spinlock& l) { '
CODE_CASES = [
    # lock_nested's subclass is checked where the call is compiled.
    ("kernel", _SPINLOCK + "l.lock_nested(1); }\n", None),
    ("kernel", _SPINLOCK + "l.lock_nested(3); }\n", None),
    ("kernel", _SPINLOCK + "l.lock_nested(4); }\n", "lock_subclass_out_of_range"),
    ("kernel", _SPINLOCK + "l.lock_nested(0); }\n", "lock_subclass_out_of_range"),
]

NOT_FOUND = re.compile(r"file not found|No such file or directory")
# A ".." anywhere in the path: "../x.hpp", and "kernel/../arch/x86_64/cpu.hpp",
# which the kernel layer's view would resolve through its link to src/kernel.
RELATIVE = re.compile(r'^\s*#\s*include\s*["<](?:[^">\n]*/)?\.\./', re.M)


def compile_one(args, layer, header, workdir, angle=False, code=None):
    source = pathlib.Path(workdir) / f"{layer}_{re.sub(r'[^A-Za-z0-9]', '_', header)}.cpp"
    if code is None:
        code = f'#include <{header}>\n' if angle else f'#include "{header}"\n'
    source.write_text(code)
    view = pathlib.Path(args.layers) / layer
    cmd = [args.compiler, *args.flag, "-std=c++20", "-ffreestanding", "-nostdinc++",
           "-fsyntax-only", "-I", str(view), "-idirafter", args.no_std, str(source)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compiler", required=True)
    parser.add_argument("--flag", action="append", default=[])
    parser.add_argument("--layers", required=True, help="the build's layers/ folder")
    parser.add_argument("--src", required=True, help="the source tree's src/")
    parser.add_argument("--no-std", required=True, help="the build's no-std-headers/ folder")
    args = parser.parse_args()

    problems = []
    with tempfile.TemporaryDirectory() as workdir:
        for layer, header, allowed in CASES:
            result = compile_one(args, layer, header, workdir)
            output = result.stdout + result.stderr
            if allowed and result.returncode != 0:
                problems.append(f"{layer} may include {header}, but it does not compile:\n"
                                f"{output.strip()[:800]}")
            elif not allowed and result.returncode == 0:
                problems.append(f"{layer} must not see {header}, but it compiled")
            elif not allowed and not NOT_FOUND.search(output):
                problems.append(f"{layer} including {header} failed for another reason than "
                                f"'file not found':\n{output.strip()[:800]}")
            else:
                verdict = "allowed" if allowed else "refused"
                print(f"ok: {layer} -> {header} {verdict}")

        for layer, header, reason in STD_CASES:
            result = compile_one(args, layer, header, workdir, angle=True)
            output = result.stdout + result.stderr
            if result.returncode == 0 or not re.search(reason, output):
                problems.append(f"{layer} including <{header}> must fail saying why "
                                f"({reason}):\n{output.strip()[:800]}")
            else:
                print(f"ok: {layer} -> <{header}> refused with the reason")

        for number, (layer, code, error) in enumerate(CODE_CASES):
            result = compile_one(args, layer, f"code{number}", workdir, code=code)
            output = (result.stdout + result.stderr).strip()
            first = code.splitlines()[-1]
            if error is None and result.returncode != 0:
                problems.append(f"{first!r} must compile in {layer}:\n{output[:800]}")
            elif error is not None and (result.returncode == 0 or error not in output):
                problems.append(f"{first!r} must not compile in {layer}, with an error "
                                f"naming {error}:\n{output[:800]}")
            else:
                print(f"ok: {first!r} {'compiles' if error is None else 'refused'}")

    for path in sorted(pathlib.Path(args.src).rglob("*")):
        if path.suffix in {".h", ".hpp", ".cpp", ".S"} and RELATIVE.search(path.read_text()):
            problems.append(f"{path}: an #include climbs out with '..'; spell it from the "
                            "layer's name (docs/ARCHITECTURE.md)")

    for p in problems:
        print("FAIL:", p)
    print(f"layering: {len(CASES) + len(STD_CASES) + len(CODE_CASES)} cases, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
