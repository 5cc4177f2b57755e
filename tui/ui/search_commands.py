"""The app's search commands: `/` opens the dialog (also while loading), `n`/`N` step through the
last results, and a search typed while loading runs once the data is in. A mixin of ExplorerApp,
which holds their state (`last_query`, `search_results`, `result_at`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.ui.screens.explorer_screen import ExplorerScreen


class SearchHost(Protocol):
    """What the search commands use of the app (ExplorerApp has it all)."""

    kb: KnowledgeBase | None
    last_query: str
    search_results: list[tuple[str, str]]
    result_at: int

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...
    @property
    def screen(self) -> Screen[object]: ...
    @property
    def explorer(self) -> ExplorerScreen: ...
    def push_screen(self, screen: Any, callback: Callable[[Any], None] | None = ...) -> Any: ...
    def open_record(self, kind: str, record_id: str, from_view: str | None = ...) -> None: ...
    def notify(self, message: str, *, markup: bool = ...) -> None: ...
    def open_search(self, query: str, *, submit: bool = ...) -> None: ...
    def open_result(self, kind: str, record_id: str) -> None: ...


class SearchCommands:
    """Methods of ExplorerApp, kept apart so the app's module stays about wiring."""

    def search_when_loaded(self: SearchHost, kb: KnowledgeBase) -> None:
        """A search opened while loading gets the index: its query runs now."""
        from tui.knowledge.search_index import index_for
        from tui.ui.screens.search_screen import SearchScreen

        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.set_index(index_for(kb))

    def action_search(self: SearchHost) -> None:
        """Open the search dialog at once, with the last query selected; while the knowledge base
        loads it opens too, and the query runs when the data is ready."""
        from tui.ui.screens.search_screen import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.open_search(self.last_query)

    def open_search(self: SearchHost, query: str, *, submit: bool = False) -> None:
        from tui.knowledge.search_index import index_for
        from tui.ui.screens.search_screen import SearchScreen

        kb = self.kb
        screen = SearchScreen(index_for(kb) if kb is not None else None, query, submit=submit)

        def opened(result: tuple[str, str] | None) -> None:
            self.last_query = screen.query_value
            if result:
                self.search_results = [(hit.kind, hit.id) for hit in screen.hits]
                self.result_at = self.search_results.index(result) if result in self.search_results else -1
                self.open_result(*result)

        self.push_screen(screen, opened)

    def open_result(self: SearchHost, kind: str, record_id: str) -> None:
        """Open a record from the last search's results, saying which one it is ("result 2/6")."""
        self.open_record(kind, record_id)
        if self.search_results and 0 <= self.result_at < len(self.search_results):
            note = f"result {self.result_at + 1}/{len(self.search_results)} · n/N"
            self.explorer.show_search_note((kind, record_id), note)

    def action_search_result(self: SearchHost, delta: int) -> None:
        """n / N: the next / previous result of the last search, without reopening the dialog."""
        if not self.search_results:
            self.notify("No search yet: / searches.", markup=False)
            return
        self.result_at = (self.result_at + delta) % len(self.search_results)
        self.open_result(*self.search_results[self.result_at])
