"""A few worker processes that answer bytes with bytes, and can be killed at any moment without harm.

Why not `concurrent.futures` or `multiprocessing.Pool`: killing a `ProcessPoolExecutor`'s worker
while it writes a result leaves half a message in the shared result pipe, and the executor then
waits for the rest forever; a `Pool` waits forever for the task of a worker that died. Here each
worker has its own pipe; one thread takes the answers as they come (so a worker never waits for
this process to read), and a worker that dies fails what it was given instead of hanging it.
Only bytes cross the pipes: nothing is pickled on the way back.
"""

from __future__ import annotations

import threading
import traceback
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

Task = Callable[[bytes], bytes]
_OK, _ERROR = b"+", b"!"


class WorkerFailed(RuntimeError):
    """A worker process died, or its task raised (the message holds its traceback)."""


class WorkerPool:
    """`count` processes, each running `task` on what is sent to it, in the order sent."""

    def __init__(
        self, context: BaseContext, count: int, task: Task, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> None:
        self._answers: dict[int, bytes] = {}
        self._failure: str | None = None
        self._changed = threading.Condition()
        self._workers: list[tuple[BaseProcess, Connection, deque[int]]] = []
        try:
            for _ in range(count):
                mine, theirs = context.Pipe(duplex=True)
                process = context.Process(target=_serve, args=(theirs, task, initializer, initargs), daemon=True)  # type: ignore[attr-defined]
                process.start()
                theirs.close()  # so that its death reads as the end of the pipe here
                self._workers.append((process, mine, deque()))
        except BaseException:
            self.close()
            raise
        self._receiver = threading.Thread(target=self._receive, name="worker-pool-receiver", daemon=True)
        self._receiver.start()

    @property
    def processes(self) -> list[BaseProcess]:
        return [process for process, _, _ in self._workers]

    def submit(self, number: int, payload: bytes) -> None:
        """Send `payload` to the worker with the least to do; its answer will be `answer(number)`."""
        _, connection, queue = min(self._workers, key=lambda worker: len(worker[2]))
        queue.append(number)
        try:
            connection.send_bytes(payload)
        except OSError as exc:
            raise WorkerFailed(f"a worker process stopped ({exc})") from None

    def ready(self, number: int) -> bool:
        with self._changed:
            return number in self._answers or self._failure is not None

    def answer(self, number: int) -> bytes:
        """The answer to what was sent as `number`, once it has come."""
        with self._changed:
            self._changed.wait_for(lambda: number in self._answers or self._failure is not None)
            if number not in self._answers:
                raise WorkerFailed(self._failure)
            return self._answers.pop(number)

    def close(self) -> None:
        """Kill every worker now (whatever it is doing) and wait for them to be gone."""
        for process, _, _ in self._workers:
            process.kill()
        for process, _, _ in self._workers:
            process.join()
        receiver = getattr(self, "_receiver", None)
        if receiver is not None:
            receiver.join()  # each pipe now reads as ended, so it is done
        for _, connection, _ in self._workers:
            connection.close()

    def _receive(self) -> None:
        """Take each answer as it comes; report a worker that dies with work given to it."""
        live = {connection: (process, queue) for process, connection, queue in self._workers}
        while live:
            for ready in wait(list(live)):
                assert isinstance(ready, Connection)
                process, queue = live[ready]
                try:
                    message = ready.recv_bytes()
                except (EOFError, OSError):
                    del live[ready]
                    if queue:
                        process.join()
                        self._fail(f"a worker process stopped (exit code {process.exitcode})")
                    continue
                number = queue.popleft()
                with self._changed:
                    if message[:1] == _OK:
                        self._answers[number] = message[1:]
                    else:
                        self._failure = message[1:].decode("utf-8", "replace")
                    self._changed.notify_all()

    def _fail(self, why: str) -> None:
        with self._changed:
            self._failure = self._failure or why
            self._changed.notify_all()


def _serve(connection: Connection, task: Task, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """A worker's life: answer each message, in order, until the pipe ends."""
    initializer(*initargs)
    while True:
        try:
            payload = connection.recv_bytes()
        except EOFError:
            return
        try:
            answer = _OK + task(payload)
        except Exception:  # a bug: say where, rather than die silently
            answer = _ERROR + traceback.format_exc().encode("utf-8", "replace")
        connection.send_bytes(answer)
