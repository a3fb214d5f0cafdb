"""The runner's channels into QEMU: the HMP monitor and QMP over unix
sockets, and COM1's input socket (keel_qemu.py drives them). Python's
standard library only."""
import json
import re
import socket
import threading
import time

POLL = 0.05


class Failure(Exception):
    """A check failed: the message says what, in words."""


# The HMP monitor, over a unix socket (-monitor unix:PATH,server,nowait)

class Monitor:
    PROMPT = b"(qemu) "

    def __init__(self, path, proc, timeout=10.0):
        self.sock = None
        deadline = time.monotonic() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                self.sock = s
                break
            except OSError:
                s.close()
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise Failure("cannot connect to QEMU's monitor at " + path)
                time.sleep(POLL)
        self.sock.settimeout(timeout)
        self._read_to_prompt()  # the banner

    def _read_to_prompt(self):
        data = b""
        while not data.endswith(self.PROMPT):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failure("QEMU's monitor closed the connection")
            data += chunk
        return data[:-len(self.PROMPT)]

    def command(self, text):
        self.sock.sendall(text.encode() + b"\n")
        out = self._read_to_prompt().decode("utf-8", "replace")
        # HMP echoes the command with terminal escapes; the first line is it.
        out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]|\x1b[=>]", "", out)
        lines = out.replace("\r", "").split("\n")
        return "\n".join(lines[1:])

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None


# --------------------------------------------------------------------------
# QMP (-qmp unix:PATH,server=on,wait=off) and COM1's input socket, for --send

def connect_unix(path, proc, timeout=10.0, what="socket"):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.settimeout(timeout)
            return s
        except OSError:
            s.close()
            if proc.poll() is not None or time.monotonic() > deadline:
                raise Failure(f"cannot connect to QEMU's {what} at {path}")
            time.sleep(POLL)


def log_socket(sock, path):
    """Appends everything `sock` receives to the file at `path` until the
    peer closes it (or it fails): COM1 as a socket, logged as it arrives."""
    with open(path, "ab") as log:
        while True:
            try:
                data = sock.recv(4096)
            except OSError:
                return
            if not data:
                return
            log.write(data)
            log.flush()


class Qmp:
    def __init__(self, path, proc):
        self.sock = connect_unix(path, proc, what="QMP socket")
        self.file = self.sock.makefile("rb")
        self._reply()  # the greeting
        self.command({"execute": "qmp_capabilities"})

    def _reply(self):
        while True:
            line = self.file.readline()
            if not line:
                raise Failure("QEMU's QMP socket closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def command(self, cmd):
        self.sock.sendall(json.dumps(cmd).encode() + b"\n")
        reply = self._reply()
        if "error" in reply:
            raise Failure(f"QMP {cmd.get('execute')} failed: {reply['error']}")
        return reply

    def close(self):
        self.sock.close()


class SerialInput:
    """COM1's input side: bytes written here reach the guest's UART. What
    QEMU sends back (COM1's output, also in serial.log) is read and dropped,
    so that a full socket never stalls the guest's log."""

    def __init__(self, path, proc):
        self.sock = connect_unix(path, proc, what="serial socket")
        self.sock.settimeout(None)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        try:
            while self.sock.recv(65536):
                pass
        except OSError:
            pass

    def write(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
