"""Who says what: people, and reports quoted as speakers, with their roles and what they said."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.presentation.analysts_rows import AnalystsRows
from tui.ui.screens.table_view import TableView

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase


class AnalystsView(TableView[AnalystsRows]):
    """The rows of `AnalystsRows`: every person and every source that speaks; the most quoted first."""

    VIEW_NAME = "analysts"
    TITLE = "Analysts"

    def make_rows(self, kb: KnowledgeBase) -> AnalystsRows:
        return AnalystsRows(kb)
