"""Where records and references were read, kept compact until the load has been checked.

A large load remembers a place for every record and every reference (about a million at the
benchmark's reference scale). As `(path, line, col)` tuples they cost ~150 bytes each and set the
peak memory of a cold start; here each costs 12 bytes in three arrays.
"""

from __future__ import annotations

from array import array

Where = tuple[str, int, int]
_MAX = 0xFFFFFFFF  # 'I' items: a line or column past this (a 4 GiB line) is clamped


class Places:
    """An append-only list of places: `add` returns the number of the new place, `at` gives it back."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._path_numbers: dict[str, int] = {}
        self._files = array("I")
        self._lines = array("I")
        self._cols = array("I")

    def add(self, path: str, line: int, col: int) -> int:
        number = self._path_numbers.get(path)
        if number is None:
            number = self._path_numbers[path] = len(self.paths)
            self.paths.append(path)
        self._files.append(number)
        self._lines.append(min(line, _MAX))
        self._cols.append(min(col, _MAX))
        return len(self._files) - 1

    def at(self, index: int) -> Where:
        return self.paths[self._files[index]], self._lines[index], self._cols[index]

    def __len__(self) -> int:
        return len(self._files)
