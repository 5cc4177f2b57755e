"""Events in date order, each date as precise as its source: a day, a month, a year, or unknown (last)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.presentation.timeline_rows import TimelineRows
from tui.ui.screens.table_view import TableView

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase


class TimelineView(TableView[TimelineRows]):
    """The rows of `TimelineRows`: by where each date's span starts; undated events last."""

    VIEW_NAME = "timeline"
    TITLE = "Timeline"

    def make_rows(self, kb: KnowledgeBase) -> TimelineRows:
        return TimelineRows(kb)
