"""The Marked view: the records the user marked, in their order, with kind, name, note and citation.

Enter opens a record (Back returns here); `e` writes its note, `d` unmarks it, shift+up/down move it
in the order, `x` exports the marks (a Markdown briefing, JSON or CSV), `D` clears them all after
asking. The rows are read from the book each time the view shows, so marks made in another terminal
on the same data appear too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui.presentation.marked_rows import MarkedRows
from tui.ui.app_access import explorer_app
from tui.ui.marks.dialogs import ChoiceDialog, NoteDialog
from tui.ui.screens.table_view import TableView

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.marks.mark import Mark

EXPORT_CHOICES = [
    ("m", "Markdown briefing", "markdown"),
    ("j", "JSON", "json"),
    ("c", "CSV", "csv"),
]


class MarkedView(TableView[MarkedRows]):
    """The rows of `MarkedRows`, refreshed from the book on every visit and after every change."""

    VIEW_NAME = "marked"
    TITLE = "Marked"
    SHOWS_MARKS = False  # every row is marked
    BINDINGS = [
        Binding("e", "edit_note", "Note", id="marked.note"),
        Binding("d,delete", "unmark", "Unmark", id="marked.unmark"),
        Binding("shift+up", "move(-1)", "Move up", show=False, id="marked.move-up"),
        Binding("shift+down", "move(1)", "Move down", show=False, id="marked.move-down"),
        Binding("x", "export", "Export", id="marked.export"),
        Binding("D", "clear", "Clear all", show=False, id="marked.clear"),
    ]

    def make_rows(self, kb: KnowledgeBase) -> MarkedRows:
        return MarkedRows(kb, explorer_app(self).marking.marks())

    def reload(self) -> None:
        """Fresh rows from the book; the cursor stays on its mark (moved, noted), else on its line
        (the mark below an unmarked one)."""
        table = self.table
        key, line = table.highlighted_key(), table.cursor_row
        self.view_rows.marks = explorer_app(self).marking.marks()
        super().reload()
        if table.row_count:
            row = table.get_row_index(key) if key is not None and key in table.rows_by_key else line
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)

    def on_screen_resume(self) -> None:
        """Each visit (TableView's handler, called after this one, takes the marked set too)."""
        if hasattr(self, "view_rows"):
            self.reload()

    def watch_marked(self) -> None:
        """Marked or unmarked with `m` here: the rows follow."""
        if hasattr(self, "view_rows") and {m.entry for m in self.view_rows.marks} != self.marked:
            self.reload()

    def highlighted_mark(self) -> Mark | None:
        if not hasattr(self, "view_rows"):  # not mounted yet
            return None
        row = self.table.highlighted_row()
        return self.view_rows.mark_of(row) if row is not None else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter: open the record as every view does (Back returns here); a missing one cannot be."""
        mark = self.highlighted_mark()
        if mark is not None and self.view_rows.record(mark) is None:
            event.stop()
            event.prevent_default()  # TableView's handler would try to open it
            self.notify("That record is no longer in the data: d removes the mark.", markup=False)

    # -- actions -----------------------------------------------------------------------------
    def action_edit_note(self) -> None:
        mark = self.highlighted_mark()
        if mark is None:
            return

        def keep(note: str | None) -> None:
            if note is not None:
                explorer_app(self).marking.change(lambda book: book.set_note(mark.kind, mark.id, note))
                self.reload()

        self.app.push_screen(NoteDialog(mark.name, mark.note), keep)

    def action_unmark(self) -> None:
        mark = self.highlighted_mark()
        if mark is not None:
            explorer_app(self).marking.change(lambda book: book.unmark(mark.kind, mark.id))
            self.reload()

    def action_move(self, delta: int) -> None:
        mark = self.highlighted_mark()
        if mark is not None:
            explorer_app(self).marking.change(lambda book: book.move(mark.kind, mark.id, delta))
            self.reload()  # the cursor stays on the mark (the table keeps its row key)

    def action_export(self) -> None:
        count = len(self.view_rows.marks) if hasattr(self, "view_rows") else 0
        if not count:
            self.notify("No marks to export: m marks the selected record.", markup=False)
            return

        def chosen(fmt: str | None) -> None:
            if fmt:
                explorer_app(self).marking.export(fmt)

        records = f"{count} marked record{'s' if count != 1 else ''}"
        question = f"Export the {records}, in your order, to the current directory as:"
        self.app.push_screen(ChoiceDialog("Export marks", question, EXPORT_CHOICES), chosen)

    def action_clear(self) -> None:
        count = len(self.view_rows.marks) if hasattr(self, "view_rows") else 0
        if not count:
            return

        def chosen(answer: str | None) -> None:
            if answer == "yes":
                explorer_app(self).marking.change(lambda book: book.clear())
                self.reload()

        notes = sum(1 for m in self.view_rows.marks if m.note)
        with_notes = f" and {notes} note{'s' if notes != 1 else ''}" if notes else ""
        question = f"Remove all {count} mark{'s' if count != 1 else ''}{with_notes}? This cannot be undone."
        self.app.push_screen(ChoiceDialog("Clear all marks", question, [("y", "remove them all", "yes")]), chosen)
