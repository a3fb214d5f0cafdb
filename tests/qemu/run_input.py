"""What a run sends into the guest (keel_qemu.py's Run): --type's text on
COM1's socket once its prompt has appeared, and the --send actions (QMP
keys and mouse events, serial text, waits). A mixin of Run: it shares the
run's QEMU process, work directory and screen reading."""
import json
import os
import random
import re
import socket
import threading
import time

from qemu_monitor import POLL, Failure, Qmp, SerialInput, log_socket


def typed_bytes(text):
    """--type's TEXT as bytes: Python escapes decoded; {garbage:N} is N bytes
    of every value but CR and LF, the same ones on every run."""
    out = b""
    for part in re.split(r"(\{garbage:[0-9]+\})", text):
        m = re.fullmatch(r"\{garbage:([0-9]+)\}", part)
        if m:
            rng = random.Random(11)
            out += bytes(b for b in (rng.randrange(256) for _ in range(int(m.group(1)) * 2))
                         if b not in (0x0A, 0x0D))[:int(m.group(1))]
        else:
            out += part.encode("latin-1").decode("unicode_escape").encode("latin-1")
    return out


class RunInput:
    """Needs from Run: args, workdir, proc, notes, typing, typed_at, com1,
    qmp, serial_input and wait_for_screen (RunChecks)."""

    def send_input(self):
        """Does the --send actions, in order."""
        for action in self.args.send:
            kind, _, value = action.partition(":")
            if kind == "qmp":
                if self.qmp is None:
                    self.qmp = Qmp(os.path.join(self.workdir, "qmp.sock"), self.proc)
                cmd = json.loads(value)
                self.qmp.command(cmd)
                if cmd.get("execute") == "send-key":
                    # QEMU releases the keys hold-time (100 ms by default)
                    # after answering: wait, so the next action comes after.
                    hold_ms = cmd.get("arguments", {}).get("hold-time", 100)
                    time.sleep(hold_ms / 1000 + 0.2)
            elif kind == "serial":
                if self.serial_input is None:
                    self.serial_input = SerialInput(os.path.join(self.workdir, "com1.sock"),
                                                    self.proc)
                self.serial_input.write(value.encode("latin-1").decode("unicode_escape")
                                        .encode("utf-8"))
            elif kind == "screen":
                self.wait_for_screen(value)
            else:
                time.sleep(float(value))

    def connect_com1(self, deadline):
        """--type: connects to COM1's socket and logs what arrives on it."""
        path = os.path.join(self.workdir, "com1.sock")
        while True:
            try:
                self.com1 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.com1.connect(path)
                break
            except OSError:
                self.com1.close()
                self.com1 = None
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise Failure("QEMU's COM1 socket never appeared")
                time.sleep(POLL)

        threading.Thread(target=log_socket, args=(self.com1, os.path.join(self.workdir, "serial.log")),
                         daemon=True).start()

    def type_pending(self, serial):
        """Sends the next --type text once its pattern has appeared."""
        pattern, text = self.typing[0]
        m = pattern.search(serial, self.typed_at)
        if m:
            self.com1.sendall(text)
            self.typed_at = m.end()
            self.typing.pop(0)
