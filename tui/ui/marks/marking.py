"""The app's side of marks: the book they are kept in, the set of marked records every screen draws
with the glyph, and the actions that change them (`m` anywhere, the Marked view, the palette).

The book is opened after the first frame (its SQLite file is not on the first paint's path). Every
change goes to the book at once, one transaction each (another terminal may be marking the same
data), and the marked set is then read back from it and handed down to the screens, whose widgets
redraw only the records whose mark changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from tui.knowledge.records import KINDS
from tui.marks.mark import GLYPH, Entry, Mark
from tui.marks.mark_book import MarkBook, MarksError
from tui.presentation.safe_text import for_display

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.ui.app import ExplorerApp

Opener = Callable[[], tuple[MarkBook, str | None]]
EXPORT_ENDINGS = {"markdown": ".md", "json": ".json", "csv": ".csv"}
EXPORT_NAMES = {"markdown": "a Markdown briefing", "json": "JSON", "csv": "CSV"}


def export_path(directory: Path, fmt: str, today: datetime.date) -> Path:
    """`isis-explorer-marked-2026-12-02.md`, or `...-2.md` and on when that exists: never overwrites."""
    stem, ending = f"isis-explorer-marked-{today.isoformat()}", EXPORT_ENDINGS[fmt]
    path, n = directory / f"{stem}{ending}", 2
    while path.exists():
        path, n = directory / f"{stem}-{n}{ending}", n + 1
    return path


class Marking:
    """Holds the book (None until opened) and the marked entries as last read from it."""

    def __init__(self, app: ExplorerApp, opener: Opener | None) -> None:
        self.app = app
        self.opener = opener
        self.book: MarkBook | None = None
        self.names_checked = False

    # -- opening, and handing the marks down -------------------------------------------------
    def open(self) -> None:
        """Open the book (a damaged one is moved aside by the book itself: its notice says so)."""
        if self.book is not None:
            return
        book, notice = self.opener() if self.opener is not None else (MarkBook.in_memory(), None)
        self.book = book
        if notice:
            self.app.notify(notice, title="Marks", severity="warning", markup=False, timeout=12)
        self.publish()
        if self.app.kb is not None:
            self.check_names(self.app.kb)

    def close(self) -> None:
        if self.book is not None:
            self.book.close()
            self.book = None

    def marks(self) -> list[Mark]:
        return self.book.marks() if self.book is not None else []

    def publish(self) -> None:
        """Read the marked set back from the book and hand it to every screen that draws it."""
        entries = self.book.entries() if self.book is not None else frozenset()
        app = self.app
        app.marked = entries
        app.sub_title = f"{GLYPH} {len(entries)} marked" if entries else ""
        for screen in app.screen_stack:
            if hasattr(screen, "marked"):
                screen.marked = entries

    def check_names(self, kb: KnowledgeBase) -> None:
        """With the data in: refresh each mark's last known name, and when the data changed since the
        last run say how many marked records it no longer has (they stay, shown as missing)."""
        if self.book is None or self.names_checked:
            return
        self.names_checked = True
        missing = 0
        try:
            for mark in self.book.marks():
                record = kb.get(mark.kind, mark.id) if mark.kind in KINDS else None
                if record is None:
                    missing += 1
                elif (name := kb.name_of(record)) != mark.name:
                    self.book.rename(mark.kind, mark.id, name)
        except MarksError as error:
            self.failed(error)
            return
        if missing and self.book.data_changed:
            self.app.notify(
                f"The data changed since the last run: {missing} marked record{'s are' if missing > 1 else ' is'} "
                "no longer in it, shown as missing in the Marked view (7).",
                title="Marks",
                markup=False,
                timeout=12,
            )

    def failed(self, error: MarksError) -> None:
        self.app.notify(str(error), title="Marks", severity="error", markup=False, timeout=10)

    # -- changing them -----------------------------------------------------------------------
    def name_for(self, entry: Entry) -> str | None:
        """The record's name as the data has it now; else the mark's last known name; else None."""
        kb = self.app.kb
        record = kb.get(*entry) if kb is not None and entry[0] in KINDS else None
        if record is not None and kb is not None:
            return kb.name_of(record)
        return next((m.name for m in self.marks() if m.entry == entry), None)

    def toggle(self, entry: Entry | None) -> bool | None:
        """Mark or unmark a record (and say which, briefly); None when nothing was done."""
        if self.book is None:
            self.open()
        name = self.name_for(entry) if entry is not None else None
        if entry is None or name is None or self.book is None:
            self.app.notify("Nothing selected to mark.", markup=False, timeout=3)
            return None
        try:
            now = self.book.toggle(*entry, name)
        except MarksError as error:
            self.failed(error)
            return None
        self.publish()
        count = len(self.app.marked)
        shown = for_display(name if len(name) <= 50 else name[:49] + "…")
        what = f"{GLYPH} Marked" if now else "Unmarked"
        self.app.notify(f"{what} “{shown}” · {count} marked · 7: the Marked view", markup=False, timeout=3)
        return now

    def change(self, action: Callable[[MarkBook], object]) -> bool:
        """Run one change on the book, then hand the new marks down; False (and a notice) if it failed."""
        if self.book is None:
            return False
        try:
            action(self.book)
        except MarksError as error:
            self.failed(error)
            return False
        self.publish()
        return True

    # -- exporting them ----------------------------------------------------------------------
    def export(self, fmt: str, directory: Path | None = None) -> None:
        """Write the marks as a briefing (markdown), JSON or CSV in `directory` (default: the current
        one), in a thread: hashing large data files for the briefing's header takes a moment."""
        kb, marks = self.app.kb, self.marks()
        if kb is None or not marks:
            self.app.notify("No marks to export: m marks the selected record.", markup=False)
            return
        self.app.run_worker(
            partial(self.write_export, kb, marks, fmt, directory or Path.cwd()),
            thread=True,
            name="export-marks",
            group="export-marks",
            exit_on_error=False,
        )

    def write_export(self, kb: KnowledgeBase, marks: Sequence[Mark], fmt: str, directory: Path) -> Path | None:
        """The file, as `export --marked` writes it (CSV with the BOM spreadsheets need)."""
        from tui.export.marked_export import marked_text

        today = datetime.date.today()
        drawn_from, digest = self.provenance() if fmt == "markdown" else ("", "")
        text = marked_text(kb, fmt, marks, drawn_from=drawn_from, digest=digest, written=today)
        path = export_path(directory, fmt, today)
        try:
            with open(path, "x", encoding="utf-8", newline="") as out:
                out.write(text)
        except OSError as exc:
            self.tell(f"Could not write {path}: {exc.strerror or exc}", "error")
            return None
        count = len(marks)
        self.tell(f"Wrote {count} marked record{'s' if count != 1 else ''} as {EXPORT_NAMES[fmt]} to {path}")
        return path

    def provenance(self) -> tuple[str, str]:
        """What the briefing says it was drawn from: the data, and a hash of its files' contents."""
        origin = self.app.data_origin
        if origin is None:
            return "data given to the app in memory (no files)", "none"
        from tui.loading.problems import DataError

        try:
            return origin()
        except (OSError, DataError) as exc:  # the files moved or went since the app read them
            return "the data the app read (its files can no longer be read)", f"unavailable ({type(exc).__name__})"

    def tell(self, text: str, severity: str = "information") -> None:
        """A notice from the export thread."""
        self.app.call_from_thread(
            partial(self.app.notify, text, title="Export", severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]
        )
