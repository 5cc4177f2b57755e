"""Fewer bytes over SSH: what the explorer does so that it does not paint the same thing twice. The bytes
themselves are counted in a pty by the benchmark (tests/benchmarks/terminal_bytes.py, and its smoke test
in test_bench_smoke.py); these tests pin the causes it found."""

from __future__ import annotations

import pytest

from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.breakpoints import breakpoint_classes, chosen
from tui.ui.screens.explorer_screen import TREE_SETTLE_SECONDS, ExplorerScreen
from tui.ui.widgets.region_tree import RegionTree


@pytest.fixture(scope="module")
def kb():
    return load()


def test_the_breakpoint_is_the_largest_at_or_below_the_size() -> None:
    points = ExplorerApp.HORIZONTAL_BREAKPOINTS
    assert [chosen(w, points) for w in (40, 59, 60, 99, 100, 200)] == [
        "-stacked",
        "-stacked",
        "-narrow",
        "-narrow",
        "-wide",
        "-wide",
    ]
    assert chosen(5, [(10, "-big")]) is None


@pytest.mark.parametrize(
    ("size", "on"),
    [((80, 24), {"-narrow", "-tall"}), ((120, 40), {"-wide", "-tall"}), ((50, 12), {"-stacked", "-tiny"})],
)
async def test_the_explorer_has_its_breakpoint_classes_from_its_mount(kb, monkeypatch, size, on) -> None:
    """Textual sets them on the first Resize, after the first frame: that frame had the panes stacked and
    the next one redrew them in the grid (~14 KB more at 80x24). The screen now sets them as it mounts."""
    seen: list[set[str]] = []
    mounted = ExplorerScreen.on_mount

    def on_mount(screen: ExplorerScreen) -> None:
        mounted(screen)
        seen.append(set(screen.classes))  # before any Resize has reached the screen

    monkeypatch.setattr(ExplorerScreen, "on_mount", on_mount)
    app = ExplorerApp(kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert seen and on <= seen[0], seen
        assert breakpoint_classes(app.screen) == {name: name in on for name in breakpoint_classes(app.screen)}
        assert on <= set(app.screen.classes)  # and Textual's own Resize agrees


async def test_placing_the_cursor_on_an_open_path_does_not_redraw_the_tree(kb, monkeypatch) -> None:
    """TreeNode.expand() on a node already open still invalidates the whole tree; expand_to (run for the
    start region, for Back, links and search) expands only what is closed."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        tree = app.screen.query_one(RegionTree)
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.parent is not None
        refreshed: list[object] = []
        monkeypatch.setattr(tree, "refresh", lambda *args, **kwargs: refreshed.append((args, kwargs)))
        assert tree.expand_to(node.data) is node
        assert refreshed == []
        monkeypatch.undo()
        node.parent.collapse()  # a closed node on the path is still opened
        assert tree.expand_to(node.data) is node
        assert node.parent.is_expanded


async def test_the_tree_draws_no_horizontal_scrollbar(kb) -> None:
    """Textual redrew it with every layout (~800 bytes each at 80x24, several per move); a long name is
    cut at the pane's edge and shown in full in the detail pane."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        tree = app.screen.query_one(RegionTree)
        assert tree.virtual_size.width > tree.scrollable_content_region.width  # a label is wider than the pane
        assert tree.scrollbar_size_horizontal == 0
        assert not tree.show_horizontal_scrollbar or tree.styles.scrollbar_size_horizontal == 0
