"""What QEMU is started with (keel_qemu.py): the ISO to boot (as given,
built for the run around another kernel or command line, or the null
kernel's), the PVH direct boot's -kernel/-append/-initrd, and the command
line itself. Everything here is decided before QEMU runs."""
import os
import subprocess
import sys

from qemu_monitor import Failure
from run_args import sends

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
MAKE_ISO = os.path.join(REPO, "tools", "make_iso.py")


def acpi_table(sig, body):
    """A whole ACPI table: the 36-byte header (ACPI 6.5, 5.2.6) with the
    length and the checksum that makes every byte sum to zero, then body."""
    header = bytearray(sig.encode("ascii") + (36 + len(body)).to_bytes(4, "little")
                       + bytes([1, 0]) + b"KEELT " + b"KEELTEST" + (1).to_bytes(4, "little")
                       + b"KEEL" + (1).to_bytes(4, "little"))
    table = header + body
    table[9] = (-sum(table)) & 0xFF
    return bytes(table)


def module_files(args, workdir):
    """--module's files, then --generated-module's and --acpi-module's,
    written into workdir (FILE=STRING where the module has a string)."""
    modules = list(args.module)
    for spec in args.generated_module:
        spec, eq, string = spec.partition("=")
        name, _, size = spec.rpartition(":")
        if not name or not size.isdigit():
            raise Failure(f"--generated-module wants NAME:SIZE[=STRING], not {spec!r}")
        path = os.path.join(workdir, name)
        pattern = bytes((i * 7 + 3) & 0xFF for i in range(251))  # deterministic, not all zero
        data = (pattern * (int(size) // len(pattern) + 1))[:int(size)]
        with open(path, "wb") as f:
            f.write(data)
        modules.append(path + eq + string)
    for i, spec in enumerate(args.acpi_module):
        sig, _, body = spec.partition(":")
        path = os.path.join(workdir, f"acpi-module-{i}-{sig}.dat")
        with open(path, "wb") as f:
            f.write(acpi_table(sig, bytes.fromhex(body)))
        modules.append(path + "=acpi-table")
    return modules


def build_variant_iso(args, workdir):
    if not os.path.isfile(args.kernel):
        raise Failure(f"kernel {args.kernel} not found: build the 'kernel' target first")
    modules = module_files(args, workdir)
    iso = os.path.join(workdir, "variant.iso")
    cmd = [sys.executable, MAKE_ISO, "--kernel", args.kernel, "--output", iso]
    if args.cmdline is not None:
        cmd += ["--cmdline", args.cmdline]
    for m in modules:
        cmd += ["--module", m]
    if args.gfxpayload:
        cmd += ["--gfxpayload", args.gfxpayload]
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise Failure("make_iso.py failed:\n" + result.stdout)
    return iso


def direct_boot_args(args, workdir):
    """QEMU's PVH boot of the kernel ELF (-kernel): the command line goes in
    -append, the one module QEMU passes in -initrd."""
    if not os.path.isfile(args.direct):
        raise Failure(f"kernel {args.direct} not found: build the 'kernel' target first")
    modules = module_files(args, workdir)
    if len(modules) > 1:
        raise Failure("--direct passes one module (QEMU's -initrd under PVH), not "
                      f"{len(modules)}")
    cmd = ["-kernel", args.direct]
    if args.cmdline is not None:
        cmd += ["-append", args.cmdline]
    if modules:
        cmd += ["-initrd", modules[0].split("=", 1)[0]]
    return cmd


def boot_iso(args, workdir):
    """The ISO the run boots: --iso's, a variant built from --kernel, or the
    null kernel's; None with --direct (qemu_command checks its ELF)."""
    iso = args.iso
    if args.kernel:
        iso = build_variant_iso(args, workdir)
    elif args.null_kernel:
        sys.path.insert(0, os.path.join(REPO, "bench", "null_kernel"))
        import build as null_kernel
        try:
            _, iso = null_kernel.build(workdir)
        except (RuntimeError, subprocess.CalledProcessError) as e:
            raise Failure(f"building the null kernel: {e}")
    elif args.direct:
        pass  # qemu_command checks the ELF
    elif not os.path.isfile(iso):
        raise Failure(f"ISO {iso} not found: build the 'iso' target first")
    return iso


def tcg_accel(smp, thread_per_vcpu=False):
    """TCG with a host thread per vCPU, unless the vCPUs outnumber the host's
    cores: then spinning vCPUs wait for the host scheduler to run the one
    holding the lock (smp.ktest.4 on two cores took 3.7 to 27 s, measured),
    and one thread taking the vCPUs in turn (a spinning one gives way at its
    PAUSE) is both faster and steady. Lock tests on as many vCPUs as cores
    keep the threads, and so does a boot that asks (thread_per_vcpu): with
    hundreds of vCPUs taking turns, each waits for all the others."""
    vcpus = int(str(smp).split(",")[0])
    if thread_per_vcpu:
        return "tcg"
    return "tcg,thread=single" if vcpus > (os.cpu_count() or 1) else "tcg"


def acpi_table_args(args, workdir):
    """--acpi-table SIG:HEX: a table QEMU adds to the firmware's, its body
    (what follows the 36-byte header, which QEMU writes) given in hex and
    written into workdir; hostile tables without a table compiler."""
    out = []
    for i, spec in enumerate(args.acpi_table):
        sig, _, body = spec.partition(":")
        path = os.path.join(workdir, f"acpi-{i}-{sig}.bin")
        with open(path, "wb") as f:
            f.write(bytes.fromhex(body))
        out += ["-acpitable", f"sig={sig},data={path}"]
    return out


def qemu_command(args, iso, workdir, monitor_path):
    serial_log = os.path.join(workdir, "serial.log")
    # --type: COM1 is a socket; QEMU waits for the runner to connect, which
    # then writes serial.log itself (a socket's logfile= duplicates bytes).
    if args.type:
        serial = ["-chardev", f"socket,id=com1,path={os.path.join(workdir, 'com1.sock')},"
                  "server=on,wait=on", "-serial", "chardev:com1"]
    elif sends(args, "serial"):
        # A socket for input that still logs COM1's output to serial.log.
        serial = ["-chardev", f"socket,id=com1,path={os.path.join(workdir, 'com1.sock')},"
                  f"server=on,wait=off,logfile={serial_log}", "-serial", "chardev:com1"]
    elif args.no_com1:
        # A machine without COM1: the kernel's log still reaches the host
        # through QEMU's debug console (port 0xE9), read as serial.log.
        serial = ["-serial", "none", "-debugcon", "file:" + serial_log]
    else:
        serial = ["-serial", "file:" + serial_log]
    cmd = [args.qemu, "-accel", tcg_accel(args.smp, args.thread_per_vcpu), "-machine", args.machine, "-m", args.memory,
           "-smp", str(args.smp), "-no-reboot", "-display", "none", "-nic", "none",
           *serial,
           "-monitor", f"unix:{monitor_path},server,nowait",
           "-d", "cpu_reset,guest_errors", "-D", os.path.join(workdir, "qemu.log"),
           ]
    if args.allow_reboot:
        cmd.remove("-no-reboot")
    if not args.no_debug_exit:
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if args.direct:
        cmd += direct_boot_args(args, workdir)
    else:
        cmd += ["-cdrom", iso, "-boot", "d"]
    if args.cpu:
        cmd += ["-cpu", args.cpu]
    if args.firmware == "uefi":
        if not os.path.isfile(args.ovmf):
            raise Failure(f"OVMF firmware {args.ovmf} not found: sudo apt-get install ovmf")
        cmd += ["-drive", f"if=pflash,format=raw,readonly=on,file={args.ovmf}"]
    if args.debugcon:
        cmd += ["-debugcon", "file:" + os.path.join(workdir, "debugcon.log")]
    if sends(args, "qmp"):
        cmd += ["-qmp", f"unix:{os.path.join(workdir, 'qmp.sock')},server=on,wait=off"]
    cmd += acpi_table_args(args, workdir)
    cmd += args.qemu_arg
    return cmd
