"""One mark: a record the user collected, where it stands in their order, and their note on it."""

from __future__ import annotations

from dataclasses import dataclass

Entry = tuple[str, str]  # (kind, id), as the UI's history names a record

NOTE_LIMIT = 500  # characters: a note is one short line in the user's words
BUNDLED = "bundled"  # the data key of the bundled data, wherever the package is installed


@dataclass(frozen=True, slots=True)
class Mark:
    """A marked record. `name` is its last known name (kept when the record leaves the data);
    `note` is the user's text ("" for none), shown like any data text: never markup."""

    kind: str
    id: str
    name: str
    note: str = ""
    position: int = 0  # 0, 1, 2... in the user's order
    marked_at: str = ""  # ISO 8601 UTC, when it was marked

    @property
    def entry(self) -> Entry:
        return (self.kind, self.id)


def data_key(root: str | None) -> str:
    """Whose marks: the bundled data (None) under one key wherever it is installed, else the data
    path as given (made absolute)."""
    import os

    return BUNDLED if root is None else os.path.abspath(root)


GLYPH = "✓"  # before a marked record in every list (narrow in every terminal: East Asian width N)
