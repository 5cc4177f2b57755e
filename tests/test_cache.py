"""The parse cache (never stale, ignored when corrupt or not ours) and loading in the background."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tui.loading import parse_cache
from tui.loading.data_files import yaml_files
from tui.loading.loader import load
from tui.loading.problems import DataError, Problems
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.loading_screen import LoadingScreen, progress_text
from tui.ui.widgets.detail_pane import DetailPane


def key_for(root: Path) -> parse_cache.CacheKey:
    return parse_cache.CacheKey.of(str(root), yaml_files(str(root), Problems()))


def test_round_trip_and_where_it_lives(write_kb, tmp_path: Path) -> None:
    root = write_kb()
    kb = load(root)
    key = key_for(root)
    assert parse_cache.read_tree(key) is None and parse_cache.read_kb(key) is None
    assert parse_cache.write(key, kb) is None
    assert key.base.parent == Path(os.environ[parse_cache.CACHE_ENV])
    assert not str(key.base).startswith(str(root))  # never inside the data directory
    tree = parse_cache.read_tree(key)
    assert tree is not None and tree.world.id == kb.world.id and tree.group_count("iraq") == kb.group_count("iraq")
    again = parse_cache.read_kb(key)
    assert again is not None and again.counts() == kb.counts()
    assert again.referrers("groups", "islamic-state", "relationships") == kb.referrers(
        "groups", "islamic-state", "relationships"
    )
    assert {p.name for p in root.iterdir()} == {p.name for p in root.iterdir() if p.suffix == ".yaml"}


def test_any_change_to_an_input_makes_it_stale(write_kb) -> None:
    root = write_kb()
    key = key_for(root)
    parse_cache.write(key, load(root))
    groups = root / "groups.yaml"
    text = groups.read_text(encoding="utf-8")
    groups.write_text(text.replace("Mosul cell", "Mosul cel!"), encoding="utf-8")  # same size
    stat = groups.stat()
    os.utime(groups, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert parse_cache.read_tree(key_for(root)) is None  # the stamp (mtime/inode) changed
    # Same stamp, different bytes: the tree may still be drawn, but the full cache is refused.
    assert parse_cache.read_kb(key) is None


def test_corrupt_or_foreign_cache_files_are_ignored(write_kb) -> None:
    root = write_kb()
    key = key_for(root)
    parse_cache.write(key, load(root))
    kb_file = key.base.with_suffix(".kb")
    kb_file.write_bytes(kb_file.read_bytes()[:100])
    assert parse_cache.read_kb(key) is None
    tree_file = key.base.with_suffix(".tree")
    tree_file.chmod(0o666)  # writable by others: might not be what we wrote
    assert parse_cache.read_tree(key) is None
    tree_file.chmod(0o600)
    assert parse_cache.read_tree(key) is not None


def test_unwritable_cache_dir_gives_a_reason_not_an_error(write_kb, tmp_path: Path, monkeypatch) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("x")
    monkeypatch.setenv(parse_cache.CACHE_ENV, str(blocked / "cache"))
    root = write_kb()
    reason = parse_cache.write(key_for(root), load(root))
    assert reason is not None and reason.startswith("cache not written")


def test_progress_text_needs_no_colour() -> None:
    text = progress_text("Reading /data", 45, 100)
    assert "45%" in text and "█" in text and "░" in text


async def test_tree_first_then_the_rest_from_the_background(write_kb) -> None:
    import threading

    root = write_kb()
    kb = load(root)
    release = threading.Event()

    def held_back(progress):
        progress(1, 2)
        release.wait(10)
        return kb

    app = ExplorerApp(regions=kb.region_index(), background=held_back)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, ExplorerScreen) and app.kb is None
        pane = app.screen.query_one(DetailPane)
        assert "50%" in pane.get_option_at_index(0).prompt.plain  # progress, while the tree works
        await pilot.press("down", "slash")  # the tree moves; search opens and waits for the data
        assert type(app.screen).__name__ == "SearchScreen"
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)
        release.set()
        for _ in range(50):
            await pilot.pause(0.05)
            if app.kb is not None:
                break
        assert app.kb is kb
        await pilot.pause(0.1)
        assert "%" not in pane.get_option_at_index(0).prompt.plain


async def test_cold_load_shows_progress_and_bad_data_exits_2(write_kb) -> None:
    root = write_kb()
    (root / "bad.yaml").write_text("groups:\n  - id: x\n    nme: y\n", encoding="utf-8")

    def cold(progress):
        time.sleep(0.2)
        return load(root, progress=progress)

    app = ExplorerApp(background=cold)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.05)
        assert isinstance(app.screen, LoadingScreen)
        await pilot.pause(0.5)
    assert app.return_code == 2
    assert isinstance(app.load_error, DataError)
    assert any("unknown field 'nme'" in line for line in app.load_error.lines())


def test_progress_is_reported_per_file(write_kb) -> None:
    root = write_kb()
    seen: list[tuple[int, int]] = []
    load(root, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[0][0] == 0 and all(total == seen[0][1] for _, total in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_drawing_the_tree_from_the_cache_imports_no_record_module() -> None:
    """The first frame needs only the cached tree: the records, the knowledge base, the YAML parser
    and hashlib load afterwards (they cost ~20 ms of start-up before they were kept off this path)."""
    import subprocess
    import sys

    script = """
from tui.loading import parse_cache
from tui.loading.data_files import bundled_data_dir
from tui.loading.loader import load
from tui.loading.problems import Problems
from tui.loading.data_files import yaml_files
root = str(bundled_data_dir())
key = parse_cache.CacheKey.of(root, yaml_files(root, Problems()))
assert parse_cache.write(key, load()) is None
"""
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    probe = """
import sys
import tui.__main__
from tui.cli import explore_command
from tui.cli.command_settings import settings_for
from tui.cli.parser import bare_launch_args
heavy = ("tui.knowledge.records", "tui.knowledge.knowledge_base", "tui.presentation.describe",
         "tui.knowledge.dates", "tui.loading.loader", "yaml", "hashlib")

class FirstFrame:  # stands in for the app: what is imported when it would draw its first frame
    notice = load_error = return_code = None

    def __init__(self, kb=None, regions=None, **kwargs):
        self.tree = regions is not None and kb is None

    def run(self, mouse):
        import tui.ui.app
        print(self.tree, [m for m in heavy if m in sys.modules])

explore_command.why_no_terminal = lambda: None
explore_command.make_app = FirstFrame
explore_command.run(settings_for(bare_launch_args(), check_names=True))
"""
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert done.stdout.split() == ["True", "[]"]
