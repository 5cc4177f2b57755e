"""Write a checked knowledge base into its store: a temporary file renamed into place.

Built in the cache directory beside its final name, with journalling and syncing off (a half-built
file is never used: it has not been renamed), then renamed over the old store atomically. Readers
of the old store keep reading it (they hold its inode; SQLite's rollback journal has no file shared
by name, which is why the store is not in WAL mode: a -shm file named after the store would be
shared by the old file's readers and the new file's). A read-only or full cache directory just means
no store: the caller says so in one line.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tui.knowledge.knowledge_base import MemoryKnowledgeBase, display_key
from tui.knowledge.record_codec import encode
from tui.knowledge.records import KINDS
from tui.knowledge.search_fields import FIELDS, field_texts, ranked_records, title_of
from tui.knowledge.search_text import SEP
from tui.store.location import StoreKey
from tui.store.schema import APPLICATION_ID, DDL, SCHEMA_VERSION, VALUE_SEP

BATCH = 5000


def write(key: StoreKey, kb: MemoryKnowledgeBase) -> str | None:
    """Store `kb` for `key`; returns why not (read-only, full, ...) or None when written."""
    import tempfile

    directory = key.path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        _remove_abandoned(directory)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".writing-", suffix=".sqlite3")
        os.close(fd)
        try:
            _build(Path(tmp), key, kb)
            os.replace(tmp, key.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            Path(tmp + "-journal").unlink(missing_ok=True)
            raise
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"store not written ({why}): {directory}"
    return None


ABANDONED_SECONDS = 3600  # a build's temporary file untouched this long was left by a killed process


def _remove_abandoned(directory: Path) -> None:
    """Temporary files of builds that were killed (a hangup's default is to end at once)."""
    import time

    for path in directory.glob(".writing-*"):
        try:
            if time.time() - path.stat().st_mtime > ABANDONED_SECONDS:
                path.unlink()
        except OSError:
            pass  # gone meanwhile, or not ours to remove: either way not in the way


def _build(path: Path, key: StoreKey, kb: MemoryKnowledgeBase) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    cleanups: list[Callable[[], None]] = []
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute(f"PRAGMA application_id={APPLICATION_ID}")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("BEGIN")
        for statement in DDL.split(";"):
            if statement.strip():
                db.execute(statement)
        side = _docs_in_a_process(kb, path)  # the search text is made meanwhile, on another core
        cleanups.append(lambda: _stop(side))
        seqs = _records(db, kb)
        vias: dict[tuple[str, str], int] = {}
        db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", _links(kb, seqs, vias))
        db.execute("INSERT INTO meta VALUES ('vias', ?)", (json.dumps(list(vias)),))
        _tree(db, kb, seqs)
        _map(db, kb)
        if side is None or not _join_docs(db, *side):
            _docs(db, kb)
            _build_indexes(db)
        meta = key.meta() | {"ranges": json.dumps(_ranges(kb))}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode=DELETE")
    finally:
        db.close()
        for cleanup in cleanups:
            cleanup()


SIDE_PROCESS_RECORDS = 20_000  # fewer records: making their search text here costs less than a process


def _docs_in_a_process(kb: MemoryKnowledgeBase, path: Path) -> tuple[Any, Path] | None:
    """Start a forked process writing the `docs` rows to a file of their own (the knowledge base is
    shared with it copy-on-write: nothing is pickled); None where there is no fork, or little data."""
    import multiprocessing

    if sum(kb.counts().values()) < SIDE_PROCESS_RECORDS or "fork" not in multiprocessing.get_all_start_methods():
        return None
    side_path = path.with_name(path.name + "-docs")
    process = multiprocessing.get_context("fork").Process(target=_docs_file, args=(kb, side_path), daemon=True)
    process.start()
    return process, side_path


FTS_TABLES = ("docs_fts", "names_fts")
FTS_SHADOWS = ("data", "idx", "config")  # FTS5's own tables: `{index}_{shadow}`


def _docs_file(kb: MemoryKnowledgeBase, side_path: Path) -> None:
    """In the forked process: the docs rows, the alphabet and both FTS5 indexes over them, into a
    database of their own, whose tables the store then copies as they are."""
    db = sqlite3.connect(side_path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        db.execute(_statement("CREATE TABLE docs("))
        for index in FTS_TABLES:
            db.execute(_statement(f"CREATE VIRTUAL TABLE {index} "))
        db.execute("CREATE TABLE meta(key TEXT, value TEXT)")
        _docs(db, kb)
        _build_indexes(db)
        db.execute("COMMIT")
    finally:
        db.close()


def _build_indexes(db: sqlite3.Connection) -> None:
    """Both FTS5 indexes from the docs rows. Merging fewer, larger segments as it goes (automerge 16
    and crisismerge 64 instead of 4 and 16) built the scale-1 index in 2.2 s instead of 3.1 s."""
    for index in FTS_TABLES:
        db.execute(f"INSERT INTO {index}({index}, rank) VALUES ('automerge', 16)")
        db.execute(f"INSERT INTO {index}({index}, rank) VALUES ('crisismerge', 64)")
        db.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def _join_docs(db: sqlite3.Connection, process: Any, side_path: Path) -> bool:
    """Copy what the side process wrote into the store; False when it failed (then: do it here)."""
    try:
        process.join()
        if process.exitcode != 0:
            return False
        db.execute("COMMIT")  # no ATTACH within a transaction
        db.execute("ATTACH DATABASE ? AS side", (str(side_path),))
        db.execute("BEGIN")
        db.execute("INSERT INTO docs SELECT * FROM side.docs ORDER BY pos")
        db.execute("INSERT INTO meta SELECT key, value FROM side.meta")
        for index in FTS_TABLES:  # the indexes as built there (an FTS5 index is its tables' rows)
            for shadow in FTS_SHADOWS:
                table = f"{index}_{shadow}"
                db.execute(f"INSERT OR REPLACE INTO main.{table} SELECT * FROM side.{table}")
        db.execute("COMMIT")
        db.execute("DETACH DATABASE side")
        db.execute("BEGIN")
        return True
    finally:
        side_path.unlink(missing_ok=True)


def _stop(side: tuple[Any, Path] | None) -> None:
    """The side process ended (killed if still running: the build failed) and its file removed."""
    if side is not None:
        process, side_path = side
        if process.is_alive():
            process.kill()
            process.join()
        side_path.unlink(missing_ok=True)


def _statement(start: str) -> str:
    """The statement of DDL that begins with `start`."""
    return next(statement for statement in DDL.split(";") if statement.strip().startswith(start))


def _ranges(kb: MemoryKnowledgeBase) -> dict[str, tuple[int, int]]:
    """Each kind's run of seqs: (first, count); seqs count from 1 in KINDS order (see _records)."""
    out, first = {}, 1
    for kind, count in kb.counts().items():
        out[kind] = (first, count)
        first += count
    return out


def _records(db: sqlite3.Connection, kb: MemoryKnowledgeBase) -> dict[tuple[str, str], int]:
    """Every record in data order (seq), with its rank in its kind's display order."""
    seqs: dict[tuple[str, str], int] = {}
    seq = 0
    for kind in KINDS:
        records = kb.records(KINDS[kind])
        order = display_key(kind)
        ranked = sorted(range(len(records)), key=lambda i: order(records[i])) if order else range(len(records))
        rank = [0] * len(records)
        for place, i in enumerate(ranked):
            rank[i] = place
        rows = []
        for i, record in enumerate(records):
            seq += 1
            seqs[(kind, record.id)] = seq
            rows.append((seq, kind, record.id, rank[i], encode(record)))
            if len(rows) >= BATCH:
                db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", rows)
                rows.clear()
        db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", rows)
    return seqs


def _links(
    kb: MemoryKnowledgeBase, seqs: dict[tuple[str, str], int], vias: dict[tuple[str, str], int]
) -> Iterator[tuple[int, int, int, int]]:
    """(target seq, n, via, referring seq) of every link; `vias` fills with the (kind, field) pairs."""
    for n, (target, source, record) in enumerate(kb.back_links()):
        target_seq = seqs.get(target)
        if target_seq is not None:  # checked data refers only to records that exist
            via = vias.setdefault(source, len(vias))
            yield target_seq, n, via, seqs[(source[0], record.id)]


def _map(db: sqlite3.Connection, kb: MemoryKnowledgeBase) -> None:
    """The map's tables, in the order the in-memory knowledge base answers them."""
    db.executemany(
        "INSERT INTO map_points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (n, rid, kind, *point, *(bbox or (None,) * 4))
            for n, (rid, kind, point, bbox) in enumerate(kb.region_coordinates())
        ),
    )
    found = kb.map_sites()
    db.executemany(
        "INSERT INTO map_sites VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (n, s.id, s.kind, s.lat, s.lon, *(s.bbox or (None,) * 4), json.dumps(s.groups), json.dumps(s.stands_for))
            for n, s in enumerate(found.sites)
        ),
    )
    db.executemany(
        "INSERT INTO map_unplaced VALUES (?, ?, ?)",
        ((n, rid, json.dumps(groups)) for n, (rid, groups) in enumerate(found.unplaced)),
    )


def _tree(db: sqlite3.Connection, kb: MemoryKnowledgeBase, seqs: dict[tuple[str, str], int]) -> None:
    """The region tree level by level, each parent's children in display order; the start in meta."""
    index = kb.region_index()
    rows: list[tuple[int, int, str, str, str | None, int]] = []
    level = index.roots()
    while level:
        for region in level:
            seq = seqs[("regions", region.id)]
            rows.append((len(rows) + 1, seq, region.id, region.name, region.parent, index.group_count(region.id)))
        level = [child for region in level for child in index.children(region.id)]
    db.executemany("INSERT INTO tree VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.execute("INSERT INTO meta VALUES ('start', ?)", (index.start or "",))


def _docs(db: sqlite3.Connection, kb: MemoryKnowledgeBase) -> None:
    """The search text of every record, in search rank order (search_index.ranked_records); each
    field's text ends with VALUE_SEP (see schema.py); the characters met go to meta's `alphabet`."""
    rows: list[tuple[object, ...]] = []
    alphabet: set[str] = set()
    insert = f"INSERT INTO docs VALUES ({', '.join('?' * (4 + 1 + len(FIELDS)))})"
    for pos, (kind, record, name) in enumerate(ranked_records(kb)):
        texts = [_field(name.split(SEP)), *(_field(values) for values in field_texts(record))]
        for text in texts:
            alphabet.update(text)
        rows.append((pos, kind, record.id, title_of(kb, record), *texts))
        if len(rows) >= BATCH:
            db.executemany(insert, rows)
            rows.clear()
    db.executemany(insert, rows)
    db.execute("INSERT INTO meta VALUES ('alphabet', ?)", ("".join(sorted(alphabet)),))


def _field(values: list[str]) -> str:
    """A field's values as `docs` holds them: joined by VALUE_SEP, which also ends them."""
    return "".join(value + VALUE_SEP for value in values)
