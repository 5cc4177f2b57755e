"""Load a knowledge base from a directory of YAML files (or one file), refusing anything doubtful."""

from __future__ import annotations

import os
from pathlib import Path

from .build import Builder
from .errors import DataError, ProblemLimitReached, Problems
from .knowledge import KnowledgeBase
from .yamlsafe import DEFAULT_MAX_BYTES, parse, read_text, yaml_files

DEFAULT_PROBLEM_LIMIT = 50


def bundled_data_dir() -> Path:
    """The knowledge base shipped with the package (`tui/data` in a wheel, `data/` in a checkout)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "data"
    return installed if installed.is_dir() else package.parent / "data"


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    problem_limit: int = DEFAULT_PROBLEM_LIMIT,
) -> KnowledgeBase:
    """Read, check and index every YAML file under `path`; DataError lists what is wrong."""
    root = os.fspath(path) if path is not None else str(bundled_data_dir())
    problems = Problems(problem_limit)
    builder = Builder(problems)
    unreadable = False  # links into a file that could not be read would be false alarms
    try:
        for file in yaml_files(root, problems):
            text = read_text(file, problems, max_bytes)
            node = parse(file, text, problems) if text is not None else None
            if node is None:
                unreadable = True
                continue
            builder.add_document(file, node)
        if not unreadable:
            builder.check_links()
    except ProblemLimitReached:
        pass
    except RecursionError:
        problems.items.append(_recursion_problem(root))
    if problems:
        raise problems.error()
    return KnowledgeBase(builder.records, builder.where)


def _recursion_problem(root: str):
    from .errors import Problem

    return Problem(root, 0, 0, "data nested too deeply to read")


__all__ = ["DataError", "bundled_data_dir", "load"]
