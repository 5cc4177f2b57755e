"""Search over the store: the haystacks of search_index answered by SQLite.

Entries are the `docs` rows (their `pos` is the search rank). A needle of three characters or more
is looked up in the FTS5 trigram index (its trigrams ANDed: `detail=none` keeps neither positions
nor columns), and each candidate is checked for the whole needle in the field asked for, so hits
are exactly the entries whose text holds it, in rank order. Shorter needles cannot use trigrams:
they sweep the field in rank order and stop as soon as the caller has enough (a common letter fills
a page of hits in the first rows). Exact and prefix name matches use the index on `name`.
"""

from __future__ import annotations

import json
import re
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from itertools import accumulate, takewhile
from typing import TYPE_CHECKING, Any

from tui.knowledge.search_corpus import Corpus, Hay
from tui.knowledge.search_text import SEP
from tui.store.schema import NAME_FIELDS, SEARCH_FIELDS, VALUE_SEP

if TYPE_CHECKING:
    from tui.store.stored_kb import StoredKnowledgeBase

TRIGRAMS_PER_QUERY = 8  # a longer needle is looked up by some of its trigrams, spread over it
ROWS_PER_STEP = 256
# A prefix that starts more than one entry in PREFIX_SWEEP_SHARE is swept for in rank order (a page
# of hits in the first few thousand rows) rather than found on the index and sorted (100,000 names
# start with "a" at scale 10: 30 ms to sort). Sparser, a sweep reads too many rows: 5,000 names
# starting with "caliph" among 1.9 million took 110 ms to sweep and 5 ms to sort.
PREFIX_SWEEP_SHARE = 50
CACHED_ROWS = 8192
_LAST = "\U0010ffff"  # sorts after any text that starts with the same prefix (SQLite compares UTF-8 bytes)


def fts_query(needle: str) -> str:
    """The FTS5 expression that every text holding `needle` (3+ characters) matches: some of its
    trigrams, each a quoted string, ANDed."""
    grams = list(dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2)))
    if len(grams) > TRIGRAMS_PER_QUERY:
        step = (len(grams) - 1) / (TRIGRAMS_PER_QUERY - 1)
        grams = [grams[round(i * step)] for i in range(TRIGRAMS_PER_QUERY)]
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def as_text(stored: str) -> str:
    """A field as `docs` holds it (each value followed by VALUE_SEP) as search reads it (values
    joined by SEP)."""
    return stored[:-1].replace(VALUE_SEP, SEP)


class StoreHay(Hay):
    def __init__(self, corpus: StoreCorpus, field: str) -> None:
        self.corpus, self.field = corpus, field
        self.column = 3 + SEARCH_FIELDS.index(field)  # in StoreCorpus.row: kind, id, title, then the fields

    def _rows(self, sql: str, params: tuple[Any, ...]) -> Iterator[Any]:
        """The rows of a query, a step at a time, the lock held only while stepping; the docs rows
        of each step are read together, since search reads their texts next (all_terms)."""
        kb = self.corpus.kb
        with kb.lock:
            cursor = kb.db.execute(sql, params)
            rows = cursor.fetchmany(ROWS_PER_STEP)
        while rows:
            self.corpus.prefetch([row[0] for row in rows])
            yield from rows
            with kb.lock:
                rows = cursor.fetchmany(ROWS_PER_STEP)

    def scan(self, needle: str, shift: int = 0, also: Sequence[str] = ()) -> Iterator[int]:
        field = self.field
        whole_start, whole_end = needle.startswith(SEP), needle.endswith(SEP) and len(needle) > 1
        q = needle.strip(SEP)
        if whole_start and whole_end:  # the whole text (one value: the name)
            rows = self._rows(f"SELECT pos FROM docs WHERE {field} = ? ORDER BY pos", (q + VALUE_SEP,))
        elif whole_start and self._dense_prefix(field, q):  # many start with it: sweep in rank order
            rows = self._rows(f"SELECT pos FROM docs WHERE substr({field}, 1, ?) = ? ORDER BY pos", (len(q), q))
        elif whole_start:  # few start with it: the index finds them, then they are put in rank order
            rows = self._rows(f"SELECT pos FROM docs WHERE {field} >= ? AND {field} < ? ORDER BY pos", (q, q + _LAST))
        elif len(q) >= 2:
            expression = " AND ".join(f"({self.corpus.fts_terms(term)})" for term in (q, *also) if len(term) >= 2)
            table = "names_fts" if field in NAME_FIELDS else "docs_fts"
            rows = self._rows(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND instr({field}, ?) > 0 ORDER BY rowid",
                (expression, q),
            )
        else:  # one character: no trigram to look up (search asks only names that start with it)
            rows = self._rows(f"SELECT pos FROM docs WHERE instr({field}, ?) > 0 ORDER BY pos", (q,))
        for (pos,) in rows:
            yield pos

    def _dense_prefix(self, field: str, q: str) -> bool:
        """Whether more than one entry in PREFIX_SWEEP_SHARE starts with `q` (counted on the index,
        no further than that)."""
        enough = len(self.corpus) // PREFIX_SWEEP_SHARE + 1
        with self.corpus.kb.lock:
            (count,) = self.corpus.kb.db.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM docs WHERE {field} >= ? AND {field} < ? LIMIT ?)",
                (q, q + _LAST, enough),
            ).fetchone()
        return int(count) >= enough

    def text(self, index: int) -> str:
        return self.corpus.row(index)[self.column]

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
        """A sweep of the field in rank order, a step of rows joined as the in-memory haystack is."""
        field, last = self.field, -1
        while True:
            with self.corpus.kb.lock:
                rows = self.corpus.kb.db.execute(
                    f"SELECT pos, {field} FROM docs WHERE pos > ? ORDER BY pos LIMIT 4096", (last,)
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            texts = [as_text(text) for _, text in rows]
            starts = array("q", accumulate((len(text) + 1 for text in texts), initial=1))
            joined = SEP + SEP.join(texts) + SEP
            pos = 0
            while (match := pattern.search(joined, pos)) is not None:
                at = bisect_right(starts, match.start() + 1) - 1
                start, pos = starts[at], starts[at + 1] - 1
                yield rows[at][0], joined[start:pos]


class StoreCorpus(Corpus):
    """The store's docs: ready at once, nothing to build."""

    def __init__(self, kb: StoredKnowledgeBase) -> None:
        self.kb = kb
        self.hay = {field: StoreHay(self, field) for field in SEARCH_FIELDS}
        self._rows: OrderedDict[int, tuple[str, ...]] = OrderedDict()
        self._alphabet: str | None = None

    @property
    def ready(self) -> bool:
        return True

    def build(self) -> None:
        return None

    def __len__(self) -> int:
        return sum(self.kb.counts().values())

    def rank_all_terms(self, terms: list[str], order: list[str], limit: int) -> list[tuple[int, int, str]]:
        """The FTS5 indexes narrow to the entries holding every term's trigrams, and the best field of
        each term is found in SQL (a CASE of `instr`s), so ranking thousands of candidates costs no
        Python per candidate. One rank at a time (names and aliases from their own small index, then
        the first long field), the candidates swept in rank order and the sweep stopped as soon as the
        list is full: a rank holding many entries costs a few hundred rows, not every candidate. When
        those ranks hold too few, one sweep ranks every remaining candidate at once."""
        expression = " AND ".join(f"({self.fts_terms(term)})" for term in terms if len(term) >= 2)
        names = len(list(takewhile(lambda field: field in NAME_FIELDS, order)))
        rows: list[tuple[int, int]] = []
        for rank in range(min(names + 1, len(order))):  # names and aliases from their own small index
            if len(rows) >= limit:
                break
            table = "names_fts" if rank < names else "docs_fts"
            ranked = self._of_rank(terms, order[: rank + 1], table, expression, limit - len(rows))
            rows += [(rank, pos) for pos in ranked]
        if len(rows) < limit and names + 1 < len(order):  # few hits: one sweep ranks all the rest
            worst, params = self._worst(terms, order)
            with self.kb.lock:
                rows += self.kb.db.execute(
                    f"SELECT worst, pos FROM (SELECT {worst} AS worst, pos FROM docs"
                    " WHERE pos IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?))"
                    " WHERE worst > ? ORDER BY worst, pos LIMIT ?",
                    (*params, expression, names, limit - len(rows)),
                ).fetchall()
        self.prefetch([pos for _, pos in rows])
        found = []
        for rank, pos in rows:
            texts = [self.hay[field].text(pos) for field in order]
            term = next(t for t in terms if next(n for n, text in enumerate(texts) if t in text) == rank)
            found.append((rank, pos, term))
        return found

    @staticmethod
    def _worst(terms: list[str], order: list[str]) -> tuple[str, list[str]]:
        """SQL for the worst of the terms' best fields among `order` (NULL: a term is in none), and
        its parameters."""
        best = "CASE " + " ".join(f"WHEN instr({field}, ?) > 0 THEN {n}" for n, field in enumerate(order)) + " END"
        worst = f"max({', '.join([best] * len(terms))})" if len(terms) > 1 else best
        return worst, [term for term in terms for _ in order]

    def _of_rank(self, terms: list[str], order: list[str], table: str, expression: str, limit: int) -> list[int]:
        """The first `limit` entries, in rank order, whose worst term is best in the last field of
        `order`: FTS5 yields candidates in rowid (= rank) order and the sweep stops when enough."""
        worst, params = self._worst(terms, order)
        with self.kb.lock:
            rows = self.kb.db.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND {worst} = ? ORDER BY rowid LIMIT ?",
                (expression, *params, len(order) - 1, limit),
            ).fetchall()
        return [pos for (pos,) in rows]

    def fts_terms(self, term: str) -> str:
        """The FTS5 expression every text holding `term` (two characters or more) matches."""
        return fts_query(term) if len(term) >= 3 else self.pair_query(term)

    def pair_query(self, pair: str) -> str:
        """The FTS5 expression every text holding `pair` (two characters) matches: the trigrams that
        start with it (each value ends with VALUE_SEP, so every pair starts one), ORed."""
        if self._alphabet is None:
            with self.kb.lock:
                found = self.kb.db.execute("SELECT value FROM meta WHERE key = 'alphabet'").fetchone()
            self._alphabet = found[0] if found else ""
        grams = [pair + char for char in self._alphabet] or [pair + VALUE_SEP]
        return " OR ".join('"' + gram.replace('"', '""') + '"' for gram in grams)

    def prefetch(self, indexes: list[int]) -> None:
        """Read the docs rows of these entries into the cache in one query."""
        missing = [index for index in indexes if index not in self._rows]
        if not missing:
            return
        with self.kb.lock:
            got = self.kb.db.execute(
                f"SELECT pos, kind, id, title, {', '.join(SEARCH_FIELDS)} FROM docs"
                " WHERE pos IN (SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            ).fetchall()
        for pos, *row in got:
            self._rows[pos] = (*row[:3], *(as_text(text) for text in row[3:]))
        while len(self._rows) > CACHED_ROWS:
            self._rows.popitem(last=False)

    def row(self, index: int) -> tuple[str, ...]:
        """(kind, id, title, *field texts) of entry `index`, values joined by SEP (cached)."""
        found = self._rows.get(index)
        if found is None:
            with self.kb.lock:
                got = self.kb.db.execute(
                    f"SELECT kind, id, title, {', '.join(SEARCH_FIELDS)} FROM docs WHERE pos = ?", (index,)
                ).fetchone()
            if got is None:
                raise IndexError(index)
            found = self._rows[index] = (*got[:3], *(as_text(text) for text in got[3:]))
            while len(self._rows) > CACHED_ROWS:
                self._rows.popitem(last=False)
        return found

    def key(self, index: int) -> tuple[str, str]:
        kind, record_id = self.row(index)[:2]
        return kind, record_id

    def title(self, index: int) -> str:
        return self.row(index)[2]
