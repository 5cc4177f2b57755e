"""The Textual application: wires the screens, the key bindings, the palette and the styles."""

from __future__ import annotations

import asyncio
import signal

from textual.app import App
from textual.binding import Binding

from .commands import ActionsProvider, RecordsProvider, ViewsProvider
from .model import KnowledgeBase
from .model.search import index_for
from .screens.analysts_view import AnalystsView
from .screens.explorer import ExplorerScreen
from .screens.figures_view import FiguresView
from .screens.groups_view import GroupsView
from .screens.search import SearchScreen
from .screens.table_view import RecordTable, TableView
from .screens.timeline_view import TimelineView

VIEWS = {"groups": GroupsView, "analysts": AnalystsView, "timeline": TimelineView, "figures": FiguresView}


class ExplorerApp(App[int]):
    """isis-explorer: browse a cited knowledge base from the keyboard."""

    TITLE = "isis-explorer"
    CSS_PATH = "explorer.tcss"
    COMMANDS = App.COMMANDS | {RecordsProvider, ViewsProvider, ActionsProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (60, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.quit-ctrl-c"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Palette: jump to any record, switch view, write to file",
                show=False, id="app.palette"),
        Binding("1", "show_view('explorer')", "Regions (explorer)", show=False, id="view.explorer"),
        Binding("2", "show_view('groups')", "Groups view", show=False, id="view.groups"),
        Binding("3", "show_view('analysts')", "Analysts view", show=False, id="view.analysts"),
        Binding("4", "show_view('timeline')", "Timeline view", show=False, id="view.timeline"),
        Binding("5", "show_view('figures')", "Figures view", show=False, id="view.figures"),
    ]

    def __init__(self, kb: KnowledgeBase, keymap: dict[str, str] | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.kb = kb
        self.chosen_theme = theme
        self.keymap = dict(keymap or {})  # binding id -> keys, applied with Textual's keymap
        if self.keymap:
            self.set_keymap(self.keymap)

    def on_mount(self) -> None:
        if self.chosen_theme:
            self.theme = self.chosen_theme
        elif self.console.color_system in ("standard", "windows"):  # 16 colours: use the terminal's own
            self.theme = "ansi-dark"
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):  # an SSH disconnect: restore the terminal, exit
            loop.add_signal_handler(signum, self.exit_on_signal, signum)
        self.push_screen(ExplorerScreen(self.kb))

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

    def action_show_view(self, name: str) -> None:
        """Switch to one of VIEWS, or back to the explorer; each view keeps its state between visits."""
        while not isinstance(self.screen, ExplorerScreen):
            self.pop_screen()
        if name in VIEWS:
            if not self.is_screen_installed(name):
                self.install_screen(VIEWS[name](), name=name)
            self.push_screen(name)

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            return

        def opened(result: tuple[str, str] | None) -> None:
            if result:
                self.open_record(*result)

        self.push_screen(SearchScreen(index_for(self.kb)), opened)

    def key_sections(self):
        """Every key, by where it applies: the one list the help screen and the README show."""
        from .widgets.detail import DetailPane
        from .widgets.region_tree import RegionTree

        return [
            ("Everywhere", self.BINDINGS),
            ("Explorer", ExplorerScreen.BINDINGS),
            ("Region tree", RegionTree.BINDINGS),
            ("Detail pane", DetailPane.BINDINGS),
            ("Search", SearchScreen.BINDINGS),
            ("Groups, Analysts, Timeline and Figures views", [*TableView.BINDINGS, *GroupsView.BINDINGS, *RecordTable.BINDINGS]),
        ]

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections(), self.keymap))
