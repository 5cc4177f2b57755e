"""What the app imports only when first used: the four table views and the palette's providers.

Kept out of the first frame's imports (tests/test_views.py checks no view module comes with the app).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen


# Views, search and the palette's providers are imported when first used, not at start-up: the
# app's SCREENS hold functions that import a view and make it; Textual calls one on the first
# push_screen(name) and keeps the view installed, so it keeps its state between visits.


def groups_view() -> Screen[None]:
    from tui.ui.screens.groups_view import GroupsView

    return GroupsView()


def analysts_view() -> Screen[None]:
    from tui.ui.screens.analysts_view import AnalystsView

    return AnalystsView()


def timeline_view() -> Screen[None]:
    from tui.ui.screens.timeline_view import TimelineView

    return TimelineView()


def figures_view() -> Screen[None]:
    from tui.ui.screens.figures_view import FiguresView

    return FiguresView()


def map_view() -> Screen[None]:
    from tui.ui.screens.map_view import MapView

    return MapView()


def marked_view() -> Screen[None]:
    from tui.ui.marks.marked_view import MarkedView

    return MarkedView()


def palette_provider(name: str) -> Callable[[], type[Provider]]:
    """A palette provider class, imported when the palette first opens."""

    def load() -> type[Provider]:
        from tui.ui import palette_providers

        provider: type[Provider] = getattr(palette_providers, name)
        return provider

    return load
