"""The Marked view's two small dialogs: a one-line note, and a choice answered by one key (clear all
marks? export as what?).

Both take keys typed in one burst with the key that opened them (see early_keys.py): the note dialog
holds the keys that arrive before its input has focus and releases them, in order, once it has; the
choice dialog answers from the keys themselves. Keys typed behind the key that closes either one go
to the screen below once it is gone. So `e`, a note, Enter and `q` typed in one burst keep the note
and then close the view, as typed one at a time.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.marks.mark import NOTE_LIMIT
from tui.ui.early_keys import HeldKeys
from tui.ui.safe_content import plain
from tui.ui.widgets.clean_input import CleanInput

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 80; height: auto; border: round $accent; background: $surface; padding: 0 1;
}}
{name} Static {{ height: auto; }}
"""


class NoteInput(CleanInput):
    """The note's input. Enter and Escape close the dialog as they come, in order with the letters:
    Textual's own Enter would reach the input's binding only after bubbling to the app, by when letters
    typed behind it could be in the note. Keys that reach the input once it is closing are handed back
    to the dialog, for the screen below."""

    def on_key(self, event: events.Key) -> None:
        dialog = self.screen
        if not isinstance(dialog, NoteDialog):
            return
        if dialog.closing:
            event.prevent_default()  # not typed into a note that is already kept
            event.stop()
            dialog.held.take(event)
        elif event.key in ("enter", "escape"):
            event.prevent_default()
            event.stop()
            dialog.close(self.value if event.key == "enter" else None)


class NoteDialog(ModalScreen[str | None]):
    """A one-line note for a mark: Enter keeps it (empty removes the note), Escape leaves it as it was."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="NoteDialog")

    def __init__(self, name: str, note: str) -> None:
        super().__init__()
        self.record_name = name
        self.note = note
        self.held = HeldKeys()

    def take_key(self, event: events.Key) -> bool:
        return self.held.take(event)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Note"
            box.border_subtitle = "Enter keeps · Esc cancels"
            yield Static(Content.assemble("On: ", plain(self.record_name, "bold")))
            yield NoteInput(self.note, placeholder="A short note in your words…", max_length=NOTE_LIMIT)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(NoteInput))
        self.held.release(self.app)  # keys typed behind the `e` that opened it: into the note, in order

    def action_cancel(self) -> None:
        self.close(None)

    @property
    def closing(self) -> bool:
        return self.held.keys is not None and self.is_mounted

    def close(self, note: str | None) -> None:
        """Keep `note` (None: as it was); keys that come from now on wait for the screen below."""
        self.held.hold_again()
        self.dismiss(" ".join(note.split()) if note is not None else None)

    def on_unmount(self) -> None:
        self.held.release(self.app)  # what was typed behind Enter or Escape: to the screen below


class ChoiceDialog(ModalScreen[str | None]):
    """A question answered by one key: `choices` are (key, what it does, value returned); Escape (and
    any choice valued "") answers None. Every key reaches `take_key` while the dialog is on top
    (the app routes them), so the dialog needs no bindings and no key falls through to the screen."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog")

    def __init__(self, title: str, question: str, choices: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.choices = choices
        self.answered = False
        self.after: list[events.Key] = []  # keys behind the answer, for the screen below

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(plain(self.question))
            keys = " · ".join(f"{key}: {what}" for key, what, _ in self.choices)
            yield Static(Content.styled(f"{keys} · Esc: cancel", "bold"))

    def take_key(self, event: events.Key) -> bool:
        """Every key comes here while the dialog is up: a choice's key answers, the rest wait nowhere
        (dropped), so none reaches the screen below."""
        if self.answered:
            self.after.append(event)
            return True
        if event.key == "escape":
            self.answer("")
            return True
        for key, _, value in self.choices:
            if event.key == key or event.character == key:
                self.answer(value)
                return True
        return True

    def answer(self, value: str) -> None:
        self.answered = True
        self.dismiss(value or None)

    def on_unmount(self) -> None:
        for event in self.after:  # typed behind the answer: to the screen below, in order
            self.app.post_message(events.Key(event.key, event.character))
