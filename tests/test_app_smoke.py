"""The explorer opens on the bundled data and quits cleanly."""

from __future__ import annotations

from tui.app import ExplorerApp
from tui.model import load
from tui.widgets.detail import DetailPane
from tui.widgets.region_tree import RegionTree


async def test_opens_on_the_world_and_quits_with_q() -> None:
    app = ExplorerApp(load())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(RegionTree)
        assert tree.cursor_node is not None and tree.cursor_node.data == "world"
        labels = [str(node.label) for node in tree.root.children]
        assert labels and all("(" in label for label in labels)  # group counts shown
        assert app.screen.selection == ("regions", "world")
        await pilot.press("q")
    assert app.return_code == 0


async def test_markup_in_data_is_shown_literally(tmp_path) -> None:
    (tmp_path / "kb.yaml").write_text(
        "sources:\n  - {id: s, title: S, kind: article, cite: s/p1}\n"
        "regions:\n  - id: world\n    name: \"[@click=app.quit]World[/] \\e[2J\"\n    kind: world\n    cite: s/p1\n",
        encoding="utf-8",
    )
    app = ExplorerApp(load(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = app.screen.query_one(DetailPane).query_one("#detail-body").render()
        text = str(shown)
        assert "[@click=app.quit]World[/]" in text
        assert "\x1b" not in text and "\u241b[2J" in text
        await pilot.press("q")
    assert app.return_code == 0
