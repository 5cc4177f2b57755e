"""Every custom message of the UI, in one place: state flows down to the widgets, messages flow up.

Each is a dataclass (Textual's `Message` initialises itself in `__post_init__`); defined at module
level, a message `FooBar` is handled by `on_foo_bar`.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.presentation.outline import Link


@dataclass
class LinkChosen(Message):
    """The user followed a link in the detail pane (Enter, or a click)."""

    link: Link


@dataclass
class LoadProgress(Message):
    """How far background loading has got, as text for the loading screen or the detail pane.

    Only the newest matters: a pending one is replaced by the next instead of queueing behind it."""

    text: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress)
