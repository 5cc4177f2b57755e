"""Opening a store: read-only, and only a file that is ours, whole, and exactly what `writer` makes.

The store is derived data under the user cache directory, so anything found there may be stale, cut
short by a crash or a full disk, written by another version, or planted. Opening it must never run
code from it and never fail with an error: every doubt becomes one short line saying why (the caller
prints it and rebuilds). SQLite runs no code from a file by itself, but a schema can: a trigger or a
view calling a function. So the connection is read-only with `trusted_schema` off, and a file whose
schema differs in any way from `schema.expected_schema()` is refused before a query touches a table.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from tui.store.schema import APPLICATION_ID, SCHEMA_VERSION, expected_schema

MAGIC = b"SQLite format 3\x00"
# What a differing `meta` value means to the user; any other key says which one changed.
STALE = {
    "schema_version": "store from another version",
    "app_version": "store from another version",
    "root": "store built for other data",
    "stamp": "store out of date (the data changed)",
    "content_hash": "store out of date (the data changed)",
}


def safe_to_read(path: Path) -> str | None:
    """Why `path` is not our own regular file in our own closed directory, or None when it is.

    Where the platform has no `os.getuid` (Windows), access is governed by ACLs that the mode bits do
    not describe (every writable file reads as 0o666 there), so neither owner nor mode is checked.
    """
    try:
        st, parent = path.stat(), path.parent.stat()
    except (FileNotFoundError, NotADirectoryError):  # no store, or no cache directory, yet
        return "no store yet"
    except (OSError, ValueError) as exc:
        return f"store unreadable ({_why(exc)})"
    if not stat.S_ISREG(st.st_mode):
        return "store is not a regular file"
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    uid = getuid()
    for what, found in (("store", st), ("store directory", parent)):
        if found.st_uid != uid:
            return f"{what} not ours: owned by uid {found.st_uid}"
        if found.st_mode & stat.S_IWOTH:
            return f"{what} open to others (world-writable)"
        if found.st_mode & stat.S_IWGRP:
            return f"{what} open to others (group-writable)"
    return None


def open_store(path: Path, expect: dict[str, str]) -> sqlite3.Connection | str:
    """A read-only connection to the store at `path` whose `meta` holds every item of `expect`, or
    one line saying why not. Never raises."""
    if (reason := safe_to_read(path)) is not None:
        return reason
    try:
        if (reason := _header_problem(path)) is not None:
            return reason
        uri = path.absolute().as_uri() + "?mode=ro"  # as_uri quotes '?', '#', '%' in the path
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except (sqlite3.Error, OSError, ValueError) as exc:
        return _damaged(exc)
    try:
        reason = _check(db, expect)
    except (sqlite3.Error, OSError, ValueError) as exc:
        reason = _damaged(exc)
    if reason is None:
        return db
    db.close()
    return reason


def _header_problem(path: Path) -> str | None:
    """What the 100-byte file header says is wrong: not SQLite at all, or shorter than it claims.

    SQLite reads pages missing from a truncated file as zeros and fails only on the query that meets
    them; the header's page count (trusted, as SQLite does, when its change counter is current) lets
    a cut file be refused at once."""
    with open(path, "rb") as handle:
        head = handle.read(100)
        size = os.fstat(handle.fileno()).st_size
    if not head:
        return "store damaged (empty file)"
    if len(head) < 100 or not head.startswith(MAGIC):
        return "store damaged (not a database)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if head[24:28] == head[92:96] and size < page_size * pages:
        return f"store damaged (truncated: {size} of {page_size * pages} bytes)"
    return None


def _check(db: sqlite3.Connection, expect: dict[str, str]) -> str | None:
    db.execute("PRAGMA trusted_schema=OFF")  # before anything reads the schema
    db.execute("PRAGMA query_only=ON")
    db.execute("PRAGMA cell_size_check=ON")  # a damaged page is an error, not a wrong answer
    if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        return "not a store of this app"
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return "store from another version"
    found = frozenset(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    wanted = expected_schema()
    if extra := sorted(found - wanted, key=str):
        kind, name = extra[0][0], extra[0][1]
        changed = any(row[:2] == (kind, name) for row in wanted)
        return f"store altered ({kind} {name!r} {'differs' if changed else 'unexpected'})"
    if missing := sorted(wanted - found, key=str):
        return f"store incomplete (no {missing[0][0]} {missing[0][1]!r})"
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    for key, value in expect.items():
        if key not in meta:
            return f"store from another version (no {key} recorded)"
        if meta[key] != value:
            return STALE.get(key, f"store out of date ({key} changed)")
    return None


def _damaged(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"store unreadable ({_why(exc)})"
    return f"store damaged ({_why(exc)})"


def _why(exc: BaseException) -> str:
    text = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
    return " ".join(text.split())  # one line, whatever the message held
