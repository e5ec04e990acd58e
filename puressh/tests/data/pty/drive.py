#!/usr/bin/python3
"""Drives an interactive `puressh ssh` session under a pseudo-terminal
for tests/interop/interactive.rs (Debian's /usr/bin/python3, standard
library only).

usage: drive.py SCENARIO -- PROGRAM ARGS...

The program starts on a fresh pty of 40 rows x 100 columns whose erase
character is ^H (so the remote `stty -a` shows that the terminal modes
travelled). Scenarios:
  shell   prompt, TERM, size, modes, a resize, then `exit 3`
  escape  `~?` prints the help, `~.` disconnects
  no-escape  `~.` reaches the shell (`-e none`), then `exit 6`
  term    SIGTERM to the program
Every scenario also reports whether the terminal's mode was restored.
Prints `EXIT <code>` (or `SIGNAL <n>`) and exits 0 when every expectation
held; otherwise exits 1 with the transcript on stderr.
"""

import fcntl
import os
import pty
import select
import struct
import signal
import sys
import termios
import time

TIMEOUT = 20.0


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Session:
    def __init__(self, argv):
        # openpty + fork rather than pty.fork: the driver keeps the slave
        # open, so it can read the terminal's mode after the program exits.
        master, slave = pty.openpty()
        set_size(slave, 40, 100)
        attrs = termios.tcgetattr(slave)
        attrs[6][termios.VERASE] = b"\x08"
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        self.cooked = termios.tcgetattr(slave)
        pid = os.fork()
        if pid == 0:
            os.setsid()
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            os.close(master)
            os.close(slave)
            os.environ["TERM"] = "xterm"
            os.execv(argv[0], argv)
        self.pid, self.fd, self.slave = pid, master, slave
        self.out = b""
        self.seen = 0

    def restored(self):
        return termios.tcgetattr(self.slave) == self.cooked

    def read_some(self, deadline):
        wait = max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            return False
        self.out += chunk
        return True

    def expect(self, needle, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            at = self.out.find(needle, self.seen)
            if at >= 0:
                self.seen = at + len(needle)
                return True
            if time.monotonic() >= deadline or not self.read_some(deadline):
                if self.out.find(needle, self.seen) >= 0:
                    continue
                return False

    def send(self, data):
        os.write(self.fd, data)

    def wait_exit(self):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                # Collect what is left (the "closed" line).
                while self.read_some(time.monotonic() + 0.2):
                    pass
                return status
            self.read_some(time.monotonic() + 0.1)
        return None


def fail(session, what):
    sys.stderr.write("drive.py: %s\n--- transcript ---\n%r\n" % (what, session.out))
    sys.exit(1)


def ready(s):
    # A marker the shell computes, so the echoed command line cannot match.
    s.send(b"echo READY$((6*7))\r")
    if not s.expect(b"READY42"):
        fail(s, "no shell prompt")
    if s.restored():
        fail(s, "the local terminal is not in raw mode during the session")


def shell(s):
    ready(s)
    s.send(b"echo TERM=$TERM SIZE=$(stty size)\r")
    if not s.expect(b"TERM=xterm SIZE=40 100"):
        fail(s, "TERM or size not seen")
    s.send(b"echo ERASE=$(stty -a | grep -c 'erase = \\^H')\r")
    if not s.expect(b"ERASE=1"):
        fail(s, "the erase character did not reach the remote pty")
    set_size(s.fd, 50, 120)
    for _ in range(10):
        s.send(b"echo SIZE=$(stty size)\r")
        if s.expect(b"SIZE=50 120", timeout=1.0):
            break
    else:
        fail(s, "the resize was not seen")
    s.send(b"exit 3\r")


def escape(s):
    ready(s)
    s.send(b"~?")
    if not s.expect(b"Supported escape sequences"):
        fail(s, "no escape help")
    s.send(b"~.")
    if not s.expect(b"closed"):
        fail(s, "no 'closed' message after ~.")


def no_escape(s):
    ready(s)
    s.send(b"~.\r")
    s.send(b"echo AFTER$((1+1))\r")
    if not s.expect(b"AFTER2"):
        fail(s, "the session did not survive ~. with escapes off")
    s.send(b"exit 6\r")


def term(s):
    ready(s)
    os.kill(s.pid, signal.SIGTERM)


def main():
    scenario, sep, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    assert sep == "--"
    s = Session(argv)
    {"shell": shell, "escape": escape, "no-escape": no_escape, "term": term}[scenario](s)
    status = s.wait_exit()
    if status is None:
        fail(s, "the program did not exit")
    sys.stdout.write(s.out.decode("utf-8", "replace") + "\n")
    print("RESTORED %s" % ("yes" if s.restored() else "no"))
    if os.WIFEXITED(status):
        print("EXIT %d" % os.WEXITSTATUS(status))
    else:
        print("SIGNAL %d" % os.WTERMSIG(status))


main()
