"""The shared shape of the table views: a title line, a table of records, a preview of the highlighted row.

What a view shows (columns, rows, title line, preview) comes from its `ViewRows` in
`tui/presentation/`, built without Textual; this module draws it. It fits the columns to the
terminal: short columns get the width they need, long text columns share what is left, and a cell
that does not fit ends in an ellipsis (the preview always shows the full text). Row keys are
"kind:id"; Enter on a row opens that record in the explorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import DataTable, Footer, Header, Static

from tui.marks.mark import GLYPH, Entry
from tui.presentation.view_rows import (
    CellValue,
    ColumnSpec,
    Preview,
    RowSpec,
    ViewRows,
    fit_widths,
    split_row_key,
)
from tui.ui.app_access import app_marks, explorer_app
from tui.ui.bindings import TABLE_KEYS
from tui.ui.debounce import Settle
from tui.ui.early_keys import HoldsEarlyKeys
from tui.ui.safe_content import plain, plain_block, rich_plain

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

Rows = TypeVar("Rows", bound=ViewRows)


def natural_widths(columns: Sequence[ColumnSpec], rows: Sequence[RowSpec]) -> list[int]:
    """The width each column needs to show its label and every (non-heading) cell in full."""
    widths = [cell_len(c.label) for c in columns]
    for row in rows:
        if row.heading:
            continue
        for i, value in enumerate(row.cells):
            if callable(value):  # drawn to fit: it needs what its column allows
                widths[i] = max(widths[i], columns[i].max_width or columns[i].min_width)
            else:
                widths[i] = max(widths[i], cell_len(value))
    return widths


GAP = 1  # blank cells on each side of a column's text; the table's own cell padding is 0


def fit_cell(value: CellValue, width: int, style: str = "", justify: str = "left") -> Text:
    """A cell's text in exactly `width` cells plus a gap each side, with an ellipsis when cut."""
    text = rich_plain(value(width) if callable(value) else value, style)
    text.truncate(width, overflow="ellipsis")
    if justify == "right":
        text.pad_left(width - text.cell_len)
    text.pad_right(width - text.cell_len)
    text.pad(GAP)
    return text


class Marks(Protocol):
    """Whatever knows, when a cell is drawn, which records are marked (the table)."""

    marked: frozenset[Entry]


class FittedCell:
    """A cell that is fitted to its column (`fit_cell`) only when drawn. The table measures every
    cell when rows are added; a fixed measure and a lazy drawing keep 20,000 rows from costing
    80,000 fitted texts up front, when only a screenful is ever drawn at once. A row's first cell
    also asks `marks` when drawn whether its record is marked, and then starts with the glyph: a
    mark redraws the rows on screen, where replacing the cell would make the table recount the
    offsets of all its rows (40 ms at 20,000)."""

    __slots__ = ("entry", "justify", "marks", "style", "value", "width")

    def __init__(
        self,
        value: CellValue,
        width: int,
        style: str = "",
        justify: str = "left",
        marks: tuple[Marks, Entry] | None = None,
    ) -> None:
        self.value, self.width, self.style, self.justify = value, width, style, justify
        self.marks: Marks | None = marks[0] if marks is not None else None
        self.entry: Entry | None = marks[1] if marks is not None else None

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width + 2 * GAP, self.width + 2 * GAP)

    def fitted(self) -> Text:
        marked = self.marks is not None and self.entry in self.marks.marked
        return fit_cell(with_mark(self.value) if marked else self.value, self.width, self.style, self.justify)

    @property
    def plain(self) -> str:
        """The text as drawn, like `Text.plain`."""
        return self.fitted().plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fitted()


def with_mark(value: CellValue) -> CellValue:
    """A first cell with the mark glyph before it (a bar drawn to fit keeps its width)."""
    if callable(value):
        return lambda width: f"{GLYPH} {value(max(0, width - 2))}"
    return f"{GLYPH} {value}"


def span_cells(value: str, widths: Sequence[int], style: str = "") -> list[Text | FittedCell]:
    """One text laid across all the columns (a heading row): cut into consecutive pieces, one per
    column, so it reads as a single line; an ellipsis if it does not fit the whole row."""
    total = sum(w + 2 * GAP for w in widths) - 2 * GAP
    whole = fit_cell(value, total, style)
    pieces: list[Text | FittedCell] = []
    start = 0
    for width in widths:
        pieces.append(whole[start : start + width + 2 * GAP])
        start += width + 2 * GAP
    return pieces


class RecordTable(DataTable[Text | FittedCell]):
    """Rows of records, one per line; columns refitted to the width whenever the table resizes."""

    BINDINGS = TABLE_KEYS
    DEFAULT_CSS = """
    RecordTable { height: 1fr; max-height: 100%; }
    RecordTable:nocolor > .datatable--cursor { text-style: reverse bold; }
    RecordTable:nocolor:focus > .datatable--cursor { text-style: reverse bold; }
    """

    def __init__(self, *, id: str | None = None, show_marks: bool = True) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=0)
        self.show_marks = show_marks  # False where every row is marked (the Marked view)
        self.column_specs: tuple[ColumnSpec, ...] = ()
        self.row_specs: tuple[RowSpec, ...] = ()
        self.rows_by_key: dict[str, RowSpec] = {}
        self.heading_rows: list[RowSpec] = []
        self.fitted_to: tuple[int, int] | None = None
        self.column_widths: list[int] = []

    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # bound to the view's: first cells get GLYPH

    def row_cells(self, row: RowSpec) -> list[Text | FittedCell]:
        """A row's cells fitted to the columns; a marked record's first cell (or heading) starts with
        the glyph (the first cell looks when drawn: see FittedCell)."""
        entry = (row.kind, row.id)
        if row.heading:
            heading = str(row.cells[0])
            marked = self.show_marks and entry in self.marked
            return span_cells(f"{GLYPH} {heading}" if marked else heading, self.column_widths, row.style)
        marks = (self, entry) if self.show_marks else None
        return [
            FittedCell(value, width, row.style, spec.justify, marks if i == 0 else None)
            for i, (value, width, spec) in enumerate(zip(row.cells, self.column_widths, self.column_specs, strict=True))
        ]

    def watch_marked(self, old: frozenset[Entry], new: frozenset[Entry]) -> None:
        """Draw the rows on screen again (first cells look up their mark when drawn); a heading whose
        mark changed (a measure in the Figures view) is made again, piece by piece."""
        changed = old ^ new
        if not changed or not self.show_marks or not self.column_specs or not self.columns:
            return
        self.notify_style_update()  # Textual's own way to drop the rows' rendered lines, then refresh
        for row in self.heading_rows:
            if (row.kind, row.id) in changed:
                for spec, cell in zip(self.column_specs, self.row_cells(row), strict=True):
                    self.update_cell(row.key, spec.key, cell)

    def set_records(self, columns: Sequence[ColumnSpec], rows: Sequence[RowSpec]) -> None:
        self.column_specs, self.row_specs = tuple(columns), tuple(rows)
        self.rows_by_key = {row.key: row for row in self.row_specs}
        self.heading_rows = [row for row in self.row_specs if row.heading]
        if self.size.width:  # before the first layout there is no width to fit: the Resize that
            self.refit(keep_cursor=False)  # follows fits the rows once, not twice

    def available_width(self) -> int:
        """Cells left for text once the gaps and a vertical scrollbar (if the rows overflow) are paid."""
        width = self.size.width - 2 * GAP * len(self.column_specs)
        if len(self.row_specs) + self.header_height > self.size.height:
            width -= self.styles.scrollbar_size_vertical
        return max(width, len(self.column_specs))

    def refit(self, keep_cursor: bool = True) -> None:
        if not self.column_specs:
            return
        current = self.highlighted_key() if keep_cursor else None
        self.fitted_to = (self.size.width, self.size.height)
        naturals = natural_widths(self.column_specs, self.row_specs)
        self.column_widths = fit_widths(self.column_specs, naturals, self.available_width())
        self.clear(columns=True)
        for spec, width in zip(self.column_specs, self.column_widths, strict=True):
            self.add_column(fit_cell(spec.label, width, "bold", spec.justify), width=width + 2 * GAP, key=spec.key)
        for row in self.row_specs:
            self.add_row(*self.row_cells(row), key=row.key)
        if current in self.rows_by_key:
            self.move_cursor(row=self.get_row_index(current), animate=False)

    def action_half_page(self, direction: int) -> None:
        """ctrl+d / ctrl+u: the cursor half a screen of rows down or up, as in less and vim."""
        if self.row_count:
            step = max(1, (self.scrollable_content_region.height - self.header_height) // 2)
            self.move_cursor(row=min(max(self.cursor_row + direction * step, 0), self.row_count - 1), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if (event.size.width, event.size.height) != self.fitted_to:
            self.refit()

    def highlighted_key(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def highlighted_row(self) -> RowSpec | None:
        key = self.highlighted_key()
        return self.rows_by_key.get(key) if key is not None else None


def preview_content(preview: Preview) -> Content:
    """A preview's lines as Content: each span's text cleaned (line breaks kept in a block), in its style."""
    out: list[Content] = []
    for spans in preview:
        pieces = [plain_block(s.text, s.style) if s.block else plain(s.text, s.style) for s in spans]
        content = pieces[0]
        for piece in pieces[1:]:
            content += piece
        out.append(content)
    return Content("\n").join(out)


class TableView(HoldsEarlyKeys, Generic[Rows]):
    """Header, title line, table, preview, footer. Subclasses say which `ViewRows` fill them."""

    VIEW_NAME = ""
    SHOWS_MARKS = True  # a marked record's first cell starts with the mark glyph
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # the app's marks -> the table
    BINDINGS = [
        Binding("escape,q", "app.show_view('explorer')", "Explorer", id="view.close"),
        Binding("shift+down", "scroll_preview(3)", "Scroll preview down", show=False, id="view.preview-down"),
        Binding("shift+up", "scroll_preview(-3)", "Scroll preview up", show=False, id="view.preview-up"),
    ]
    DEFAULT_CSS = """
    TableView { layout: vertical; }
    TableView #view-title { height: auto; max-height: 2; padding: 0 1; text-style: bold; }
    TableView #view-body { height: 1fr; layout: vertical; }
    TableView #preview-box { height: 35%; min-height: 4; border-top: solid $secondary; padding: 0 1; }
    TableView.-wide #view-body { layout: horizontal; }
    TableView.-wide RecordTable { width: 2fr; }
    TableView.-wide #preview-box { width: 1fr; height: 1fr; border-top: none; border-left: solid $secondary; }
    """

    def make_rows(self, kb: KnowledgeBase) -> Rows:
        """The view's rows, asked of `kb` (subclasses)."""
        raise NotImplementedError

    # -- shared ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="view-title", markup=False)
        with Container(id="view-body"):
            yield RecordTable(id="records", show_marks=self.SHOWS_MARKS).data_bind(TableView.marked)
            with VerticalScroll(id="preview-box", can_focus=False):
                yield Static(id="preview", markup=False)
        yield Footer()

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    def on_mount(self) -> None:
        kb = explorer_app(self).kb
        assert kb is not None, "views open once the knowledge base has loaded"
        self.view_rows: Rows = self.make_rows(kb)
        self.preview_settle = Settle(self, self.show_preview)
        self.marked = app_marks(self)
        self.reload()
        self.table.focus()
        self.replay_early_keys()

    def reload(self) -> None:
        """Rebuild the rows (after a filter change, say) and the title line."""
        self.table.set_records(self.view_rows.columns(), self.view_rows.rows())
        self.query_one("#view-title", Static).update(plain(self.view_rows.title_line()))
        self.show_preview()

    def show_preview(self) -> None:
        row = self.table.highlighted_row()
        shown = preview_content(self.view_rows.preview(row)) if row else plain("Nothing to show.")
        self.query_one("#preview", Static).update(shown)
        self.query_one("#preview-box", VerticalScroll).scroll_home(animate=False)

    def on_screen_resume(self) -> None:
        self.marked = app_marks(self)  # marks made while the view was hidden

    def mark_target(self) -> Entry | None:
        """What `m` marks: the record of the highlighted row."""
        row = self.table.highlighted_row()
        return (row.kind, row.id) if row is not None else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.preview_settle.poke()  # the preview follows where the cursor settles

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            explorer_app(self).open_record(*split_row_key(event.row_key.value), from_view=self.VIEW_NAME or None)

    def action_scroll_preview(self, lines_down: int) -> None:
        self.query_one("#preview-box", VerticalScroll).scroll_relative(y=lines_down, animate=False)
