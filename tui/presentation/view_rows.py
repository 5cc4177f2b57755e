"""What a table view shows, built without Textual: its columns, its rows, its title line and the
preview of the highlighted row. One `ViewRows` subclass per view (groups_rows, analysts_rows,
timeline_rows, figures_rows) asks the knowledge base; the screens in `tui/ui/screens/` turn cells
and previews into Content and fit the columns to the terminal.

Cells are plain strings (or a function that draws a cell for a given width, e.g. a bar), a row's
look is a style name ("bold"), a preview is lines of spans with a style name each: nothing here
knows how a terminal draws them, and no text here is markup.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

CellValue = str | Callable[[int], str]  # a callable draws the cell for a given width (bars)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column: `max_width=None` makes it grow into the width left over, shared by `weight`.
    Fixed columns receive width beyond their minimum in `priority` order (lower first)."""

    key: str
    label: str
    min_width: int = 4
    max_width: int | None = None
    weight: int = 1
    priority: int = 5
    justify: Literal["left", "right"] = "left"

    @property
    def grows(self) -> bool:
        return self.max_width is None


@dataclass(frozen=True, slots=True)
class RowSpec:
    """One row: the record it stands for and one value per column. In a heading row (e.g. a measure
    above its figures) the first value spans the whole row and the others are unused. `part` tells
    apart rows that stand for one record (a measure heads one row per scope of its figures)."""

    kind: str
    id: str
    cells: tuple[CellValue, ...]
    style: str = ""
    heading: bool = False
    part: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}" + (f"/{self.part}" if self.part else "")


def split_row_key(key: str) -> tuple[str, str]:
    """The record a row key stands for: "groups:isis" -> ("groups", "isis"); "measures:m/1" -> ("measures", "m")."""
    kind, _, record_id = key.partition(":")
    return kind, record_id.partition("/")[0]


def fit_widths(columns: Sequence[ColumnSpec], naturals: Sequence[int], available: int) -> list[int]:
    """Column widths that fill `available` cells: every column its minimum; then the fixed columns up
    to what they need, in priority order; then the growing columns, shared by weight, up to what they
    need; then whatever is left to the growing columns by weight. Too narrow: minimums (it scrolls)."""
    fixed_targets = [min(n, c.max_width or n) for c, n in zip(columns, naturals, strict=True)]
    widths = [min(c.min_width, t) for c, t in zip(columns, fixed_targets, strict=True)]
    room = available - sum(widths)
    for i in sorted((i for i, c in enumerate(columns) if not c.grows), key=lambda i: columns[i].priority):
        extra = max(0, min(room, fixed_targets[i] - widths[i]))
        widths[i] += extra
        room -= extra
    growing = [i for i, c in enumerate(columns) if c.grows]
    for capped in (True, False):
        while room > 0:
            open_ = [i for i in growing if not capped or widths[i] < naturals[i]]
            if not open_:
                break
            i = min(open_, key=lambda i: (widths[i] / columns[i].weight, columns[i].priority))
            widths[i] += 1
            room -= 1
    return widths


# -- previews -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a preview line: text in one style. Data text is one line (line breaks become
    spaces) unless `block`, which keeps its line breaks."""

    text: str
    style: str = ""
    block: bool = False


PreviewLine = tuple[Span, ...]
Preview = list[PreviewLine]


def line(text: str, style: str = "") -> PreviewLine:
    """One line of text in one style."""
    return (Span(text, style),)


def block(text: str) -> PreviewLine:
    """Text that keeps its line breaks (a quotation, say)."""
    return (Span(text, block=True),)


def labelled(label: str, text: str) -> PreviewLine:
    """`Label: text`, the label ours (bold), the text from the data (line breaks kept)."""
    return (Span(f"{label}: ", "bold"), Span(text, block=True))


def lines(*parts: PreviewLine | None) -> Preview:
    """Preview lines, skipping the absent ones."""
    return [p for p in parts if p is not None]


# -- a view -------------------------------------------------------------------------------------


class ViewRows(ABC):
    """The questions one table view asks the knowledge base. Holds the view's own state (e.g. the
    Groups view's kind filter), so a view keeps it between visits."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @abstractmethod
    def columns(self) -> list[ColumnSpec]:
        """The columns, left to right."""

    @abstractmethod
    def rows(self) -> list[RowSpec]:
        """The rows, in the order shown."""

    @abstractmethod
    def title_line(self) -> str:
        """What the line above the table says about the rows."""

    @abstractmethod
    def preview(self, row: RowSpec) -> Preview:
        """What the preview says about a row."""
