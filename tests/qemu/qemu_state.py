"""What the runner reads back from QEMU (keel_qemu.py): its log files, the
meaning of its exit status, and which CPUs 'info registers -a' shows
halted."""
import re


def read_text(path):
    """A log QEMU (or the runner) writes, as text; empty until it exists,
    since the run reads it while QEMU starts."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def halted_cpus(regs):
    """From 'info registers -a': (CPUs listed, the numbers of those not
    halted), or None when the output lists no CPU."""
    sections = re.split(r"^CPU#(\d+)\s*$", regs, flags=re.M)
    if len(sections) < 3:
        return None
    numbers = sections[1::2]
    bodies = sections[2::2]
    running = [int(n) for n, body in zip(numbers, bodies) if not re.search(r"\bHLT=1\b", body)]
    return len(numbers), running


def describe_exit(rc, qemu_log=""):
    if rc == 0:
        if "Triple fault" in qemu_log:
            return ("QEMU exited with status 0: guest reset by a triple fault "
                    "(-no-reboot turns a reset into an exit; qemu.log has the CPU state)")
        return ("QEMU exited with status 0: guest reset (triple fault?) or power-off "
                "(-no-reboot turns a reset into an exit; see qemu.log)")
    if rc > 0 and rc & 1 and rc >= 3:
        return f"QEMU exited with status {rc}: the guest wrote {(rc - 1) >> 1:#x} to isa-debug-exit"
    if rc < 0:
        return f"QEMU was killed by signal {-rc}"
    return f"QEMU exited with status {rc}"
