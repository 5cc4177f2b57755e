"""A typed handle on the running app for screens, widgets and palette providers.

`self.app` is typed as Textual's `App`; the explorer's own attributes (the knowledge base, the
keymap, `open_record`) need the subclass. Importing `ExplorerApp` at run time would be a cycle
(the app imports its screens), so the type is imported for the checker only, as posting does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tui.ui.app import ExplorerApp


def explorer_app(node: DOMNode) -> ExplorerApp:
    """The `ExplorerApp` that `node` belongs to."""
    return cast("ExplorerApp", node.app)


def app_marks(node: DOMNode) -> frozenset[tuple[str, str]]:
    """The records marked in the app `node` belongs to (none in a test harness that is not the explorer)."""
    marked: frozenset[tuple[str, str]] = getattr(node.app, "marked", frozenset())
    return marked
