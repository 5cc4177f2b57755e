"""Loading in the background: the tree first (when known), progress, bad data found late. The store
itself is tested in test_store.py and test_store_safety.py."""

from __future__ import annotations

import time

from tui.loading.loader import load
from tui.loading.problems import DataError
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.loading_screen import LoadingScreen, progress_text
from tui.ui.widgets.detail_pane import DetailPane


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
