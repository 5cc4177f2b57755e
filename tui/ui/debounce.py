"""Run an update only once a burst of cursor moves has settled, so holding a key stays smooth."""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

SETTLE_SECONDS = 0.04


class Settle:
    """`poke()` (re)starts a short timer; the callback runs once the pokes stop for `delay`."""

    def __init__(self, owner: DOMNode, callback: Callable[[], object], delay: float = SETTLE_SECONDS) -> None:
        self.owner = owner
        self.callback = callback
        self.delay = delay
        self.timer: Timer | None = None

    def poke(self) -> None:
        self.cancel()
        self.timer = self.owner.set_timer(self.delay, self.fire)

    def cancel(self) -> None:
        """Forget a pending update (something else has just been shown at once)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def fire(self) -> None:
        self.timer = None
        self.callback()
