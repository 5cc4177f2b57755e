"""SIGHUP and SIGTERM end the app, and the process is gone within `GRACE_S` seconds, every time.

A clean exit restores the terminal when it is still there (an `kill -TERM`, a tmux session killed
while its pane still reads). But a clean exit can hang when the terminal has gone: measured in a pty
closed 0-200 ms after the first frame, 7 of 21 processes never exited. Textual's output thread dies
on the first write that fails (EIO on a hung-up terminal); the writes that follow fill its queue and
the main thread waits forever in `WriterThread.write` or `.stop`, with the event loop blocked, so a
later SIGTERM, handled through the loop, was ignored too. (Without handlers of its own a Textual app
dies of SIGHUP's default action, which is why the minimal app never hung.)

So the handlers here are plain `signal.signal` handlers, which Python runs in the main thread even
while it waits on a lock, not the event loop's: each one
- ends the process at once when the terminal it started with has hung up (nothing left to restore);
- otherwise arms a watchdog, a daemon thread that ends the process with `os._exit(128 + signal)`
  after `GRACE_S` seconds, and asks the app, through the loop, for the clean exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

GRACE_S = 1.0  # a clean exit takes 0.1-0.3 s (measured in a pty, also in the middle of loading)
SIGNALS = (signal.SIGHUP, signal.SIGTERM)
Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None


def hung_up(terminals: list[int]) -> bool:
    """Whether the terminal these descriptors were attached to has gone (hung up: isatty turns false)."""
    return bool(terminals) and not any(os.isatty(fd) for fd in terminals)


class ExitOnSignal:
    """Installed while the app runs: `exit_app(signum)` is the clean exit, the watchdog its bound."""

    def __init__(self, exit_app: Callable[[int], None], grace: float = GRACE_S) -> None:
        self.exit_app = exit_app
        self.grace = grace
        self.loop: asyncio.AbstractEventLoop | None = None
        self.previous: dict[int, Handler] = {}
        self.terminals: list[int] = []
        self.wake_fd = -1

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread
        self.loop = loop
        self.terminals = [fd for fd in (0, 1, 2) if os.isatty(fd)]
        read_fd, self.wake_fd = os.pipe()
        os.set_blocking(self.wake_fd, False)
        threading.Thread(target=self.watch, args=(read_fd,), name="exit-watchdog", daemon=True).start()
        for signum in SIGNALS:
            self.previous[signum] = signal.signal(signum, self.handle)

    def uninstall(self) -> None:
        """Put the handlers from before back; a watchdog already armed still bounds the exit."""
        for signum, handler in self.previous.items():
            if signal.getsignal(signum) == self.handle:
                signal.signal(signum, handler)
        self.previous.clear()
        if self.wake_fd >= 0:
            with contextlib.suppress(OSError):
                os.write(self.wake_fd, b"\0")  # no signal: the watchdog thread ends
            os.close(self.wake_fd)
            self.wake_fd = -1

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if hung_up(self.terminals):
            os._exit(128 + signum)  # the terminal has gone: nothing to restore, nothing to wait for
        with contextlib.suppress(OSError):
            os.write(self.wake_fd, bytes([signum]))
        if self.loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the watchdog ends it
                self.loop.call_soon_threadsafe(self.exit_app, signum)

    def watch(self, read_fd: int) -> None:
        try:
            woken = os.read(read_fd, 1)
        finally:
            os.close(read_fd)
        if not woken or woken == b"\0":
            return
        time.sleep(self.grace)
        os._exit(128 + woken[0])
