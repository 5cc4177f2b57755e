"""Opening the marks database: only a file that is ours and whole; anything else is moved aside.

Unlike the store (derived data, rebuilt at will), this file holds the user's own work, so it is
never deleted: a damaged one is renamed `marks.sqlite3.damaged-YYYYmmddTHHMMSS` (with its -wal and
-shm) for the user to recover, and a new one started. A file can be planted or altered, and a
schema can run code (a trigger, a view calling a function): `trusted_schema` is off before the
schema is read, and a file whose schema differs in any way from ours is refused before a query
touches a table. Where nothing can be written, the caller keeps marks in memory and says so.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from functools import cache
from pathlib import Path

APPLICATION_ID = 0x49534D4B  # "ISMK": PRAGMA application_id; not the store's, so neither is taken for the other
SCHEMA_VERSION = 1
BUSY_SECONDS = 5.0  # how long an operation waits for another process's transaction
MAGIC = b"SQLite format 3\x00"

DDL = """
CREATE TABLE data_keys(key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE marks(data_key TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
    note TEXT NOT NULL, position INTEGER NOT NULL, marked_at TEXT NOT NULL,
    PRIMARY KEY(data_key, kind, id)) WITHOUT ROWID;
CREATE UNIQUE INDEX marks_order ON marks(data_key, position);
"""

# Errors that say the file cannot be used here and now (permissions, a full disk, a lock held too
# long), not that it is damaged: the file is left alone. Anything else is taken as damage.
UNUSABLE = frozenset(("CANTOPEN", "READONLY", "PERM", "BUSY", "LOCKED", "FULL", "IOERR", "NOMEM", "AUTH", "NOLFS"))


class Damaged(Exception):
    """The file is not a marks database of ours, or not whole: str(self) says why, in a few words."""


class Unusable(Exception):
    """The file cannot be used (written) here: str(self) says why, in a few words."""


@cache
def expected_schema() -> frozenset[tuple[str, str, str, str | None]]:
    """(type, name, table, sql) of every object our database holds, and nothing else."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(DDL)
        rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    finally:
        db.close()
    return frozenset(rows)


def connect(path: Path) -> sqlite3.Connection:
    """A connection to our database at `path` (created when there is none), in WAL mode, checked.
    Raises Damaged or Unusable, nothing else."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _refuse_strangers(path)
        db = _connection(str(path))
    except sqlite3.Error as exc:
        raise classify(exc) from None
    except (OSError, ValueError) as exc:
        raise Unusable(why(exc)) from None
    try:
        _prepare(db)
        # reads every page: a cut or scrambled file fails here (the file is small: milliseconds)
        if (result := db.execute("PRAGMA quick_check(1)").fetchone()[0]) != "ok":
            raise Damaged(f"damaged: {one_line(str(result))}")
        db.execute("PRAGMA journal_mode=WAL").fetchone()  # readers never wait for a writer; kept in the file
    except sqlite3.Error as exc:
        db.close()
        raise classify(exc) from None
    except BaseException:
        db.close()
        raise
    return db


def in_memory() -> sqlite3.Connection:
    db = _connection(":memory:")
    _prepare(db)
    return db


def _connection(where: str) -> sqlite3.Connection:
    # isolation_level None: the book opens each transaction itself (BEGIN IMMEDIATE), nothing implicit.
    db = sqlite3.connect(where, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    db.text_factory = _decode  # bytes that are not UTF-8 become U+FFFD, not an error on every read
    db.execute("PRAGMA trusted_schema=OFF")  # before anything reads the schema
    db.execute("PRAGMA cell_size_check=ON")  # a damaged page is an error, not a wrong answer
    return db


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _refuse_strangers(path: Path) -> None:
    """Damaged when `path` is something other than a regular file or starts like no SQLite file does
    (an empty file is a new database). Checked before SQLite opens it: a FIFO would block the read."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise Damaged("not a regular file")
    with open(path, "rb") as handle:
        head = handle.read(100)
    if head and (len(head) < 100 or not head.startswith(MAGIC)):
        raise Damaged("not a database")


def _prepare(db: sqlite3.Connection) -> None:
    """Check that the database is ours; a new (empty) one gets our schema, in one transaction that
    looks again, since another process may be creating it at the same moment."""
    if _state(db) == "ours":
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if _state(db) == "empty":
            for statement in DDL.split(";"):  # not executescript: it would COMMIT first
                db.execute(statement)
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _state(db: sqlite3.Connection) -> str:
    """'ours', or 'empty' (no schema: a new file); raises Damaged for anything else."""
    application_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    found = frozenset(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())
    if (application_id, version, found) == (0, 0, frozenset()):
        return "empty"
    if application_id != APPLICATION_ID:
        raise Damaged("not a marks database")
    if version > SCHEMA_VERSION:  # a newer isis-explorer's marks: kept for it, not moved aside
        raise Unusable(f"made by a newer version (schema {version})")
    if version != SCHEMA_VERSION:
        raise Damaged(f"unknown schema version {version}")
    wanted = expected_schema()
    if extra := sorted(found - wanted, key=str):
        kind, name = extra[0][0], extra[0][1]
        changed = any(row[:2] == (kind, name) for row in wanted)
        raise Damaged(f"altered: {kind} {one_line(name)!r} {'differs' if changed else 'unexpected'}")
    if missing := sorted(wanted - found, key=str):
        raise Damaged(f"incomplete: no {missing[0][0]} {missing[0][1]!r}")
    return "ours"


def open_marks(path: Path) -> tuple[sqlite3.Connection, Path | None, str | None]:
    """Our database at `path`, or a new one in its place (the damaged one moved aside), or one in
    memory where none can be kept; where it is kept (None: in memory); the one-line notice for the
    user, or None. Never raises."""
    for _ in range(3):  # another process may move a damaged file aside while we look at it
        try:
            inode = _inode(path)
            return connect(path), path, None
        except (Unusable, OSError) as exc:
            return in_memory(), None, _not_kept(path, exc)
        except Damaged as exc:
            damage = str(exc)
        try:
            if _inode(path) != inode:
                continue  # replaced since we looked: whoever did it has moved the damaged file aside
            moved = move_aside(path)
            db = connect(path)
        except (Damaged, Unusable, OSError) as exc:
            return in_memory(), None, _not_kept(path, exc)
        notice = f"marks database {path} was unreadable ({damage}): moved to {moved}; starting with no marks"
        return db, path, shown(notice)
    return in_memory(), None, _not_kept(path, Unusable("it keeps being replaced"))


def _not_kept(path: Path, exc: Exception) -> str:
    reason = why(exc) if isinstance(exc, OSError) else str(exc)
    return shown(f"cannot keep marks in {path} ({reason}): marks last until you quit")


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal, -shm, -journal) to a name of its own; the new name."""
    base = f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}"
    target = path.with_name(base)
    n = 1
    while target.exists() or target.is_symlink():
        n += 1
        target = path.with_name(f"{base}-{n}")
    os.rename(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.rename(companion, target.with_name(target.name + suffix))
    return target


def classify(exc: sqlite3.Error) -> Damaged | Unusable:
    """What an error from SQLite means here: the file cannot be used now, or (anything else) damage."""
    code = (getattr(exc, "sqlite_errorname", "") or "").split("_")  # SQLITE_IOERR_WRITE: IOERR
    return Unusable(why(exc)) if len(code) > 1 and code[1] in UNUSABLE else Damaged(why(exc))


def why(exc: BaseException) -> str:
    text = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
    return one_line(text)


def one_line(text: str) -> str:
    """Text on one line with nothing a terminal would act on: whitespace runs become one space, other
    control, format (bidi) and unpaired surrogate characters their escape."""
    return shown(" ".join(text.split()))


def shown(text: str) -> str:
    """`text` with every character that is not printable (controls, bidi and other format
    characters, unpaired surrogates) as its escape, so a notice shows a hostile path as it is."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)
