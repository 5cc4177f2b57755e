"""The search dialog: type, see matching records of every kind, Enter opens one.

Dismisses with (kind, id) of the chosen record, or None. Data text reaches the screen only as
`Content` built from sanitised strings, never as markup.

Keys typed in one burst with the `/` that opened the dialog (a fast typist, a paste, an SSH link
that batches keys) reach the app before the query input is mounted and focused; Textual would hand
them to the bare screen and the app's bindings (letters lost, `q` quitting). The app gives such keys
to `take_key` instead; the dialog applies them, in order, once its input has focus. While the
knowledge base is still loading the dialog opens without an index; the query waits and runs (and
an Enter typed meanwhile opens the first result) when `set_index` brings it.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import var
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tui.knowledge.search_index import SearchHit, SearchIndex
from tui.knowledge.search_text import terms
from tui.marks.mark import GLYPH, Entry
from tui.presentation.safe_text import clean
from tui.ui.app_access import app_marks
from tui.ui.bindings import LIST_KEYS
from tui.ui.safe_content import plain
from tui.ui.widgets.clean_input import CleanInput, type_key
from tui.ui.widgets.cursor_list import CursorList

RESULT_LIMIT = 200
TITLE_WIDTH = 120  # longer titles (figures and assessments are titled by a sentence) are cut
SYNC_BUILD_LIMIT = 20_000  # records; a larger index is built in a thread while the dialog opens
MATCH_STYLE = "bold underline"  # on top of the text's own style


def _truncate(text: str, span: tuple[int, int] | None, width: int) -> tuple[str, tuple[int, int] | None]:
    if len(text) <= width:
        return text, span
    text = text[: width - 1] + "…"
    if span is not None:
        start, end = span[0], min(span[1], width - 1)
        span = (start, end) if start < end else None
    return text, span


def _marked(text: str, span: tuple[int, int] | None, style: str = "") -> Content:
    content = plain(text, style)
    if span is not None and 0 <= span[0] < span[1] <= len(text):
        content = content.stylize(MATCH_STYLE, *span)
    return content


def render_hit(hit: SearchHit, marked: bool = False) -> Content:
    """One result: the mark glyph when marked, the title, dim "· label", and on a second line an
    excerpt of what matched."""
    title_span = hit.span if hit.field == "name" else None
    title, title_span = _truncate(hit.title, title_span, TITLE_WIDTH)
    parts = [Content.styled(f"{GLYPH} ", "bold")] if marked else []
    parts += [_marked(title, title_span, "bold"), Content.styled(f" · {hit.label}", "dim")]
    if hit.close:
        parts.append(Content.styled(" · close match", "dim italic"))
    if hit.snippet:
        parts += [
            Content.styled(f"\n  {hit.field}: ", "dim italic"),
            _marked(hit.snippet, hit.span, "dim"),
        ]
    return Content.assemble(*parts)


def count_text(shown: int, query: str, more: bool, close: bool = False) -> str:
    if not query.strip():
        return "Type to search every record."
    words = terms(query)
    if words and max(len(word) for word in words) == 1:  # search_index: single letters start names
        return f"names starting with {words[0]!r}: {'none' if shown == 0 else shown}" + (
            " (first ones: type more)" if more else ""
        )
    if shown == 0:
        return "no match"
    if close:
        return "no exact match: 1 close match" if shown == 1 else f"no exact match: {shown} close matches"
    if more:
        return f"first {shown} results: type more to narrow"
    return "1 result" if shown == 1 else f"{shown} results"


class QueryInput(CleanInput):
    """The query: pasted text cleaned like data text (see clean_input.py)."""


class ResultList(CursorList):
    """The results; with focus, j/k and g/G move as in every other list, and m marks as everywhere
    (the app's own `m` does not reach into a dialog: Textual stops the binding chain at a modal)."""

    BINDINGS = [*LIST_KEYS, Binding("m", "app.toggle_mark", "Mark", show=False, id="app.mark")]


class SearchScreen(ModalScreen[tuple[str, str] | None]):
    """An Input over a list of results; Up/Down move through the results even while typing."""

    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("down", "move(1)", "Next result", show=False, id="search.next"),
        Binding("up", "move(-1)", "Previous result", show=False, id="search.previous"),
        Binding("pagedown", "page(1)", "Results page down", show=False, id="search.page-down"),
        Binding("pageup", "page(-1)", "Results page up", show=False, id="search.page-up"),
        Binding("ctrl+t", "app.toggle_mark", "Mark / unmark the highlighted result", show=False, id="search.mark"),
    ]
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # the app's marks: results show GLYPH

    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > #search-dialog {
        width: 90%; max-width: 100; height: 80%; min-height: 8;
        border: round $accent; background: $surface; padding: 0 1;
    }
    #search-dialog > #search-input { width: 1fr; }
    #search-dialog > #search-count { height: 1; color: $text-muted; padding: 0 1; }
    #search-dialog > #search-results { height: 1fr; border: none; padding: 0; }
    """

    def __init__(self, index: SearchIndex | None, query: str = "", *, submit: bool = False) -> None:
        """`index` None: the knowledge base is loading (see `set_index`). `query` is shown selected,
        so typing replaces it; `submit`: an Enter is already pending (carried over from a dialog
        that loading replaced)."""
        super().__init__()
        self.index = index
        self.initial_query = query
        self.hits: list[SearchHit] = []
        self.shown_query = ""  # the query that `hits` answer
        self.early_keys: list[events.Key] | None = []  # keys that came before the input had focus
        self.closing = False
        self.submit_pending = submit  # Enter before the index was ready: open the first result then

    @property
    def query_value(self) -> str:
        """The query as typed so far (the initial query until the input is mounted)."""
        inputs = self.query(QueryInput)
        return inputs.first().value if inputs else self.initial_query

    def take_key(self, event: events.Key) -> bool:
        """Keep a key that came before the input had focus (True), to apply it once it has."""
        if self.early_keys is None:
            return False
        self.early_keys.append(event)
        return True

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog") as dialog:
            dialog.border_title = "Search"
            dialog.border_subtitle = "Enter opens · ctrl+t marks · Esc closes"
            yield QueryInput(
                clean(self.initial_query), placeholder="Search every record…", id="search-input", select_on_focus=False
            )
            yield Static(Content(""), id="search-count")
            yield ResultList(id="search-results")

    def on_mount(self) -> None:
        self.marked = app_marks(self)
        if self.closing or not self.query(QueryInput):  # closed before it was mounted
            return
        query_input = self.query_one(QueryInput)
        query_input.select_all()  # the last query, selected: typing replaces it
        self.set_focus(query_input)  # at once: from here on the app delivers keys to the input
        early, self.early_keys = self.early_keys or [], None
        if self.index is None:
            self.query_one("#search-count", Static).update(Content("waiting for the knowledge base…"))
        else:
            self.prepare(self.index)
        for event in early:
            if not self.apply_early_key(event):
                break

    def set_index(self, index: SearchIndex) -> None:
        """The knowledge base has loaded: run the query typed meanwhile."""
        if self.index is None:
            self.index = index
            if self.is_mounted:
                self.prepare(index)

    def prepare(self, index: SearchIndex) -> None:
        if index.ready or sum(index.kb.counts().values()) <= SYNC_BUILD_LIMIT:
            index.build()
            self.index_ready()
        else:
            self.query_one("#search-count", Static).update(Content("indexing…"))
            self.call_after_refresh(self.start_build)

    def index_ready(self) -> None:
        self.update_results()
        if self.submit_pending:
            self.submit_pending = False
            self.open_highlighted()

    @property
    def ready(self) -> bool:
        return self.index is not None and self.index.ready

    def apply_early_key(self, event: events.Key) -> bool:
        """Do what the focused input and this dialog would have done with `event`; False once the
        dialog is closing (the keys after it are dropped, as they would have reached the closed dialog)."""
        if type_key(self.query_one(QueryInput), event):
            return True
        if event.key == "enter":
            self.submit()
            return not self.closing
        elif event.key == "escape":
            self.action_close()
            return False
        elif event.key in ("down", "up") and self.ready:
            self.update_results()
            self.action_move(1 if event.key == "down" else -1)
        return True

    def start_build(self) -> None:
        """Build the index in a thread once the dialog is on screen."""
        if self.index is not None:
            self.run_worker(self.index.build, thread=True, name="search-index", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "search-index":
            return
        if event.state == WorkerState.SUCCESS:
            self.index_ready()
        elif event.state == WorkerState.ERROR:
            self.query_one("#search-count", Static).update(Content("search is unavailable: indexing failed"))

    @on(Input.Changed, "#search-input")
    def on_query_changed(self) -> None:
        if self.ready:
            self.update_results()

    def update_results(self) -> None:
        if self.index is None:
            return
        query = self.query_one(Input).value
        found = self.index.search(query, RESULT_LIMIT + 1)
        more = len(found) > RESULT_LIMIT
        self.hits = found[:RESULT_LIMIT]
        self.shown_query = query
        results = self.query_one(OptionList)
        marked = self.marked
        results.set_options(Option(render_hit(hit, (hit.kind, hit.id) in marked)) for hit in self.hits)
        if self.hits:
            results.highlighted = 0
        close = bool(self.hits) and self.hits[0].close
        self.query_one("#search-count", Static).update(Content(count_text(len(self.hits), query, more, close)))

    def watch_marked(self, old: frozenset[Entry], new: frozenset[Entry]) -> None:
        """Redraw the results whose record's mark changed."""
        changed = old ^ new
        results = self.query(OptionList)
        for i, hit in enumerate(self.hits):
            if (hit.kind, hit.id) in changed and results and i < results.first().option_count:
                results.first().replace_option_prompt_at_index(i, render_hit(hit, (hit.kind, hit.id) in new))

    def mark_target(self) -> Entry | None:
        """What m (in the results) and ctrl+t mark: the highlighted result."""
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self.hits):
            hit = self.hits[highlighted]
            return (hit.kind, hit.id)
        return None

    # -- keys ---------------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.action_cursor_down() if delta > 0 else results.action_cursor_up()

    async def action_page(self, delta: int) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            await results.run_action("page_down" if delta > 0 else "page_up")

    def action_close(self) -> None:
        self.closing = True
        self.dismiss(None)

    @on(Input.Submitted, "#search-input")
    def submit(self) -> None:
        """Enter: open the highlighted result; before the index is ready, once it is."""
        if not self.ready:
            self.submit_pending = True
            return
        if self.query_value != self.shown_query:  # typed faster than Input.Changed arrived
            self.update_results()
        self.open_highlighted()

    def open_highlighted(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self.hits):
            self.open_hit(self.hits[highlighted])

    @on(OptionList.OptionSelected, "#search-results")
    def on_result_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.hits):
            self.open_hit(self.hits[event.option_index])

    def open_hit(self, hit: SearchHit) -> None:
        self.closing = True
        self.dismiss((hit.kind, hit.id))
