"""Substring search over every record: names, aliases, summaries, quotes, statuses and roles.

Textual-free. Each field group is a casefolded, whitespace-normalised haystack for the whole knowledge
base (records separated by NUL, in kind order then title order, in parts of a few thousand records),
so a query is a handful of C-level `str.find` sweeps; a record's index comes from bisecting the list
of record start offsets.
Because records sit in display order, scanning in order yields hits already ranked within a tier and
every sweep can stop as soon as `limit` hits are in hand.

A query of several words finds the records holding all of them, in any fields and any order; a
"quoted phrase" is one term. A query of single letters finds the names equal to the first or
starting with it: one letter is inside nearly every record, and a sweep of every text for it says
nothing. A one-word query that finds nothing is retried with one typo allowed (a letter missing,
extra, wrong or swapped) in names and aliases: "khorsan" offers ISIS-Khorasan.

The sweeps run over a `Corpus` (search_corpus.py): haystacks in memory here, or the store's FTS5
index (tui/store/stored_search.py); the ranking is written once, below, for both.
"""

from __future__ import annotations

import re
import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from weakref import WeakKeyDictionary

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS, Record
from tui.knowledge.search_corpus import Corpus, Hay
from tui.knowledge.search_fields import FIELD_NAMES, FIELDS, field_text, ranked_records, title_of
from tui.knowledge.search_text import SEP, excerpt, locate, normalise, one_typo, query_text, terms, tightest

PART_RECORDS = 4096  # records per haystack part


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One record that matched, and where.

    `title` is the record's title with its whitespace collapsed. `snippet` is an excerpt of the field
    that matched ("" when the name matched). `span` is the match's (start, end) within the title for a
    name match, within the snippet otherwise; None when it cannot be located exactly.
    """

    kind: str
    id: str
    title: str
    label: str
    field: str
    snippet: str = ""
    span: tuple[int, int] | None = None
    close: bool = False  # found with one typo allowed, no exact match


class _Haystack(Hay):
    """One field group for every record, in parts of at most PART_RECORDS records, each part
    SEP text0 SEP text1 SEP ... SEP. Parts keep the build's peak memory near the haystack's own
    size (one string for the whole field meant holding every record's text twice while joining)."""

    __slots__ = ("parts", "per_part")

    def __init__(self, texts: Iterable[str]) -> None:
        self.parts: list[tuple[int, str, array[int]]] = []  # (index of the part's first record, text, starts)
        self.per_part = PART_RECORDS  # every part but the last holds this many records
        first, source = 0, iter(texts)
        while chunk := list(islice(source, PART_RECORDS)):
            # starts[i]: where the part's record i begins; the last entry is one past the final separator
            starts = array("q", accumulate((len(text) + 1 for text in chunk), initial=1))
            self.parts.append((first, SEP + SEP.join(chunk) + SEP, starts))
            first += len(chunk)

    def scan(self, needle: str, shift: int = 0, also: Sequence[str] = ()) -> Iterator[int]:
        """Indexes of the records containing `needle`, in order, each once. `shift` is how many
        characters of the needle come before the record's text (1 for a needle starting with SEP).
        (`also` is not used: checking each record's other fields is what search does next.)"""
        for first, text, starts in self.parts:
            find = text.find
            pos = find(needle)
            while pos >= 0:
                index = bisect_right(starts, pos + shift) - 1
                yield first + index
                pos = find(needle, starts[index + 1] - 1)

    def text(self, index: int) -> str:
        """Record `index`'s text in this field (its values joined by SEP)."""
        first, text, starts = self.parts[index // self.per_part]
        at = index - first
        return text[starts[at] : starts[at + 1] - 1]

    def matches(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
        """(index, text) of the records where `pattern` (which starts with SEP) matches, in order."""
        for first, text, starts in self.parts:
            pos = 0
            while (match := pattern.search(text, pos)) is not None:
                index = bisect_right(starts, match.start() + 1) - 1
                start, pos = starts[index], starts[index + 1] - 1
                yield first + index, text[start:pos]


class MemoryCorpus(Corpus):
    """The haystacks in memory, built from every record of the knowledge base on first use."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.hay: dict[str, Hay] = {}
        self._records: list[tuple[str, Record]] = []

    @property
    def ready(self) -> bool:
        return bool(self.hay)

    def __len__(self) -> int:
        return len(self._records)

    def build(self) -> None:
        if self.hay:
            return
        ranked = ranked_records(self.kb)
        hay: dict[str, Hay] = {"name": _Haystack(name for _, _, name in ranked)}
        records = [(kind, record) for kind, record, _ in ranked]
        del ranked  # the normalised names live on in the haystack only
        for n, (field, _) in enumerate(FIELDS):
            hay[field] = _Haystack(SEP.join(field_text(record, n)) for _, record in records)
        self._records = records
        self.hay = hay

    def key(self, index: int) -> tuple[str, str]:
        kind, record = self._records[index]
        return kind, record.id

    def title(self, index: int) -> str:
        return title_of(self.kb, self._records[index][1])


class SearchIndex:
    """Case-insensitive substring search over every record of a knowledge base.

    Ranking: exact name, name prefix, name substring, alias, then summary, quote, status, role and
    attribution; within each, kind order (as in `KINDS`) then title. Built on first use (or `build()`).
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._lock = threading.Lock()
        corpus = kb.search_corpus()
        self.corpus: Corpus = corpus if isinstance(corpus, Corpus) else MemoryCorpus(kb)

    @property
    def _hay(self) -> Mapping[str, Hay]:
        return self.corpus.hay

    @property
    def ready(self) -> bool:
        return self.corpus.ready

    def __len__(self) -> int:
        self.build()
        return len(self.corpus)

    def build(self) -> None:
        """Make the corpus ready (idempotent and thread-safe; in memory 1.5-2 s for 130k records,
        the store's at once)."""
        if self.corpus.ready:
            return
        with self._lock:
            self.corpus.build()

    # -- queries -------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 200, *, fields: Iterable[str] | None = None) -> list[SearchHit]:
        """Records matching `query` (see the class for the order); at most `limit` of them.
        `fields` restricts the search to some of FIELD_NAMES (e.g. ("name", "alias")).
        Several terms: records holding every one (see `all_terms`); one word that finds nothing:
        close matches (see `close_matches`)."""
        found_terms = terms(query)
        if not found_terms or limit <= 0:
            return []
        self.build()
        wanted = set(FIELD_NAMES if fields is None else fields)
        if max(len(term) for term in found_terms) == 1:  # a letter is inside nearly every record:
            return self.one_term(found_terms[0], limit, wanted & {"name"}, prefix_only=True)  # names it starts
        if len(found_terms) > 1:
            return self.all_terms(found_terms, limit, wanted)
        hits = self.one_term(found_terms[0], limit, wanted)
        if not hits and '"' not in query and {"name", "alias"} & wanted:
            return self.close_matches(found_terms[0], limit, wanted & {"name", "alias"})
        return hits

    def one_term(self, q: str, limit: int, wanted: set[str], *, prefix_only: bool = False) -> list[SearchHit]:
        """Records holding `q`: exact name, name prefix, name substring, then the other fields
        (`prefix_only`: the first two alone)."""
        found: dict[int, str] = {}  # record index -> field; dicts keep insertion (= rank) order
        tiers: list[tuple[str, str, str, int]] = []  # (haystack, field label, needle, shift)
        if "name" in wanted:
            tiers += [("name", "name", SEP + q + SEP, 1), ("name", "name", SEP + q, 1), ("name", "name", q, 0)]
        tiers += [(field, field, q, 0) for field, _ in FIELDS if field in wanted]
        if prefix_only:
            tiers = tiers[:2]
        for hay, label, needle, shift in tiers:
            for index in self._hay[hay].scan(needle, shift):
                if index not in found:
                    found[index] = label
                    if len(found) >= limit:
                        break
            if len(found) >= limit:
                break
        return [self._hit(index, field, q) for index, field in found.items()]

    def all_terms(self, needles: list[str], limit: int, wanted: set[str]) -> list[SearchHit]:
        """Records holding every term, each in any wanted field. Ranked by the weakest of the terms'
        best fields (all in the name or aliases before any only in a summary or quote), then in
        display order; the match is marked where the words stand together. The longest term is swept
        for; the others are looked for only in its records."""
        order = [field for field in FIELD_NAMES if field in wanted]
        hays = [self._hay[field] for field in order]
        first, *rest = sorted(needles, key=len, reverse=True)
        found = self.corpus.rank_all_terms([first, *rest], order, limit)
        if found is None:
            found = self._rank_all_terms(first, rest, hays, limit)
        found.sort()
        whole = " ".join(needles)  # the words as typed, together: shown whole where the field has them so
        hits = []
        for n, index, term in found[:limit]:
            needle = whole if whole in self._hay[order[n]].text(index) else term
            hits.append(self._hit(index, order[n], needle))
        return hits

    @staticmethod
    def _rank_all_terms(first: str, rest: list[str], hays: list[Hay], limit: int) -> list[tuple[int, int, str]]:
        """(rank, index, term that set the rank) of the records holding every term, enough of them
        for the best `limit`: see `Corpus.rank_all_terms`."""
        seen: set[int] = set()
        found: list[tuple[int, int, str]] = []
        for rank, hay in enumerate(hays):
            # a record whose longest term is first found in this field ranks here or lower: once
            # `limit` records rank above, no record still to come can make the list
            if sum(1 for hit in found if hit[0] < rank) >= limit:
                break
            for index in hay.scan(first, also=rest):
                if index in seen:
                    continue
                seen.add(index)
                worst, worst_term = rank, first
                for needle in rest:
                    best = next((n for n, other in enumerate(hays) if needle in other.text(index)), None)
                    if best is None:
                        break
                    if best > worst:
                        worst, worst_term = best, needle
                else:
                    found.append((worst, index, worst_term))
        return found

    def close_matches(self, q: str, limit: int, wanted: set[str]) -> list[SearchHit]:
        """Records whose name or alias is one typo away from holding `q` (a word of 4+ letters). Any
        such text holds the first or the second half of `q` exactly, so those halves are swept for
        and only the records holding one are tried against the one-typo pattern."""
        if len(q) < 4 or len(q) > 40 or SEP in q:
            return []
        pattern = one_typo(q)
        halves = (q[: len(q) // 2], q[len(q) // 2 :])
        found: dict[int, tuple[str, str]] = {}  # record index -> (field, the text that matched)
        for field in ("name", "alias"):
            if field not in wanted:
                continue
            hay = self._hay[field]
            candidates = sorted({index for half in halves for index in islice(hay.scan(half), 20_000)})
            for index in candidates:
                if index in found:
                    continue
                match = pattern.search(hay.text(index))
                if match is not None:
                    found[index] = (field, match.group())
        ranked = sorted(found.items(), key=lambda item: (item[1][0] != "name", item[0]))[:limit]
        hits = [self._hit(index, field, matched) for index, (field, matched) in ranked]
        return [SearchHit(h.kind, h.id, h.title, h.label, h.field, h.snippet, h.span, close=True) for h in hits]

    def subsequence(
        self,
        query: str,
        limit: int = 50,
        *,
        exclude: Iterable[tuple[str, str]] = (),
        spread: int = 3,
        scan_cap: int = 2000,
    ) -> list[SearchHit]:
        """Records whose name holds the query's characters in order, close together (fuzzy, for the
        command palette). One regex sweep whose steps are all deterministic finds candidates; those
        whose tightest match spans more than `spread` x the query's length are dropped, and no more than
        `scan_cap` candidates are examined."""
        q = query_text(query).replace(" ", "")
        if not q or limit <= 0 or len(q) > 40:
            return []
        self.build()
        skip = set(exclude)
        chars = [f"\\U{ord(c):08x}" for c in q]
        pattern = re.compile(SEP + "".join(f"[^\\x00{c}]*{c}" for c in chars))
        hits: list[SearchHit] = []
        for index, text in islice(self._hay["name"].matches(pattern), scan_cap):
            positions = tightest(q, text)
            kind, record_id = self.corpus.key(index)
            if positions and positions[-1] - positions[0] < spread * len(q) and (kind, record_id) not in skip:
                hits.append(SearchHit(kind, record_id, self.corpus.title(index), KINDS[kind].LABEL, "name"))
                if len(hits) >= limit:
                    break
        return hits

    def _hit(self, index: int, field: str, q: str) -> SearchHit:
        kind, record_id = self.corpus.key(index)
        title, label = self.corpus.title(index), KINDS[kind].LABEL
        if field == "name":
            return SearchHit(kind, record_id, title, label, field, "", locate(title, q))
        record = self.kb.get(kind, record_id)
        texts = dict(FIELDS)[field](record) if record is not None else ()
        text = next((t for t in texts if q in normalise(t)), texts[0] if texts else "")
        snippet, span = excerpt(text, q)
        return SearchHit(kind, record_id, title, label, field, snippet, span)


_INDEXES: WeakKeyDictionary[KnowledgeBase, SearchIndex] = WeakKeyDictionary()


def index_for(kb: KnowledgeBase) -> SearchIndex:
    """The one SearchIndex of a knowledge base, shared by the search screen and the command palette."""
    index = _INDEXES.get(kb)
    if index is None:
        index = _INDEXES[kb] = SearchIndex(kb)
    return index
