"""Opening the store refuses, with a reason, anything but our own whole store, and never runs its code.

Each planted file is what a crash, another version, a full disk or another user could leave in the
cache directory; `open_store` must answer every one with one specific line and never raise.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from pathlib import Path

import pytest

from tui.store.opening import open_store, safe_to_read
from tui.store.schema import APPLICATION_ID, DDL, SCHEMA_VERSION

EXPECT = {
    "schema_version": str(SCHEMA_VERSION),
    "app_version": "9.9.9",
    "root": "/data/isis",
    "stamp": '[["/data/isis/groups.yaml", 1024, 1700000000000000000, 42]]',
    "content_hash": "c0ffee",
}


def build(
    path: Path,
    *,
    rows: int = 0,
    sql: str = "",
    application_id: int = APPLICATION_ID,
    user_version: int = SCHEMA_VERSION,
    meta: dict[str, str] = EXPECT,
) -> Path:
    """A store as `writer` makes one (the DDL, the pragmas, meta), then `sql` run on it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    db = sqlite3.connect(path)
    try:
        db.executescript(DDL)
        db.execute(f"PRAGMA application_id={application_id}")
        db.execute(f"PRAGMA user_version={user_version}")
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.executemany(
            "INSERT INTO records VALUES (?, 'groups', ?, ?, ?)",
            ((n, f"group-{n}", n, '{"name": "' + "x" * 200 + '"}') for n in range(rows)),
        )
        db.commit()
        db.executescript(sql)
    finally:
        db.close()
    path.chmod(0o600)
    return path


def refused(path: Path, expect: dict[str, str] = EXPECT) -> str:
    found = open_store(path, expect)
    if isinstance(found, sqlite3.Connection):
        found.close()
        pytest.fail(f"opened {path}")
    assert "\n" not in found
    return found


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "kb.sqlite"


def test_a_valid_store_opens_read_only_with_untrusted_schema(store: Path) -> None:
    db = open_store(build(store, rows=3), EXPECT)
    assert isinstance(db, sqlite3.Connection)
    try:
        assert db.execute("PRAGMA trusted_schema").fetchone() == (0,)
        assert db.execute("PRAGMA query_only").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM records").fetchone() == (3,)
        with pytest.raises(sqlite3.OperationalError, match="attempt to write a readonly database"):
            db.execute("INSERT INTO meta VALUES ('planted', 'x')")
        answers: list[object] = []  # served from another thread (the app reads from workers)
        reader = threading.Thread(
            target=lambda: answers.append(db.execute("SELECT value FROM meta WHERE key='root'").fetchone())
        )
        reader.start()
        reader.join()
        assert answers == [("/data/isis",)]
    finally:
        db.close()


def test_expect_may_name_only_some_meta_keys(store: Path) -> None:
    db = open_store(build(store), {"root": "/data/isis"})
    assert isinstance(db, sqlite3.Connection)
    db.close()


def test_a_path_needing_quotes_in_a_uri_opens_that_file(tmp_path: Path) -> None:
    path = build(tmp_path / "a?b#c %41 d" / "kb.sqlite")
    db = open_store(path, EXPECT)
    assert isinstance(db, sqlite3.Connection)
    try:
        assert db.execute("SELECT value FROM meta WHERE key='content_hash'").fetchone() == ("c0ffee",)
    finally:
        db.close()


def test_no_store_yet(store: Path) -> None:
    store.parent.mkdir(mode=0o700)
    assert refused(store) == "no store yet"


def test_a_pickle_payload_is_refused_and_never_run(store: Path, tmp_path: Path) -> None:
    marker = tmp_path / "payload-ran"
    store.parent.mkdir(mode=0o700)
    store.write_bytes(b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.")  # protocol-0 os.system
    store.chmod(0o600)
    assert refused(store) == "store damaged (not a database)"
    assert not marker.exists()


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        (
            "CREATE TRIGGER planted AFTER INSERT ON meta BEGIN SELECT load_extension('/tmp/x'); END;",
            "store altered (trigger 'planted' unexpected)",
        ),
        ("CREATE VIEW planted AS SELECT load_extension('/tmp/x');", "store altered (view 'planted' unexpected)"),
        ("CREATE TABLE planted(x);", "store altered (table 'planted' unexpected)"),
        ("CREATE INDEX planted ON records(data);", "store altered (index 'planted' unexpected)"),
        ("ALTER TABLE meta ADD COLUMN planted TEXT;", "store altered (table 'meta' differs)"),
        ("DROP TABLE tree;", "store incomplete (no table 'tree')"),
        ("DROP INDEX records_rank;", "store incomplete (no index 'records_rank')"),
    ],
)
def test_any_schema_but_ours_is_refused(store: Path, sql: str, reason: str) -> None:
    assert refused(build(store, sql=sql)) == reason


def test_a_stranger_database_or_another_version_is_refused(store: Path, tmp_path: Path) -> None:
    assert refused(build(store, application_id=0)) == "not a store of this app"
    other = tmp_path / "other" / "kb.sqlite"
    assert refused(build(other, user_version=SCHEMA_VERSION + 1)) == "store from another version"


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        (
            "stamp",
            '[["/data/isis/groups.yaml", 1025, 1700000000000000000, 42]]',
            "store out of date (the data changed)",
        ),
        ("content_hash", "decade", "store out of date (the data changed)"),
        ("root", "/elsewhere", "store built for other data"),
        ("app_version", "9.9.8", "store from another version"),
        ("colour", "blue", "store from another version (no colour recorded)"),
    ],
)
def test_meta_must_hold_what_the_caller_expects(store: Path, key: str, value: str, reason: str) -> None:
    assert refused(build(store), EXPECT | {key: value}) == reason


def test_a_missing_meta_key_is_refused(store: Path) -> None:
    meta = {key: value for key, value in EXPECT.items() if key != "stamp"}
    assert refused(build(store, meta=meta)) == "store from another version (no stamp recorded)"


def test_a_truncated_store_is_refused(store: Path) -> None:
    data = build(store, rows=2000).read_bytes()
    assert len(data) > 100_000
    store.write_bytes(data[: len(data) // 2])
    assert refused(store) == f"store damaged (truncated: {len(data) // 2} of {len(data)} bytes)"


def test_an_empty_file_and_random_bytes_are_refused(store: Path) -> None:
    store.parent.mkdir(mode=0o700)
    store.write_bytes(b"")
    assert refused(store) == "store damaged (empty file)"
    store.write_bytes(random.Random(14).randbytes(8192))
    assert refused(store) == "store damaged (not a database)"


def test_a_valid_header_over_garbage_is_refused(store: Path) -> None:
    data = build(store, rows=50).read_bytes()
    store.write_bytes(data[:100] + random.Random(14).randbytes(len(data) - 100))
    reason = refused(store)
    assert reason.startswith("store damaged (") and ("malformed" in reason or "not a database" in reason), reason


def test_a_store_open_to_others_is_refused(store: Path) -> None:
    if not hasattr(os, "getuid"):
        pytest.skip("no POSIX owner and mode bits on this platform")
    build(store)
    store.chmod(0o620)
    assert refused(store) == "store open to others (group-writable)"
    store.chmod(0o602)
    assert refused(store) == "store open to others (world-writable)"
    store.chmod(0o600)
    store.parent.chmod(0o770)
    assert refused(store) == "store directory open to others (group-writable)"
    store.parent.chmod(0o700)
    assert safe_to_read(store) is None


def test_a_store_owned_by_someone_else_is_refused(store: Path) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    build(store)
    os.chown(store, 4242, -1)
    assert refused(store) == "store not ours: owned by uid 4242"
    os.chown(store, 0, -1)
    os.chown(store.parent, 4343, -1)
    assert refused(store) == "store directory not ours: owned by uid 4343"


def test_not_a_regular_file_is_refused_without_blocking(store: Path) -> None:
    store.mkdir(parents=True, mode=0o700)
    assert refused(store) == "store is not a regular file"
    if hasattr(os, "mkfifo"):  # opening a FIFO to read its header would wait for a writer forever
        fifo = store.parent / "fifo.sqlite"
        os.mkfifo(fifo, 0o600)
        assert refused(fifo) == "store is not a regular file"


def test_without_getuid_the_owner_check_is_skipped(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(store)
    chowned = hasattr(os, "geteuid") and os.geteuid() == 0
    if chowned:
        os.chown(store, 4242, -1)  # refused where the owner can be checked ...
        assert refused(store) == "store not ours: owned by uid 4242"
    monkeypatch.delattr(os, "getuid", raising=False)
    assert safe_to_read(store) is None  # ... and no internal error where it cannot
    db = open_store(store, EXPECT)
    assert isinstance(db, sqlite3.Connection), db
    db.close()
    assert refused(store, EXPECT | {"root": "/elsewhere"}) == "store built for other data"
