"""The Groups view's rows: every group, ISIS first and its opponents last, filtered by kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.knowledge.fields import specs_of
from tui.knowledge.records import Group, Relationship
from tui.presentation.describe import RELATION_LABELS
from tui.presentation.source_voice import certainty_text, cite_text, group_name, hedge_words
from tui.presentation.view_rows import (
    ColumnSpec,
    Preview,
    PreviewLine,
    RowSpec,
    Span,
    ViewRows,
    labelled,
    line,
    lines,
)

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

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


class GroupsRows(ViewRows):
    """Groups sorted by kind then name; `cycle_kind_filter` steps: all kinds, each kind present, all."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb)
        self.kind_filter: str | None = None  # None: all kinds

    # -- queries -----------------------------------------------------------------------------
    def all_groups(self) -> list[Group]:
        return sorted(self.kb.records(Group), key=lambda g: (kind_rank(g.kind), g.name.casefold()))

    def kinds_present(self) -> list[str]:
        return sorted({g.kind for g in self.kb.records(Group)}, key=lambda k: (kind_rank(k), k))

    def shown_groups(self) -> list[Group]:
        return [g for g in self.all_groups() if self.kind_filter is None or g.kind == self.kind_filter]

    def region_names(self, group: Group) -> str:
        return ", ".join(self.kb.names_of("regions", group.regions))

    def assessment_count(self, group: Group) -> int:
        return len(self.kb.assessments_about("groups", group.id))

    def cycle_kind_filter(self) -> None:
        cycle: list[str | None] = [None, *self.kinds_present()]
        position = cycle.index(self.kind_filter) if self.kind_filter in cycle else 0
        self.kind_filter = cycle[(position + 1) % len(cycle)]

    # -- ViewRows ----------------------------------------------------------------------------
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
                    group_name(g),
                    short_kind(g.kind),
                    self.region_names(g),
                    str(len(self.kb.relationships_of(g.id))),
                    str(self.assessment_count(g)),
                ),
            )
            for g in self.shown_groups()
        ]

    def title_line(self) -> str:
        shown = self.shown_groups()
        total = len(self.kb.records(Group))
        relationships = {r.id for g in shown for r in self.kb.relationships_of(g.id)}
        assessments = {a.id for g in shown for a in self.kb.assessments_about("groups", g.id)}
        which = "all kinds" if self.kind_filter is None else f"{plural_kind(self.kind_filter)} only"
        return (
            f"Groups: {which} ({len(shown)} of {total}) · {len(relationships)} relationships · "
            f"{len(assessments)} assessments · f: filter"
        )

    def preview(self, row: RowSpec) -> Preview:
        group = self.kb.get(Group, row.id)
        if group is None:
            return lines(line(row.id))
        rels = [self.relationship_line(group, r) for r in self.kb.relationships_of(group.id)]
        return lines(
            (Span(group.name, "bold"), Span(f" ({plural_kind(group.kind)}, our classification)")),
            labelled("The name", f"{hedge_words(group.name_hedge)}, the source says") if group.name_hedge else None,
            labelled("Also called", ", ".join(group.aliases)) if group.aliases else None,
            labelled("Active in", self.region_names(group)),
            labelled("Status", group.status) if group.status else None,
            line(f"{group.summary} {cite_text(group.cite)}"),
            line(f"Relationships ({len(rels)}):", "bold") if rels else line("No relationships recorded."),
            *rels,
            line(f"Assessments about it: {self.assessment_count(group)}"),
        )

    def relationship_line(self, group: Group, rel: Relationship) -> PreviewLine:
        outgoing = rel.from_ == group.id or self.kb.is_symmetric(rel)
        label = RELATION_LABELS.get(rel.type, (rel.type, rel.type))[0 if outgoing else 1]
        (name,) = self.kb.names_of("groups", (self.kb.other_side(rel, group.id),))
        when = f", {rel.date}" if rel.date else ""
        certainty = certainty_text(rel.certainty, rel.hedge, short=True)
        return line(f"  {label}: {name} ({certainty}{when}) {cite_text(rel.cite)}")
