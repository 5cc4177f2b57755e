"""The main screen: region tree, detail pane and quote panel; owns the selection and the history.

State flows down: the screen holds the selection, the detail page and the quote cards as reactives,
and the tree, the detail pane and the quote panel are bound to them (`data_bind`) and draw them in
their watchers. Messages flow up: the tree's cursor moves and the pane's `LinkChosen`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Header, Tree

from tui.knowledge.region_index import RegionIndex
from tui.presentation.safe_text import for_display
from tui.ui.app_access import app_marks, explorer_app
from tui.ui.breakpoints import apply_breakpoints
from tui.ui.debounce import SETTLE_SECONDS, Settle
from tui.ui.history import Entry, History, Place
from tui.ui.messages import LinkChosen
from tui.ui.widgets.detail_pane import DetailPage, DetailPane
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree

TYPE_CHECKING = False  # the knowledge base's modules load after the first frame, not before
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.presentation.quote_card import QuoteCard

TREE_SETTLE_SECONDS = SETTLE_SECONDS
CLIPBOARD_NOTE = (
    "Some terminals and tmux block clipboard access; Ctrl+P → 'Write selected record to a file' always works."
)
LOADING_NOTE = "Loading the knowledge base…"


class ExplorerScreen(Screen[None]):
    """Holds the selection; the widgets below it only render what it hands them."""

    BINDINGS = [
        Binding("backspace,alt+left", "back", "Back", id="explorer.back"),
        Binding("alt+right", "forward", "Forward", show=False, id="explorer.forward"),
        Binding("left_square_bracket", "quote(-1)", "Previous assessment", show=False, id="explorer.previous-quote"),
        Binding("right_square_bracket", "quote(1)", "Next assessment", show=False, id="explorer.next-quote"),
        Binding("c", "copy", "Copy", tooltip="Copy the selected record as Markdown", id="explorer.copy"),
        Binding("M", "show_on_map", "Show on the map", show=False, id="explorer.map"),
        Binding("n", "app.search_result(1)", "Next search result", show=False, id="explorer.next-result"),
        Binding("N", "app.search_result(-1)", "Previous search result", show=False, id="explorer.previous-result"),
    ]

    # `var`, not `reactive`: a reactive on the screen repaints the whole screen when set (~28 KB a move)
    selection: var[Entry | None] = var(None, init=False)  # -> RegionTree.selection
    page: var[DetailPage] = var(DetailPage, init=False, always_update=True)  # -> DetailPane.page
    cards: var[Sequence[QuoteCard]] = var((), init=False, always_update=True)  # -> QuotePanel.cards
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # the app's marks -> every pane

    def __init__(self, regions: RegionIndex, kb: KnowledgeBase | None) -> None:
        super().__init__()
        self.regions = regions
        self.kb = kb  # None while the rest of the knowledge base loads in the background
        self.loading_note = LOADING_NOTE
        self.search_note: tuple[Entry, str] | None = None  # ("result 2/6") while that record is shown
        self.history = History()
        self.tree_settle = Settle(self, self.present)  # the detail follows where the tree cursor settles

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="panes"):
            yield RegionTree(self.regions, id="regions").data_bind(ExplorerScreen.selection, ExplorerScreen.marked)
            yield DetailPane(id="detail").data_bind(ExplorerScreen.page, ExplorerScreen.marked)
            yield QuotePanel(id="quotes").data_bind(ExplorerScreen.cards, ExplorerScreen.marked)
        yield Footer()

    def on_mount(self) -> None:
        apply_breakpoints(self)  # the first frame in the grid for this size, not stacked and then redrawn
        self.marked = app_marks(self)
        self.query_one(RegionTree).border_title = "Regions"
        self.query_one(RegionTree).focus()
        world = self.regions.world
        start = self.regions.start or (world.id if world else None)
        if start:
            self.history.visit(("regions", start))
            self.show_current()
        else:
            self.present()

    # -- what the panes show ---------------------------------------------------------------
    def present(self, place: Place | None = None) -> None:
        """Build the detail page and the quote cards for the selection, once; the panes draw them."""
        entry = self.selection
        visit = f"history {self.history.index + 1}/{len(self.history.visits)} · backspace: back" if entry else ""
        if self.search_note is not None and self.search_note[0] == entry:  # room for it: no backspace hint
            visit = f"{self.search_note[1]} · history {self.history.index + 1}/{len(self.history.visits)}"
        if entry is None:
            self.page = DetailPage(subtitle=visit)
            self.cards = ()
        elif self.kb is None:  # only the tree is here yet
            self.page = DetailPage(message=self.loading_note, title="Loading", subtitle=visit)
            self.cards = ()
        else:
            from tui.presentation.describe import describe  # with the knowledge base: after the first frame
            from tui.presentation.quote_card import quote_cards

            record = self.kb.get(*entry)
            title = record.LABEL if record else "Detail"
            self.page = DetailPage(describe(self.kb, *entry), title=title, subtitle=visit, place=place)
            self.cards = quote_cards(self.kb, *entry)

    def show_search_note(self, entry: Entry, note: str) -> None:
        """Say in the detail border which search result the open record is ("result 2/6 · n/N")."""
        self.search_note = (entry, note)
        if self.selection == entry:
            self.present()

    def set_kb(self, kb: KnowledgeBase) -> None:
        """The whole knowledge base has arrived: show the selection in full."""
        self.kb = kb
        self.present()

    def show_progress(self, note: str) -> None:
        self.loading_note = note
        if self.kb is None and self.selection is not None:
            self.present()

    # -- navigation ------------------------------------------------------------------------
    def place_left(self) -> Place | None:
        """Where the user stands on the page being left, if the pane shows the selection by now."""
        outline = self.page.outline
        if outline is None or (outline.kind, outline.id) != self.selection:
            return None
        return self.query_one(DetailPane).place

    def show_current(self) -> None:
        """Show the history's current visit at once, where the user last stood on it."""
        visit = self.history.current
        if visit is None:
            return
        self.tree_settle.cancel()  # a tree move still settling must not replace it
        self.selection = visit.entry
        self.present(visit.place)

    def open(self, kind: str, record_id: str, from_view: str | None = None) -> None:
        """Open a record as a new place in the history (links, search, palette, views); opened from a
        view (`from_view`), Back returns to that view."""
        if self.kb is None or self.kb.get(kind, record_id) is None:
            return
        self.history.visit((kind, record_id), left_at=self.place_left(), from_view=from_view)
        self.show_current()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        """The user moved the tree cursor (the tree moves it silently itself): follow once it settles."""
        entry = ("regions", event.node.data) if event.node.data else None
        if entry is None or entry == self.selection:
            return
        self.history.browse(entry, left_at=self.place_left())
        self.selection = entry
        self.tree_settle.poke()

    def on_link_chosen(self, message: LinkChosen) -> None:
        self.open(message.link.kind, message.link.id)

    def action_back(self) -> None:
        """Back to the record before; from a record opened in a view, back to that view (over it)."""
        leaving = self.history.current
        if self.history.back(left_at=self.place_left()):
            self.show_current()
        if leaving is not None and leaving.from_view is not None:
            explorer_app(self).action_show_view(leaving.from_view)

    def mark_target(self) -> Entry | None:
        """What `m` marks: in the detail pane the chosen link's record, in the assessments panel the
        assessment shown, elsewhere (the tree) the record the detail pane shows."""
        focused = self.focused
        if isinstance(focused, (DetailPane, QuotePanel)):
            return focused.mark_target()
        return self.selection

    def action_show_on_map(self) -> None:
        """The selected region (or the place that shows it) on the map."""
        if self.selection is None or self.selection[0] != "regions" or self.kb is None:
            self.notify("Only regions are on the map: select a region first.", markup=False)
            return
        explorer_app(self).show_on_map(self.selection[1])

    def action_forward(self) -> None:
        if self.history.forward(left_at=self.place_left()):
            self.show_current()

    # -- quotes, copying -------------------------------------------------------------------
    def action_quote(self, delta: int) -> None:
        self.query_one(QuotePanel).step(delta)

    def selected_markdown(self) -> tuple[str, str] | None:
        """(what, markdown) for the current selection."""
        if self.selection is None or self.kb is None:
            return None
        from tui.presentation.describe import describe
        from tui.presentation.outline_markdown import outline_to_markdown

        outline = describe(self.kb, *self.selection)
        if outline is None:
            return None
        record = self.kb.get(*self.selection)
        what = f"{record.LABEL} “{for_display(outline.title)[:60]}”" if record else "record"
        return what, outline_to_markdown(outline)

    def action_copy(self) -> None:
        found = self.selected_markdown()
        if found is None:
            self.notify("Nothing selected to copy.", severity="warning", markup=False)
            return
        what, markdown = found
        self.app.copy_to_clipboard(markdown)
        lines = markdown.count("\n")
        self.notify(
            f"Copied {what} as Markdown ({lines} lines, with citations). {CLIPBOARD_NOTE}",
            title="Copied",
            markup=False,
            timeout=8,
        )

    def selected_export(self, fmt: str) -> tuple[str, str] | None:
        """(what, file text) for the current selection in an export format (markdown, json, csv)."""
        if self.selection is None or self.kb is None:
            return None
        from tui.export.json_csv import FORMAT_NAMES, record_file_text  # only when asked: off the start-up path

        record = self.kb.get(*self.selection)
        text = record_file_text(self.kb, fmt, *self.selection)
        if record is None or text is None:
            return None
        return f"{record.LABEL} “{for_display(self.kb.name_of(record))[:60]}” as {FORMAT_NAMES[fmt]}", text

    def write_selected(self, directory: Path | None = None, export: str | None = None) -> Path | None:
        """Write the selection to a file in `directory` (default: the current one): the detail pane's
        Markdown, or with `export` the record in that export format."""
        found = self.selected_markdown() if export is None else self.selected_export(export)
        if found is None or self.selection is None:
            self.notify("Nothing selected to write.", severity="warning", markup=False)
            return None
        what, text = found
        kind, record_id = self.selection
        if export is None:
            ending = ".md"
        else:
            from tui.export.json_csv import RECORD_FILE_ENDINGS

            ending = RECORD_FILE_ENDINGS[export]
        path = (directory or Path.cwd()) / f"isis-explorer-{kind}-{record_id}{ending}"
        try:
            path.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror or exc}", severity="error", markup=False)
            return None
        self.notify(f"Wrote {what} to {path}", title="Written", markup=False, timeout=8)
        return path
