"""The breakpoint classes (`App.HORIZONTAL_BREAKPOINTS`, `VERTICAL_BREAKPOINTS`) for a size, as Textual
sets them on a screen when a Resize event reaches it.

Textual applies them only on that event, which comes after the first frame: the explorer's first frame
was drawn without them (the panes stacked, then laid out again in the grid: about 14 KB more written, and
a visible jump). A screen sets them itself when it mounts, so its first frame has its real layout.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def chosen(value: int, breakpoints: list[tuple[int, str]]) -> str | None:
    """The class of the largest breakpoint at or below `value`, as Textual picks it."""
    return next((name for limit, name in sorted(breakpoints, reverse=True) if value >= limit), None)


def breakpoint_classes(screen: Screen[Any]) -> dict[str, bool]:
    """Each breakpoint class of the screen (or the app), and whether the app's size selects it."""
    app = screen.app
    width, height = app.size
    horizontal = (
        app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS
    ) or []
    vertical = (app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS) or []
    on = {chosen(width, horizontal), chosen(height, vertical)}
    return {name: name in on for _, name in horizontal + vertical}


def apply_breakpoints(screen: Screen[Any]) -> None:
    """Set the screen's breakpoint classes for the app's size now (before its first frame)."""
    screen.update_classes(breakpoint_classes(screen), animate=False)
