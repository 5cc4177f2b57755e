"""The derived store (issue 14): written from a checked knowledge base, answering every query as the
in-memory knowledge base does, stale as soon as an input changes, refused (and rebuilt, with one
line saying why) when it is not what we wrote, and readable while it is rebuilt."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.knowledge.knowledge_base import KnowledgeBase, MemoryKnowledgeBase
from tui.knowledge.records import KINDS, Event, Region
from tui.loading.data_files import bundled_data_dir, open_for_root, store_key
from tui.loading.loader import load
from tui.store import location
from tui.store.stored_kb import StoredKnowledgeBase, StoreError, open_key
from tui.store.writer import write

REPO = Path(__file__).resolve().parent.parent


def stored(root: Path | str, kb: MemoryKnowledgeBase | None = None) -> StoredKnowledgeBase:
    assert write(store_key(str(root)), kb or load(root)) is None
    return open_for_root(str(root))


def same_answers(memory: KnowledgeBase, store: KnowledgeBase) -> list[str]:
    """Every primitive and derived query both answer, compared; the differences, described."""
    differ: list[str] = []
    assert memory.counts() == store.counts()
    for kind, cls in KINDS.items():
        records = list(memory.records(cls))
        if records != list(store.records(cls)):
            differ.append(f"records({kind})")
        for record in records:
            if store.get(cls, record.id) != record:
                differ.append(f"get({kind}, {record.id})")
            for from_kind in (None, *KINDS):
                if list(memory.referrers(kind, record.id, from_kind)) != list(
                    store.referrers(kind, record.id, from_kind)
                ):
                    differ.append(f"referrers({kind}, {record.id}, {from_kind})")
            for via in ("regions", "speaker", "competes_with", "cite"):
                if list(memory.referrers(kind, record.id, via=via)) != list(store.referrers(kind, record.id, via=via)):
                    differ.append(f"referrers({kind}, {record.id}, via={via})")
    for region in memory.records(Region):
        for query in ("groups_in", "events_in", "figures_in", "assessments_in", "children", "ancestors"):
            if list(getattr(memory, query)(region.id)) != list(getattr(store, query)(region.id)):
                differ.append(f"{query}({region.id})")
        if memory.group_count(region.id) != store.group_count(region.id):
            differ.append(f"group_count({region.id})")
    if memory.group_places() != store.group_places():
        differ.append("group_places()")
    if memory.region_coordinates() != store.region_coordinates():
        differ.append("region_coordinates()")
    if memory.map_sites() != store.map_sites():
        differ.append("map_sites()")
    for kind, cls in KINDS.items():  # names asked for many at once, one of them unknown
        ids = [*[record.id for record in memory.records(cls)][::-1][:50], "no-such-id"]
        if memory.names_of(kind, ids) != store.names_of(kind, ids):
            differ.append(f"names_of({kind})")
    if list(memory.timeline()) != list(store.timeline()):
        differ.append("timeline()")
    tree_a, tree_b = memory.region_index(), store.region_index()
    if tree_a.start != tree_b.start or [r.id for r in tree_a.roots()] != [r.id for r in tree_b.roots()]:
        differ.append("region_index()")
    return differ


def test_the_store_answers_as_memory_does_on_the_bundled_data() -> None:
    memory = load()
    assert same_answers(memory, stored(bundled_data_dir(), memory)) == []


def test_the_store_answers_as_memory_does_on_generated_data(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
    import generate

    generate.generate(str(tmp_path / "gen"), 0.004, 2017)
    memory = load(tmp_path / "gen")
    assert sum(memory.counts().values()) > 500
    assert same_answers(memory, stored(tmp_path / "gen", memory)) == []


def test_where_it_lives_and_what_it_holds(write_kb) -> None:
    root = write_kb()
    key = store_key(str(root))
    assert open_key(key) == "no store yet"
    assert write(key, load(root)) is None
    assert key.path.parent == Path(os.environ[location.CACHE_ENV]) and key.path.suffix == ".sqlite3"
    assert {p.name for p in root.iterdir()} == {p.name for p in root.iterdir() if p.suffix == ".yaml"}
    assert not [p for p in key.path.parent.iterdir() if p.name.startswith(".writing-")]
    kb = open_key(key)
    assert isinstance(kb, StoredKnowledgeBase)
    assert kb.db.execute("PRAGMA trusted_schema").fetchone() == (0,)
    with pytest.raises(sqlite3.OperationalError):
        kb.db.execute("DELETE FROM records")


def test_any_change_to_an_input_makes_it_stale(write_kb) -> None:
    root = write_kb()
    assert write(store_key(str(root)), load(root)) is None
    groups = root / "groups.yaml"
    text = groups.read_text(encoding="utf-8")
    groups.write_text(text.replace("Mosul cell", "Mosul cel!"), encoding="utf-8")  # same size
    assert open_key(store_key(str(root))) == "store out of date (the data changed)"


def test_a_file_changed_just_before_the_build_is_checked_by_content(write_kb) -> None:
    """mtimes can be coarse: a file written within RACY_SECONDS of the build may change again
    without its stamp changing, so its content hash is kept and compared on opening."""
    root = write_kb()
    key = store_key(str(root))  # the files were written just now: all of them racy
    assert write(key, load(root)) is None
    assert isinstance(open_key(key), StoredKnowledgeBase)
    groups = root / "groups.yaml"
    before = groups.stat()
    groups.write_text(groups.read_text(encoding="utf-8").replace("Mosul cell", "Mosul cel!"), encoding="utf-8")
    os.utime(groups, ns=(before.st_atime_ns, before.st_mtime_ns))
    if groups.stat().st_ino == before.st_ino:  # same stamp, other bytes
        assert open_key(key) == "store out of date (the data changed)"


def test_unwritable_cache_dir_gives_a_reason_not_an_error(write_kb, tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("x")
    monkeypatch.setenv(location.CACHE_ENV, str(blocked / "cache"))
    root = write_kb()
    reason = write(store_key(str(root)), load(root))
    assert reason is not None and reason.startswith("store not written")


def test_a_damaged_store_is_refused_by_opening_or_by_the_first_query(write_kb) -> None:
    root = write_kb()
    key = store_key(str(root))
    assert write(key, load(root)) is None
    data = key.path.read_bytes()
    key.path.write_bytes(data[: len(data) // 2])
    reason = open_key(key)
    assert isinstance(reason, str) and reason.startswith("store damaged")
    with pytest.raises(StoreError):
        open_for_root(str(root))


def test_readers_keep_reading_while_the_store_is_rebuilt(write_kb) -> None:
    """A rebuild writes a new file and renames it over the old: a reader that has the old one open
    keeps its answers; the next opening sees the new data."""
    root = write_kb()
    old = stored(root)
    before = old.get("groups", "islamic-state")
    assert before is not None
    groups = root / "groups.yaml"
    groups.write_text(groups.read_text(encoding="utf-8").replace("Mosul cell", "Mosul Cell Renamed"), encoding="utf-8")
    new = stored(root)
    old._cache.clear()
    assert old.get("groups", "islamic-state") == before
    assert [g.name for g in old.records(KINDS["groups"]) if "Mosul" in g.name] == ["Mosul cell"]
    assert [g.name for g in new.records(KINDS["groups"]) if "Mosul" in g.name] == ["Mosul Cell Renamed"]


def test_readers_in_other_processes_during_a_rebuild(write_kb) -> None:
    """Several terminals (or `serve` tabs) read one store while another process rebuilds it."""
    root = write_kb()
    stored(root)
    reader = (
        "import sys, time\n"
        "from tui.loading.data_files import store_key\n"
        "from tui.store.stored_kb import open_key\n"
        f"kb = open_key(store_key({str(root)!r}))\n"
        "assert not isinstance(kb, str), kb\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
        "n = 0\n"
        "for _ in range(50):\n"
        "    kb._cache.clear()\n"
        "    n += len(list(kb.records(type(kb.get('groups', 'islamic-state')))))\n"
        "print(n)\n"
    )
    readers = [
        subprocess.Popen([sys.executable, "-c", reader], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    for process in readers:
        assert process.stdout is not None and process.stdout.readline().strip() == "open"
    for process in readers:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    for _ in range(3):
        assert write(store_key(str(root)), load(root)) is None
    groups = len(load(root).records(KINDS["groups"]))
    for process in readers:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0 and out.strip() == str(50 * groups)


def test_a_warm_launch_opens_the_store_without_reading_yaml() -> None:
    """The first screen comes from the store: no YAML parser, no loader, no hashing imported."""
    script = "from tui.cli.main import main; import sys; sys.exit(main(['validate', '--cache']))"
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    probe = """
import sys
import tui.__main__
from tui.cli import explore_command
from tui.cli.command_settings import settings_for
from tui.cli.parser import bare_launch_args
heavy = ("yaml", "tui.loading.loader", "tui.loading.record_builder", "hashlib", "tui.store.writer")

class FirstFrame:  # stands in for the app: what is imported when it would draw its first frame
    notice = load_error = return_code = None

    def __init__(self, kb=None, regions=None, background=None, **kwargs):
        self.ready = kb is not None and background is None and type(kb).__name__ == "StoredKnowledgeBase"

    def run(self, mouse):
        print(self.ready, [m for m in heavy if m in sys.modules])

explore_command.why_no_terminal = lambda: None
explore_command.make_app = FirstFrame
explore_command.run(settings_for(bare_launch_args(), check_names=True))
"""
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert done.stdout.split() == ["True", "[]"]


def queries_for(kb: KnowledgeBase, count: int) -> list[str]:
    """A few hundred queries as people type them: words and their prefixes from names, aliases,
    summaries and quotes, two words together, a quoted phrase, one typo, two letters, nothing."""
    import random

    rng = random.Random(14)
    words: list[str] = []
    for _, record in kb.all_records():
        for text in (record.title, getattr(record, "summary", None) or "", getattr(record, "text", None) or ""):
            words += [w.strip(".,;:()“”\"'") for w in text.split() if len(w) > 2]
    words = sorted(set(words))
    picked = rng.sample(words, min(len(words), count // 4))
    queries = ["", "is", "al", "qz", "“isis”", '"sleeper cells"', "khorsan", "isis-k", "ISIS  Khorasan"]
    for word in picked:
        queries += [word, word[:3], word[: max(2, len(word) // 2)]]
        other = rng.choice(words)
        queries.append(f"{word} {other[:4]}")
        if len(word) > 5:
            i = rng.randrange(1, len(word) - 1)
            queries.append(word[:i] + word[i + 1 :])  # a letter missing
    return queries[:count]


@pytest.mark.parametrize("where", ["bundled", "generated", "generated-side-process"])
def test_search_finds_the_same_hits_in_the_same_order_in_the_store(where: str, tmp_path: Path, monkeypatch) -> None:
    """The store's FTS5 trigram search against the in-memory haystacks: a few hundred queries.
    (Large data has its search text made by a forked process: forced here on small data.)"""
    from tui.knowledge.search_index import SearchIndex
    from tui.store import writer

    if where.endswith("side-process"):
        monkeypatch.setattr(writer, "SIDE_PROCESS_RECORDS", 0)

    if where == "bundled":
        root: Path | str = bundled_data_dir()
    else:
        sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
        import generate

        root = tmp_path / "gen"
        generate.generate(str(root), 0.004, 2017)
    memory = load(root)
    in_memory, in_store = SearchIndex(memory), SearchIndex(stored(root, memory))
    queries = queries_for(memory, 400)
    assert len(queries) >= 300
    differ = [q for q in queries if in_memory.search(q) != in_store.search(q)]
    assert differ == []
    found = sum(1 for q in queries if in_memory.search(q))
    assert found > len(queries) // 2  # the queries find things: the comparison means something
    for q in ("isk", "dnl bym", "ss", "qzx", "iraq"):
        assert in_memory.subsequence(q) == in_store.subsequence(q), q
    for q in ("khorasan", "is", "al qaeda"):
        assert in_memory.search(q, fields=("name", "alias")) == in_store.search(q, fields=("name", "alias"))


PICKLE_PAYLOAD = "cos\nsystem\n(S'touch {marker}'\ntR."  # protocol 0, written by hand: no pickle import


def planted_store(kind: str, path: Path, marker: Path) -> None:
    """A file at the store's place that is not what we wrote."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if kind == "pickle":
        path.write_text(PICKLE_PAYLOAD.format(marker=marker), encoding="ascii")
        return
    data = path.read_bytes() if path.exists() else b""
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 3])
        return
    db = sqlite3.connect(path)
    if kind == "trigger":
        db.execute("CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT load_extension('/tmp/evil'); END")
    elif kind == "view":
        db.execute(f"CREATE VIEW v AS SELECT load_extension('{marker}') AS x")
    db.commit()
    db.close()


@pytest.mark.parametrize("kind", ["pickle", "trigger", "view", "truncated", "group-writable"])
def test_a_planted_store_is_refused_with_one_line_and_rebuilt(kind: str, write_kb, tmp_path: Path, monkeypatch) -> None:
    """The explorer never runs what a planted file holds, never crashes on it, says why in one line
    and writes a good store in its place."""
    from tui.cli import explore_command, main

    root = write_kb()
    key = store_key(str(root))
    assert write(key, load(root)) is None
    marker = tmp_path / "ran"
    if kind == "group-writable":
        key.path.chmod(0o660)
    else:
        planted_store(kind, key.path, marker)
    apps: list[object] = []

    class NoRun:
        def __init__(self, kb=None, **kwargs):
            self.kb, self.notice, self.load_error, self.return_code, self.config_path = kb, None, None, None, None
            apps.append(self)

        def run(self, mouse: bool) -> None:
            return None

    monkeypatch.setattr(explore_command, "why_no_terminal", lambda: None)
    monkeypatch.setattr(explore_command, "make_app", NoRun)
    assert main.main(["--data", str(root)]) == 0
    app = apps[0]
    assert isinstance(app, NoRun) and isinstance(app.kb, MemoryKnowledgeBase)  # read from the YAML
    assert app.notice is not None and app.notice.count("\n") == 0 and app.notice.endswith(": rebuilding it")
    expected = {
        "pickle": "store damaged (not a database)",
        "trigger": "store altered (trigger 't' unexpected)",
        "view": "store altered (view 'v' unexpected)",
        "truncated": "store damaged",
        "group-writable": "store open to others (group-writable)",
    }[kind]
    assert app.notice.startswith(expected)
    assert not marker.exists()
    assert isinstance(open_key(store_key(str(root))), StoredKnowledgeBase)  # rebuilt, good again


def test_a_child_builds_the_store_with_progress(write_kb) -> None:
    """A first launch on large data: a child process checks the data and writes the store, its
    progress relayed; the store is then opened here."""
    from tui.cli.store_build import build_in_child

    root = write_kb()
    seen: list[tuple[int, int]] = []
    notices: list[str] = []
    kb = build_in_child(store_key(str(root)), None, lambda done, total: seen.append((done, total)), notices)
    assert isinstance(kb, StoredKnowledgeBase) and notices == []
    assert kb.get("groups", "islamic-state") is not None
    assert seen and seen[-1][0] == seen[-1][1]  # ended at 100%


def test_a_child_that_finds_bad_data_reports_its_lines(write_kb) -> None:
    from tui.cli.store_build import ChildDataError, build_in_child

    root = write_kb()
    (root / "bad.yaml").write_text("groups:\n  - id: x\n    nme: y\n", encoding="utf-8")
    with pytest.raises(ChildDataError) as caught:
        build_in_child(store_key(str(root)), None, lambda done, total: None, [])
    assert any(
        line.startswith(str(root / "bad.yaml") + ":") and "unknown field 'nme'" in line for line in caught.value.lines()
    )


def test_a_child_ends_when_the_explorer_goes(write_kb, tmp_path: Path) -> None:
    """The explorer killed outright (no chance to clean up): the child building the store ends too."""
    import signal
    import time

    root = write_kb()
    script = (
        "import sys\n"
        "from tui.cli.store_build import build_in_child\n"
        "from tui.loading.data_files import store_key\n"
        "import time\n"
        "def progress(done, total):\n"
        "    time.sleep(30)\n"  # the explorer is stuck, then killed
        f"build_in_child(store_key({str(root)!r}), None, progress, [])\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        child = None
        for _ in range(200):
            found = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout.split()
            if found:
                child = int(found[0])
                break
            time.sleep(0.05)
        assert child is not None
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        for _ in range(100):
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the child outlived the explorer by 5 s")
    finally:
        parent.kill()


def test_records_come_back_in_the_order_asked_whatever_the_cache_holds() -> None:
    """Lists in display order are seqs out of data order (events by date): each fetch returns them
    as asked, whether some are decoded already or not."""
    kb = stored(bundled_data_dir())
    events = list(load().timeline())
    assert [e.id for e in kb.timeline()] == [e.id for e in events]
    kb._cache.clear()  # start cold
    assert [e.id for e in kb.timeline()[2:9]] == [e.id for e in events[2:9]]
    assert [e.id for e in kb.timeline()] == [e.id for e in events]  # partly cached now
    kb._cache.clear()
    first = kb.records(Event).seqs[0]  # type: ignore[attr-defined]
    wanted = [first + 1, first + 3, first, first + 4]  # out of order, first to last as far apart as a run
    by_data = load().records(Event)
    assert [r.id for r in kb.fetch(wanted)] == [by_data[i].id for i in (1, 3, 0, 4)]


def test_a_killed_build_leaves_nothing_behind_for_long(write_kb) -> None:
    """A build killed outright (a hangup) leaves its temporary file: the next build removes it once
    it is old enough that no other build can be writing it."""
    root = write_kb()
    key = store_key(str(root))
    key.path.parent.mkdir(parents=True, exist_ok=True)
    old, fresh = key.path.parent / ".writing-old.sqlite3", key.path.parent / ".writing-fresh.sqlite3"
    for path in (old, fresh):
        path.write_bytes(b"half a store")
    os.utime(old, (0, 0))
    assert write(key, load(root)) is None
    assert not old.exists() and fresh.exists()
