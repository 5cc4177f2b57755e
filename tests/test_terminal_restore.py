"""In a real pseudo-terminal: SIGHUP, SIGTERM and Ctrl+C end the app and restore the terminal."""

from __future__ import annotations

import os
import pty
import signal
import sys
import time

import pytest
from pty_reading import read_pty, showing

pytestmark = pytest.mark.slow
ALT_SCREEN_OFF = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    return read_pty(fd, timeout, showing(needle), poll=0.1)


def run_and_stop(stop) -> tuple[bytes, int]:
    pid, fd = pty.fork()
    if pid == 0:  # child: the app, in an 80x24 terminal
        os.environ.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
        os.execv(sys.executable, [sys.executable, "-m", "tui"])
    try:
        started = read_until(fd, b"Regions", 20)
        assert b"Regions" in started, started[-500:]
        time.sleep(0.3)
        stop(pid, fd)
        rest = read_until(fd, ALT_SCREEN_OFF, 10)
        _, status = os.waitpid(pid, 0)
        return started + rest, os.waitstatus_to_exitcode(status)
    finally:
        os.close(fd)


@pytest.mark.parametrize(
    "name, stop, code",
    [
        ("SIGHUP", lambda pid, fd: os.kill(pid, signal.SIGHUP), 128 + signal.SIGHUP),
        ("SIGTERM", lambda pid, fd: os.kill(pid, signal.SIGTERM), 128 + signal.SIGTERM),
        ("ctrl+c", lambda pid, fd: os.write(fd, b"\x03"), 0),
        ("q", lambda pid, fd: os.write(fd, b"q"), 0),
    ],
)
def test_terminal_is_restored(name, stop, code) -> None:
    output, status = run_and_stop(stop)
    assert status == code, name
    tail = output[output.rfind(b"Regions") :]
    assert ALT_SCREEN_OFF in tail, name
    assert MOUSE_OFF in tail, name
