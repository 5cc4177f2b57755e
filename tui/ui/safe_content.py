"""Turning data text into something safe to put on screen, and as wide in the terminal as Rich
measures it (see `tui.presentation.safe_text`)."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from tui.presentation.safe_text import block_for_display, for_display


def plain(text: str, style: str = "") -> Content:
    """One line of data text as Content: never markup, controls made visible."""
    return Content.styled(for_display(text), style) if style else Content(for_display(text))


def plain_block(text: str, style: str = "") -> Content:
    """Data text that may span lines."""
    return Content.styled(block_for_display(text), style) if style else Content(block_for_display(text))


def rich_plain(text: str, style: str = "") -> Text:
    """For Tree labels and DataTable cells, which take Rich Text."""
    return Text(for_display(text), style=style, no_wrap=True, end="")
