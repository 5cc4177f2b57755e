"""The marks database: order and notes kept, every mark kept when two processes write at once, and
any file that is not ours whole moved aside in one line (never run, never a traceback)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.marks import marks_file
from tui.marks.location import marks_path
from tui.marks.mark import NOTE_LIMIT
from tui.marks.mark_book import MarkBook, MarksError

KEY = "/data/kb"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "user-data" / "marks.sqlite3"


@pytest.fixture
def book(db_path: Path):
    opened, notice = MarkBook.open(KEY, path=db_path)
    assert notice is None and opened.path == db_path
    yield opened
    opened.close()


def ids(book: MarkBook) -> list[str]:
    return [mark.id for mark in book.marks()]


def stored_positions(path: Path, key: str = KEY) -> list[int]:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT position FROM marks WHERE data_key=? ORDER BY position", (key,))]
    finally:
        db.close()


def mark_all(book: MarkBook, *record_ids: str) -> None:
    for record_id in record_ids:
        assert book.toggle("groups", record_id, record_id.upper()) is True


# -- the operations ---------------------------------------------------------------------------------
def test_toggle_marks_at_the_end_and_unmarks(book: MarkBook) -> None:
    assert (book.marks(), book.entries(), book.count()) == ([], frozenset(), 0)
    mark_all(book, "a", "b")
    assert book.toggle("people", "c", "Person C") is True
    marks = book.marks()
    assert [(m.kind, m.id, m.name, m.note, m.position) for m in marks] == [
        ("groups", "a", "A", "", 0),
        ("groups", "b", "B", "", 1),
        ("people", "c", "Person C", "", 2),
    ]
    assert all(m.marked_at.endswith("Z") and m.marked_at[:2] == "20" for m in marks)
    assert book.entries() == {("groups", "a"), ("groups", "b"), ("people", "c")} and book.count() == 3
    assert book.toggle("groups", "b", "B") is False  # unmarked: the rest close up
    assert [(m.id, m.position) for m in book.marks()] == [("a", 0), ("c", 1)]
    assert book.toggle("groups", "b", "B") is True  # marked again: at the end
    assert ids(book) == ["a", "c", "b"]
    assert stored_positions(book.path) == [0, 1, 2]


def test_note_is_cut_replaced_and_removed_and_never_makes_a_mark(book: MarkBook) -> None:
    mark_all(book, "a")
    book.set_note("groups", "a", "x" * (NOTE_LIMIT + 50))
    assert book.marks()[0].note == "x" * NOTE_LIMIT
    book.set_note("groups", "a", "[red]bold\x1b[2J\u202e")  # kept as the user wrote it: display escapes it
    assert book.marks()[0].note == "[red]bold\x1b[2J\u202e"
    book.set_note("groups", "a", "")
    assert book.marks()[0].note == ""
    book.set_note("groups", "unmarked", "a note")
    assert book.entries() == {("groups", "a")}


def test_unpaired_surrogates_are_stored_as_replacement_characters(book: MarkBook) -> None:
    assert book.toggle("groups", "a", "name \ud800") is True
    book.set_note("groups", "a", "note \udfff and \U0001f600")
    (mark,) = book.marks()
    assert (mark.name, mark.note) == ("name \ufffd", "note \ufffd and \U0001f600")


def test_rename_refreshes_the_last_known_name_only(book: MarkBook) -> None:
    mark_all(book, "a", "b")
    book.set_note("groups", "a", "mine")
    book.rename("groups", "a", "Renamed A")
    book.rename("groups", "gone", "Nobody")
    assert [(m.id, m.name, m.note) for m in book.marks()] == [("a", "Renamed A", "mine"), ("b", "B", "")]


def test_move_at_the_ends_and_in_the_middle(book: MarkBook) -> None:
    mark_all(book, "a", "b", "c", "d")
    assert book.move("groups", "a", -1) is False  # first cannot go up
    assert book.move("groups", "d", +1) is False  # last cannot go down
    assert book.move("groups", "nope", +1) is False
    assert book.move("groups", "b", 0) is False
    assert ids(book) == ["a", "b", "c", "d"]
    assert book.move("groups", "b", +1) is True
    assert ids(book) == ["a", "c", "b", "d"]
    assert book.move("groups", "b", -1) is True and book.move("groups", "b", -1) is True
    assert ids(book) == ["b", "a", "c", "d"]
    assert book.move("groups", "d", -1) is True and book.move("groups", "a", +2) is True
    assert ids(book) == ["b", "d", "c", "a"]
    assert [m.position for m in book.marks()] == stored_positions(book.path) == [0, 1, 2, 3]


def test_unmark_renumbers_and_clear_empties_only_this_data(db_path: Path, book: MarkBook) -> None:
    mark_all(book, "a", "b", "c", "d")
    book.unmark("groups", "b")
    book.unmark("groups", "b")  # twice: nothing more happens
    assert [(m.id, m.position) for m in book.marks()] == [("a", 0), ("c", 1), ("d", 2)]
    other, _ = MarkBook.open("/other/kb", path=db_path)
    mark_all(other, "a", "z")
    assert book.clear() == 3
    assert book.marks() == [] and book.clear() == 0
    assert ids(other) == ["a", "z"]
    other.close()


def test_each_data_key_sees_only_its_own_marks(db_path: Path, book: MarkBook) -> None:
    other, _ = MarkBook.open("bundled", path=db_path)
    mark_all(book, "a", "b")
    assert other.toggle("groups", "b", "B elsewhere") is True
    other.set_note("groups", "b", "other note")
    assert ids(book) == ["a", "b"] and ids(other) == ["b"]
    assert book.marks()[1].note == "" and other.marks()[0].position == 0
    assert book.toggle("groups", "b", "B") is False
    assert ids(other) == ["b"]
    other.close()


def test_in_memory_book_works_alike_and_keeps_no_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    book = MarkBook.in_memory()
    assert book.path is None
    mark_all(book, "a", "b")
    assert book.move("groups", "b", -1) is True
    assert ids(book) == ["b", "a"]
    book.close()
    assert list(tmp_path.iterdir()) == []


# -- persistence --------------------------------------------------------------------------------
def test_marks_notes_and_order_survive_reopening(db_path: Path) -> None:
    first, _ = MarkBook.open(KEY, path=db_path)
    mark_all(first, "a", "b", "c")
    first.set_note("groups", "b", "why it matters")
    first.move("groups", "c", -2)
    before = first.marks()
    first.close()
    again, notice = MarkBook.open(KEY, path=db_path)
    assert notice is None
    assert again.marks() == before
    assert [(m.id, m.note) for m in again.marks()] == [("c", ""), ("a", ""), ("b", "why it matters")]
    again.close()


def test_data_changed_compares_with_the_fingerprint_seen_last(db_path: Path) -> None:
    def opened(key: str, fingerprint: str) -> bool:
        book, _ = MarkBook.open(key, fingerprint, path=db_path)
        book.close()
        return book.data_changed

    assert opened(KEY, "v1") is False  # none recorded yet
    assert opened(KEY, "v1") is False
    assert opened("/another/kb", "v9") is False  # per data key
    assert opened(KEY, "v2") is True
    assert opened(KEY, "v2") is False  # the new one was recorded
    assert opened(KEY, "") is False  # unknown: neither compared nor recorded
    assert opened(KEY, "v2") is False


def test_default_place_is_the_data_dir_created_private(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ISIS_EXPLORER_DATA_DIR", str(tmp_path / "new" / "dir"))
    book, notice = MarkBook.open(KEY)
    assert notice is None and book.path == tmp_path / "new" / "dir" / "marks.sqlite3" == marks_path()
    assert stat.S_IMODE((tmp_path / "new" / "dir").stat().st_mode) == 0o700
    book.close()


def test_data_dir_follows_xdg_data_home_and_the_override_wins(tmp_path: Path, monkeypatch) -> None:
    from platformdirs import user_data_path

    monkeypatch.delenv("ISIS_EXPLORER_DATA_DIR")
    for xdg in (str(tmp_path / "xdg"), "relative/ignored", ""):
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
        assert marks_path() == user_data_path("isis-explorer") / "marks.sqlite3"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert marks_path() == tmp_path / "xdg" / "isis-explorer" / "marks.sqlite3"
    monkeypatch.setenv("ISIS_EXPLORER_DATA_DIR", str(tmp_path / "override"))
    assert marks_path() == tmp_path / "override" / "marks.sqlite3"


# -- two processes at once ----------------------------------------------------------------------
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.marks.mark_book import MarkBook

    path, key, who, job = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    print("ready", flush=True)
    assert sys.stdin.readline() == "go\\n"
    book, notice = MarkBook.open(key, path=path)  # together: the first opening creates the file
    assert notice is None, notice
    if job == "distinct":
        for n in range(100):
            assert book.toggle("groups", f"{who}-{n}", f"Group {who} {n}") is True
    else:  # the same marks: notes on the shared ones, and each extra record toggled once by each
        for n in range(50):
            book.set_note("groups", f"shared-{n}", f"note by {who}")
            book.toggle("events", f"extra-{n}", "Extra")
            book.move("groups", f"shared-{n}", 1 if who == "p0" else -1)
    book.close()
    print("done", flush=True)
    """
)


def run_together(db_path: Path, job: str, processes: int = 2) -> None:
    """Start the children, let each reach the barrier, then release them all with one write each."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), KEY, f"p{n}", job],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            out, err = child.communicate(timeout=120)
            assert (child.returncode, out, err) == (0, "done\n", "")
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


@pytest.mark.slow
def test_processes_marking_at_once_keep_every_mark_on_its_own_position(db_path: Path) -> None:
    # Four, not two: SQLite's busy handler backs off, so two processes rarely interleave more than a
    # few times; with four, a position read outside the transaction was caught 10 times in 10.
    run_together(db_path, "distinct", processes=4)
    book, _ = MarkBook.open(KEY, path=db_path)
    marks = book.marks()
    assert {m.id for m in marks} == {f"p{who}-{n}" for who in range(4) for n in range(100)}
    assert len(marks) == 400 and stored_positions(db_path) == list(range(400))
    for who in ("p0", "p1", "p2", "p3"):  # each process's marks stay in the order it made them
        own = [m.id for m in marks if m.id.startswith(who)]
        assert own == [f"{who}-{n}" for n in range(100)]
    book.close()


@pytest.mark.slow
def test_two_processes_on_the_same_marks_lose_nothing_and_share_no_position(db_path: Path) -> None:
    book, _ = MarkBook.open(KEY, path=db_path)
    for n in range(50):
        book.toggle("groups", f"shared-{n}", f"Shared {n}")
    book.close()
    run_together(db_path, "same")
    book, _ = MarkBook.open(KEY, path=db_path)
    marks = book.marks()
    assert {m.id for m in marks} == {f"shared-{n}" for n in range(50)}  # each extra toggled twice: gone
    assert {m.note for m in marks} <= {"note by p0", "note by p1"} and all(m.note for m in marks)
    assert stored_positions(db_path) == list(range(50))
    book.close()


# -- damage -------------------------------------------------------------------------------------
def damaged_files(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob("marks.sqlite3.damaged-*"))


def assert_moved_aside(db_path: Path, notice: str | None, why: str) -> Path:
    (moved,) = [path for path in damaged_files(db_path) if not path.name.endswith(("-wal", "-shm"))]
    assert notice == (f"marks database {db_path} was unreadable ({why}): moved to {moved}; starting with no marks")
    assert moved.name[len("marks.sqlite3.damaged-") :].replace("T", "").isdigit()
    return moved


def test_garbage_file_is_moved_aside_with_its_companions_and_a_new_book_works(db_path: Path) -> None:
    db_path.parent.mkdir()
    db_path.write_bytes(b"\x00garbage, not a database\n" * 200)
    db_path.with_name("marks.sqlite3-wal").write_bytes(b"stale wal")
    book, notice = MarkBook.open(KEY, path=db_path)
    moved = assert_moved_aside(db_path, notice, "not a database")
    assert moved.read_bytes().startswith(b"\x00garbage")  # kept for the user, never deleted
    assert moved.with_name(moved.name + "-wal").read_bytes() == b"stale wal"
    assert book.path == db_path
    mark_all(book, "a")
    book.close()
    again, notice = MarkBook.open(KEY, path=db_path)
    assert notice is None and ids(again) == ["a"]
    again.close()


def test_truncated_database_is_moved_aside(db_path: Path) -> None:
    book, _ = MarkBook.open(KEY, path=db_path)
    for n in range(300):
        book.toggle("groups", f"group-{n}", "A name long enough to fill a few pages " * 3)
    book.close()
    size = db_path.stat().st_size
    with open(db_path, "r+b") as handle:
        handle.truncate(size // 2)
    book, notice = MarkBook.open(KEY, path=db_path)
    assert notice is not None and notice.startswith(f"marks database {db_path} was unreadable (")
    assert damaged_files(db_path) and book.marks() == []
    book.close()


def alter(db_path: Path, *sql: str, application_id: int | None = None, version: int | None = None) -> None:
    """Make our database at `db_path`, then change it with raw SQL behind the book's back."""
    MarkBook.open(KEY, path=db_path)[0].close()
    db = sqlite3.connect(db_path)
    for statement in sql:
        db.execute(statement)
    if application_id is not None:
        db.execute(f"PRAGMA application_id={application_id}")
    if version is not None:
        db.execute(f"PRAGMA user_version={version}")
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("sql", "application_id", "version", "why"),
    [
        pytest.param(
            ["CREATE TABLE hits(n)", "CREATE TRIGGER spy AFTER INSERT ON marks BEGIN INSERT INTO hits VALUES(1); END"],
            None,
            None,
            "altered: table 'hits' unexpected",
            id="trigger",
        ),
        pytest.param(["CREATE VIEW v AS SELECT 1"], None, None, "altered: view 'v' unexpected", id="view"),
        pytest.param(["DROP INDEX marks_order"], None, None, "incomplete: no index 'marks_order'", id="no-index"),
        pytest.param([], 0x49534953, None, "not a marks database", id="the-store-id"),
        pytest.param([], None, 0, "unknown schema version 0", id="old-version"),
    ],
)
def test_database_not_exactly_ours_is_moved_aside_unused(db_path: Path, sql, application_id, version, why) -> None:
    alter(db_path, *sql, application_id=application_id, version=version)
    book, notice = MarkBook.open(KEY, path=db_path)
    moved = assert_moved_aside(db_path, notice, why)
    assert book.toggle("groups", "a", "A") is True
    book.close()
    if sql and "hits" in sql[0]:  # the trigger never ran: not in the old file, not in the new one
        db = sqlite3.connect(moved)
        assert db.execute("SELECT count(*) FROM hits").fetchone() == (0,)
        db.close()
        assert "spy" not in str(sqlite3.connect(db_path).execute("SELECT name FROM sqlite_master").fetchall())


def test_trigger_alone_is_refused(db_path: Path) -> None:
    alter(db_path, "CREATE TRIGGER spy AFTER INSERT ON marks BEGIN DELETE FROM data_keys; END")
    book, notice = MarkBook.open(KEY, path=db_path)
    assert_moved_aside(db_path, notice, "altered: trigger 'spy' unexpected")
    book.close()


def test_database_of_a_newer_version_is_left_alone_and_marks_kept_in_memory(db_path: Path) -> None:
    alter(db_path, version=marks_file.SCHEMA_VERSION + 1)
    before = db_path.read_bytes()
    book, notice = MarkBook.open(KEY, path=db_path)
    assert notice == (
        f"cannot keep marks in {db_path} (made by a newer version (schema {marks_file.SCHEMA_VERSION + 1})): "
        "marks last until you quit"
    )
    assert book.path is None and damaged_files(db_path) == []
    mark_all(book, "a")
    book.close()
    assert db_path.read_bytes() == before


def test_rows_that_do_not_fit_are_skipped_and_long_values_cut(book: MarkBook) -> None:
    mark_all(book, "good")
    assert book.path is not None
    db = sqlite3.connect(book.path)
    rows = [
        ("groups", "x" * 201, "too long an id", "", 1),
        ("groups", "", "empty id", "", 2),
        (sqlite3.Binary(b"groups"), "blob-kind", "a blob", "", 3),
        ("groups", "text-position", "pos", "", "first"),
        ("groups", "long-note", sqlite3.Binary(b"name"), "n" * (NOTE_LIMIT * 3), 5),
    ]
    db.executemany("INSERT INTO marks VALUES(?, ?, ?, ?, ?, ?, '')", [(KEY, *row[:4], row[4]) for row in rows])
    db.execute("INSERT INTO marks VALUES(?, 'groups', 'bad-utf8', CAST(x'41ff42' AS TEXT), '', 6, x'07')", (KEY,))
    db.commit()
    db.close()
    marks = book.marks()
    assert [m.id for m in marks] == ["good", "long-note", "bad-utf8"]
    assert [m.position for m in marks] == [0, 1, 2]
    assert marks[1].name == "long-note" and marks[1].note == "n" * NOTE_LIMIT  # a name not text: its id
    assert (marks[2].name, marks[2].marked_at) == ("A\ufffdB", "")
    assert book.entries() == {("groups", "good"), ("groups", "long-note"), ("groups", "bad-utf8")}
    assert book.count() == 3


def test_notice_shows_a_hostile_path_escaped(tmp_path: Path) -> None:
    db_path = tmp_path / "evil\x1b]0;title\x07\u202e" / "marks.sqlite3"
    db_path.parent.mkdir()
    db_path.write_bytes(b"not sqlite" * 20)
    book, notice = MarkBook.open(KEY, path=db_path)
    assert notice is not None and "\n" not in notice and notice.isprintable()
    assert "evil\\x1b]0;title\\x07\\u202e" in notice
    book.close()


# -- nowhere to write ---------------------------------------------------------------------------
def test_directory_that_cannot_be_made_gives_an_in_memory_book(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    db_path = tmp_path / "a-file" / "marks.sqlite3"
    book, notice = MarkBook.open(KEY, path=db_path)
    assert notice is not None and notice.startswith(f"cannot keep marks in {db_path} (")
    assert notice.endswith("): marks last until you quit")
    assert book.path is None
    mark_all(book, "a")
    assert ids(book) == ["a"]
    book.close()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes through chmod")
@pytest.mark.parametrize("existing", [False, True], ids=["no-file", "file"])
def test_read_only_directory_gives_an_in_memory_book(db_path: Path, existing: bool) -> None:
    if existing:
        alter(db_path)
        os.chmod(db_path, 0o400)
    else:
        db_path.parent.mkdir()
    os.chmod(db_path.parent, 0o500)
    try:
        book, notice = MarkBook.open(KEY, path=db_path)
        assert notice is not None and notice.startswith(f"cannot keep marks in {db_path} (")
        assert notice.endswith("): marks last until you quit") and "\n" not in notice
        assert book.path is None and damaged_files(db_path) == []
        mark_all(book, "a")
        book.close()
    finally:
        os.chmod(db_path.parent, 0o700)


# -- failing mid-session ------------------------------------------------------------------------
def test_deleted_file_mid_session_is_an_error_not_a_silent_loss(db_path: Path, book: MarkBook) -> None:
    mark_all(book, "a")
    db_path.unlink()
    with pytest.raises(MarksError) as caught:
        book.toggle("groups", "b", "B")
    assert str(caught.value) == f"marks not saved (database {db_path} was removed or replaced)"


def test_lock_held_too_long_is_one_line(db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(marks_file, "BUSY_SECONDS", 0.0)
    book, _ = MarkBook.open(KEY, path=db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(MarksError) as caught:
            book.toggle("groups", "a", "A")
        assert str(caught.value) == "marks not saved (database is locked)"
        assert book.marks() == []  # readers do not wait for the writer (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert book.toggle("groups", "a", "A") is True
    book.close()
    with pytest.raises(MarksError) as caught:
        book.marks()
    assert str(caught.value).startswith("cannot read marks (") and "\n" not in str(caught.value)


@pytest.mark.parametrize("make", ["directory", "fifo"])
def test_something_other_than_a_file_in_its_place_is_moved_aside_unread(db_path: Path, make: str) -> None:
    db_path.parent.mkdir()
    if make == "directory":
        db_path.mkdir()
    elif hasattr(os, "mkfifo"):
        os.mkfifo(db_path)  # reading it would block for ever
    else:
        pytest.skip("no FIFOs here")
    book, notice = MarkBook.open(KEY, path=db_path)
    assert_moved_aside(db_path, notice, "not a regular file")
    mark_all(book, "a")
    book.close()


def test_a_kind_or_id_that_names_no_record_is_refused_in_one_line(book: MarkBook) -> None:
    for kind, record_id in (("groups", ""), ("", "a"), ("groups", "x" * 201)):
        with pytest.raises(MarksError, match=r"^cannot mark a record whose kind or id is empty or over 200 characters"):
            book.toggle(kind, record_id, "name")
    assert book.marks() == []
