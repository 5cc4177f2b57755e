"""Reading the files of a large knowledge base in worker processes, handed back in file order.

Composing YAML nodes and checking them is nearly all of a cold load, and each file can be read on
its own (`record_builder.read_file`). This process reads files too, while it waits: on 2 cores
one worker beside it cut a cold load of 90 MB by about a third. Each worker sends a file back
as JSON text (`file_transport`), never as pickled objects; the loader takes the files in their
order, so records and problems come out exactly as a serial read gives them. A small load stays
in this process: starting workers would cost more than it saves.

Workers never outlive the load: `read_files` kills them when it is left, however (a progress
callback that raises to stop, the problem limit, an error); they ignore Ctrl-C (the loader
handles it and stops them), and on Linux the kernel kills them if this process dies. A worker
that dies (killed, out of memory) fails the load with `WorkerFailed` rather than hanging it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from tui.loading.file_transport import Reader, dump
from tui.loading.record_builder import FileRecords, Shared, read_file
from tui.loading.source_text import SourceTexts
from tui.loading.worker_pool import WorkerPool

# Measured on 2 cores: one worker saves ~10% at 4 MB of generated data (13 files), 0-20% at 9 MB,
# ~20% at 22 MB and ~30% at 90 MB; below this a cold load takes a second or two anyway.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
QUEUED = 3  # files given to each worker at a time: enough that it never waits while this process reads one
MAX_WORKERS = 8  # a guess (only 2 cores were at hand): past some number this process cannot keep up
Progress = Callable[[int, int], None]


def worker_count(sizes: Sequence[int]) -> int:
    """How many worker processes to read files of these sizes with, besides this one; 0: none."""
    total = sum(sizes)
    if total < PARALLEL_MIN_BYTES or len(sizes) < 2 or max(sizes) > total * 0.9:
        return 0
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(0, min(cpus - 1, MAX_WORKERS, len(sizes) - 1))


@contextmanager
def read_files(
    files: Sequence[str],
    sizes: Sequence[int],
    *,
    workers: int,
    max_bytes: int,
    problem_limit: int,
    texts: SourceTexts | None,
    progress: Progress | None,
) -> Iterator[Iterator[FileRecords]]:
    """Each file read and checked on its own, in the order of `files`; `progress(done, total)`
    (bytes) before each. With `workers` > 0, that many worker processes read files too."""
    plan = _Plan(files, sizes, max_bytes, problem_limit, texts, progress)
    if workers <= 0:
        yield plan.serial()
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    settings = (max_bytes, problem_limit, texts, os.getpid())
    pool = WorkerPool(context, workers, _read_in_worker, _start_worker, settings)
    try:
        yield plan.parallel(pool, workers)
    finally:
        pool.close()  # at once: a stopped load must not wait for files no one will look at


class _Plan:
    """The files to read and how; `serial` and `parallel` give the same `FileRecords`, in order."""

    def __init__(
        self,
        files: Sequence[str],
        sizes: Sequence[int],
        max_bytes: int,
        problem_limit: int,
        texts: SourceTexts | None,
        progress: Progress | None,
    ) -> None:
        self.files, self.sizes, self.progress = files, sizes, progress
        self.settings = (max_bytes, problem_limit, texts)
        self.shared = Shared()

    def _read(self, index: int) -> FileRecords:
        return read_file(self.files[index], *self.settings, self.shared)

    def _steps(self) -> Iterator[int]:
        """The index of each file in turn, after reporting progress."""
        total, done = sum(self.sizes), 0
        for index, size in enumerate(self.sizes):
            if self.progress is not None:
                self.progress(done, total)
            done += size
            yield index

    def serial(self) -> Iterator[FileRecords]:
        for index in self._steps():
            yield self._read(index)

    def parallel(self, pool: WorkerPool, workers: int) -> Iterator[FileRecords]:
        """Workers take the files in order, QUEUED each at a time; while the next file to hand over is
        still in a worker, this process reads the first file no one has taken (sending a file back
        costs about a fifth of reading it, so reading here too is the better use of the cores)."""
        reader = Reader(self.shared)
        sent: set[int] = set()
        read_here: dict[int, FileRecords] = {}
        untaken = self._send(pool, sent, 0, workers)  # the first file neither sent nor read here
        for index in self._steps():
            while index in sent and not pool.ready(index) and untaken < len(self.files):
                read_here[untaken] = self._read(untaken)
                untaken += 1
            if index in read_here:
                file = read_here.pop(index)
            else:
                sent.discard(index)
                file = reader.load(self.files[index], pool.answer(index).decode("ascii"))
            untaken = self._send(pool, sent, untaken, workers)  # busy while this one is taken in
            yield file

    def _send(self, pool: WorkerPool, sent: set[int], untaken: int, workers: int) -> int:
        """Send files from `untaken` on until each worker has QUEUED waiting for it (answers not
        yet taken in count too, up to a bound); the next untaken file."""
        while untaken < len(self.files) and len(sent) < 4 * QUEUED * workers:
            if sum(not pool.ready(number) for number in sent) >= QUEUED * workers:
                break
            pool.submit(untaken, os.fsencode(self.files[untaken]))
            sent.add(untaken)
            untaken += 1
        return untaken


# -- in the worker process ---------------------------------------------------------------------
_settings: tuple[int, int, SourceTexts | None, Shared] | None = None


def _start_worker(max_bytes: int, problem_limit: int, texts: SourceTexts | None, parent: int) -> None:
    global _settings  # one worker process, one load
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the loader's to handle
    _die_with(parent)
    gc.disable()  # as in the loader: millions of objects, no cycles
    _settings = (max_bytes, problem_limit, texts, Shared())


def _read_in_worker(path: bytes) -> bytes:
    assert _settings is not None, "worker not started"
    max_bytes, problem_limit, texts, shared = _settings
    return dump(read_file(os.fsdecode(path), max_bytes, problem_limit, texts, shared)).encode("ascii")


def _die_with(parent: int) -> None:
    """Ask the kernel (Linux) to kill this worker when the loader's process dies (e.g. SIGTERM,
    which does not let the loader stop its workers itself)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
    if os.getppid() != parent:  # it died before that took effect
        os._exit(1)
