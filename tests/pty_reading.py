"""Reading what the app writes to its pseudo-terminal, as a terminal would: one loop for every pty test."""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable


def read_pty(fd: int, timeout: float, done: Callable[[bytes], bool] | None = None, poll: float = 0.05) -> bytes:
    """Everything written to `fd` until `done(output)` holds, `timeout` seconds pass or the child has
    gone (its side closed: EOF or EIO); without `done`, read for the whole `timeout`."""
    out, end = b"", time.monotonic() + timeout
    while time.monotonic() < end and not (done and done(out)):
        if select.select([fd], [], [], poll)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child has gone and closed its side
                break
            if not chunk:
                break
            out += chunk
    return out


def showing(needle: bytes | None) -> Callable[[bytes], bool] | None:
    """`done` for read_pty: once `needle` has been written (None or b"": never, read it all)."""
    return (lambda out: needle in out) if needle else None
