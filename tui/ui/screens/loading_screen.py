"""Shown while a large knowledge base is read for the first time: what is happening and how far."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.presentation.safe_text import clean

BAR_WIDTH = 30


def progress_text(what: str, done: int, total: int) -> str:
    """e.g. `Reading /data … 45%  █████████████░░░░░░░░░░░░░░░░░  (40.1 of 89.5 MB)` - no colour needed."""
    share = done / total if total else 0.0
    filled = round(share * BAR_WIDTH)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return f"{clean(what)} {share:4.0%}\n{bar}\n{done / 1e6:,.1f} of {total / 1e6:,.1f} MB"


class LoadingScreen(Screen[None]):
    """Keys still work here: q quits, ? shows help."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static(Content("Loading the knowledge base…"), id="loading-text")
        yield Footer()

    def show_progress(self, text: str) -> None:
        self.query_one("#loading-text", Static).update(Content(text))
