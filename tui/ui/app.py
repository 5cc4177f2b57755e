"""The Textual application: wires the screens, the key bindings, the palette and the styles."""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tui.knowledge.region_index import RegionIndex
from tui.loading.problems import DataError
from tui.ui.daemon_thread import in_daemon_thread
from tui.ui.early_keys import KeyRoutes
from tui.ui.exit_on_signal import ExitOnSignal
from tui.ui.lazy_screens import (
    analysts_view,
    figures_view,
    groups_view,
    map_view,
    marked_view,
    palette_provider,
    timeline_view,
)
from tui.ui.messages import LoadProgress
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.loading_screen import LoadingScreen, progress_text
from tui.ui.screens.too_small_screen import TooSmallScreen, too_small
from tui.ui.search_commands import SearchCommands

TYPE_CHECKING = False  # the knowledge base's modules load after the first frame, not before
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.marks.mark import Entry
    from tui.ui.marks.marking import Marking, Opener
    from tui.ui.screens.help_screen import KeySection

Progress = Callable[[int, int], None]


class ExplorerApp(SearchCommands, App[int]):
    """isis-explorer: browse a cited knowledge base from the keyboard."""

    TITLE = "isis-explorer"
    CSS_PATH = "explorer.tcss"
    COMMANDS = App.COMMANDS | {
        palette_provider("RecordsProvider"),
        palette_provider("ViewsProvider"),
        palette_provider("ActionsProvider"),
    }
    SCREENS = {
        "groups": groups_view,
        "analysts": analysts_view,
        "timeline": timeline_view,
        "figures": figures_view,
        "map": map_view,
        "marked": marked_view,
    }
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (60, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-tiny"), (13, "-short"), (16, "-tall")]  # see explorer.tcss
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding(
            "ctrl+c", "interrupt", "Quit (in a text prompt: cancel it)", show=False, priority=True, id="app.quit-ctrl-c"
        ),
        Binding("ctrl+z", "suspend_process", "Suspend to the shell (fg returns)", show=False, id="app.suspend"),
        # priority: the dialog is pushed before the next key is dispatched, so it can take that key
        Binding("slash", "search", "Search", priority=True, id="app.search"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Command palette", show=False, id="app.palette"),
        Binding("1", "show_view('explorer')", "Regions (explorer)", show=False, id="view.explorer"),
        Binding("2", "show_view('groups')", "Groups view", show=False, id="view.groups"),
        Binding("3", "show_view('analysts')", "Analysts view", show=False, id="view.analysts"),
        Binding("4", "show_view('timeline')", "Timeline view", show=False, id="view.timeline"),
        Binding("5", "show_view('figures')", "Figures view", show=False, id="view.figures"),
        Binding("6", "show_view('map')", "Map view", show=False, id="view.map"),
        Binding("7", "show_view('marked')", "Marked view", show=False, id="view.marked"),
        Binding("m", "toggle_mark", "Mark", tooltip="Mark or unmark the selected record", id="app.mark"),
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
        ascii_only: bool = False,
        marks: Opener | None = None,
    ) -> None:
        """Give `kb`; or `regions` (drawn at once) and/or a `background` loader run in a thread.
        `ascii_only`: write ASCII only, for a terminal whose locale is not UTF-8 (ascii_output.py).
        `marks` opens the marks' book after the first frame (None: marks last until the app quits)."""
        # NO_COLOR: Textual picks its filter here, from the theme of the moment: a true-colour theme gets
        # Monochrome (greys), which at 16 colours become ANSI black on black when on_mount switches to
        # ansi-dark - every row unreadable. Native ANSI colours get NoColor instead: the terminal's own
        # foreground and background, rows told apart by attributes (reverse, bold, underline) alone.
        driver = None
        if ascii_only:
            from tui.ui.ascii_output import AsciiDriver

            driver = AsciiDriver
        super().__init__(driver_class=driver, ansi_color=True if "NO_COLOR" in os.environ else None)
        self.kb = kb
        self.regions = regions if regions is not None else kb.region_index() if kb is not None else None
        self.background = background
        self.loading_what = loading_what
        self.load_error: DataError | None = None  # set when background loading finds bad data
        self.notice: str | None = None  # e.g. why the cache could not be written
        self.chosen_theme = theme
        self.ascii_only = ascii_only  # the map draws its land in ASCII shades, not braille
        self.config_path: Path | None = None  # where "Save theme" writes; the command sets it
        self.started = False
        self.signal_exit = ExitOnSignal(self.exit_on_signal)  # see exit_on_signal.py
        self.last_query = ""  # the last search, shown selected when / reopens it
        self.search_results: list[tuple[str, str]] = []  # (kind, id) of the last search's results, for n/N
        self.result_at = -1  # which of them is open
        self.pending_view: str | None = None  # a view asked for while loading: opened when loaded
        self.key_routes = KeyRoutes()
        self.marks_opener = marks
        self.opened_marks: Marking | None = None
        self.marked: frozenset[Entry] = frozenset()  # handed down to every screen (marking.py)
        self.data_origin: Callable[[], tuple[str, str]] | None = None  # -> (the data, its hash): a briefing's header
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
        # SIGHUP (an SSH disconnect) and SIGTERM: restore the terminal and exit, gone within 1 s
        self.signal_exit.install(asyncio.get_running_loop())
        # Ctrl+Z then `fg`: Textual restores application mode but draws nothing until a widget changes
        self.app_resume_signal.subscribe(self, self.repaint_after_resume)
        if self.regions is None:
            self.push_screen(LoadingScreen())
        # Background work starts once the first frame is out, so it does not compete with it.
        if self.background is not None:
            self.call_after_refresh(self.run_worker, self.load, name="load", group="load")
        elif self.kb is not None:
            self.call_after_refresh(self.index_in_background, self.kb)
        self.call_after_refresh(lambda: self.marking)  # opens the marks' book, after the first frame
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

    async def on_event(self, event: events.Event) -> None:
        """Keys typed in one burst reach the screen in front, in order: see early_keys.py."""
        if isinstance(event, events.Key) and self.key_routes.reroute(self, event):
            return
        await super().on_event(event)

    def on_load_progress(self, message: LoadProgress) -> None:
        self.show_progress(message.text)

    def show_progress(self, text: str) -> None:
        """On the loading screen or the explorer, whichever is there, under any dialog (search) above."""
        for screen in self.screen_stack:
            if isinstance(screen, LoadingScreen):
                screen.show_progress(text)
            elif isinstance(screen, ExplorerScreen) and self.kb is None:
                screen.show_progress(text.replace("\n", "  "))

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
        self.marking.check_names(kb)
        if self.regions is None or any(isinstance(s, LoadingScreen) for s in self.screen_stack):
            from tui.ui.screens.search_screen import SearchScreen

            self.regions = kb.region_index()
            searching: SearchScreen | None = None
            while not isinstance(self.screen, LoadingScreen):  # help, search or too-small above it
                if isinstance(self.screen, SearchScreen) and not self.screen.closing:
                    searching = self.screen
                self.pop_screen()
            self.switch_screen(ExplorerScreen(self.regions, kb))
            if searching is not None:  # the query typed while loading is kept, and runs now
                self.open_search(searching.query_value, submit=searching.submit_pending)
            if too_small(self.size.width, self.size.height):
                self.push_screen(TooSmallScreen())
        else:
            self.explorer.set_kb(kb)
        if self.notice:
            self.notify(self.notice, severity="warning", markup=False)
        self.search_when_loaded(kb)
        if self.pending_view is not None:
            view, self.pending_view = self.pending_view, None
            if isinstance(self.screen, ExplorerScreen):
                self.call_after_refresh(self.action_show_view, view)

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

    def repaint_after_resume(self, _app: App[int]) -> None:
        """Back from Ctrl+Z (`fg`): the shell wrote over the screen, so draw all of it again."""
        self.refresh(layout=True)

    def action_interrupt(self) -> None:
        """Ctrl+C: in a text prompt (search, palette) cancel it as Escape does; elsewhere quit."""
        from textual.widgets import Input

        if isinstance(self.focused, Input) and self.screen.is_modal:
            self.simulate_key("escape")
        else:
            self.exit()

    def exit_on_signal(self, signum: int) -> None:
        self.exit(return_code=128 + signum)

    def on_unmount(self) -> None:
        self.signal_exit.uninstall()
        if self.opened_marks is not None:
            self.opened_marks.close()  # the last connection: SQLite folds its WAL back into the file

    @property
    def explorer(self) -> ExplorerScreen:
        return next(s for s in self.screen_stack if isinstance(s, ExplorerScreen))

    def open_record(self, kind: str, record_id: str, from_view: str | None = None) -> None:
        """Show a record in the explorer's detail pane, closing any view or dialog above it; opened from
        a view (`from_view`), Back in the explorer returns to it."""
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        self.explorer.open(kind, record_id, from_view)

    def show_on_map(self, region_id: str) -> None:
        """The Map view, with the place that shows this region selected."""
        from tui.ui.screens.map_view import MapView

        if self.still_loading():
            return
        self.action_show_view("map")
        view = self.screen
        region = self.kb.get("regions", region_id) if self.kb is not None else None
        if isinstance(view, MapView) and region is not None and self.kb is not None:
            view.show_place(region_id, self.kb.name_of(region))

    @property
    def marking(self) -> Marking:
        """The marks (tui/ui/marks/marking.py), opened when first needed."""
        if self.opened_marks is None:
            from tui.ui.marks.marking import Marking

            self.opened_marks = Marking(self, self.marks_opener)
            self.opened_marks.open()
        return self.opened_marks

    def action_toggle_mark(self) -> None:
        """m: mark or unmark the record selected on the screen in front (each screen's `mark_target`)."""
        if self.kb is None:
            self.notify("Still loading the knowledge base: marking works once it is in.", markup=False)
            return
        target = getattr(self.screen, "mark_target", None)
        self.marking.toggle(target() if callable(target) else None)

    def still_loading(self) -> bool:
        if self.kb is None:
            self.notify("Still loading the knowledge base: this opens when it is ready.", markup=False)
            return True
        return False

    def action_show_view(self, name: str) -> None:
        """Switch to one of SCREENS, or back to the explorer; each view keeps its state between visits.
        Asked for while loading, the view opens when the knowledge base is ready."""
        if name != "explorer" and self.still_loading():
            self.pending_view = name
            return
        self.pending_view = None
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        if name in self.SCREENS:
            self.push_screen(name)

    def key_sections(self) -> list[KeySection]:
        """Every key, by where it applies: the one list the help screen and the README show."""
        from tui.ui.marks.marked_view import MarkedView
        from tui.ui.screens.groups_view import GroupsView
        from tui.ui.screens.help_screen import HelpScreen
        from tui.ui.screens.map_view import MapView
        from tui.ui.screens.search_screen import SearchScreen
        from tui.ui.screens.table_view import RecordTable, TableView
        from tui.ui.widgets.detail_pane import DetailPane
        from tui.ui.widgets.map_canvas import MapCanvas
        from tui.ui.widgets.quote_panel import QuotePanel
        from tui.ui.widgets.region_tree import RegionTree

        return [
            ("Everywhere", self.BINDINGS),
            ("Explorer", ExplorerScreen.BINDINGS),
            ("Region tree", RegionTree.BINDINGS),
            ("Detail pane", DetailPane.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
            ("Assessments panel (Tab to it)", QuotePanel.BINDINGS),
            ("Groups, Analysts, Timeline and Figures views", [*TableView.BINDINGS, *RecordTable.BINDINGS]),
            ("Groups view", GroupsView.BINDINGS),
            ("Map view (Tab: between the map and the list)", [*MapView.BINDINGS, *MapCanvas.BINDINGS]),
            ("Marked view", MarkedView.BINDINGS),
            ("Help", HelpScreen.BINDINGS),
        ]

    def action_help(self) -> None:
        from tui.ui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections(), self.keymap))
