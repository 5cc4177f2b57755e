"""The main screen: region tree, detail pane and quote panel; owns the selection and the history."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header, Tree

from tui.knowledge.region_index import RegionIndex
from tui.presentation.safe_text import clean
from tui.ui.debounce import SETTLE_SECONDS, Settle
from tui.ui.history import Entry, History
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree

TYPE_CHECKING = False  # the knowledge base's modules load after the first frame, not before
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

TREE_SETTLE_SECONDS = SETTLE_SECONDS
CLIPBOARD_NOTE = (
    "Some terminals and tmux block clipboard access; Ctrl+P → 'Write selected record to a file' always works."
)


class ExplorerScreen(Screen):
    """Holds the selection; the widgets below it only render what it hands them."""

    BINDINGS = [
        Binding("backspace,alt+left", "back", "Back", id="explorer.back"),
        Binding("alt+right", "forward", "Forward", show=False, id="explorer.forward"),
        Binding("left_square_bracket", "quote(-1)", "Previous assessment", show=False, id="explorer.previous-quote"),
        Binding("right_square_bracket", "quote(1)", "Next assessment", show=False, id="explorer.next-quote"),
        Binding("c", "copy", "Copy", tooltip="Copy the selected record as Markdown", id="explorer.copy"),
        Binding("escape", "back", "Back", show=False, id="explorer.escape"),
    ]

    def __init__(self, regions: RegionIndex, kb: KnowledgeBase | None) -> None:
        super().__init__()
        self.regions = regions
        self.kb = kb  # None while the rest of the knowledge base loads in the background
        self.loading_note = "Loading the knowledge base…"
        self.history = History()
        self.selection: Entry | None = None
        self._browsing_tree = False  # consecutive tree moves replace one history entry
        self._tree_settle = Settle(self, self._settled)
        self._tree_ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="panes"):
            yield RegionTree(self.regions, id="regions")
            yield DetailPane(id="detail")
            yield QuotePanel(id="quotes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#regions").border_title = "Regions"
        self.query_one("#detail").border_title = "Detail"
        self.query_one(RegionTree).focus()

    # -- navigation ------------------------------------------------------------------------
    def set_kb(self, kb: KnowledgeBase) -> None:
        """The whole knowledge base has arrived: show the selection in full."""
        self.kb = kb
        if self.selection:
            self._show(self.selection, sync_tree=False)

    def show_progress(self, note: str) -> None:
        self.loading_note = note
        if self.kb is None:
            self.query_one(DetailPane).show_message(note)

    def open(self, kind: str, record_id: str) -> None:
        """Open a record as a new place in the history (links, search, palette, views)."""
        if self.kb is None or self.kb.get(kind, record_id) is None:
            return
        self._browsing_tree = False
        self.history.visit((kind, record_id))
        self._show((kind, record_id))

    def on_region_tree_ready(self, event: RegionTree.Ready) -> None:
        self._tree_ready = True
        if event.region_id and self.selection is None:
            self.history.visit(("regions", event.region_id))
            self._show(("regions", event.region_id), sync_tree=False)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        entry = ("regions", event.node.data) if event.node.data else None
        if not self._tree_ready or entry is None or entry == self.selection:  # settling, our sync, or old
            return
        self.history.visit(entry, replace=self._browsing_tree)
        self._browsing_tree = True
        self.selection = entry
        self._tree_settle.poke()  # the detail follows where the cursor settles

    def _settled(self) -> None:
        if self.selection and self.selection[0] == "regions" and self._browsing_tree:
            self._show(self.selection, sync_tree=False)

    def on_detail_pane_link_chosen(self, event: DetailPane.LinkChosen) -> None:
        self.open(event.link.kind, event.link.id)

    def action_back(self) -> None:
        entry = self.history.back()
        if entry:
            self._browsing_tree = False
            self._show(entry)

    def action_forward(self) -> None:
        entry = self.history.forward()
        if entry:
            self._browsing_tree = False
            self._show(entry)

    def _show(self, entry: Entry, sync_tree: bool = True) -> None:
        kind, record_id = entry
        self.selection = entry
        detail = self.query_one("#detail")
        if self.kb is None:  # only the tree is here yet
            self.query_one(DetailPane).show_message(self.loading_note)
            detail.border_title = "Loading"
        else:
            from tui.presentation.describe import describe  # with the knowledge base: after the first frame

            self.query_one(DetailPane).show(describe(self.kb, kind, record_id))
            self.query_one(QuotePanel).show(self.kb, self.kb.assessments_about(kind, record_id))
            record = self.kb.get(kind, record_id)
            detail.border_title = f"{record.LABEL}" if record else "Detail"
        steps = f"{self.history.index + 1}/{len(self.history.entries)}"
        detail.border_subtitle = f"history {steps} · backspace: back"
        tree = self.query_one(RegionTree)
        if sync_tree and kind == "regions" and (tree.cursor_node is None or tree.cursor_node.data != record_id):
            tree.select_region(record_id)

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
        what = f"{record.LABEL} “{clean(outline.title)[:60]}”" if record else "record"
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
        return f"{record.LABEL} “{clean(self.kb.name_of(record))[:60]}” as {FORMAT_NAMES[fmt]}", text

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
