"""Every group, ISIS first and its opponents last, with a filter by kind (`f`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui.presentation.groups_rows import GroupsRows
from tui.ui.screens.table_view import TableView

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase


class GroupsView(TableView[GroupsRows]):
    """The rows of `GroupsRows`, by kind then name; `f` cycles: all kinds, then each kind present, then all."""

    VIEW_NAME = "groups"
    TITLE = "Groups"
    BINDINGS = [Binding("f", "cycle_kind_filter", "Filter kind", id="groups.filter")]

    def make_rows(self, kb: KnowledgeBase) -> GroupsRows:
        return GroupsRows(kb)

    def action_cycle_kind_filter(self) -> None:
        self.view_rows.cycle_kind_filter()
        self.reload()
