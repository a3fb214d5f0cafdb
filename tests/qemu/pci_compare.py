"""--check-pci: the kernel's PCI report (`pci BB:DD.F [cccc] ... [vvvv:dddd],
BAR0 16 MiB mem pref, ...` lines on COM1) against QEMU's own `info pci`
(HMP), function by function: the same functions, vendor and device IDs, and
the same size for every BAR QEMU lists (the expansion ROM, BAR6, aside: the
kernel does not size it). QEMU's view is the oracle the issue asks for,
rather than lists written down by hand once."""
import re

_QEMU_FUNCTION = re.compile(r"^\s*Bus\s+(\d+), device\s+(\d+), function (\d+):", re.M)
_QEMU_IDS = re.compile(r"PCI device ([0-9a-f]{4}):([0-9a-f]{4})")
# "BAR0: 32 bit prefetchable memory at 0xfd000000 [0xfdffffff]." or, before
# the firmware assigns it, "at 0xffffffffffffffff [0x00fffffe]": the bracket
# is the last address, or the size less two while unassigned.
_QEMU_BAR = re.compile(r"^\s*BAR(\d): .* at (0x[0-9a-f]+) \[(0x[0-9a-f]+)\]\.", re.M)
_KERNEL_LINE = re.compile(r"^pci ([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) \[[0-9a-f]{4}\] (.*)$", re.M)
_KERNEL_IDS = re.compile(r"(?:\[([0-9a-f]{4}):([0-9a-f]{4})\]|: ([0-9a-f]{4}):([0-9a-f]{4}) \(unknown device\))")
_KERNEL_BAR = re.compile(r"BAR(\d) (\d+) (B|KiB|MiB|GiB|TiB) ")
_UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
_UNASSIGNED = 0xFFFFFFFFFFFFFFFF


def parse_qemu(text):
    """{(bus, device, function): ((vendor, device), {bar: size})} from `info pci`."""
    functions = {}
    starts = list(_QEMU_FUNCTION.finditer(text))
    for i, m in enumerate(starts):
        block = text[m.end():starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        ids = _QEMU_IDS.search(block)
        if not ids:
            continue
        bars = {}
        for b in _QEMU_BAR.finditer(block):
            index, at, last = int(b.group(1)), int(b.group(2), 16), int(b.group(3), 16)
            if index == 6:
                continue
            bars[index] = last + 2 if at == _UNASSIGNED else last - at + 1
        key = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        functions[key] = ((int(ids.group(1), 16), int(ids.group(2), 16)), bars)
    return functions


def parse_kernel(text):
    """The same shape from the kernel's report lines on COM1."""
    functions = {}
    for m in _KERNEL_LINE.finditer(text):
        rest = m.group(4)
        ids = _KERNEL_IDS.search(rest)
        if not ids:
            continue
        vendor = ids.group(1) or ids.group(3)
        device = ids.group(2) or ids.group(4)
        bars = {int(b.group(1)): int(b.group(2)) * _UNITS[b.group(3)]
                for b in _KERNEL_BAR.finditer(rest + " ")}
        key = (int(m.group(1), 16), int(m.group(2), 16), int(m.group(3)))
        functions[key] = ((int(vendor, 16), int(device, 16)), bars)
    return functions


def compare(qemu, kernel):
    """The differences, in words; empty when the two agree."""
    def name(key):
        return f"{key[0]:02x}:{key[1]:02x}.{key[2]}"
    problems = []
    for key in sorted(set(qemu) - set(kernel)):
        problems.append(f"pci {name(key)} is in QEMU's info pci "
                        f"({qemu[key][0][0]:04x}:{qemu[key][0][1]:04x}) but not in the kernel's report")
    for key in sorted(set(kernel) - set(qemu)):
        problems.append(f"pci {name(key)} is in the kernel's report but not in QEMU's info pci")
    for key in sorted(set(qemu) & set(kernel)):
        (q_ids, q_bars), (k_ids, k_bars) = qemu[key], kernel[key]
        if q_ids != k_ids:
            problems.append(f"pci {name(key)}: QEMU says {q_ids[0]:04x}:{q_ids[1]:04x}, "
                            f"the kernel {k_ids[0]:04x}:{k_ids[1]:04x}")
        if q_bars != k_bars:
            problems.append(f"pci {name(key)}: BAR sizes differ: QEMU {sorted(q_bars.items())}, "
                            f"the kernel {sorted(k_bars.items())}")
    return problems
