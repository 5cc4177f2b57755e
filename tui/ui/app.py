"""The Textual application: wires the screens, the key bindings, the palette and the styles."""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tui.knowledge.region_index import RegionIndex
from tui.loading.problems import DataError
from tui.ui.daemon_thread import in_daemon_thread
from tui.ui.messages import LoadProgress
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.loading_screen import LoadingScreen, progress_text
from tui.ui.screens.too_small_screen import TooSmallScreen, too_small

TYPE_CHECKING = False  # the knowledge base's modules load after the first frame, not before
if TYPE_CHECKING:
    from textual.command import Provider

    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.ui.screens.help_screen import KeySection

Progress = Callable[[int, int], None]

# Views, search and the palette's providers are imported when first used, not at start-up: the
# app's SCREENS hold functions that import a view and make it; Textual calls one on the first
# push_screen(name) and keeps the view installed, so it keeps its state between visits.


def _groups_view() -> Screen[None]:
    from tui.ui.screens.groups_view import GroupsView

    return GroupsView()


def _analysts_view() -> Screen[None]:
    from tui.ui.screens.analysts_view import AnalystsView

    return AnalystsView()


def _timeline_view() -> Screen[None]:
    from tui.ui.screens.timeline_view import TimelineView

    return TimelineView()


def _figures_view() -> Screen[None]:
    from tui.ui.screens.figures_view import FiguresView

    return FiguresView()


def _provider(name: str) -> Callable[[], type[Provider]]:
    """A palette provider class, imported when the palette first opens."""

    def load() -> type[Provider]:
        from tui.ui import palette_providers

        provider: type[Provider] = getattr(palette_providers, name)
        return provider

    return load


class ExplorerApp(App[int]):
    """isis-explorer: browse a cited knowledge base from the keyboard."""

    TITLE = "isis-explorer"
    CSS_PATH = "explorer.tcss"
    COMMANDS = App.COMMANDS | {_provider("RecordsProvider"), _provider("ViewsProvider"), _provider("ActionsProvider")}
    SCREENS = {
        "groups": _groups_view,
        "analysts": _analysts_view,
        "timeline": _timeline_view,
        "figures": _figures_view,
    }
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (60, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.quit-ctrl-c"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Command palette", show=False, id="app.palette"),
        Binding("1", "show_view('explorer')", "Regions (explorer)", show=False, id="view.explorer"),
        Binding("2", "show_view('groups')", "Groups view", show=False, id="view.groups"),
        Binding("3", "show_view('analysts')", "Analysts view", show=False, id="view.analysts"),
        Binding("4", "show_view('timeline')", "Timeline view", show=False, id="view.timeline"),
        Binding("5", "show_view('figures')", "Figures view", show=False, id="view.figures"),
    ]

    def __init__(
        self,
        kb: KnowledgeBase | None = None,
        *,
        regions: RegionIndex | None = None,
        background: Callable[[Progress], KnowledgeBase] | None = None,
        loading_what: str = "Reading the data",
        keymap: dict[str, str] | None = None,
        theme: str | None = None,
    ) -> None:
        """Give `kb`; or `regions` (drawn at once) and/or a `background` loader run in a thread."""
        super().__init__()
        self.kb = kb
        self.regions = regions if regions is not None else kb.region_index() if kb is not None else None
        self.background = background
        self.loading_what = loading_what
        self.load_error: DataError | None = None  # set when background loading finds bad data
        self.notice: str | None = None  # e.g. why the cache could not be written
        self.chosen_theme = theme
        self.started = False
        self.keymap = dict(keymap or {})  # binding id -> keys, applied with Textual's keymap
        if self.keymap:
            self.set_keymap(self.keymap)

    def get_default_screen(self) -> Screen[None]:
        """With the region tree in hand, the explorer is the first screen itself: pushed over Textual's
        own empty default screen, it cost a second compose and layout before the first frame (~40 ms).
        The loading screen is pushed over the default screen, to be switched for the explorer later."""
        if self.regions is not None:
            return ExplorerScreen(self.regions, self.kb)
        return super().get_default_screen()

    def on_mount(self) -> None:
        if self.chosen_theme:
            self.theme = self.chosen_theme
        elif self.console.color_system in ("standard", "windows"):  # 16 colours: use the terminal's own
            self.theme = "ansi-dark"
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):  # an SSH disconnect: restore the terminal, exit
            loop.add_signal_handler(signum, self.exit_on_signal, signum)
        if self.regions is None:
            self.push_screen(LoadingScreen())
        # Background work starts once the first frame is out, so it does not compete with it.
        if self.background is not None:
            self.call_after_refresh(self.run_worker, self.load, name="load", group="load")
        elif self.kb is not None:
            self.call_after_refresh(self.index_in_background, self.kb)
        if self.notice:
            self.notify(self.notice, severity="warning", markup=False)
        self.started = True
        if too_small(self.size.width, self.size.height):
            self.push_screen(TooSmallScreen())

    # -- background loading ----------------------------------------------------------------
    async def load(self) -> None:
        """The loading worker: reads the knowledge base in a daemon thread (see daemon_thread.py), posts
        progress (each replacing the last one still queued) and shows the result."""
        background = self.background
        assert background is not None
        last = [0.0]

        def read(check: Callable[[], None]) -> KnowledgeBase:
            def progress(done: int, total: int) -> None:
                check()  # quitting: stop between files
                now = time.monotonic()
                if now - last[0] > 0.1:
                    last[0] = now
                    self.post_message(LoadProgress(progress_text(self.loading_what, done, total)))

            return background(progress)

        try:
            kb = await in_daemon_thread(read, name="load")
        except DataError as error:
            self.loading_failed(error)
            return
        except asyncio.CancelledError:
            # Quitting mid-load: the half-read data goes with the process. Frozen, it is left out of
            # the full collection the interpreter runs on exit (measured: 0.6-0.9 s of the exit in a
            # pty, about 0.03 s frozen), so hangup or q ends the process at once.
            gc.freeze()
            raise
        self.loaded(kb)

    def on_load_progress(self, message: LoadProgress) -> None:
        self.show_progress(message.text)

    def show_progress(self, text: str) -> None:
        if isinstance(self.screen, LoadingScreen):
            self.screen.show_progress(text)
        elif self.kb is None:
            self.explorer.show_progress(text.replace("\n", "  "))

    def index_in_background(self, kb: KnowledgeBase) -> None:
        """Build the search index now, so the first / does not wait for it (seconds at 130k records)."""
        self.run_worker(self.build_index(kb), name="search-index", group="search-index")

    async def build_index(self, kb: KnowledgeBase) -> None:
        """The index worker: builds in a daemon thread (see daemon_thread.py)."""
        from tui.knowledge.search_index import index_for

        index = index_for(kb)
        await in_daemon_thread(lambda check: index.build(), name="search-index")

    def loaded(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index_in_background(kb)
        if self.regions is None or any(isinstance(s, LoadingScreen) for s in self.screen_stack):
            self.regions = kb.region_index()
            while not isinstance(self.screen, LoadingScreen):  # help or too-small above it
                self.pop_screen()
            self.switch_screen(ExplorerScreen(self.regions, kb))
            if too_small(self.size.width, self.size.height):
                self.push_screen(TooSmallScreen())
        else:
            self.explorer.set_kb(kb)
        if self.notice:
            self.notify(self.notice, severity="warning", markup=False)

    def loading_failed(self, error: DataError) -> None:
        self.load_error = error
        self.exit(return_code=2)

    def on_resize(self, event: events.Resize) -> None:
        """Below the minimum size, say so instead of drawing squashed panes; no crash at any size."""
        if not self.started:  # on_mount checks the first size, above the first real screen
            return
        small = too_small(event.size.width, event.size.height)
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def exit_on_signal(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    @property
    def explorer(self) -> ExplorerScreen:
        return next(s for s in self.screen_stack if isinstance(s, ExplorerScreen))

    def open_record(self, kind: str, record_id: str) -> None:
        """Show a record in the explorer's detail pane, closing any view or dialog above it."""
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        self.explorer.open(kind, record_id)

    def still_loading(self) -> bool:
        if self.kb is None:
            self.notify("Still loading the knowledge base: search and views open when it is ready.", markup=False)
            return True
        return False

    def action_show_view(self, name: str) -> None:
        """Switch to one of SCREENS, or back to the explorer; each view keeps its state between visits."""
        if name != "explorer" and self.still_loading():
            return
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        if name in self.SCREENS:
            self.push_screen(name)

    def action_search(self) -> None:
        from tui.knowledge.search_index import index_for
        from tui.ui.screens.search_screen import SearchScreen

        kb = self.kb
        if isinstance(self.screen, SearchScreen) or self.still_loading() or kb is None:
            return

        def opened(result: tuple[str, str] | None) -> None:
            if result:
                self.open_record(*result)

        self.push_screen(SearchScreen(index_for(kb)), opened)

    def key_sections(self) -> list[KeySection]:
        """Every key, by where it applies: the one list the help screen and the README show."""
        from tui.ui.screens.groups_view import GroupsView
        from tui.ui.screens.search_screen import SearchScreen
        from tui.ui.screens.table_view import RecordTable, TableView
        from tui.ui.widgets.detail_pane import DetailPane
        from tui.ui.widgets.region_tree import RegionTree

        return [
            ("Everywhere", self.BINDINGS),
            ("Explorer", ExplorerScreen.BINDINGS),
            ("Region tree", RegionTree.BINDINGS),
            ("Detail pane", DetailPane.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
            (
                "Groups, Analysts, Timeline and Figures views",
                [*TableView.BINDINGS, *GroupsView.BINDINGS, *RecordTable.BINDINGS],
            ),
        ]

    def action_help(self) -> None:
        from tui.ui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections(), self.keymap))
