"""Every group, ISIS first and its opponents last, with a filter by kind (`f`)."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content

from tui.knowledge.fields import specs_of
from tui.knowledge.records import Group, Relationship
from tui.presentation.describe import RELATION_LABELS, cite_text
from tui.ui.safe_content import plain
from tui.ui.screens.table_view import ColumnSpec, RowSpec, TableView, labelled, lines

# The order the spec lists the kinds in: ISIS core, branches, affiliates, aligned, rivals, ... coalition.
GROUP_KIND_ORDER: tuple[str, ...] = specs_of(Group)["kind"].choices
# kind -> (short word for the table, plural phrase for the title line)
GROUP_KIND_LABELS = {
    "isis-core": ("core", "ISIS core"),
    "isis-branch": ("branch", "ISIS branches"),
    "isis-affiliate": ("affiliate", "ISIS affiliates"),
    "isis-aligned": ("aligned", "ISIS-aligned groups"),
    "jihadist-rival": ("rival", "jihadist rivals"),
    "insurgency": ("insurgency", "insurgencies"),
    "state-force": ("state", "state forces"),
    "coalition-force": ("coalition", "coalition forces"),
}


def kind_rank(kind: str) -> int:
    return GROUP_KIND_ORDER.index(kind) if kind in GROUP_KIND_ORDER else len(GROUP_KIND_ORDER)


def short_kind(kind: str) -> str:
    return GROUP_KIND_LABELS.get(kind, (kind, kind))[0]


def plural_kind(kind: str) -> str:
    return GROUP_KIND_LABELS.get(kind, (kind, kind))[1]


class GroupsView(TableView):
    """Groups sorted by kind then name; `f` cycles: all kinds, then each kind present, then all."""

    VIEW_NAME = "groups"
    TITLE = "Groups"
    BINDINGS = [Binding("f", "cycle_kind_filter", "Filter kind", id="groups.filter")]

    def __init__(self) -> None:
        super().__init__()
        self.kind_filter: str | None = None  # None: all kinds

    # -- data --------------------------------------------------------------------------------
    def all_groups(self) -> list[Group]:
        return sorted(self.kb.groups, key=lambda g: (kind_rank(g.kind), g.name.casefold()))

    def kinds_present(self) -> list[str]:
        return sorted({g.kind for g in self.kb.groups}, key=lambda k: (kind_rank(k), k))

    def shown_groups(self) -> list[Group]:
        return [g for g in self.all_groups() if self.kind_filter is None or g.kind == self.kind_filter]

    def region_names(self, group: Group) -> str:
        names = []
        for region_id in group.regions:
            region = self.kb.get("regions", region_id)
            names.append(region.title if region else region_id)
        return ", ".join(names)

    def assessment_count(self, group: Group) -> int:
        return len(self.kb.referrers("groups", group.id, "assessments"))

    # -- TableView ---------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("name", "Group", min_width=22, weight=3),
            ColumnSpec("kind", "Kind", min_width=5, max_width=10, priority=2),
            ColumnSpec("regions", "Active in", min_width=8, weight=2),
            ColumnSpec("relationships", "Rels", min_width=4, max_width=4, priority=3, justify="right"),
            ColumnSpec("assessments", "Asmt", min_width=4, max_width=4, priority=3, justify="right"),
        ]

    def rows(self) -> list[RowSpec]:
        return [
            RowSpec(
                "groups",
                g.id,
                (
                    g.name,
                    short_kind(g.kind),
                    self.region_names(g),
                    str(len(self.kb.relationships_of(g.id))),
                    str(self.assessment_count(g)),
                ),
            )
            for g in self.shown_groups()
        ]

    def title_line(self) -> Content:
        shown = self.shown_groups()
        total = len(self.kb.groups)
        relationships = {r.id for g in shown for r in self.kb.relationships_of(g.id)}
        assessments = {a.id for g in shown for a in self.kb.referrers("groups", g.id, "assessments")}
        which = "all kinds" if self.kind_filter is None else f"{plural_kind(self.kind_filter)} only"
        return plain(
            f"Groups: {which} ({len(shown)} of {total}) · {len(relationships)} relationships · "
            f"{len(assessments)} assessments · f: filter"
        )

    def preview(self, row: RowSpec) -> Content:
        group = self.kb.get("groups", row.id)
        if not isinstance(group, Group):
            return plain(row.id)
        rels = [self.relationship_line(group, r) for r in self.kb.relationships_of(group.id)]
        count = self.assessment_count(group)
        return lines(
            plain(group.name, "bold") + plain(f" ({plural_kind(group.kind)})"),
            labelled("Also called", ", ".join(group.aliases)) if group.aliases else None,
            labelled("Active in", self.region_names(group)),
            labelled("Status", group.status) if group.status else None,
            plain(f"{group.summary} {cite_text(group.cite)}"),
            plain(f"Relationships ({len(rels)}):", "bold") if rels else plain("No relationships recorded."),
            *rels,
            plain(f"Assessments about it: {count}"),
        )

    def relationship_line(self, group: Group, rel: Relationship) -> Content:
        outgoing = rel.from_ == group.id or self.kb.is_symmetric(rel)
        label = RELATION_LABELS.get(rel.type, (rel.type, rel.type))[0 if outgoing else 1]
        other = self.kb.get("groups", self.kb.other_side(rel, group.id))
        name = other.title if other else self.kb.other_side(rel, group.id)
        when = f", {rel.date}" if rel.date else ""
        return plain(f"  {label}: {name} ({rel.certainty}{when}) {cite_text(rel.cite)}")

    # -- actions -----------------------------------------------------------------------------
    def action_cycle_kind_filter(self) -> None:
        cycle: list[str | None] = [None, *self.kinds_present()]
        position = cycle.index(self.kind_filter) if self.kind_filter in cycle else 0
        self.kind_filter = cycle[(position + 1) % len(cycle)]
        self.reload()
