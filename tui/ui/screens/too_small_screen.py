"""Shown instead of the panes while the terminal is smaller than the explorer can use."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 40, 12


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """Goes away by itself when the terminal grows again; q and Ctrl+C still quit."""

    # A modal screen stops non-priority app bindings, so q must be bound here (same id: same keymap).
    BINDINGS = [Binding("q", "app.quit", "Quit", id="app.quit")]

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen > Static { width: 100%; height: auto; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content(f"Terminal too small: need {MIN_WIDTH}×{MIN_HEIGHT}."))
