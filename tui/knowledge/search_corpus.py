"""What search sweeps: one haystack per field group, in search rank order, and who each entry is.

Two implementations: in memory (search_index.MemoryCorpus: joined strings swept with `str.find`) and
the store's (tui/store/stored_search.py: SQLite FTS5 trigrams). The search algorithm
(search_index.SearchIndex) is written once over this interface, so both rank alike.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence


class Hay(ABC):
    """One field group of every record, entries numbered in rank order."""

    @abstractmethod
    def scan(self, needle: str, shift: int = 0, also: Sequence[str] = ()) -> Iterator[int]:
        """Entries holding `needle`, in order, each once. A needle starting with SEP matches at the
        start of the entry's text, one ending with SEP at its end (`shift` = 1 for the first).
        `also`: terms the caller requires of each entry too, in any field: entries that cannot
        hold them all may be left out (an index can tell), or not (the caller checks anyway)."""

    @abstractmethod
    def text(self, index: int) -> str:
        """Entry `index`'s normalised text in this field (several values joined by SEP)."""

    @abstractmethod
    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
        """(index, text) of the entries where `pattern` (which starts with SEP) matches, in order."""


class Corpus(ABC):
    """The haystacks (FIELD_NAMES -> Hay) and, for each entry, its record and title."""

    hay: Mapping[str, Hay]

    @property
    @abstractmethod
    def ready(self) -> bool: ...

    @abstractmethod
    def build(self) -> None:
        """Make it ready (the in-memory corpus sweeps every record; the store's is ready at once)."""

    @abstractmethod
    def __len__(self) -> int: ...

    def rank_all_terms(self, terms: list[str], order: list[str], limit: int) -> list[tuple[int, int, str]] | None:
        """For a query of several terms (the longest first): (rank, index, term) of the best `limit`
        entries holding every term in some field of `order`, where an entry's rank is the worst of
        its terms' best fields (a position in `order`) and `term` the first term with that rank;
        None: the caller sweeps the haystacks itself (search_index.SearchIndex._rank_all_terms)."""
        return None

    @abstractmethod
    def key(self, index: int) -> tuple[str, str]:
        """(kind, id) of entry `index`."""

    @abstractmethod
    def title(self, index: int) -> str:
        """The title a hit shows for entry `index`."""
