"""`isis-explorer validate [--cache] [--source-text ID=FILE ...]`: load and check every record, print
the counts per kind. `--cache` also writes the checked data to its store (tui/store), which the
explorer then opens at once. `--source-text` also checks the records citing a source against its text.

Bad data raises DataError, which the caller prints as `path:line:col: problem` lines (exit 2).
The explorer runs `validate --cache` as a child process to build a store on first launch, so that
the explorer's own process never holds the whole knowledge base: with PROGRESS_FD_ENV set, progress
goes to that file descriptor as lines `load DONE TOTAL`, then `store` when the store is written, and
the child ends as soon as the explorer has gone (its standard input closes).
"""

from __future__ import annotations

import os
import sys
import time

from tui.cli.cache_key import cache_key, data_root
from tui.cli.exit_codes import EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.settings.precedence import Settings

PROGRESS_FD_ENV = "ISIS_EXPLORER_PROGRESS_FD"


def run(settings: Settings, *, cache: bool, source_texts: list[tuple[str, str]] | None = None) -> int:
    """`cache`: also write the checked data to its store, so the explorer starts at once.
    `source_texts`: (source id, text file) pairs to check the records citing each source against."""
    from tui.loading.loader import load

    key = cache_key(data_root(settings)) if cache else None  # the files as they are before reading them
    report = _progress_reporter()
    kb = load(
        settings.data.value,
        max_bytes=settings.max_bytes,
        source_texts=dict(source_texts or ()),
        progress=(lambda done, total: report(f"load {done} {total}")) if report else None,
    )
    print(" · ".join(f"{kind} {n}" for kind, n in kb.counts().items()), flush=True)
    if key is not None:
        from tui.store.writer import write

        if report:
            report("store")
        why_not = write(key, kb)
        if why_not:
            print(f"isis-explorer: {why_not}", file=sys.stderr)
    return EXIT_OK


def _progress_reporter() -> Callable[[str], None] | None:
    """Writes progress lines to the descriptor the explorer gave, at most ten a second."""
    fd_text = os.environ.pop(PROGRESS_FD_ENV, "")
    if not fd_text.isdigit():
        return None
    fd, last = int(fd_text), [0.0]
    _exit_with_the_explorer()

    def report(line: str) -> None:
        now = time.monotonic()
        if line.startswith("load ") and now - last[0] < 0.1:
            return
        last[0] = now
        try:
            os.write(fd, (line + "\n").encode())
        except OSError:  # the explorer has gone: stop
            sys.exit(1)

    return report


def _exit_with_the_explorer() -> None:
    """The explorer holds the other end of our standard input and never writes to it: when it has
    gone (quit, killed, hung up), reading it ends, and so do we, at once, whatever we were doing."""
    import threading

    def watch() -> None:
        try:
            while os.read(0, 4096):  # the descriptor, not sys.stdin: its lock would hold up our exit
                pass
        except OSError:
            pass
        os._exit(1)

    threading.Thread(target=watch, name="explorer-watch", daemon=True).start()
