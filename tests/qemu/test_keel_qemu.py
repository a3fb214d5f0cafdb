#!/usr/bin/env python3
"""Self-test of keel_qemu.py's parsers, without QEMU: KTAP, PPM and the
framebuffer OCR (text drawn with the PSF font must read back exactly), and
of the QEMU command line it builds (qemu_command.py).

  tests/qemu/test_keel_qemu.py [--font FILE.psf[.gz]]
"""
import contextlib
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keel_qemu  # noqa: E402
import pci_compare  # noqa: E402
import qemu_command  # noqa: E402
import run_args  # noqa: E402

FONT = keel_qemu.DEFAULT_FONT


class KtapTest(unittest.TestCase):
    def check(self, text):
        return keel_qemu.check_ktap(text)

    def test_passing_report(self):
        done, problems, summary = self.check(
            "boot noise\nKTAP version 1\n1..3\nok 1 a\nok 2 b # SKIP no hw\nok 3 - c\n")
        self.assertTrue(done)
        self.assertEqual(problems, [])
        self.assertIn("3 tests, 2 passed, 0 failed, 1 skipped", summary)

    def test_failure_is_reported(self):
        _, problems, _ = self.check("KTAP version 1\n1..2\nok 1 a\nnot ok 2 b\n")
        self.assertEqual(problems, ["KTAP: not ok 2 b"])

    def test_count_must_match_plan(self):
        _, problems, _ = self.check("KTAP version 1\n1..3\nok 1 a\nok 2 b\n")
        self.assertEqual(problems, ["KTAP: plan 1..3 but 2 results"])

    def test_missing_plan_and_header(self):
        self.assertIn("KTAP: no plan line '1..N'", self.check("KTAP version 1\nok 1 a\n")[1])
        self.assertFalse(self.check("ok 1 a\n")[0])

    def test_subtests_are_not_counted(self):
        _, problems, _ = self.check(
            "KTAP version 1\n1..1\n    KTAP version 1\n    1..2\n    ok 1 x\n    not ok 2 y\n"
            "not ok 1 suite\n")
        self.assertEqual(problems, ["KTAP: not ok 1 suite"])

    def test_empty_plan_fails(self):
        self.assertIn("KTAP: plan 1..0: no test ran", self.check("KTAP version 1\n1..0\n")[1])

    def test_numbering(self):
        _, problems, _ = self.check("KTAP version 1\n1..2\nok 1 a\nok 3 b\n")
        self.assertEqual(problems, ["KTAP: result 2 is numbered 3 (b)"])

    def test_complete_only(self):
        self.assertFalse(keel_qemu.check_ktap("KTAP version 1\n1..2\nok 1 a\n", True)[0])
        self.assertTrue(keel_qemu.check_ktap("KTAP version 1\n1..2\nok 1 a\nok 2 b\n", True)[0])


class OcrTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.font = keel_qemu.Font(FONT)
        sys.path.insert(0, os.path.join(keel_qemu.REPO, "tools"))
        import psf2cpp
        sys.path.pop(0)
        cls.width, cls.height, cls.glyphs, cls.table = psf2cpp.load(FONT)

    def render(self, cells, size=(640, 480), background=(0, 0, 0)):
        """cells: {(row, col): (char, fg, bg)} -> PPM path."""
        w, h = size
        cw, ch = self.width, self.height
        px = bytearray(bytes(background) * w * h)
        for (row, col), (char, fg, bg) in cells.items():
            glyph = self.glyphs[self.table[ord(char)]]
            row_bytes = (cw + 7) // 8
            for y in range(ch):
                bits = int.from_bytes(glyph[y * row_bytes:(y + 1) * row_bytes], "big")
                for x in range(cw):
                    on = bits & (1 << (row_bytes * 8 - 1 - x))
                    o = ((row * ch + y) * w + col * cw + x) * 3
                    px[o:o + 3] = bytes(fg if on else bg)
        fd, path = tempfile.mkstemp(suffix=".ppm")
        with os.fdopen(fd, "wb") as f:
            f.write(b"P6\n# made by test_keel_qemu.py\n%d %d\n255\n" % (w, h) + bytes(px))
        self.addCleanup(os.remove, path)
        return path

    def text(self, lines, fg=(0xAA, 0xAA, 0xAA), bg=(0, 0, 0)):
        return {(r, c): (ch, fg, bg) for r, line in enumerate(lines) for c, ch in enumerate(line)}

    def test_reads_back_printable_ascii(self):
        lines = ["[    0.000123] info: ready in 4242 us",
                 "".join(chr(c) for c in range(0x20, 0x7F)),
                 "", "usable RAM: 127 MiB"]
        got = keel_qemu.ocr_framebuffer(self.render(self.text(lines), size=(1024, 768)), self.font)
        self.assertEqual(len(got), 768 // self.height)
        self.assertEqual(len(got[0]), 1024 // self.width)
        self.assertEqual([l.rstrip() for l in got[:4]], lines)

    def test_colours_and_inverse_cells(self):
        cells = self.text(["PANIC"], fg=(255, 255, 255), bg=(170, 0, 0))
        cells[(1, 0)] = ("W", (0, 0, 0), (0xAA, 0xAA, 0xAA))  # inverse video
        cells[(1, 1)] = ("#", (0, 0xAA, 0), (0, 0, 0))
        got = keel_qemu.ocr_framebuffer(self.render(cells), self.font)
        self.assertEqual(got[0].rstrip(), "PANIC")
        self.assertEqual(got[1].rstrip(), "W#")

    def test_unknown_pattern_reads_as_question_mark(self):
        path = self.render({})
        w, h, px = keel_qemu.parse_ppm(path)
        px = bytearray(px)
        for x in range(3):  # three stray pixels of three colours: no glyph
            o = (2 * w + x * 2) * 3
            px[o:o + 3] = bytes((10 * (x + 1), 0, 0))
        with open(path, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (w, h) + bytes(px))
        self.assertEqual(keel_qemu.ocr_framebuffer(path, self.font)[0][0], "?")


class FakeVgaMonitor:
    """HMP as QEMU answers it for a VGA's CRTC: `i/b` and `o/b` on 0x3D4/0x3D5
    (reading 0x3D4 returns the index), `stop`, `cont`, `info status`."""

    def __init__(self, registers, index=0x0F):
        self.registers = dict(registers)
        self.index = index
        self.running = True
        self.log = []

    def command(self, text):
        self.log.append(text)
        words = text.split()
        if text == "info status":
            return "VM status: running\n" if self.running else "VM status: paused\n"
        if text in ("stop", "cont"):
            self.running = text == "cont"
            return ""
        if words[0] == "o/b":
            port, value = int(words[1], 0), int(words[2], 0)
            if port == 0x3D4:
                self.index = value
            else:
                self.registers[self.index] = value
            return ""
        if words[0] == "i/b":
            port = int(words[1], 0)
            assert not self.running, "CRTC read with the guest running"
            value = self.index if port == 0x3D4 else self.registers.get(self.index, 0)
            return f"portb[{port:#06x}] = {value:#04x}\n"
        raise AssertionError(f"unexpected HMP command {text!r}")


class VgaCrtcTest(unittest.TestCase):
    def test_start_and_cursor_read_paused_and_index_restored(self):
        mon = FakeVgaMonitor({0x0C: 0x2F, 0x0D: 0x80, 0x0E: 0x36, 0x0F: 0x46}, index=0x0E)
        self.assertEqual(keel_qemu.vga_crtc(mon), (0x2F80, 0x3646))
        self.assertEqual(mon.index, 0x0E)
        self.assertTrue(mon.running)
        self.assertEqual(mon.log[1], "stop")
        self.assertEqual(mon.log[-1], "cont")

    def test_a_paused_guest_stays_paused(self):
        mon = FakeVgaMonitor({0x0C: 0, 0x0D: 80})
        mon.running = False
        self.assertEqual(keel_qemu.vga_crtc(mon)[0], 80)
        self.assertFalse(mon.running)
        self.assertNotIn("cont", mon.log)

    def test_a_screen_past_the_window_is_refused(self):
        last = 16384 - 80 * 25  # the last start whose screen ends inside the window
        self.assertEqual(keel_qemu.vga_crtc(FakeVgaMonitor({0x0C: last >> 8, 0x0D: last & 0xFF}))[0],
                         last)
        mon = FakeVgaMonitor({0x0C: (last + 1) >> 8, 0x0D: (last + 1) & 0xFF})
        with self.assertRaises(keel_qemu.Failure):
            keel_qemu.vga_crtc(mon)


class ArgsTest(unittest.TestCase):
    def test_cmdline_needs_kernel(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            keel_qemu.parse_args(["--iso", "x.iso", "--cmdline", "test"])

    def test_bad_regex_is_refused(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            keel_qemu.parse_args(["--iso", "x.iso", "--expect", "("])

    def test_no_com1_has_nothing_to_type_on(self):
        for extra in (["--type", "x", "y"], ["--send", "serial:x"], ["--debugcon"]):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                keel_qemu.parse_args(["--direct", "k.elf", "--no-com1", *extra])
        args = keel_qemu.parse_args(["--iso", "k.iso", "--no-com1"])
        cmd = qemu_command.qemu_command(args, "k.iso", "/w", "/w/mon.sock")
        self.assertIn("none", cmd[cmd.index("-serial") + 1])
        self.assertEqual(cmd[cmd.index("-debugcon") + 1], "file:/w/serial.log")

    def test_gfxpayload_needs_a_bios_variant_iso(self):
        for argv in (["--iso", "x.iso", "--gfxpayload", "1024x768x32"],
                     ["--kernel", "k.elf", "--firmware", "uefi", "--gfxpayload", "1024x768x32"],
                     ["--kernel", "k.elf", "--gfxpayload", "1024x768"]):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                keel_qemu.parse_args(argv)
        args = keel_qemu.parse_args(["--kernel", "k.elf", "--gfxpayload", "1024x768x32"])
        self.assertTrue(run_args.framebuffer_screen(args))
        self.assertFalse(run_args.framebuffer_screen(keel_qemu.parse_args(["--iso", "x.iso"])))
        # VGA text checks cannot read a framebuffer.
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            keel_qemu.parse_args(["--kernel", "k.elf", "--gfxpayload", "1024x768x32",
                                  "--expect-screen", "x", "--expect-vga-attr", "x", "0x07"])

    def test_a_named_test_needs_a_check_that_must_appear(self):
        # --reject and --type alone pass on a hung kernel (and when a CMake
        # list split swallowed the --expect into the typed text).
        for extra in (["--reject", "PANIC"], ["--type", "^keel> ", "echo x;--expect;^x$"], []):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                keel_qemu.parse_args(["--direct", "k.elf", "--name", "t", *extra])
        for extra in (["--expect", "^x$"], ["--ktap"], ["--expect-exit", "33"], ["--expect-halt"],
                      ["--expect-screen", "x"], ["--expect-raw", "x"]):
            self.assertEqual(keel_qemu.parse_args(["--direct", "k.elf", "--name", "t",
                                                   *extra]).name, "t")
        # Unnamed, it is a manual run: watching a boot needs no check.
        self.assertEqual(keel_qemu.parse_args(["--direct", "k.elf"]).name, "keel")

    def test_acpi_table_needs_a_signature_and_hex(self):
        for spec in ("MCFG:0g", "MCF:00", "MCFG:0"):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                keel_qemu.parse_args(["--direct", "k.elf", "--acpi-table", spec])
        args = keel_qemu.parse_args(["--iso", "k.iso", "--acpi-table", "HPET:00ff"])
        with tempfile.TemporaryDirectory() as work:
            cmd = qemu_command.qemu_command(args, "k.iso", work, os.path.join(work, "mon.sock"))
            data = cmd[cmd.index("-acpitable") + 1]
            self.assertTrue(data.startswith("sig=HPET,data="))
            with open(data.split("data=")[1], "rb") as f:
                self.assertEqual(f.read(), b"\x00\xff")

    def test_acpi_module_is_a_whole_table_with_its_string(self):
        for spec in ("APIC:0g", "APC:00"):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
                keel_qemu.parse_args(["--kernel", "k.elf", "--acpi-module", spec])
        args = keel_qemu.parse_args(["--kernel", "k.elf", "--acpi-module", "APIC:00ff",
                                     "--generated-module", "junk.bin:9=acpi-table x"])
        with tempfile.TemporaryDirectory() as work:
            junk, table = qemu_command.module_files(args, work)
            self.assertTrue(junk.endswith("junk.bin=acpi-table x"))
            path, _, string = table.partition("=")
            self.assertEqual(string, "acpi-table")
            with open(path, "rb") as f:
                data = f.read()
        self.assertEqual(data[:4], b"APIC")
        self.assertEqual(int.from_bytes(data[4:8], "little"), 38)
        self.assertEqual(len(data), 38)
        self.assertEqual(sum(data) & 0xFF, 0)
        self.assertEqual(data[36:], b"\x00\xff")

    def test_describe_exit(self):
        self.assertIn("guest reset", keel_qemu.describe_exit(0))
        self.assertIn("0x10 to isa-debug-exit", keel_qemu.describe_exit(33))


class HaltTest(unittest.TestCase):
    # 'info registers -a' as QEMU 7.2 prints it (trimmed): "CPU#<n>", then
    # that CPU's registers.
    REGS = ("CPU#0\r\nRAX=0 RBX=0\r\nRIP=ffffffff80001234 RFL=00000046 [---Z-P-] CPL=0 II=0 "
            "A20=1 SMM=0 HLT=1\r\nCPU#1\r\nRAX=0\r\nRIP=ffffffff80005678 RFL=00000002 "
            "[-------] CPL=0 II=0 A20=1 SMM=0 HLT={}\r\n")

    def test_every_cpu_halted(self):
        self.assertEqual(keel_qemu.halted_cpus(self.REGS.format(1)), (2, []))

    def test_a_running_cpu_is_named(self):
        self.assertEqual(keel_qemu.halted_cpus(self.REGS.format(0)), (2, [1]))

    def test_no_cpu_listed(self):
        self.assertIsNone(keel_qemu.halted_cpus("RIP=0 HLT=1\r\n"))


class CommandTest(unittest.TestCase):
    """The QEMU command line (qemu_command.py), built from parsed options."""

    def command(self, *argv):
        args = keel_qemu.parse_args(list(argv))
        with tempfile.TemporaryDirectory() as work:
            return qemu_command.qemu_command(args, "k.iso", work, os.path.join(work, "mon.sock"))

    def test_iso_boot_exits_on_reset_and_debug_exit(self):
        cmd = self.command("--iso", "k.iso")
        self.assertEqual(cmd[cmd.index("-cdrom") + 1], "k.iso")
        self.assertIn("-no-reboot", cmd)
        self.assertIn("isa-debug-exit,iobase=0xf4,iosize=0x04", cmd)
        cmd = self.command("--iso", "k.iso", "--allow-reboot", "--no-debug-exit")
        self.assertNotIn("-no-reboot", cmd)
        self.assertFalse(any("isa-debug-exit" in c for c in cmd))

    def test_direct_boot_appends_the_command_line(self):
        with tempfile.NamedTemporaryFile(suffix=".elf") as elf:
            cmd = self.command("--direct", elf.name, "--cmdline", "test=a b")
        self.assertEqual(cmd[cmd.index("-kernel"):cmd.index("-kernel") + 4],
                         ["-kernel", elf.name, "-append", "test=a b"])
        self.assertNotIn("-cdrom", cmd)

    def test_com1_input_makes_com1_a_socket(self):
        typed = " ".join(self.command("--iso", "k.iso", "--type", "x", "y"))
        self.assertRegex(typed, r"-chardev socket,id=com1,path=\S+com1.sock,server=on,wait=on ")
        sent = " ".join(self.command("--iso", "k.iso", "--send", "serial:y"))
        self.assertRegex(sent, r"server=on,wait=off,logfile=\S+serial.log -serial chardev:com1")
        self.assertRegex(" ".join(self.command("--iso", "k.iso")), r"-serial file:\S+serial.log")

    def test_more_vcpus_than_cores_share_one_thread(self):
        cores = os.cpu_count() or 1
        self.assertEqual(qemu_command.tcg_accel(str(cores)), "tcg")
        self.assertEqual(qemu_command.tcg_accel(f"{cores + 1},maxcpus={cores + 1}"),
                         "tcg,thread=single")
        # Unless the run asks for a thread each (a boot of 255 CPUs).
        self.assertEqual(qemu_command.tcg_accel(str(cores + 1), thread_per_vcpu=True), "tcg")
        self.assertRegex(" ".join(self.command("--iso", "k.iso", "--smp", "255",
                                               "--thread-per-vcpu")), r"-accel tcg -")



class PciCompareTest(unittest.TestCase):
    """--check-pci: QEMU's info pci against the kernel's report."""
    QEMU = """  Bus  0, device   1, function 0:
    VGA controller: PCI device 1234:1111
      PCI subsystem 1af4:1100
      BAR0: 32 bit prefetchable memory at 0xffffffffffffffff [0x00fffffe].
      BAR2: 32 bit memory at 0xfebd0000 [0xfebd0fff].
      BAR6: 32 bit memory at 0xffffffffffffffff [0x0000fffe].
      id ""
  Bus  0, device  31, function 2:
    SATA controller: PCI device 8086:2922
      IRQ 10, pin A
      BAR4: I/O at 0xc040 [0xc05f].
      id ""
"""
    KERNEL = ("pci 00:01.0 [0300] VGA compatible controller: 1234:1111 (unknown device) "
              "(rev 02), BAR0 16 MiB mem pref, BAR2 4 KiB mem\n"
              "pci 00:1f.2 [0106] SATA controller: Intel Corporation 82801IR/IO/IH "
              "[AHCI mode] [8086:2922] (rev 02), BAR4 32 B io, INTA IRQ 10, caps MSI\n")

    def test_the_same_machine_agrees(self):
        qemu = pci_compare.parse_qemu(self.QEMU)
        self.assertEqual(qemu[(0, 1, 0)], ((0x1234, 0x1111), {0: 16 << 20, 2: 4096}))
        self.assertEqual(qemu[(0, 31, 2)], ((0x8086, 0x2922), {4: 32}))
        self.assertEqual(pci_compare.compare(qemu, pci_compare.parse_kernel(self.KERNEL)), [])

    def test_each_difference_is_named(self):
        qemu = pci_compare.parse_qemu(self.QEMU)
        missing = self.KERNEL.split("\n")[0] + "\n"
        self.assertEqual(pci_compare.compare(qemu, pci_compare.parse_kernel(missing)),
                         ["pci 00:1f.2 is in QEMU's info pci (8086:2922) but not in the "
                          "kernel's report"])
        wrong = self.KERNEL.replace("BAR2 4 KiB", "BAR2 8 KiB").replace("8086:2922", "8086:2923")
        problems = pci_compare.compare(qemu, pci_compare.parse_kernel(wrong))
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("BAR sizes differ", problems[0])
        self.assertIn("QEMU says 8086:2922, the kernel 8086:2923", problems[1])
        extra = self.KERNEL + "pci 00:05.0 [0200] Ethernet controller: x [8086:100e]\n"
        self.assertIn("pci 00:05.0 is in the kernel's report but not in QEMU's info pci",
                      pci_compare.compare(qemu, pci_compare.parse_kernel(extra)))

if __name__ == "__main__":
    if "--font" in sys.argv:
        i = sys.argv.index("--font")
        FONT = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    unittest.main(verbosity=1)
