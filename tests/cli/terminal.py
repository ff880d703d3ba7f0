"""A pseudo-terminal standing in for the user's, and a small screen that replays what a
command drew on it (carriage returns, newlines and the cursor-up escape tqdm may use)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import termios
import threading
import time
from dataclasses import dataclass, field

COLUMNS = 100
_ESCAPE = re.compile(r"\x1b\[(\d*)([A-Za-z])")


class Terminal:
    """``stream`` is the terminal's end a command writes to (a real tty: ``isatty()`` is
    true and it has a width); a thread reads everything drawn from the other end."""

    def __init__(self, columns: int = COLUMNS) -> None:
        self._master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        self.stream = io.TextIOWrapper(
            io.FileIO(slave, "w"), encoding="utf-8", line_buffering=True, write_through=True
        )
        self._chunks: list[bytes] = []
        self._done = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Not until end of file: a process the command starts may keep the terminal open
        # (multiprocessing's resource tracker holds on to standard error), so the reader
        # stops once the command is over and nothing more is waiting.
        while True:
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                if self._done.is_set():
                    return
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:  # EIO: every writing end is closed
                return
            if not data:
                return
            self._chunks.append(data)

    def output(self) -> str:
        """Everything drawn, once the command is over (closes the terminal)."""
        self.stream.close()
        self._done.set()
        self._reader.join()
        os.close(self._master)
        return b"".join(self._chunks).decode("utf-8")


@dataclass
class Screen:
    """The rows as a person sees them at the end, and the last frame written to each row
    (the text after the row's last carriage return)."""

    rows: list[str] = field(default_factory=list)
    frames: dict[int, str] = field(default_factory=dict)

    @classmethod
    def replay(cls, drawn: str) -> Screen:
        cells: list[list[str]] = [[]]
        frames: dict[int, str] = {}
        row = col = 0
        position = 0
        # A carriage return starts a new frame once something is written after it (the
        # terminal turns each newline into a carriage return and a newline).
        fresh = False
        while position < len(drawn):
            escape = _ESCAPE.match(drawn, position)
            if escape is not None:
                count = int(escape.group(1) or 1)
                if escape.group(2) == "A":
                    row = max(row - count, 0)
                elif escape.group(2) == "K":
                    del cells[row][col:]
                position = escape.end()
                continue
            char = drawn[position]
            position += 1
            if char == "\r":
                col = 0
                fresh = True
            elif char == "\n":
                row += 1
                col = 0
                fresh = False
                while len(cells) <= row:
                    cells.append([])
            else:
                line = cells[row]
                line.extend(" " * (col + 1 - len(line)))
                line[col] = char
                col += 1
                frames[row] = ("" if fresh else frames.get(row, "")) + char
                fresh = False
        return cls(["".join(line).rstrip() for line in cells], frames)

    def dirty_rows(self) -> list[tuple[str, str]]:
        """Rows showing more than their last frame: a shorter line drawn over a longer one
        without clearing it ("0 looking for boilerplateocuments"). Pairs (seen, last frame)."""
        return [
            (self.rows[row], frame.rstrip())
            for row, frame in self.frames.items()
            if self.rows[row] != frame.rstrip()
        ]

    def lines(self) -> list[str]:
        return [row for row in self.rows if row]


class TerminalSession:
    """A command run as a person runs it: in its own session, with a pseudo-terminal as its
    controlling terminal, so that typing Ctrl+C (``type(b"\\x03")``) sends SIGINT to it and
    to the processes it starts. ``wait_for`` and ``finish`` give up after :data:`PATIENCE`
    seconds so that a broken command fails the test instead of hanging it."""

    PATIENCE = 300.0

    def __init__(self, argv: list[str], columns: int = COLUMNS) -> None:
        self.argv = argv
        self.columns = columns
        self.drawn = b""

    def __enter__(self) -> TerminalSession:
        self._master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, self.columns, 0, 0))
        self.process = subprocess.Popen(
            self.argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            # Its own session, with the pseudo-terminal as the controlling terminal.
            preexec_fn=_take_terminal,
            env={**os.environ, "TERM": "xterm"},
        )
        os.close(slave)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._master)

    def type(self, keys: bytes) -> None:
        os.write(self._master, keys)

    def _read_some(self, deadline: float) -> bool:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no answer in {self.PATIENCE} s; drawn so far: {self.drawn!r}")
        ready, _, _ = select.select([self._master], [], [], left)
        if not ready:
            return True
        try:
            data = os.read(self._master, 65536)
        except OSError:  # EIO: the command has ended and closed the terminal
            return False
        self.drawn += data
        return bool(data)

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + self.PATIENCE
        while text.encode() not in self.drawn:
            if not self._read_some(deadline):
                raise AssertionError(f"ended without {text!r}: {self.drawn!r}")

    def finish(self) -> tuple[int, str]:
        """The exit code and everything drawn, once the command has ended."""
        deadline = time.monotonic() + self.PATIENCE
        while self._read_some(deadline):
            pass
        return self.process.wait(timeout=self.PATIENCE), self.drawn.decode("utf-8")


def _take_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
