"""The store's tables: what `writer` creates and what `opening` accepts, nothing else.

One SQLite file per knowledge base:
- `records`: every record as JSON (record_codec) in data order (`seq`), with `rank` its place in
  its kind's display order (groups by name, events by date, the rest as in the data);
- `links`: every reference backwards: the record referred to (`target`, its seq), who refers to it
  (`from_seq`) and through which field (`via`: an index into meta's `vias`, the (referring kind,
  field) pairs), in the order the in-memory knowledge base lists them (`n`);
- `tree`: the region tree in display order with its group counts, read whole on opening;
- `map_points`: each region with a point (its kind, point and box), in data order;
- `map_sites` and `map_unplaced`: the map's places as `KnowledgeBase.map_sites()` makes them (each
  site's groups and the regions it stands for as JSON), read whole when the map opens: made from the
  records, they cost ~90 ms at the reference size; read from here, ~15;
- `docs`: each record's normalised search text by field, one row per record in search rank order
  (`pos`), each value followed by a newline (normalised text holds none), so that every two
  characters of a text start one of its trigrams;
- `docs_fts`: FTS5 trigrams of all of `docs`, without positions or columns (`detail=none`: a sixth
  of the size of `detail=full`), so a query is the trigrams it holds, ANDed, and each candidate is
  checked for the whole text in its field (stored_search.py); `names_fts`: the same for names and
  aliases alone, the first tiers of search, answered without touching the long texts.
"""

from __future__ import annotations

import sqlite3
from functools import cache

SCHEMA_VERSION = 2  # 2: regions gained point, bbox and coords_source; the map's tables
NAME_FIELDS = ("name", "alias")  # what names_fts indexes
APPLICATION_ID = 0x49534953  # "ISIS": PRAGMA application_id, so a stranger's database is told apart
SEARCH_FIELDS = ("name", "alias", "summary", "quote", "status", "role", "attribution")
VALUE_SEP = "\n"  # after each value of a field in `docs`

DDL = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE records(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL,
    rank INTEGER NOT NULL, data TEXT NOT NULL);
CREATE UNIQUE INDEX records_key ON records(kind, id);
CREATE INDEX records_rank ON records(kind, rank);
CREATE TABLE links(target INTEGER NOT NULL, n INTEGER NOT NULL, via INTEGER NOT NULL,
    from_seq INTEGER NOT NULL, PRIMARY KEY(target, n)) WITHOUT ROWID;
CREATE TABLE tree(pos INTEGER PRIMARY KEY, seq INTEGER NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    parent TEXT, groups INTEGER NOT NULL);
CREATE TABLE map_points(n INTEGER PRIMARY KEY, region TEXT NOT NULL, kind TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, south REAL, west REAL, north REAL, east REAL);
CREATE TABLE map_sites(n INTEGER PRIMARY KEY, region TEXT NOT NULL, kind TEXT NOT NULL, lat REAL NOT NULL,
    lon REAL NOT NULL, south REAL, west REAL, north REAL, east REAL, groups TEXT NOT NULL, stands_for TEXT NOT NULL);
CREATE TABLE map_unplaced(n INTEGER PRIMARY KEY, region TEXT NOT NULL, groups TEXT NOT NULL);
CREATE TABLE docs(pos INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL,
    {", ".join(f"{field} TEXT NOT NULL" for field in SEARCH_FIELDS)});
CREATE INDEX docs_name ON docs(name);
CREATE VIRTUAL TABLE docs_fts USING fts5({", ".join(SEARCH_FIELDS)}, content='docs', content_rowid='pos',
    tokenize='trigram case_sensitive 1', detail=none, columnsize=0);
CREATE VIRTUAL TABLE names_fts USING fts5(name, alias, content='docs', content_rowid='pos',
    tokenize='trigram case_sensitive 1', detail=none, columnsize=0);
"""


@cache
def expected_schema() -> frozenset[tuple[str, str, str, str | None]]:
    """(type, name, table, sql) of every object a store holds: tables, indexes, FTS5's own tables."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(DDL)
        rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        db.close()
    return frozenset(rows)
