"""Marks in the app: `m` marks the selected record in the tree, on a detail link, in the assessments
panel, in search results, in every view and on the map; the glyph and the count; the Marked view's
actions (open with history, note, move, unmark, clear, export); keys in bursts; persistence across
two runs; a damaged marks file."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_key_bursts import burst, until
from textual_private import notification_messages, screen_text

from tui.loading.loader import load
from tui.marks.mark import GLYPH
from tui.marks.mark_book import MarkBook
from tui.ui.app import ExplorerApp
from tui.ui.marks.dialogs import ChoiceDialog
from tui.ui.marks.marked_view import MarkedView
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.map_view import MapView
from tui.ui.screens.search_screen import SearchScreen
from tui.ui.screens.table_view import TableView
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree


@pytest.fixture(scope="module")
def kb():
    return load()


def book_in(directory: Path, key: str = "test-data"):
    """An opener for the app: the marks of `key` in a file under `directory`."""
    return lambda: MarkBook.open(key, "fp", path=directory / "marks.sqlite3")


def marks_of(app: ExplorerApp) -> list[tuple[str, str]]:
    return [m.entry for m in app.marking.marks()]


async def started(app: ExplorerApp, pilot) -> None:
    await until(pilot, lambda: app.opened_marks is not None and isinstance(app.screen, ExplorerScreen))
    await pilot.pause()


async def open_view(app: ExplorerApp, pilot, key: str, cls: type) -> object:
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, cls))
    await pilot.pause()
    return app.screen


# -- marking in each place -------------------------------------------------------------------------


async def test_m_in_the_tree_marks_the_shown_region_and_says_so_in_label_and_header(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        shown = app.explorer.selection
        assert shown is not None and shown[0] == "regions"
        await pilot.press("m")
        assert marks_of(app) == [shown]
        assert app.sub_title == f"{GLYPH} 1 marked"
        tree = app.explorer.query_one(RegionTree)
        assert str(tree.nodes[shown[1]].label).startswith(f"{GLYPH} ")
        assert f"{GLYPH} 1 marked" in screen_text(app)
        await pilot.press("m")  # again: unmarked
        assert marks_of(app) == []
        assert app.sub_title == ""
        assert not str(tree.nodes[shown[1]].label).startswith(GLYPH)


async def test_m_in_the_tree_after_a_search_marks_the_record_shown_not_the_region(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"khorasan", "enter")
        await until(pilot, lambda: app.explorer.selection == ("groups", "isis-khorasan"))
        await pilot.press("m")
        assert marks_of(app) == [("groups", "isis-khorasan")]
        assert f"{GLYPH} marked" in str(app.explorer.query_one(DetailPane).border_title)


async def test_m_on_a_detail_link_marks_the_linked_record_and_the_link_shows_the_glyph(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        app.open_record("groups", "isis-khorasan")
        await pilot.pause()
        pane = app.explorer.query_one(DetailPane)
        pane.focus()
        await until(pilot, lambda: pane.chosen_link is not None)
        link = pane.chosen_link
        assert link is not None
        await pilot.press("m")
        assert marks_of(app) == [(link.kind, link.id)]
        row = pane.get_option_at_index(pane.highlighted).prompt
        assert f"{GLYPH} {link.label}" in str(row)


async def test_m_in_the_assessments_panel_marks_the_assessment_shown(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        app.open_record("people", "daniel-byman")
        await pilot.pause()
        panel = app.explorer.query_one(QuotePanel)
        assert panel.cards
        panel.focus()
        await pilot.press("m")
        card = panel.cards[panel.index]
        assert marks_of(app) == [("assessments", card.assessment)]
        assert f"{GLYPH} marked" in str(panel.border_title)


async def test_search_results_mark_with_ctrl_t_and_with_m_in_the_list(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await pilot.press("slash", *"byman", "down", "ctrl+t")  # one burst: typed, moved, marked
        await until(pilot, lambda: len(marks_of(app)) == 1)
        search = app.screen
        assert isinstance(search, SearchScreen)
        first = search.hits[1]
        assert marks_of(app) == [(first.kind, first.id)]
        assert screen_text(app).count(GLYPH) >= 2  # the result and the header
        await pilot.press("tab", "down", "m")  # in the results list, m marks too
        assert len(marks_of(app)) == 2
        assert search.query_one("#search-input").value == "byman"  # no m typed into the query


@pytest.mark.parametrize("key", ["2", "3", "4", "5"], ids=["groups", "analysts", "timeline", "figures"])
async def test_m_in_each_view_marks_the_highlighted_row_and_draws_the_glyph(kb, key) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        view = await open_view(app, pilot, key, TableView)
        assert isinstance(view, TableView)
        await pilot.press("j", "m")
        row = view.table.highlighted_row()
        assert row is not None and marks_of(app) == [(row.kind, row.id)]
        cell = view.table.get_row_at(view.table.cursor_row)[0]
        assert cell.plain.lstrip().startswith(GLYPH)
        await pilot.pause()
        assert screen_text(app).count(GLYPH) == 2  # drawn: the row, and the header's count
        await pilot.press("escape")  # marks made elsewhere reach the view when it shows again
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
        await pilot.press("m")
        view = await open_view(app, pilot, key, TableView)
        assert view.marked == app.marked and len(app.marked) == 2


async def test_m_on_the_map_marks_the_selected_place(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        view = await open_view(app, pilot, "6", MapView)
        assert isinstance(view, MapView)
        await pilot.press("n", "m")
        assert marks_of(app) == [("regions", view.selected)]
        assert str(view.query_one("#map-status").render()).startswith(GLYPH)
        assert view.table.line_text(view.table.rows[view.table.cursor], 40).startswith(GLYPH)


async def test_marking_while_loading_says_it_waits(kb) -> None:
    app = ExplorerApp(regions=kb.region_index(), background=lambda progress: kb)
    async with app.run_test(size=(80, 24)) as pilot:
        app.kb = None  # as if still loading
        await pilot.press("m")
        assert app.marked == frozenset()


# -- the Marked view ---------------------------------------------------------------------------------


async def mark_three(app: ExplorerApp, pilot) -> None:
    for entry in (("groups", "isis-khorasan"), ("regions", "iraq"), ("people", "daniel-byman")):
        app.open_record(*entry)
        await pilot.pause()
        await pilot.press("m")
    assert len(marks_of(app)) == 3


async def test_the_marked_view_lists_in_order_with_kind_name_note_and_citation(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        view = await open_view(app, pilot, "7", MarkedView)
        assert isinstance(view, MarkedView)
        keys = [row.key for row in view.table.row_specs]
        assert keys == ["groups:isis-khorasan", "regions:iraq", "people:daniel-byman"]
        text = screen_text(app)
        assert "ISIS-Khorasan" in text and "group" in text and "¶" in text
        assert "3 records in your order" in text


async def test_note_move_unmark_in_bursts(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        await pilot.press("7", "e", *"watch q2", "enter")  # one burst: the note gets every key, q does not quit
        await until(pilot, lambda: isinstance(app.screen, MarkedView) and app.marking.marks()[0].note)
        assert app.marking.marks()[0].note == "watch q2"
        view = app.screen
        assert isinstance(view, MarkedView)
        await pilot.press("shift+down")  # the first mark goes second; the cursor follows it
        assert marks_of(app)[:2] == [("regions", "iraq"), ("groups", "isis-khorasan")]
        assert view.table.highlighted_row().id == "isis-khorasan"
        await pilot.press("shift+up", "shift+up")  # at the top it stays
        assert marks_of(app)[0] == ("groups", "isis-khorasan")
        await pilot.press("j", "d")
        assert marks_of(app) == [("groups", "isis-khorasan"), ("people", "daniel-byman")]
        assert len(view.table.row_specs) == 2
        await pilot.press("e", "escape")  # Escape keeps the note as it was
        await until(pilot, lambda: isinstance(app.screen, MarkedView))
        assert [m.note for m in app.marking.marks()] == ["watch q2", ""]


async def test_clear_all_asks_first(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        await pilot.press("7", "D", "n")  # n is no answer: the dialog stays, nothing is removed
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert len(marks_of(app)) == 3
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MarkedView))
        assert len(marks_of(app)) == 3
        await pilot.press("D", "y")  # a burst: asked and answered
        await until(pilot, lambda: not marks_of(app))
        assert isinstance(app.screen, MarkedView)
        assert "No marks yet" in screen_text(app)
        assert app.sub_title == ""


async def test_enter_opens_the_record_and_back_returns_to_the_marked_view(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        await pilot.press("7", "j", "enter")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
        assert app.explorer.selection == ("regions", "iraq")
        await pilot.press("backspace")
        await until(pilot, lambda: isinstance(app.screen, MarkedView))
        assert app.screen.table.highlighted_row().id == "iraq"


async def test_a_mark_whose_record_left_the_data_stays_as_missing(kb, tmp_path) -> None:
    book, _ = MarkBook.open("test-data", "old", path=tmp_path / "marks.sqlite3")
    book.toggle("groups", "isis-khorasan", "ISIS-Khorasan")
    book.toggle("groups", "renamed-away", "The Old Name")
    book.set_note("groups", "renamed-away", "was in the 2019 data")
    book.close()
    app = ExplorerApp(kb, marks=lambda: MarkBook.open("test-data", "new", path=tmp_path / "marks.sqlite3"))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        view = await open_view(app, pilot, "7", MarkedView)
        text = screen_text(app)
        assert "The Old Name (missing)" in text
        assert "1 no longer in the data" in text
        await pilot.press("j", "enter")  # cannot be opened: said so, still here
        await pilot.pause()
        assert app.screen is view
        assert marks_of(app) == [("groups", "isis-khorasan"), ("groups", "renamed-away")]


async def test_notes_are_shown_as_text_never_markup_or_controls(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        app.marking.change(lambda book: book.set_note("groups", "isis-khorasan", "[red]x[/] \x1b[31mred\u202e"))
        await open_view(app, pilot, "7", MarkedView)
        text = screen_text(app)
        assert "[red]x[/]" in text
        assert "\x1b" not in text and "\u202e" not in text


# -- persistence, damage -----------------------------------------------------------------------------


async def test_marks_and_notes_survive_a_restart(kb, tmp_path) -> None:
    first = ExplorerApp(kb, marks=book_in(tmp_path))
    async with first.run_test(size=(80, 24)) as pilot:
        await started(first, pilot)
        await mark_three(first, pilot)
        await pilot.press("7", "j", "e", *"a note", "enter")
        await until(pilot, lambda: first.marking.marks()[1].note == "a note")
    second = ExplorerApp(kb, marks=book_in(tmp_path))
    async with second.run_test(size=(80, 24)) as pilot:
        await started(second, pilot)
        assert second.sub_title == f"{GLYPH} 3 marked"
        await open_view(second, pilot, "7", MarkedView)
        assert [m.entry for m in second.marking.marks()] == [
            ("groups", "isis-khorasan"),
            ("regions", "iraq"),
            ("people", "daniel-byman"),
        ]
        assert second.marking.marks()[1].note == "a note"
        assert "a note" in screen_text(second)


async def test_a_damaged_marks_file_is_reported_in_one_line_and_the_app_starts(kb, tmp_path) -> None:
    (tmp_path / "marks.sqlite3").write_bytes(b"this is not a database" * 100)
    app = ExplorerApp(kb, marks=book_in(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        notices = notification_messages(app)
        assert any("moved to" in n and "\n" not in n for n in notices)
        await pilot.press("m")
        assert len(marks_of(app)) == 1  # the new book works
    assert [p.name for p in tmp_path.iterdir() if "damaged" in p.name]


# -- exporting ------------------------------------------------------------------------------------------


async def test_x_exports_a_briefing_in_the_users_order_with_the_note(kb, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        await pilot.press("7", "shift+down", "e", *"key figure", "enter", "x", "m")
        await until(pilot, lambda: list(tmp_path.glob("isis-explorer-marked-*.md")))
        await app.workers.wait_for_complete()
    (path,) = tmp_path.glob("isis-explorer-marked-*.md")
    text = path.read_text(encoding="utf-8")
    assert text.index("Iraq") < text.index("ISIS-Khorasan") < text.index("Daniel Byman")
    assert "key figure" in text[text.index("ISIS-Khorasan") :]
    assert "[^1]:" in text


# -- keys in one burst -----------------------------------------------------------------------------------


async def test_a_burst_opens_the_view_writes_the_note_and_nothing_is_lost(kb) -> None:
    """`7`, `e`, the note and Enter queued at once, before any is handled (a paste, an SSH packet)."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        burst(app, "7jequick note\r")
        await until(pilot, lambda: any(m.note for m in app.marking.marks()))
        assert [m.note for m in app.marking.marks()] == ["", "quick note", ""]
        assert isinstance(app.screen, MarkedView)
        burst(app, "Dy")
        await until(pilot, lambda: not marks_of(app))
        assert isinstance(app.screen, MarkedView)


async def test_keys_behind_the_enter_that_closes_a_dialog_reach_the_screen_below(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        burst(app, "7eabc\rjd")  # the note, then j and d in the Marked view: the second mark goes
        await until(pilot, lambda: len(marks_of(app)) == 2)
        assert [m.note for m in app.marking.marks()] == ["abc", ""]
        assert marks_of(app) == [("groups", "isis-khorasan"), ("people", "daniel-byman")]
        burst(app, "Dy2")  # cleared, then the Groups view
        await until(pilot, lambda: not marks_of(app) and app.screen.__class__.__name__ == "GroupsView")


async def test_a_burst_after_a_view_key_reaches_the_view(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        burst(app, "2jjm")
        await until(pilot, lambda: bool(marks_of(app)))
        view = app.screen
        assert isinstance(view, TableView) and view.table.cursor_row == 2
        row = view.table.highlighted_row()
        assert marks_of(app) == [(row.kind, row.id)]


def test_marks_typed_in_one_write_in_a_terminal_are_kept_after_quitting(tmp_path) -> None:
    """In a real pty: `m`, `7`, `e`, a note, Enter and `qq` in one write: the file has it all."""
    import os

    from test_terminal_faults import in_pty, read_pty, wait_exit

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "ISIS_EXPLORER_DATA_DIR": str(tmp_path / "data")}
    with in_pty([], env) as (pid, fd):
        assert b"Iraq" in read_pty(fd, b"Iraq", 20)
        os.write(fd, b"m7ea note typed fast\rqq")  # the q behind Enter close the view, then quit
        read_pty(fd, None, 20)  # what it draws, until it has gone (a full pty would block it)
        assert wait_exit(pid, 10) == 0
    book, notice = MarkBook.open("bundled", path=tmp_path / "data" / "marks.sqlite3")
    assert notice is None
    (mark,) = book.marks()
    assert mark.note == "a note typed fast" and mark.kind == "regions"


async def test_a_marked_measure_heading_in_the_figures_view_shows_the_glyph(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        view = await open_view(app, pilot, "5", TableView)
        assert isinstance(view, TableView)
        heading = next(i for i, row in enumerate(view.table.row_specs) if row.heading)
        view.table.move_cursor(row=heading)
        await pilot.press("m")
        row = view.table.row_specs[heading]
        assert marks_of(app) == [(row.kind, row.id)]
        drawn = "".join(cell.plain for cell in view.table.get_row_at(heading))
        assert drawn.lstrip().startswith(GLYPH)


@pytest.mark.parametrize(("key", "ending", "starts"), [("j", ".json", "{"), ("c", ".csv", "\ufeffn,kind,id")])
async def test_x_exports_json_and_csv_too(kb, tmp_path, monkeypatch, key, ending, starts) -> None:
    monkeypatch.chdir(tmp_path)
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await mark_three(app, pilot)
        await pilot.press("7", "x", key)
        await until(pilot, lambda: list(tmp_path.glob(f"isis-explorer-marked-*{ending}")))
        await app.workers.wait_for_complete()
        await pilot.press("x", key)  # a second export never overwrites the first
        await until(pilot, lambda: len(list(tmp_path.glob(f"isis-explorer-marked-*{ending}"))) == 2)
        await app.workers.wait_for_complete()
    first = min(tmp_path.glob(f"isis-explorer-marked-*{ending}"), key=lambda p: len(p.name))
    text = first.read_text(encoding="utf-8")
    assert text.startswith(starts)
    assert text.index("isis-khorasan") < text.index("daniel-byman")
