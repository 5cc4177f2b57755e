"""Keys typed in one burst (a paste, an SSH packet, a fast typist) reach the screen in front, in order.

Textual sends a key to the focused widget of the top screen; it comes back to the app (bubbling) to
meet the bindings. Two ways a key of a burst would be lost:
- a key right behind one that pushed a screen (`/` the search dialog, `7` a view), dispatched before
  that screen is mounted and focused, would reach the bare screen: such a screen takes the keys
  (`take_key`) and applies them, in order, once it is ready (`HoldsEarlyKeys` replays them);
- a key sent to a widget before the key ahead of it changed the screen (`7` opening the Marked view,
  `e` opening the note dialog) comes back to the app with the new screen in front, where it would
  meet that screen's bindings unfocused: it is sent again, to the screen in front.
Ctrl+C keeps its binding.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.screen import Screen

KEYS_ON_THEIR_WAY = 256  # keys a widget consumes (an input's letters) never come back: forget old ones


@runtime_checkable
class TakesEarlyKeys(Protocol):
    """A screen that wants the keys arriving before it is ready (the search and note dialogs, the views)."""

    def take_key(self, event: events.Key) -> bool: ...


class KeyRoutes:
    """Which screen each key on its way was sent to (by id: a closed screen is not kept alive), and
    the keys waiting to be sent again. Those go in one release, in order, and any key that arrives
    meanwhile waits behind them: a burst that comes in two reads must not overtake its own start."""

    def __init__(self) -> None:
        self.sent_to: dict[int, int] = {}
        self.waiting: list[events.Key] = []
        self.ours: set[int] = set()  # ids of the keys this sent again: they go on as they come

    def reroute(self, app: App[Any], event: events.Key) -> bool:
        """True when the key was taken, or will be sent again: the app does nothing more with it now."""
        stack = app.screen_stack
        if event.key == "ctrl+c" or not stack:
            return False
        front = stack[-1]
        if not event.is_forwarded:
            if id(event) in self.ours:
                self.ours.discard(id(event))
            elif self.waiting:
                self.waiting.append(event)
                return True
            if isinstance(front, TakesEarlyKeys) and front.take_key(event):
                return True
            self.sent_to[id(event)] = id(front)
            if len(self.sent_to) > KEYS_ON_THEIR_WAY:
                del self.sent_to[next(iter(self.sent_to))]
            return False
        sent_to = self.sent_to.pop(id(event), None)
        if sent_to is None or sent_to == id(front):
            return False
        self.waiting.append(event)
        if len(self.waiting) == 1:
            app.call_later(self.release, app)
        return True

    def release(self, app: App[Any]) -> None:
        """Send the waiting keys again, in order, to whichever screen is in front when each comes."""
        waiting, self.waiting = self.waiting, []
        for event in waiting:
            again = events.Key(event.key, event.character)
            self.ours.add(id(again))
            app.post_message(again)


class HeldKeys:
    """Keys held for a screen that is not ready yet, released (posted to the app again, in order,
    ahead of any key that arrives later) once it is."""

    def __init__(self) -> None:
        self.keys: list[events.Key] | None = []

    def take(self, event: events.Key) -> bool:
        """Hold `event` (True) while the screen is not ready; False once it is."""
        if self.keys is None:
            return False
        self.keys.append(event)
        return True

    def hold_again(self) -> None:
        """The screen is closing: hold what comes until it is gone (then `release`), so keys typed
        behind the one that closed it reach the screen below, not the closing one."""
        if self.keys is None:
            self.keys = []

    def release(self, app: App[Any]) -> None:
        keys, self.keys = self.keys or [], None
        for event in keys:
            app.post_message(events.Key(event.key, event.character))


class HoldsEarlyKeys(Screen[None]):
    """A view that holds the keys arriving before it has mounted; its on_mount ends with
    `replay_early_keys()`."""

    @property
    def held_keys(self) -> HeldKeys:
        return self.__dict__.setdefault("held", HeldKeys())  # type: ignore[no-any-return]

    def take_key(self, event: events.Key) -> bool:
        return self.held_keys.take(event)

    def replay_early_keys(self) -> None:
        self.held_keys.release(self.app)
