"""The Textual application: wires the explorer screen, key bindings and styles."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from .model import KnowledgeBase
from .screens.explorer import ExplorerScreen


class ExplorerApp(App[int]):
    """isis-explorer: browse a cited knowledge base from the keyboard."""

    TITLE = "isis-explorer"
    CSS_PATH = "explorer.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__()
        self.kb = kb

    def on_mount(self) -> None:
        self.push_screen(ExplorerScreen(self.kb))
