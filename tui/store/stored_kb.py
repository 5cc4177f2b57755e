"""The knowledge base answered by the store: one SQLite query per question, nothing held whole.

What is kept in memory: the region tree (drawn at once), the store's small meta, and the last few
thousand records decoded (an LRU). Lists are `RecordSeq`s: the seqs of the records, fetched when
indexed, sliced or iterated. Every kind's records sit in one run of seqs, so a kind's list costs
nothing to make. One connection, shared by the UI thread and the search worker under a lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from tui.knowledge.knowledge_base import KindOrClass, KnowledgeBase
from tui.knowledge.map_sites import MapSite, MapSites
from tui.knowledge.record_codec import decode
from tui.knowledge.records import Record
from tui.knowledge.region_index import RegionIndex, TreeRegion
from tui.store.location import StoreKey

CACHED_RECORDS = 16384  # decoded records kept: ~15-25 MB
CACHED_KEYS = 65536  # (kind, id) -> seq: ~10 MB at most
CACHED_LISTS = 64
BATCH = 500


class StoreError(Exception):
    """The store could not answer (damaged under us): the caller says so in one line."""


class RecordSeq(Sequence[Record]):
    """Records by seq, fetched from the store when they are asked for."""

    __slots__ = ("kb", "seqs")

    def __init__(self, kb: StoredKnowledgeBase, seqs: Sequence[int]) -> None:
        self.kb, self.seqs = kb, seqs

    def __len__(self) -> int:
        return len(self.seqs)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return self.kb.fetch(self.seqs[index])
        return self.kb.fetch([self.seqs[index]])[0]

    def __iter__(self) -> Iterator[Record]:
        for start in range(0, len(self.seqs), BATCH):
            yield from self.kb.fetch(self.seqs[start : start + BATCH])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RecordSeq) and other.kb is self.kb:
            return len(self.seqs) == len(other.seqs) and all(a == b for a, b in zip(self.seqs, other.seqs, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by content, like a list


class StoredKnowledgeBase(KnowledgeBase):
    """A read-only connection to a store (tui/store/opening.py opened and checked it)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.lock = threading.RLock()
        meta = dict(self._all("SELECT key, value FROM meta"))
        try:
            self._vias: list[tuple[str, str]] = [(kind, field) for kind, field in json.loads(meta["vias"])]
            self._ranges: dict[str, tuple[int, int]] = {
                kind: (int(first), int(count)) for kind, (first, count) in json.loads(meta["ranges"]).items()
            }
        except (KeyError, ValueError, TypeError) as exc:
            raise StoreError(f"store damaged (meta: {exc})") from None
        self._tree, self._region_seq = self._read_tree(meta.get("start") or None)
        self._cache: OrderedDict[int, Record] = OrderedDict()
        self._seqs: OrderedDict[tuple[str, str], int | None] = OrderedDict()
        self._lists: OrderedDict[tuple[str, str], Sequence[int]] = OrderedDict()
        self._corpus: Any = None

    # -- SQL ---------------------------------------------------------------------------------
    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            with self.lock:
                return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"store damaged ({' '.join(str(exc).split())})") from None

    def _read_tree(self, start: str | None) -> tuple[RegionIndex, dict[str, int]]:
        regions: dict[str, TreeRegion] = {}
        children: dict[str | None, list[TreeRegion]] = defaultdict(list)
        counts: dict[str, int] = {}
        seqs: dict[str, int] = {}
        for seq, region_id, name, parent, groups in self._all(
            "SELECT seq, id, name, parent, groups FROM tree ORDER BY pos"
        ):
            node = regions[region_id] = TreeRegion(region_id, name, parent)
            children[parent].append(node)
            counts[region_id], seqs[region_id] = groups, seq
        return RegionIndex(regions, dict(children), counts, start), seqs

    def fetch(self, seqs: Sequence[int]) -> list[Record]:
        """The records of these seqs, in that order (decoded once, then from the cache)."""
        cache = self._cache
        found: dict[int, Record] = {}
        missing = []
        for seq in seqs:
            record = cache.get(seq)
            if record is None:
                missing.append(seq)
            else:
                found[seq] = record
                cache.move_to_end(seq)
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            if len(chunk) == 1:
                rows = self._all("SELECT seq, kind, data FROM records WHERE seq = ?", chunk)
            elif max(chunk) - min(chunk) == len(chunk) - 1 == len(set(chunk)) - 1:  # a run, in any order
                rows = self._all(
                    "SELECT seq, kind, data FROM records WHERE seq BETWEEN ? AND ?", (min(chunk), max(chunk))
                )
            else:
                rows = self._all(
                    "SELECT seq, kind, data FROM records WHERE seq IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(chunk)),),
                )
            for seq, kind, data in rows:
                found[seq] = self._decoded(seq, kind, data)
        try:
            return [found[seq] for seq in seqs]
        except KeyError:
            raise StoreError("store damaged (a record is missing)") from None

    def _seq(self, kind: str, record_id: str) -> int | None:
        """The record's seq (None: no such record); its row is decoded into the cache on the way."""
        if kind == "regions" and (seq := self._region_seq.get(record_id)) is not None:
            return seq
        key = (kind, record_id)
        if key in self._seqs:
            self._seqs.move_to_end(key)
            return self._seqs[key]
        rows = self._all("SELECT seq, data FROM records WHERE kind = ? AND id = ?", key)
        seq = rows[0][0] if rows else None
        if seq is not None and seq not in self._cache:
            self._decoded(seq, kind, rows[0][1])
        self._seqs[key] = seq
        if len(self._seqs) > CACHED_KEYS:
            self._seqs.popitem(last=False)
        return seq

    def _prime(self, kind: str, ids: Sequence[str]) -> None:
        """Look up in one query the records of `kind` with these ids that are not known yet (decoded into
        the cache, as `_seq` does one by one): the map's list names a row's groups at once."""
        unknown = [i for i in dict.fromkeys(ids) if (kind, i) not in self._seqs]
        if kind == "regions" or len(unknown) < 2:
            return
        rows = self._all(
            "SELECT id, seq, data FROM records WHERE kind = ? AND id IN (SELECT value FROM json_each(?))",
            (kind, json.dumps(unknown)),
        )
        for record_id, seq, data in rows:
            if seq not in self._cache:
                self._decoded(seq, kind, data)
            self._seqs[(kind, record_id)] = seq
        while len(self._seqs) > CACHED_KEYS:
            self._seqs.popitem(last=False)

    def names_of(self, kind: KindOrClass, ids: Iterable[str]) -> list[str]:
        wanted = list(ids)
        self._prime(kind if isinstance(kind, str) else kind.KIND, wanted)
        return super().names_of(kind, wanted)

    def _remember(self, key: tuple[str, str], seqs: Sequence[int]) -> Sequence[int]:
        self._lists[key] = seqs
        while len(self._lists) > CACHED_LISTS:
            self._lists.popitem(last=False)
        return seqs

    # -- primitive queries -------------------------------------------------------------------
    def region_index(self) -> RegionIndex:
        return self._tree

    def _get(self, kind: str, record_id: str) -> Record | None:
        seq = self._seq(kind, record_id)
        return None if seq is None else self.fetch([seq])[0]

    def _decoded(self, seq: int, kind: str, data: str) -> Record:
        try:
            record = self._cache[seq] = decode(kind, data)
        except ValueError as exc:
            raise StoreError(f"store damaged ({exc})") from None
        if len(self._cache) > CACHED_RECORDS:
            self._cache.popitem(last=False)
        return record

    def _records(self, kind: str) -> RecordSeq:
        first, count = self._ranges.get(kind, (0, 0))
        return RecordSeq(self, range(first, first + count))

    def counts(self) -> dict[str, int]:
        return {kind: count for kind, (_, count) in self._ranges.items()}

    def _referrers(self, kind: str, record_id: str, from_kind: str | None, via: str | None) -> RecordSeq:
        target = self._seq(kind, record_id)
        if target is None:
            return RecordSeq(self, ())
        wanted = {
            n
            for n, (k, field) in enumerate(self._vias)
            if (from_kind is None or k == from_kind) and (via in (None, field))
        }
        groups: dict[int, list[int]] = {}  # by (kind, field), in the order each first refers
        for link_via, seq in self._all("SELECT via, from_seq FROM links WHERE target = ? ORDER BY n", (target,)):
            if link_via in wanted:
                groups.setdefault(link_via, []).append(seq)
        once = dict.fromkeys(seq for seqs in groups.values() for seq in seqs)  # each record once
        return RecordSeq(self, array("q", once))

    def _in_subtree(self, kind: str, region_id: str) -> RecordSeq:
        key = (kind, region_id)
        seqs = self._lists.get(key)
        if seqs is None:
            if not region_id:
                rows = self._all("SELECT seq FROM records WHERE kind = ? ORDER BY rank", (kind,))
            else:
                targets = [self._region_seq[r] for r in self.subtree_ids(region_id) if r in self._region_seq]
                vias = [n for n, (k, field) in enumerate(self._vias) if k == kind and field == "regions"]
                rows = self._all(
                    "SELECT seq FROM records WHERE seq IN (SELECT from_seq FROM links"
                    " WHERE target IN (SELECT value FROM json_each(?)) AND via IN (SELECT value FROM json_each(?)))"
                    " ORDER BY rank",
                    (json.dumps(targets), json.dumps(vias)),
                )
            seqs = self._remember(key, array("q", (row[0] for row in rows)))
        return RecordSeq(self, seqs)

    def _data_order(self, kind: str, record_id: str) -> int:
        return self._seq(kind, record_id) or 0

    def region_coordinates(self) -> list[tuple[str, str, Any, Any]]:
        """From the map's own table (tui/store/schema.py): no record decoded."""
        rows = self._all("SELECT region, kind, lat, lon, south, west, north, east FROM map_points ORDER BY n")
        return [
            (r, kind, (lat, lon), None if south is None else (south, west, north, east))
            for r, kind, lat, lon, south, west, north, east in rows
        ]

    def map_sites(self) -> MapSites:
        """From the store's own tables (tui/store/schema.py), which the writer filled from the same
        function the in-memory knowledge base runs; each table's JSON read as one text (~10 ms at the
        reference size, where decoding it row by row took 30)."""
        sites = self._all("SELECT region, kind, lat, lon, south, west, north, east FROM map_sites ORDER BY n")
        texts = self._all(
            "SELECT '[' || ifnull(group_concat(groups, ','), '') || ']',"
            " '[' || ifnull(group_concat(stands_for, ','), '') || ']'"
            " FROM (SELECT groups, stands_for FROM map_sites ORDER BY n)"
        )
        unplaced = self._all("SELECT region, groups FROM map_unplaced ORDER BY n")
        try:
            groups, standing = (json.loads(text) for text in texts[0])
            return MapSites(
                [
                    MapSite(
                        rid,
                        kind,
                        lat,
                        lon,
                        None if south is None else (south, west, north, east),
                        tuple(map(tuple, entries)),
                        tuple(stands_for),
                    )
                    for (rid, kind, lat, lon, south, west, north, east), entries, stands_for in zip(
                        sites, groups, standing, strict=True
                    )
                ],
                [(rid, tuple(map(tuple, json.loads(entries)))) for rid, entries in unplaced],
            )
        except (TypeError, ValueError, IndexError) as exc:
            raise StoreError(f"store damaged (map: {exc})") from None

    def search_corpus(self) -> object:
        if self._corpus is None:
            from tui.store.stored_search import StoreCorpus

            self._corpus = StoreCorpus(self)
        return self._corpus


def open_key(key: StoreKey) -> StoredKnowledgeBase | str:
    """The store of `key` as a knowledge base, or why it cannot be used (then: rebuild)."""
    from tui.store.opening import open_store

    opened = open_store(key.path, key.expect())
    if isinstance(opened, str):
        return opened
    try:
        racy = opened.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
        if racy is None or key.racy_changed(racy[0]):
            opened.close()
            return "store out of date (the data changed)"
        return StoredKnowledgeBase(opened)
    except (StoreError, sqlite3.Error) as exc:
        opened.close()
        return str(exc) if isinstance(exc, StoreError) else f"store damaged ({exc})"
