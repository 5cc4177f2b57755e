"""The Marked view's rows: the records the user marked, in their order, with kind, name, note and
citation; a mark whose record has left the data is shown as missing, under its last known name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.knowledge.records import KINDS
from tui.marks.mark import GLYPH, Mark
from tui.presentation.source_voice import cite_text
from tui.presentation.view_rows import ColumnSpec, Preview, RowSpec, Span, ViewRows, labelled, line, lines

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.knowledge.records import Record

MISSING = "missing"
KEYS_LINE = "Enter: open · e: note · d: unmark · shift+↑/↓: move · x: export · D: clear all"
NO_MARKS = (
    f"No marks yet. Press m on a record to mark it ({GLYPH}): in the tree, on a link in the detail pane, "
    "in the assessments panel, in search results (ctrl+t), in every view and on the map."
)


def kind_label(kind: str) -> str:
    """`group`, `assessment`: a kind's singular label; an unknown kind (a damaged mark) as it is."""
    cls = KINDS.get(kind)
    return cls.LABEL if cls is not None else kind


class MarkedRows(ViewRows):
    """`marks` are the book's, in order; the screen hands in fresh ones after every change."""

    def __init__(self, kb: KnowledgeBase, marks: Sequence[Mark] = ()) -> None:
        super().__init__(kb)
        self.marks: Sequence[Mark] = marks

    def record(self, mark: Mark) -> Record | None:
        return self.kb.get(mark.kind, mark.id) if mark.kind in KINDS else None

    def missing(self) -> list[Mark]:
        return [m for m in self.marks if self.record(m) is None]

    def mark_of(self, row: RowSpec) -> Mark | None:
        return next((m for m in self.marks if m.entry == (row.kind, row.id)), None)

    # -- ViewRows ----------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("n", "#", min_width=2, max_width=3, priority=1, justify="right"),
            ColumnSpec("kind", "Kind", min_width=5, max_width=12, priority=2),
            ColumnSpec("name", "Record", min_width=14, weight=2),
            ColumnSpec("note", "Note", min_width=10, weight=3),  # the user's words: this view's point
            ColumnSpec("cite", "Cited", min_width=6, max_width=40, priority=4),
        ]

    def rows(self) -> list[RowSpec]:
        out = []
        for n, mark in enumerate(self.marks, 1):
            record = self.record(mark)
            name = self.kb.name_of(record) if record is not None else f"{mark.name} ({MISSING})"
            cite = cite_text(record.cite) if record is not None else "—"
            style = "" if record is not None else "italic"
            out.append(RowSpec(mark.kind, mark.id, (str(n), kind_label(mark.kind), name, mark.note, cite), style))
        return out

    def title_line(self) -> str:
        if not self.marks:
            return NO_MARKS
        count = len(self.marks)
        gone = len(self.missing())
        missing = f", {gone} no longer in the data" if gone else ""
        return f"Marked: {count} record{'s' if count != 1 else ''} in your order{missing} · {KEYS_LINE}"

    def preview(self, row: RowSpec) -> Preview:
        mark = self.mark_of(row)
        if mark is None:
            return lines(line(row.id))
        record = self.record(mark)
        name = self.kb.name_of(record) if record is not None else mark.name
        summary = getattr(record, "summary", None) if record is not None else None
        return lines(
            (Span(f"{GLYPH} ", "bold"), Span(name, "bold"), Span(f" ({kind_label(mark.kind)})")),
            labelled("Your note", mark.note) if mark.note else line("No note: e writes one.", "italic"),
            line(f"Cited: {cite_text(record.cite)}") if record is not None else None,
            labelled("Summary", summary) if isinstance(summary, str) and summary else None,
            line(
                f"Not in the data any more (renamed or removed); last known as this name, id {mark.id}. "
                "d removes the mark.",
                "bold",
            )
            if record is None
            else None,
        )
