"""A one-line input for the user's own text (a search query, a note on a mark).

Input draws its value as it is, so text pasted into it gets the same treatment as data text:
control characters made visible, bidi controls replaced (typed keys never carry them).
`type_key` applies a key that arrived before the input had focus (the search dialog).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tui.presentation.safe_text import clean


class CleanInput(Input):
    """An Input whose inserted and replaced text is cleaned first."""

    def insert(self, text: str, index: int) -> None:
        super().insert(clean(text), index)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(clean(text), start, end)


def type_key(field: Input, event: events.Key) -> bool:
    """Do what the focused input would do with a printable key or Backspace; False for other keys."""
    if event.is_printable and event.character is not None:
        selection = field.selection
        if selection.is_empty:
            field.insert_text_at_cursor(event.character)
        else:
            field.replace(event.character, *selection)
        return True
    if event.key == "backspace":
        field.action_delete_left()
        return True
    return False
