"""The Figures view's rows: every figure, grouped under its measure and scope (the same places and
the same year), with a bar per figure scaled within the scope, so that only like is compared with
like. "Competing" is said only of figures the source sets against each other (`competes_with`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Figure, Measure
from tui.presentation.figure_bars import LEGEND, chart_cell, scale_max
from tui.presentation.figure_words import (
    Scope,
    amount_with_unit,
    figure_words,
    number,
    same_scope,
    scope_of,
    short_giver,
)
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

FIGURE_INDENT = "  "  # figures sit indented under their measure's heading row
COMPETING_MARK = "competing: "  # before a figure the source sets against another, when not all of its scope do


def tidy(value: float) -> int | float:
    """40000.0 -> 40000, so the scale reads like the figures."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True, slots=True)
class ScopeGroup:
    """The figures of one measure about the same places in the same year (`part` keys its row)."""

    measure: Measure
    figures: tuple[Figure, ...]
    where: str  # "Iraq and Syria", "" when the figures name no place
    year: int | None
    part: str

    @property
    def top(self) -> float:
        return scale_max(self.figures)


class FiguresRows(ViewRows):
    """A bold heading row per measure and scope, then its figures; bars scale within the scope."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb)
        self._competing: dict[str, list[Figure]] = {}

    # -- queries -----------------------------------------------------------------------------
    def measures(self) -> Sequence[Measure]:
        return self.kb.records(Measure)

    def figures_of(self, measure: Measure) -> Sequence[Figure]:
        return self.kb.referrers(Measure.KIND, measure.id, Figure, via="measure")

    def scopes(self, measure: Measure) -> list[ScopeGroup]:
        """The measure's figures by scope, in the order each scope first appears in the data."""
        by_scope: dict[Scope, list[Figure]] = {}
        for fig in self.figures_of(measure):
            by_scope.setdefault(scope_of(fig), []).append(fig)
        groups = []
        for i, ((_, _, year), figures) in enumerate(by_scope.items()):
            words = figure_words(self.kb, figures[0])
            where = "" if words.where_in_name else words.where.removeprefix("in ")
            groups.append(ScopeGroup(measure, tuple(figures), where, year, str(i) if i else ""))
        return groups

    def all_scopes(self) -> list[ScopeGroup]:
        return [group for measure in self.measures() for group in self.scopes(measure)]

    def competing_sets(self) -> list[list[Figure]]:
        """Each set of estimates the source sets against each other, once."""
        seen: set[str] = set()
        sets = []
        for fig in self.kb.records(Figure):
            if fig.id not in seen and (found := self.competing(fig)):
                seen.update(f.id for f in found)
                sets.append(found)
        return sets

    def competing(self, figure: Figure) -> list[Figure]:
        """`kb.competing`, asked once per figure (headings, marks and previews all ask)."""
        found = self._competing.get(figure.id)
        if found is None:
            found = self._competing[figure.id] = self.kb.competing(figure)
        return found

    def names(self, kind: str, ids: tuple[str, ...]) -> str:
        return ", ".join(self.kb.names_of(kind, ids))

    # -- ViewRows ----------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("figure", "Figure", min_width=14, max_width=34, priority=1),
            ColumnSpec("chart", "Compared", min_width=8, max_width=16, priority=2),
            ColumnSpec("where", "Where", min_width=6, max_width=24, priority=3),
            ColumnSpec("as_of", "As of", min_width=6, max_width=30, priority=4),
            ColumnSpec("given_by", "Given by", min_width=8),
        ]

    def heading(self, group: ScopeGroup) -> str:
        """ "ISIS fighters remaining · Somalia, 2017 · 1 estimate · bars to 100 people"."""
        year = str(group.year) if group.year is not None else "date unknown"
        scope = f"{group.where}, {year}" if group.where else year
        n = len(group.figures)
        competing = sum(1 for f in group.figures if self.competing(f))
        kind = "competing estimate" if competing == n > 1 else "estimate"
        count = f"{n} {kind}" + ("" if n == 1 else "s")
        if 0 < competing < n:
            count += f", {competing} competing"
        top = amount_with_unit(tidy(group.top), group.measure.unit)
        return f"{group.measure.title} · {scope} · {count} · bars to {top}"

    def rows(self) -> list[RowSpec]:
        rows: list[RowSpec] = []
        for group in self.all_scopes():
            measure = group.measure
            rows.append(
                RowSpec(Measure.KIND, measure.id, (self.heading(group), "", "", "", ""), "bold", True, part=group.part)
            )
            all_compete = all(self.competing(f) for f in group.figures)
            for fig in group.figures:
                words = figure_words(self.kb, fig)
                mark = COMPETING_MARK if self.competing(fig) and not all_compete else ""
                cells = (
                    FIGURE_INDENT + mark + words.amount,
                    partial(chart_cell, fig, group.top),  # drawn when its width is known
                    words.where.removeprefix("in ") or "—",
                    words.when,
                    short_giver(self.kb, fig),
                )
                rows.append(RowSpec(Figure.KIND, fig.id, cells))
        return rows

    def title_line(self) -> str:
        measures = self.measures()
        figures = sum(len(self.figures_of(m)) for m in measures)
        scopes = len(self.all_scopes())
        sets = len(self.competing_sets())
        competing = (
            f"{sets} set{'' if sets == 1 else 's'} of competing estimates (the source sets them against each other)"
            if sets
            else "no competing estimates"
        )
        scoped = f"{scopes} scopes (place, year)"
        return f"Figures: {figures} estimates of {len(measures)} measures in {scoped} · {competing}"

    def preview(self, row: RowSpec) -> Preview:
        if row.kind == Measure.KIND:
            return self.measure_preview(row.id, row.part)
        fig = self.kb.get(Figure, row.id)
        if fig is None:
            return lines(line(row.id))
        words = figure_words(self.kb, fig)
        (measure,) = self.kb.names_of(Measure, (fig.measure,))
        competing = [f for f in self.competing(fig) if f.id != fig.id]
        same = same_scope(self.kb, fig)
        others = [f for f in same if f not in competing]
        top = scale_max([fig, *same])
        return lines(
            line(words.text(cite=False), "bold"),
            labelled("Measure", measure),
            labelled("Where", words.where.removeprefix("in ")) if words.where else None,
            labelled("As of", words.when),
            labelled("Given by", words.giver or "unattributed: the source does not say whose figure it is"),
            labelled("Of", self.names("groups", fig.groups)) if fig.groups else None,
            line(f"{fig.summary} {words.cite}"),
            labelled("Compared", f"{chart_cell(fig, top, 22)} (full width: {number(tidy(top))})"),
            *self.estimates("Competing estimates (the source sets them against this one)", competing),
            *self.estimates("Other estimates of this measure, place and year", others),
            line(LEGEND),
        )

    def estimates(self, heading: str, figures: Sequence[Figure]) -> list[PreviewLine]:
        if not figures:
            return []
        return [line(f"{heading} ({len(figures)}):", "bold"), *(self.estimate_line(f) for f in figures)]

    def measure_preview(self, measure_id: str, part: str = "") -> Preview:
        """A heading row: the measure, and the figures of that row's scope (place and year)."""
        measure = self.kb.get(Measure, measure_id)
        if measure is None:
            return lines(line(measure_id))
        scopes = self.scopes(measure)
        group = next((g for g in scopes if g.part == part), scopes[0] if scopes else None)
        figures = group.figures if group is not None else ()
        others = len(scopes) - 1
        top = amount_with_unit(tidy(group.top), measure.unit) if group is not None else ""
        return lines(
            (Span(measure.title, "bold"), Span(f" (in {measure.unit})")),
            line(measure.summary) if measure.summary else None,
            labelled("Scope", self.heading(group).split(" · ")[1]) if group is not None else None,
            line(f"Estimates ({len(figures)}):", "bold"),
            *(self.estimate_line(f) for f in figures),
            line(f"Bars are scaled to the largest number of this scope: {top}.") if top else None,
            line(f"{others} other scope{'' if others == 1 else 's'} of this measure: listed under their own heading.")
            if others
            else None,
            line(LEGEND),
        )

    def estimate_line(self, fig: Figure) -> PreviewLine:
        return line(f"  {figure_words(self.kb, fig).text()}")
