"""The marks of one knowledge base, kept in a SQLite file in the user data directory.

Two terminals may be open on the same data, each with its own book on the same file. So nothing is
held in memory between operations: each is one short transaction (BEGIN IMMEDIATE, so writers queue
instead of failing) that reads what it needs (the next position, the current order) inside it. Two
processes marking at once then never lose a mark or share a position, and the order stays 0..n-1
(a unique index on it makes a slip an error, not a silent duplicate).

Whatever is read back is checked as if from a stranger (marks_file.py checks the schema): rows that
do not fit are skipped; a note longer than NOTE_LIMIT is cut.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeGuard

from tui.marks import marks_file
from tui.marks.location import marks_path
from tui.marks.mark import NOTE_LIMIT, Entry, Mark

__all__ = ["MarkBook", "MarksError", "marks_path"]

ID_LIMIT = 200  # characters of a kind or an id: record ids are short slugs
NAME_LIMIT = 500  # characters of a last known name kept
STAMP_LIMIT = 40  # characters of marked_at


class MarksError(Exception):
    """A marks operation failed (disk full, database locked too long...): one line for the user."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message  # what went wrong, without what was being done

    @classmethod
    def because(cls, doing: str, exc: BaseException) -> MarksError:
        reason = marks_file.why(exc)
        return cls(f"{doing} ({reason})", reason)


class MarkBook:
    """Every operation is one short transaction, so two processes marking at once keep every mark."""

    path: Path | None  # None: in memory
    data_changed: bool

    def __init__(self, db: sqlite3.Connection, key: str, path: Path | None) -> None:
        self._db = db
        self._key = key
        self._lock = threading.Lock()  # one transaction at a time on this connection, whatever thread asks
        self.path = path
        self.data_changed = False
        self._identity = _identity(path) if path is not None else None

    @classmethod
    def open(cls, key: str, fingerprint: str = "", path: Path | None = None) -> tuple[MarkBook, str | None]:
        """The book for data `key` (mark.data_key) in `path` (default: marks_path()); and a one-line
        notice, or None. A corrupt or unreadable database is moved aside (the notice says where) and a
        new one started; where none can be written, an in-memory book (the notice says marks will not
        be kept). `fingerprint` (cheap, changes with the data): `data_changed` says whether it differs
        from the one recorded at the last opening; it is then recorded ("": not known, not recorded)."""
        where = marks_path() if path is None else path
        db, kept_in, notice = marks_file.open_marks(where)
        book = cls(db, key, kept_in)
        try:
            book.data_changed = book._see_fingerprint(fingerprint)
        except MarksError as exc:  # writing fails although the file opened (read-only file, full disk)
            book.close()
            book = cls(marks_file.in_memory(), key, None)
            book.data_changed = book._see_fingerprint(fingerprint)
            return book, marks_file.shown(f"cannot keep marks in {where} ({exc.reason}): marks last until you quit")
        return book, notice

    @classmethod
    def in_memory(cls, key: str = "memory") -> MarkBook:
        """A book that keeps nothing after the process (tests, and the app when given none)."""
        return cls(marks_file.in_memory(), key, None)

    # -- reading ----------------------------------------------------------------------------------
    def marks(self) -> list[Mark]:
        """Every mark of this data key, in the user's order (positions 0..n-1, counted over the rows
        that pass the checks)."""
        rows = self._read(
            "SELECT kind, id, name, note, position, marked_at FROM marks WHERE data_key=? ORDER BY position",
            (self._key,),
        )
        out: list[Mark] = []
        for kind, record_id, name, note, position, marked_at in rows:
            if (entry := _entry(kind, record_id, position)) is None:
                continue
            out.append(
                Mark(
                    *entry,
                    name[:NAME_LIMIT] if isinstance(name, str) else entry[1],
                    note[:NOTE_LIMIT] if isinstance(note, str) else "",
                    len(out),
                    marked_at[:STAMP_LIMIT] if isinstance(marked_at, str) else "",
                )
            )
        return out

    def entries(self) -> frozenset[Entry]:
        rows = self._read("SELECT kind, id, position FROM marks WHERE data_key=?", (self._key,))
        return frozenset(entry for row in rows if (entry := _entry(*row)) is not None)

    def count(self) -> int:
        return len(self.entries())  # as many as `marks()` lists, rows that fail the checks left out

    # -- writing ----------------------------------------------------------------------------------
    def toggle(self, kind: str, record_id: str, name: str) -> bool:
        """Mark it (at the end of the order) or unmark it; True when it is now marked."""
        _check_names(kind, record_id)
        with self._transaction() as db:
            if self._position(db, kind, record_id) is not None:
                self._remove(db, kind, record_id)
                return False
            end = db.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM marks WHERE data_key=?", (self._key,))
            db.execute(
                "INSERT INTO marks(data_key, kind, id, name, note, position, marked_at) VALUES(?, ?, ?, ?, '', ?, ?)",
                (self._key, kind, record_id, _storable(name, NAME_LIMIT), end.fetchone()[0], _now()),
            )
            return True

    def set_note(self, kind: str, record_id: str, note: str) -> None:
        """The note of a mark (cut to NOTE_LIMIT; "" removes it). No mark: nothing happens."""
        with self._transaction() as db:
            db.execute(
                "UPDATE marks SET note=? WHERE data_key=? AND kind=? AND id=?",
                (_storable(note, NOTE_LIMIT), self._key, kind, record_id),
            )

    def rename(self, kind: str, record_id: str, name: str) -> None:
        """Refresh a mark's last known name (the record is in the data under this name now)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE marks SET name=? WHERE data_key=? AND kind=? AND id=?",
                (_storable(name, NAME_LIMIT), self._key, kind, record_id),
            )

    def move(self, kind: str, record_id: str, delta: int) -> bool:
        """Move a mark up (-1) or down (+1) in the order; False when it cannot move."""
        with self._transaction() as db:
            order = self._order(db)
            if delta == 0 or (kind, record_id) not in order:
                return False
            here = order.index((kind, record_id))
            if not 0 <= here + delta < len(order):
                return False
            order.insert(here + delta, order.pop(here))
            self._renumber(db, order)
            return True

    def unmark(self, kind: str, record_id: str) -> None:
        with self._transaction() as db:
            self._remove(db, kind, record_id)

    def clear(self) -> int:
        """Remove every mark of this data key; how many there were."""
        with self._transaction() as db:
            return db.execute("DELETE FROM marks WHERE data_key=?", (self._key,)).rowcount

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- inside a transaction ---------------------------------------------------------------------
    def _position(self, db: sqlite3.Connection, kind: str, record_id: str) -> object:
        row = db.execute(
            "SELECT position FROM marks WHERE data_key=? AND kind=? AND id=?", (self._key, kind, record_id)
        ).fetchone()
        return None if row is None else row[0]

    def _order(self, db: sqlite3.Connection) -> list[Entry]:
        rows = db.execute("SELECT kind, id FROM marks WHERE data_key=? ORDER BY position", (self._key,))
        return [(kind, record_id) for kind, record_id in rows]

    def _remove(self, db: sqlite3.Connection, kind: str, record_id: str) -> None:
        deleted = db.execute(
            "DELETE FROM marks WHERE data_key=? AND kind=? AND id=?", (self._key, kind, record_id)
        ).rowcount
        if deleted:
            self._renumber(db, self._order(db))

    def _renumber(self, db: sqlite3.Connection, order: list[Entry]) -> None:
        """Positions 0..n-1 in `order`. Every position is first made negative (and stays distinct), so
        the unique index never sees two rows on one position while the new ones are set."""
        db.execute("UPDATE marks SET position = -1 - position WHERE data_key=?", (self._key,))
        db.executemany(
            "UPDATE marks SET position=? WHERE data_key=? AND kind=? AND id=?",
            [(n, self._key, kind, record_id) for n, (kind, record_id) in enumerate(order)],
        )

    def _see_fingerprint(self, fingerprint: str) -> bool:
        """Whether `fingerprint` differs from the one recorded for this key; it is recorded. The
        transaction runs even without one: it proves at opening that the file can be written."""
        with self._transaction() as db:
            if not fingerprint:
                return False
            row = db.execute("SELECT fingerprint FROM data_keys WHERE key=?", (self._key,)).fetchone()
            db.execute("INSERT OR REPLACE INTO data_keys(key, fingerprint) VALUES(?, ?)", (self._key, fingerprint))
            return row is not None and row[0] != fingerprint

    # -- the connection ---------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back when it raises; every
        failure of the database a MarksError with one line."""
        with self._lock:
            if self.path is not None and _identity(self.path) != self._identity:
                raise MarksError(f"marks not saved (database {self.path} was removed or replaced)")
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise MarksError.because("marks not saved", exc) from None
            try:
                yield db
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(db)
                raise MarksError.because("marks not saved", exc) from None
            except BaseException:
                _rollback(db)
                raise

    def _read(self, sql: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise MarksError.because("cannot read marks", exc) from None


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file `path` is (device, inode): a book notices its file was deleted or replaced, where
    SQLite would go on writing to the unlinked one and every mark after that would be lost."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _rollback(db: sqlite3.Connection) -> None:
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # SQLite rolls back by itself when it cannot go on; the caller reports the first error


def _is_name(value: object) -> TypeGuard[str]:
    """A kind or id as read back: a string of a sane length."""
    return isinstance(value, str) and 0 < len(value) <= ID_LIMIT


def _entry(kind: object, record_id: object, position: object) -> Entry | None:
    """The record a row read back names, or None when it names none or has no place in the order."""
    if _is_name(kind) and _is_name(record_id) and isinstance(position, int):
        return kind, record_id
    return None


def _check_names(kind: str, record_id: str) -> None:
    if not (_is_name(kind) and _is_name(record_id)):
        raise MarksError(f"cannot mark a record whose kind or id is empty or over {ID_LIMIT} characters")


def _storable(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with unpaired surrogates (which UTF-8 cannot hold) as U+FFFD."""
    text = text[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
