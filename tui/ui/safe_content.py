"""Turning data text into something safe to put on screen."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from tui.presentation.safe_text import clean, clean_block


def plain(text: str, style: str = "") -> Content:
    """One line of data text as Content: never markup, controls made visible."""
    return Content.styled(clean(text), style) if style else Content(clean(text))


def plain_block(text: str, style: str = "") -> Content:
    """Data text that may span lines."""
    return Content.styled(clean_block(text), style) if style else Content(clean_block(text))


def rich_plain(text: str, style: str = "") -> Text:
    """For Tree labels and DataTable cells, which take Rich Text."""
    return Text(clean(text), style=style, no_wrap=True, end="")
