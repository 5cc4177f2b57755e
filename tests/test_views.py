"""The four table views (groups, analysts, timeline, figures) and the bar helper behind the figures."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.knowledge.dates import UNKNOWN
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Figure
from tui.loading.loader import load
from tui.presentation.figure_bars import FULL, PARTIALS, SHADE, bar, chart_cell, extent, qualifier_sign, scale_max
from tui.presentation.view_rows import ColumnSpec, fit_widths
from tui.ui.debounce import SETTLE_SECONDS
from tui.ui.screens.analysts_view import AnalystsView
from tui.ui.screens.figures_view import FiguresView
from tui.ui.screens.groups_view import GroupsView
from tui.ui.screens.table_view import RecordTable, TableView
from tui.ui.screens.timeline_view import TimelineView

SETTLE = SETTLE_SECONDS * 3  # the preview follows the cursor once it settles

SIZES = [(80, 24), (60, 20)]
VIEWS = [GroupsView, AnalystsView, TimelineView, FiguresView]
# The order the views must sort group kinds in, written out here rather than read from the code.
KIND_ORDER = [
    "isis-core",
    "isis-branch",
    "isis-affiliate",
    "isis-aligned",
    "jihadist-rival",
    "insurgency",
    "state-force",
    "coalition-force",
]
HOSTILE = "[bold]x[/] [@click=app.quit]y[/]\x1b[2J"
HOSTILE_YAML = r'"[bold]x[/] [@click=app.quit]y[/]\e[2J"'
HOSTILE_SHOWN = "[bold]x[/] [@click=app.quit]y[/]\u241b[2J"  # ESC made visible as ␛


class ViewHarness(App[None]):
    """Stands in for the real app: has `kb`, records `open_record` and `show_view` calls."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, kb: KnowledgeBase, view: type[TableView]) -> None:
        super().__init__()
        self.kb = kb
        self.view = view
        self.opened: list[tuple[str, str]] = []
        self.views_shown: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.view())

    def open_record(self, kind: str, record_id: str, from_view: str | None = None) -> None:
        self.opened.append((kind, record_id))
        self.opened_from = from_view

    def action_show_view(self, name: str) -> None:
        self.views_shown.append(name)


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


def table_of(app: App) -> RecordTable:
    return app.screen.query_one(RecordTable)


def row_keys(table: RecordTable) -> list[str]:
    return [row.key for row in table.row_specs]


def screen_lines(table: RecordTable) -> list[str]:
    """The table as drawn: one string per visible line."""
    return [table.render_line(y).text for y in range(table.size.height)]


def text_of(app: App, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def show_row(pilot, table: RecordTable, key: str) -> int:
    """Put the cursor on the row with `key`, scrolled into view; returns its index."""
    index = row_keys(table).index(key)
    table.move_cursor(row=index, animate=False)
    await pilot.pause(SETTLE)
    return index


# -- groups -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_groups_lists_every_group_by_kind_then_name(bundled: KnowledgeBase, size: tuple[int, int]) -> None:
    app = ViewHarness(bundled, GroupsView)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        assert sorted(row_keys(table)) == sorted(f"groups:{g.id}" for g in bundled.groups)
        groups = [bundled.get("groups", key.split(":")[1]) for key in row_keys(table)]
        expected = sorted(groups, key=lambda g: (KIND_ORDER.index(g.kind), g.name.casefold()))
        assert groups == expected
        assert any("ISIS-Khorasan" in line for line in screen_lines(table))
        await show_row(pilot, table, "groups:taliban")
        assert any("Taliban" in line and "rival" in line for line in screen_lines(table))
        title = text_of(app, "#view-title")
        assert "all kinds (18 of 18)" in title
        assert f"{len(bundled.table('relationships'))} relationships" in title


async def test_groups_f_filters_by_one_kind_and_says_so(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, GroupsView)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        await pilot.press("f")
        assert row_keys(table) == ["groups:isis"]
        assert "ISIS core only (1 of 18)" in text_of(app, "#view-title")
        await pilot.press("f")
        branches = {f"groups:{g.id}" for g in bundled.groups if g.kind == "isis-branch"}
        assert set(row_keys(table)) == branches and len(branches) == 5
        assert "ISIS branches only (5 of 18)" in text_of(app, "#view-title")
        present = {g.kind for g in bundled.groups}
        for _ in range(len(present) - 1):  # through the remaining kinds back to all
            await pilot.press("f")
        assert len(row_keys(table)) == len(bundled.groups)
        assert "all kinds" in text_of(app, "#view-title")


async def test_groups_preview_shows_relationships(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, GroupsView)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        await show_row(pilot, table_of(app), "groups:isis-khorasan")
        preview = text_of(app, "#preview")
        assert preview.startswith("ISIS-Khorasan (ISIS branches, our classification)")
        assert "Branch of: ISIS" in preview and "Afghanistan" in preview


# -- analysts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_analysts_preview_quotes_what_they_said(bundled: KnowledgeBase, size: tuple[int, int]) -> None:
    app = ViewHarness(bundled, AnalystsView)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        speaking = {a.speaker for a in bundled.table("assessments").values()}
        assert {f"people:{p}" for p in bundled.table("people") if p in speaking} <= set(row_keys(table))
        for credit in ("hussein-malla", "dominique-soguel", "michael-weiss"):  # they assess nothing
            assert f"people:{credit}" not in row_keys(table)
        assert "sources:soufan-report" in row_keys(table)  # a report that speaks is listed too
        await show_row(pilot, table, "people:daniel-byman")
        line = next(line for line in screen_lines(table) if "Daniel Byman" in line)
        assert "Senior fellow" in line and line.rstrip().endswith("2")
        preview = text_of(app, "#preview")
        assert "“But that’s the wrong image: It’s people filtering out in dribs and drabs.” [article ¶23]" in preview
        assert "Said (2):" in preview
        await pilot.press("enter")
        assert app.opened == [("people", "daniel-byman")]
        assert app.opened_from == "analysts"  # Back in the explorer returns to the view


async def test_analysts_marks_a_paraphrase(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, AnalystsView)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        await show_row(pilot, table_of(app), "sources:soufan-report")
        preview = text_of(app, "#preview")
        assert "(paraphrase) Notes continued concern" in preview
        assert "“People not only flocked" in preview
        await pilot.press("enter")
        assert app.opened == [("sources", "soufan-report")]


# -- timeline -----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_timeline_is_in_date_order_with_unknown_dates_last(bundled: KnowledgeBase, size: tuple[int, int]) -> None:
    app = ViewHarness(bundled, TimelineView)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        events = list(bundled.table("events").values())
        earliest = min((e for e in events if e.date.known), key=lambda e: e.date.sort_key())
        assert row_keys(table)[0] == f"events:{earliest.id}"
        assert screen_lines(table)[1].split()[0] == "2014"  # the line under the header
        precisions = [row.cells[1] for row in table.row_specs]
        unknown = sum(1 for e in events if not e.date.known)
        assert unknown > 0 and precisions[-unknown:] == ["unknown"] * unknown
        assert "unknown" not in precisions[:-unknown]
        assert all(row.cells[0] == "date unknown" for row in table.row_specs[-unknown:])
        await show_row(pilot, table, "events:raqqa-operations-end")
        line = next(line for line in screen_lines(table) if "Raqqa" in line)
        assert line.split()[0] == "inferred:" and " day " in line  # the year comes from the article's date
        await show_row(pilot, table, "events:tal-afar-taken")
        assert any(line.startswith(" inferred: late Aug") and "month" in line for line in screen_lines(table))
        assert table.rows_by_key["events:tal-afar-taken"].cells[0] == "inferred: late August 2017"


# -- figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_figures_group_by_measure_and_scope_and_say_competing_only_where_the_source_does(
    bundled: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = ViewHarness(bundled, FiguresView)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        keys = row_keys(table)
        start = keys.index("measures:foreign-fighters-joined-isis")
        # ¶24: CENTCOM's count and the analysts' range, set against each other by the source
        assert keys[start + 1 : start + 3] == ["figures:foreign-fighters-centcom", "figures:foreign-fighters-analysts"]
        assert keys[start + 3].startswith("measures:")
        # ¶11's "up to 40,000" among the people in ISIS territory is another measure: not a rival estimate
        peak = keys.index("figures:foreign-fighters-2014-peak")
        assert keys[peak - 1].startswith("measures:") and keys[peak - 1] != "measures:foreign-fighters-joined-isis"
        # one measure, two places: Iraq and Syria, and Somalia, each under its own heading
        iraq_syria = keys.index("figures:isis-fighters-remaining-iraq-syria")
        somalia = keys.index("figures:isis-fighters-remaining-somalia")
        assert keys[iraq_syria - 1] == "measures:isis-fighters-remaining"
        assert keys[somalia - 1] == "measures:isis-fighters-remaining/1"
        assert sum(1 for k in keys if k.startswith("figures:")) == len(bundled.table("figures"))
        headings = {r.key: str(r.cells[0]) for r in table.row_specs if r.heading}
        assert "2 competing estimates" in headings["measures:foreign-fighters-joined-isis"]
        assert sum("competing" in h for h in headings.values()) == 1
        assert "Somalia" in headings["measures:isis-fighters-remaining/1"]
        await show_row(pilot, table, "figures:foreign-fighters-analysts")
        lines = screen_lines(table)
        more = next(line for line in lines if "more than 40,000" in line)
        span = next(line for line in lines if "20,000–30,000" in line)
        assert "> " + FULL in more  # the qualifier as a sign, not a colour
        assert SHADE in span and FULL in span and SHADE not in more
        assert span.count(FULL) < more.count(FULL)  # 30,000 is drawn shorter than 40,000
        assert "…" not in more.split(">")[0]  # the value column is never cut at this size
        await pilot.press("enter")
        assert app.opened == [("figures", "foreign-fighters-analysts")]
        preview = text_of(app, "#preview")
        assert "Competing estimates (the source sets them against this one) (1):" in preview
        assert "more than 40,000 foreign fighters who joined ISIS" in preview
        assert "Other estimates" not in preview
        await show_row(pilot, table, "figures:foreign-fighters-2014-peak")
        up_to = next(line for line in screen_lines(table) if "up to 40,000" in line)
        assert "≤ " + FULL in up_to
        assert "Competing" not in text_of(app, "#preview")


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_figures_columns_where_and_as_of_at_160_the_figure_and_bar_first_at_80(
    bundled: KnowledgeBase, size: tuple[int, int]
) -> None:
    app = ViewHarness(bundled, FiguresView)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        header = screen_lines(table)[0]
        await show_row(pilot, table, "figures:isis-fighters-remaining-somalia")
        line = next(line for line in screen_lines(table) if "perhaps fewer than 100" in line)
        assert "< " + FULL in line
        if size == (160, 48):
            assert header.split() == ["Figure", "Compared", "Where", "As", "of", "Given", "by"]
            assert "Somalia" in line and "inferred: late October 2017" in line
        else:
            assert header.split()[:2] == ["Figure", "Compared"]
            assert line.index("perhaps") < line.index(FULL)


async def test_figures_heading_row_opens_the_measure(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, FiguresView)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        assert table_of(app).highlighted_key() == "measures:isis-territory"
        assert "Bars are scaled to the largest number of this scope: 100,000 km²." in text_of(app, "#preview")
        await pilot.press("enter")
        assert app.opened == [("measures", "isis-territory")]


# -- shared behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
async def test_keys_move_open_and_close(bundled: KnowledgeBase, view: type[TableView]) -> None:
    app = ViewHarness(bundled, view)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        assert table.has_focus and table.cursor_row == 0
        first_preview = text_of(app, "#preview")
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        assert text_of(app, "#preview") != first_preview
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g", "enter")
        kind, _, record_id = row_keys(table)[0].partition(":")
        assert app.opened == [(kind, record_id)]
        await pilot.press("escape")
        assert app.views_shown == ["explorer"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("size", SIZES)
async def test_columns_fit_without_horizontal_scrolling(
    bundled: KnowledgeBase, view: type[TableView], size: tuple[int, int]
) -> None:
    app = ViewHarness(bundled, view)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        assert table.max_scroll_x == 0
        for spec, width in zip(table.column_specs, table.column_widths, strict=True):
            assert width >= spec.min_width, spec.key
        header = screen_lines(table)[0]
        for spec in table.column_specs:  # every column's label is on screen, whole or shortened
            assert spec.label[:3] in header


async def test_columns_refit_when_the_terminal_narrows(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, TimelineView)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        wide = list(table.column_widths)
        await pilot.press("j", "j", "j")
        await pilot.resize_terminal(60, 20)
        await pilot.pause(SETTLE)
        assert sum(table.column_widths) < sum(wide)
        assert table.max_scroll_x == 0 and table.cursor_row == 3  # the cursor stays on its row
        assert any("…" in line for line in screen_lines(table))  # long names cut with an ellipsis


async def test_preview_sits_beside_the_table_when_wide(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, GroupsView)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(SETTLE)
        box = app.screen.query_one("#preview-box", VerticalScroll)
        assert box.region.x > table_of(app).region.x
        await pilot.resize_terminal(80, 24)
        await pilot.pause(SETTLE)
        assert box.region.y > table_of(app).region.y and box.region.x == table_of(app).region.x


async def test_shift_down_scrolls_a_long_preview(bundled: KnowledgeBase) -> None:
    app = ViewHarness(bundled, GroupsView)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause(SETTLE)
        box = app.screen.query_one("#preview-box", VerticalScroll)
        assert box.max_scroll_y > 0 and box.scroll_y == 0  # ISIS says more than fits
        await pilot.press("shift+down")
        await pilot.pause(SETTLE)
        assert box.scroll_y > 0


@pytest.mark.parametrize("no_color", [False, True])
async def test_cursor_is_visible_without_colour(
    bundled: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = ViewHarness(bundled, GroupsView)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        assert app.no_color is no_color
        cursor_line = table_of(app).render_line(1)  # first row under the header
        reversed_ = any(seg.style is not None and seg.style.reverse for seg in cursor_line)
        assert reversed_ is no_color


async def test_a_view_is_made_once_and_keeps_its_filter_and_cursor(bundled: KnowledgeBase) -> None:
    from tui.ui.app import ExplorerApp

    app = ExplorerApp(bundled)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause(SETTLE)
        view = app.screen
        assert isinstance(view, GroupsView)
        await pilot.press("f", "f", "j")  # ISIS branches, the second one
        await pilot.press("q", "3", "2")  # leave with q: Escape would clear the filter first
        await pilot.pause(SETTLE)
        assert app.screen is view
        assert "ISIS branches only" in text_of(app, "#view-title") and table_of(app).cursor_row == 1


def test_views_are_imported_on_first_visit_not_with_the_app() -> None:
    script = (
        "import sys\n"
        "from tui.ui.app import ExplorerApp\n"
        "print(sorted(m for m in sys.modules if m.startswith('tui.') and m.endswith(('_view', '_rows'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# -- hostile text -------------------------------------------------------------------------------

HOSTILE_FILES = {  # view -> (row key, an extra YAML file with hostile text ($H) wherever that view shows it)
    GroupsView: (
        "groups:hostile",
        ("groups: [{id: hostile, name: $H, kind: isis-core, regions: [iraq], summary: $H, cite: article/p5}]"),
    ),
    AnalystsView: (
        "people:hostile",
        (
            "people: [{id: hostile, name: $H, roles: [{title: $H}], cite: article/p8}]\n"
            "assessments: [{id: hostile-said, speaker: hostile, text: $H, summary: s, cite: article/p10}]"
        ),
    ),
    TimelineView: ("events:hostile", "events: [{id: hostile, name: $H, date: 2001, summary: $H, cite: article/p11}]"),
    FiguresView: (
        "figures:hostile",
        (
            "regions: [{id: hostile-place, name: $H, kind: city, parent: iraq, cite: article/p4}]\n"
            "figures: [{id: hostile, measure: fighters, value: 9000, qualifier: at-least, regions: [hostile-place], "
            "as_of: 2017, attribution: $H, summary: $H, cite: article/p7}]"
        ),
    ),
}


def hostile_kb(write_kb: Callable[..., Path], view: type[TableView]) -> KnowledgeBase:
    return load(write_kb(hostile=HOSTILE_FILES[view][1].replace("$H", HOSTILE_YAML) + "\n"))


@pytest.mark.parametrize("view", VIEWS)
async def test_hostile_text_is_shown_literally_and_runs_nothing(
    write_kb: Callable[..., Path], view: type[TableView]
) -> None:
    key = HOSTILE_FILES[view][0]
    app = ViewHarness(hostile_kb(write_kb, view), view)
    # The Figures view has five columns (the figure and its bar first): at 160 its Where column has room
    async with app.run_test(size=(160, 30) if view is FiguresView else (120, 30)) as pilot:
        await pilot.pause(SETTLE)
        table = table_of(app)
        index = await show_row(pilot, table, key)
        drawn = screen_lines(table)
        y = 1 + index - int(table.scroll_y)  # below the header
        assert "[bold]x[/] [@click" in drawn[y]  # literal, however narrow the column
        assert not any("\x1b" in line for line in drawn)
        assert HOSTILE_SHOWN in text_of(app, "#preview")
        await pilot.click(RecordTable, offset=(drawn[y].index("[@click") + 2, y))  # on the would-be link
        await pilot.press("enter")
        assert app.is_running and app.return_code is None
        kind, _, record_id = key.partition(":")
        assert (kind, record_id) in app.opened


async def test_hostile_group_name_in_the_filter_title_stays_text(write_kb: Callable[..., Path]) -> None:
    kb = hostile_kb(write_kb, GroupsView)
    assert kb.get("groups", "hostile").name == HOSTILE
    app = ViewHarness(kb, GroupsView)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause(SETTLE)
        await pilot.press("f")  # isis-core: the base group and the hostile one
        assert set(row_keys(table_of(app))) == {"groups:islamic-state", "groups:hostile"}
        assert "ISIS core only (2 of 3)" in text_of(app, "#view-title")


# -- column fitting -----------------------------------------------------------------------------


def test_fit_widths_fills_the_width_serving_fixed_columns_first_then_text_columns() -> None:
    columns = [
        ColumnSpec("name", "Name", min_width=10, weight=2),
        ColumnSpec("n", "N", min_width=3, max_width=3),
        ColumnSpec("where", "Where", min_width=5, weight=1),
    ]
    assert fit_widths(columns, [40, 3, 40], 63) == [40, 3, 20]  # 2:1 until both are long enough, then the rest
    assert fit_widths(columns, [12, 3, 6], 30) == [12 + 6, 3, 6 + 3]  # room beyond need, shared 2:1
    assert fit_widths(columns, [40, 3, 40], 10) == [10, 3, 5]  # too narrow: minimums, the table scrolls
    columns = [
        ColumnSpec("text", "Text", min_width=8),
        ColumnSpec("date", "Date", min_width=8, max_width=17, priority=2),
        ColumnSpec("value", "Value", min_width=8, max_width=25, priority=1),
    ]
    assert fit_widths(columns, [30, 17, 25], 45) == [8, 12, 25]  # value first, then the date


# -- figure_chart -------------------------------------------------------------------------------


def figure(
    value: float | None = None, low: float | None = None, high: float | None = None, qualifier: str = "exact"
) -> Figure:
    return Figure(
        id="f", measure="m", value=value, low=low, high=high, qualifier=qualifier, as_of=UNKNOWN, summary="s", cite=()
    )


def test_bar_of_a_single_value_starts_at_zero() -> None:
    assert bar(figure(100), 100, 10) == FULL * 10
    assert bar(figure(50), 100, 10) == FULL * 5 + " " * 5
    assert bar(figure(55), 100, 10) == FULL * 5 + PARTIALS[4] + " " * 4  # half a cell more
    assert bar(figure(0.01), 100, 10) == PARTIALS[1] + " " * 9  # tiny but not nothing
    assert bar(figure(0), 100, 10) == " " * 10


def test_bar_of_a_range_shades_below_its_low_end() -> None:
    drawn = bar(figure(low=20_000, high=30_000), 40_000, 12)
    assert drawn == SHADE * 6 + FULL * 3 + " " * 3
    narrow = bar(figure(low=99, high=100), 100, 10)
    assert narrow.startswith(SHADE) and narrow.rstrip().endswith(FULL)  # the span never vanishes


def test_bar_is_always_exactly_the_width_asked() -> None:
    for fig in (figure(7), figure(1e9), figure(low=1, high=3), figure(low=0, high=0), figure(3)):
        for width in (1, 2, 7, 16):
            assert len(bar(fig, 10, width)) == width
    assert bar(figure(5), 0, 6) == " " * 6  # nothing to scale to
    assert bar(figure(5), 10, 0) == ""


def test_chart_cell_puts_the_qualifier_before_the_bar() -> None:
    signs = {
        q: qualifier_sign(figure(1, qualifier=q))
        for q in ("more-than", "at-least", "up-to", "fewer-than", "less-than", "about", "barely", "exact")
    }
    assert signs == {
        "more-than": ">",
        "at-least": "≥",
        "up-to": "≤",
        "fewer-than": "<",
        "less-than": "<",
        "about": "~",
        "barely": "~",
        "exact": "",
    }
    assert chart_cell(figure(10, qualifier="more-than"), 10, 6) == "> " + FULL * 4
    assert chart_cell(figure(10), 10, 6) == "  " + FULL * 4
    assert len(chart_cell(figure(10, qualifier="up-to"), 10, 2)) == 2


def test_scale_max_and_extent() -> None:
    figures = [figure(40_000), figure(low=20_000, high=30_000), figure(5)]
    assert scale_max(figures) == 40_000
    assert scale_max([]) == 0
    assert extent(figure(low=1, high=2)) == (1.0, 2.0) and extent(figure(3)) == (3.0, 3.0)


def test_a_unit_reads_singular_for_one_and_plural_otherwise() -> None:
    """The data writes units in the plural: Hawijah was cleared in "barely 1 day", not "1 days"."""
    from tui.presentation.describe import amount_with_unit

    assert amount_with_unit(1, "days") == "1 day"
    assert amount_with_unit(14, "days") == "14 days"
    assert amount_with_unit(1, "people") == "1 person"
    assert amount_with_unit(1, "countries") == "1 country"
    assert amount_with_unit(1, "km²") == "1 km²" and amount_with_unit(1, "percent") == "1 percent"
    assert amount_with_unit(100_000, "km²") == "100,000 km²"
