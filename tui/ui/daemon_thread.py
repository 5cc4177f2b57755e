"""Long work for a Textual worker, run in a daemon thread so that quitting never waits for it.

The app's loading and index building are Textual workers (`app.workers` tracks and cancels them,
tests wait with `app.workers.wait_for_complete()`), but async ones that await a daemon thread, not
`run_worker(..., thread=True)`: a thread worker runs in asyncio's default executor, which
`asyncio.run` joins on the way out, so quitting (q, SIGHUP, SIGTERM) in the middle of reading
100 MB of YAML waited for the read to finish (measured: 8 s of work held the exit for 8 s). A
process must never outlive its terminal: a daemon thread is simply dropped at exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Abandoned(Exception):
    """Raised by `check()` inside the work once nobody waits for its result any more."""


async def in_daemon_thread(work: Callable[[Callable[[], None]], T], name: str) -> T:
    """Run `work(check)` in a daemon thread and return (or raise) what it does. Cancelling the
    awaiting task (the worker, when the app quits) makes `check()` raise `Abandoned`, so long work
    that calls it between steps stops soon; work that never calls it is left to the exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    abandoned = threading.Event()

    def check() -> None:
        if abandoned.is_set():
            raise Abandoned

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():  # cancelled meanwhile
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]  # no error: the work's own result

    def run() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = work(check)
        except BaseException as exc:  # handed to the awaiting task, raised there
            error = exc
        with contextlib.suppress(RuntimeError):  # the event loop has closed: the app has gone
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name=name, daemon=True).start()
    try:
        return await future
    except asyncio.CancelledError:
        abandoned.set()
        raise
