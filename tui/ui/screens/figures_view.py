"""Every figure, grouped under its measure and scope (place and year), with a bar per figure so that
figures of one scope compare by eye; "competing" only where the source sets them against each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.presentation.figures_rows import FiguresRows
from tui.ui.screens.table_view import TableView

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase


class FiguresView(TableView[FiguresRows]):
    """The rows of `FiguresRows`: a bold heading row per measure and scope, then its figures with their bars."""

    VIEW_NAME = "figures"
    TITLE = "Figures"

    def make_rows(self, kb: KnowledgeBase) -> FiguresRows:
        return FiguresRows(kb)
