"""The tests' only reach into Textual's private attributes, kept here so a Textual upgrade that
renames them breaks one file. Each is needed because Textual offers no public way to see it:

- what the screen shows as plain text, cell for cell (`export_screenshot` gives SVG with the text
  split into styled runs, not lines of cells);
- what Textual would write to the terminal (control bytes must never reach it);
- a terminal resize posted without waiting for it (`pilot.resize_terminal` waits, a storm must not);
- the notifications shown.
"""

from __future__ import annotations

from textual.app import App
from textual.geometry import Size


def screen_text(app: App) -> str:
    """The current screen as lines of text, as the compositor composed it."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def terminal_output(app: App) -> str:
    """What Textual would write to the terminal to draw the current screen (and those below it),
    SGR and cursor moves included."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


def set_driver_size(app: App, size: Size) -> None:
    """Make the (headless) driver report `size`, as a terminal resize does before its Resize event."""
    app._driver._size = size


def notification_messages(app: App) -> list[str]:
    return [n.message for n in app._notifications]
