"""What the table views show, asked of the knowledge base without Textual (tui/presentation/*_rows.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.loading.loader import load
from tui.presentation.analysts_rows import AnalystsRows
from tui.presentation.figures_rows import FiguresRows
from tui.presentation.groups_rows import GroupsRows
from tui.presentation.timeline_rows import TimelineRows
from tui.presentation.view_rows import Preview, RowSpec, Span, ViewRows, split_row_key

ALL_ROWS: list[type[ViewRows]] = [GroupsRows, AnalystsRows, TimelineRows, FiguresRows]


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


def text_of(preview: Preview) -> str:
    return "\n".join("".join(span.text for span in line) for line in preview)


def row(rows: list[RowSpec], key: str) -> RowSpec:
    return next(r for r in rows if r.key == key)


def test_the_rows_are_built_without_textual_or_rich() -> None:
    """Every view's rows, title and previews, in a process that never imports Textual or Rich."""
    script = (
        "import sys\n"
        "from tui.loading.loader import load\n"
        "from tui.presentation import analysts_rows, figures_rows, groups_rows, timeline_rows\n"
        "kb = load()\n"
        "for cls in (groups_rows.GroupsRows, analysts_rows.AnalystsRows, timeline_rows.TimelineRows,"
        " figures_rows.FiguresRows):\n"
        "    view = cls(kb)\n"
        "    rows = view.rows()\n"
        "    assert rows and view.title_line() and all(view.preview(r) for r in rows)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("cls", ALL_ROWS)
def test_every_row_has_as_many_cells_as_columns_and_a_preview(bundled: KnowledgeBase, cls: type[ViewRows]) -> None:
    view = cls(bundled)
    columns, rows = view.columns(), view.rows()
    assert len({r.key for r in rows}) == len(rows)  # one row per record
    for r in rows:
        assert len(r.cells) == len(columns), r.key
        assert split_row_key(r.key) == (r.kind, r.id)
        preview = view.preview(r)
        assert preview and all(isinstance(span, Span) for line in preview for span in line)
    missing = view.preview(RowSpec(rows[0].kind, "no-such-record", rows[0].cells))
    assert text_of(missing) == "no-such-record"


def test_groups_filter_steps_through_the_kinds_present_and_back(bundled: KnowledgeBase) -> None:
    view = GroupsRows(bundled)
    assert len(view.rows()) == len(bundled.groups)
    assert view.title_line().startswith("Groups: all kinds (18 of 18)")
    view.cycle_kind_filter()
    assert [r.key for r in view.rows()] == ["groups:isis"]
    assert view.title_line().startswith("Groups: ISIS core only (1 of 18)")
    for _ in range(len({g.kind for g in bundled.groups})):
        view.cycle_kind_filter()
    assert view.kind_filter is None and len(view.rows()) == len(bundled.groups)


def test_groups_preview_names_the_regions_and_the_other_side(bundled: KnowledgeBase) -> None:
    view = GroupsRows(bundled)
    khorasan = row(view.rows(), "groups:isis-khorasan")
    assert khorasan.cells[1] == "branch" and "Afghanistan" in str(khorasan.cells[2])
    preview = view.preview(khorasan)
    assert preview[0] == (Span("ISIS-Khorasan", "bold"), Span(" (ISIS branches, our classification)"))
    assert "  Branch of: ISIS (" in text_of(preview)


def test_analysts_lists_reports_that_speak_and_quotes_what_they_said(bundled: KnowledgeBase) -> None:
    view = AnalystsRows(bundled)
    rows = view.rows()
    assert "sources:soufan-report" in {r.key for r in rows}
    said = [int(str(r.cells[2])) for r in rows]
    assert said == sorted(said, reverse=True)  # the most quoted first
    byman = view.preview(row(rows, "people:daniel-byman"))
    quotes = [line for line in byman if line[0].text.startswith("  “")]
    assert len(quotes) == 2 and all(line[0].block for line in quotes)  # a quotation keeps its line breaks


def test_timeline_lists_undated_events_last(bundled: KnowledgeBase) -> None:
    rows = TimelineRows(bundled).rows()
    precisions = [r.cells[1] for r in rows]
    first_unknown = precisions.index("unknown")
    assert set(precisions[first_unknown:]) == {"unknown"}


def test_figures_heading_rows_are_bold_and_bars_drawn_to_width(bundled: KnowledgeBase) -> None:
    view = FiguresRows(bundled)
    rows = view.rows()
    headings = [r for r in rows if r.heading]
    assert headings and all(r.kind == "measures" and r.style == "bold" for r in headings)
    figure = row(rows, "figures:foreign-fighters-analysts")
    chart = figure.cells[1]
    assert callable(chart) and all(len(chart(width)) == width for width in (3, 8, 16))
    assert "Competing estimates (the source sets them against this one) (1):" in text_of(view.preview(figure))


def test_data_text_reaches_the_screen_only_cleaned(write_kb) -> None:
    """The rows keep the data's own text; the screen cleans it when it turns a preview into Content."""
    from tui.ui.screens.table_view import preview_content

    kb = load(
        write_kb(hostile='events: [{id: hostile, name: "[b]x\\e[2J", date: 2001, summary: s, cite: article/p11}]\n')
    )
    view = TimelineRows(kb)
    preview = view.preview(row(view.rows(), "events:hostile"))
    assert preview[0] == (Span("[b]x\x1b[2J", "bold"),)
    shown = preview_content(preview)
    assert shown.plain.splitlines()[0] == "[b]x\u241b[2J" and "\x1b" not in shown.plain
