"""Build the store in a child process (`isis-explorer validate --cache`) for the explorer's first
launch on large data, relaying its progress; then open the store.

The child holds the whole knowledge base while it checks and writes it; the explorer's process only
ever opens the store, so its memory stays that of the first screen. The child shares the
explorer's process group, so a hangup reaches it too; quitting the explorer kills it, and if the
explorer ends any other way, the child sees its standard input close and ends too.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Callable

from tui.cli.validate_command import PROGRESS_FD_ENV
from tui.loading.problems import DataError, Problem
from tui.store.location import StoreKey
from tui.store.stored_kb import StoredKnowledgeBase, open_key


class ChildDataError(DataError):
    """The child found bad data: its `path:line:col` lines, as it printed them."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__([Problem(line, 0, 0, "") for line in lines])
        self.child_lines = lines

    def lines(self) -> list[str]:
        return list(self.child_lines)


def build_in_child(
    key: StoreKey, max_file_mib: float | None, progress: Callable[[int, int], None], notices: list[str]
) -> StoredKnowledgeBase | None:
    """The store, built by a child and opened; None when it could not be written or opened (the
    reason is in `notices`); raises ChildDataError for bad data."""
    read_end, write_end = os.pipe()
    argv = [sys.executable, "-m", "tui", "validate", "--cache", "--data", key.root]
    if max_file_mib is not None:
        argv += ["--max-file-mib", format(max_file_mib, "g")]
    try:
        child = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,  # never written: when this process ends, the child sees it and ends
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(write_end,),
            env=os.environ | {PROGRESS_FD_ENV: str(write_end)},
        )
    finally:
        os.close(write_end)
    assert child.stdin is not None and child.stderr is not None
    try:
        _relay(read_end, progress)
        err = child.stderr.read()  # a few lines at most: problems stop at 50
        child.wait()
    except BaseException:
        child.kill()
        child.wait()
        raise
    finally:
        os.close(read_end)
        child.stdin.close()
        child.stderr.close()
    lines = err.decode("utf-8", "replace").splitlines()
    if child.returncode == 2:
        raise ChildDataError(lines)
    notices += [line.removeprefix("isis-explorer: ") for line in lines if line.strip()]
    if child.returncode != 0:
        notices.append(f"the store could not be built (exit {child.returncode})")
        return None
    opened = open_key(key)
    if isinstance(opened, str):
        notices.append(opened)
        return None
    return opened


def _relay(fd: int, progress: Callable[[int, int], None]) -> None:
    """Passes the child's progress on until it closes its end; calls `progress` at least every
    0.2 s, so that a quitting explorer (progress raises) stops waiting soon."""
    done, total, pending = 0, 1, b""
    while True:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                words = line.split()
                if len(words) == 3 and words[0] == b"load" and words[1].isdigit() and words[2].isdigit():
                    done, total = int(words[1]), max(1, int(words[2]))
                elif words == [b"store"]:
                    done = total
        progress(done, total)
