"""Every group, ISIS first and its opponents last, with a filter by kind (`f`; Escape clears it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui.presentation.groups_rows import GroupsRows
from tui.ui.app_access import explorer_app
from tui.ui.screens.table_view import TableView

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase


class GroupsView(TableView[GroupsRows]):
    """The rows of `GroupsRows`, by kind then name; `f` cycles: all kinds, then each kind present, then all."""

    VIEW_NAME = "groups"
    TITLE = "Groups"
    BINDINGS = [
        Binding("f", "cycle_kind_filter", "Filter kind", id="groups.filter"),
        # Escape cancels the filter first, then (with no filter) closes the view as in every view
        Binding(
            "escape",
            "clear_filter_or_close",
            "Clear the filter, else back to the explorer",
            show=False,
            id="groups.escape",
        ),
    ]

    def make_rows(self, kb: KnowledgeBase) -> GroupsRows:
        return GroupsRows(kb)

    def action_cycle_kind_filter(self) -> None:
        self.view_rows.cycle_kind_filter()
        self.reload()

    def action_clear_filter_or_close(self) -> None:
        if self.view_rows.kind_filter is None:
            explorer_app(self).action_show_view("explorer")
        else:
            self.view_rows.kind_filter = None
            self.reload()
