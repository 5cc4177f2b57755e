"""Load a knowledge base from a directory of YAML files (or one file), refusing anything doubtful."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Mapping

from tui.knowledge.knowledge_base import MemoryKnowledgeBase
from tui.loading.data_files import bundled_data_dir, yaml_files
from tui.loading.parallel_parse import read_files, worker_count
from tui.loading.problems import Problem, ProblemLimitReached, Problems
from tui.loading.record_links import Builder
from tui.loading.safe_yaml import DEFAULT_MAX_BYTES
from tui.loading.source_text import SourceTexts, read_paragraphs

DEFAULT_PROBLEM_LIMIT = 50


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    problem_limit: int = DEFAULT_PROBLEM_LIMIT,
    progress: Callable[[int, int], None] | None = None,
    source_texts: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> MemoryKnowledgeBase:
    """Read, check and index every YAML file under `path`; `problems.DataError` lists what is wrong.
    `source_texts` (source id -> text file, one paragraph a line): also check the records citing
    those sources against their text (see `source_text`). `workers`: processes to read the files
    in (0: in this one); by default as many as help, none for a small knowledge base."""
    root = os.fspath(path) if path is not None else str(bundled_data_dir())
    # Loading creates millions of objects and no cycles: the cyclic GC would rescan them all again
    # and again (it cost two thirds of the load time). Freeze what survives, so later collections
    # (while the user browses) skip the knowledge base too.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        kb = _load(root, max_bytes, problem_limit, progress, source_texts or {}, workers)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return kb


def _load(
    root: str,
    max_bytes: int,
    problem_limit: int,
    progress: Callable[[int, int], None] | None,
    source_texts: Mapping[str, str],
    workers: int | None,
) -> MemoryKnowledgeBase:
    problems = Problems(problem_limit)
    unreadable = False  # links into a file that could not be read would be false alarms
    try:
        texts = None
        if source_texts:
            read = {source: read_paragraphs(file, problems, max_bytes) for source, file in source_texts.items()}
            paragraphs = {source: lines for source, lines in read.items() if lines is not None}
            texts = SourceTexts(paragraphs, dict(source_texts))
        builder = Builder(problems, texts)
        files = yaml_files(root, problems)
        sizes = [_size(f) for f in files]
        count = worker_count(sizes) if workers is None else workers
        with read_files(
            files,
            sizes,
            workers=count,
            max_bytes=max_bytes,
            problem_limit=problem_limit,
            texts=texts,
            progress=progress,
        ) as in_order:
            for file in in_order:
                builder.add_file(file)
                unreadable = unreadable or not file.readable
        if not unreadable:
            builder.check_links()
    except ProblemLimitReached:
        pass
    except RecursionError:
        problems.items.append(_recursion_problem(root))
    if problems:
        raise problems.error()
    return MemoryKnowledgeBase(builder.records)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _recursion_problem(root: str) -> Problem:
    return Problem(root, 0, 0, "data nested too deeply to read")
