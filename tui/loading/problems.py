"""Problems found in data, each tied to a place in a file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def clipped(value: str, limit: int = 100) -> str:
    """`value` cut short for a message: a 10 MB value must not become a 10 MB message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def shown(value: object) -> str:
    """A value quoted for a message: repr escapes control characters; long values are cut short."""
    return repr(clipped(str(value)))


def suggest(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest candidate, or ''."""
    import difflib  # only on the error path

    pool = [c for c in candidates if abs(len(c) - len(word)) <= 4][:20_000]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the data, at `path:line:col` (1-based)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # about the whole file or directory
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class DataError(Exception):
    """The data could not be loaded; `problems` says every reason found (up to a limit)."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        if self.truncated:
            out.append(f"(stopped after {len(self.problems)} problems)")
        return out


class ProblemLimitReached(Exception):
    """Raised inside the collector when it is full; the loader stops looking."""


class Problems:
    """Collects problems up to `limit`; raises `ProblemLimitReached` once full."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self.items: list[Problem] = []
        self.truncated = False

    def add(self, path: str, line: int, col: int, message: str) -> None:
        if len(self.items) >= self.limit:
            self.truncated = True
            raise ProblemLimitReached
        self.items.append(Problem(path, line, col, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def error(self) -> DataError:
        return DataError(sorted(self.items), self.truncated)
