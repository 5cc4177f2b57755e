"""The Map view's list of places: one line per place, drawn only for the rows on screen.

A table widget builds every row up front (about 1 s for the 3,500 places of the reference data); this
list keeps the rows the screen gives it and draws the visible ones, so opening the map costs the same
for 15 places or 15,000. Moving the cursor posts `Highlighted`, Enter posts `Chosen`: the screen
decides what they mean. The cursor row is reversed, so it shows without colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.marks.mark import GLYPH, Entry
from tui.presentation.safe_text import for_display
from tui.ui.bindings import LIST_KEYS

Row = tuple[str, str, str, Callable[[], str]]  # (key, mark, place, groups: drawn when shown)


class PlaceList(ScrollView, can_focus=True):
    """Rows of `mark  place  groups`; a heading row has an empty key and cannot hold the cursor."""

    BINDINGS = [*LIST_KEYS, Binding("enter", "choose", "Open place", show=False, id="map.open")]
    COMPONENT_CLASSES = {"place-list--cursor", "place-list--heading", "place-list--header"}
    DEFAULT_CSS = """
    PlaceList { height: 1fr; }
    PlaceList > .place-list--cursor { text-style: reverse; }
    PlaceList:focus > .place-list--cursor { text-style: reverse bold; }
    PlaceList > .place-list--heading { text-style: bold; }
    PlaceList > .place-list--header { text-style: bold; }
    """
    MARK_WIDTH = 5
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # bound to the view's: GLYPH before the marker

    class Highlighted(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class Chosen(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.rows: Sequence[Row] = ()
        self.cursor = 0
        self.index: dict[str, int] = {}

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        self.index = {row[0]: i for i, row in enumerate(rows) if row[0]}
        self.cursor = 0
        self.virtual_size = Size(self.size.width, len(rows) + 1)  # + the header line
        self.refresh()

    @property
    def highlighted_key(self) -> str | None:
        return self.rows[self.cursor][0] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, key: str, *, announce: bool = False) -> None:
        """Put the cursor on the row of `key` (scrolled into view); announce it only when asked."""
        if key in self.index:
            self._move(self.index[key], announce)

    def _move(self, row: int, announce: bool = True) -> None:
        if not self.rows:
            return
        row = min(max(row, 0), len(self.rows) - 1)
        step = 1 if row >= self.cursor else -1
        while not self.rows[row][0] and 0 <= row + step < len(self.rows):  # skip the heading
            row += step
        old, self.cursor = self.cursor, row
        width = self.size.width
        for line in (old, row):
            self.refresh(Region(0, line + 1 - int(self.scroll_offset.y), width, 1))
        self.scroll_to_region(Region(0, row + 1, 1, 1), animate=False, spacing=None)
        if announce and self.rows[row][0]:
            self.post_message(self.Highlighted(self.rows[row][0]))

    # -- keys ------------------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.rows) - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + self._page())

    def action_page_up(self) -> None:
        self._move(self.cursor - self._page())

    def action_half_page(self, direction: int) -> None:
        self._move(self.cursor + direction * max(1, self._page() // 2))

    def action_choose(self) -> None:
        key = self.highlighted_key
        if key:
            self.post_message(self.Chosen(key))

    # -- drawing -------------------------------------------------------------------------------
    def _cells(self, text: str, width: int) -> str:
        """`text` made safe and fitted to exactly `width` cells, with an ellipsis when cut."""
        shown = for_display(text[: width * 2 + 2])  # no more than fits, even in narrow characters
        if cell_len(shown) > width:
            return set_cell_size(shown, max(0, width - 1)) + "…" if width else ""
        return set_cell_size(shown, width)

    def line_text(self, row: Row | None, width: int) -> str:
        mark_w = self.MARK_WIDTH
        rest = max(0, width - mark_w - 2)
        place_w = min(max(12, rest // 2), rest)
        groups_w = max(0, rest - place_w - 1)
        if row is None:
            return (
                " "
                + self._cells("Mark", mark_w)
                + self._cells("Place", place_w)
                + " "
                + self._cells("Groups", groups_w)
                + " "
            )
        key, mark, place, groups = row
        if not key:
            return " " + self._cells(mark, width - 2) + " "
        kind, _, record_id = key.partition(":")
        first = GLYPH if (kind, record_id) in self.marked else " "
        cells = self._cells(mark, mark_w) + self._cells(place, place_w) + " " + self._cells(groups(), groups_w)
        return first + cells + " "

    def watch_marked(self) -> None:
        self.refresh()  # the rows on screen only

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        line = y + int(self.scroll_offset.y)
        if line == 0:
            style = base + self.get_component_rich_style("place-list--header", partial=True)
            return Strip([Segment(self.line_text(None, width)[:width], style)], width)
        index = line - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if not row[0]:
            style += self.get_component_rich_style("place-list--heading", partial=True)
        if index == self.cursor:
            style += self.get_component_rich_style("place-list--cursor", partial=True)
        text = self.line_text(row, width)
        return Strip([Segment(text, style if style else Style())], width).crop(0, width)
