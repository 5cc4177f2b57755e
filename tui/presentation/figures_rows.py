"""The Figures view's rows: every figure, grouped under its measure, with a bar per figure so
competing numbers compare by eye."""

from __future__ import annotations

from functools import partial

from tui.knowledge.records import Figure, Measure, Organization, Person, Source
from tui.presentation.describe import amount_with_unit, cite_text, figure_value, number
from tui.presentation.figure_bars import LEGEND, chart_cell, scale_max
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
GIVERS = (Source, Person, Organization)  # who a figure's `given_by` may name, looked up in this order


def tidy(value: float) -> int | float:
    """40000.0 -> 40000, so the scale reads like the figures."""
    return int(value) if float(value).is_integer() else value


class FiguresRows(ViewRows):
    """A bold heading row per measure, then its figures; bars scale to the measure's largest number."""

    # -- queries -----------------------------------------------------------------------------
    def measures(self) -> list[Measure]:
        return self.kb.records(Measure)

    def figures_of(self, measure: Measure) -> list[Figure]:
        return self.kb.referrers(Measure.KIND, measure.id, Figure, via="measure")

    def given_by(self, fig: Figure) -> str:
        if fig.given_by:
            for cls in GIVERS:
                record = self.kb.get(cls, fig.given_by)
                if record is not None:
                    return record.title
            return fig.given_by
        return fig.attribution or "not attributed"

    def names(self, kind: str, ids: tuple[str, ...]) -> str:
        return ", ".join(self.kb.names_of(kind, ids))

    # -- ViewRows ----------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("figure", "Figure", min_width=14, max_width=32, priority=1),
            ColumnSpec("chart", "Compared", min_width=8, max_width=16, priority=2),
            ColumnSpec("as_of", "As of", min_width=8, max_width=18, priority=3),
            ColumnSpec("given_by", "Given by", min_width=8),
        ]

    def rows(self) -> list[RowSpec]:
        rows: list[RowSpec] = []
        for measure in self.measures():
            figures = self.figures_of(measure)
            top = scale_max(figures)
            count = f"{len(figures)} estimate" + ("" if len(figures) == 1 else "s")
            heading = f"{count} of {measure.name} · bars to {amount_with_unit(tidy(top), measure.unit)}"
            rows.append(RowSpec(Measure.KIND, measure.id, (heading, "", "", ""), style="bold", heading=True))
            for fig in figures:
                rows.append(
                    RowSpec(
                        Figure.KIND,
                        fig.id,
                        (
                            FIGURE_INDENT + figure_value(self.kb, fig),
                            partial(chart_cell, fig, top),  # drawn when its width is known
                            str(fig.as_of),
                            self.given_by(fig),
                        ),
                    )
                )
        return rows

    def title_line(self) -> str:
        measures = self.measures()
        figures = sum(len(self.figures_of(m)) for m in measures)
        competing = sum(1 for m in measures if len(self.figures_of(m)) > 1)
        return f"Figures: {figures} estimates of {len(measures)} measures · {competing} measures with competing numbers"

    def preview(self, row: RowSpec) -> Preview:
        if row.kind == Measure.KIND:
            return self.measure_preview(row.id)
        fig = self.kb.get(Figure, row.id)
        if fig is None:
            return lines(line(row.id))
        (measure,) = self.kb.names_of(Measure, (fig.measure,))
        competing = self.kb.competing(fig)
        others = [f for f in competing if f.id != fig.id]
        top = scale_max(competing)
        return lines(
            line(figure_value(self.kb, fig), "bold"),
            labelled("Measure", measure),
            labelled("As of", str(fig.as_of)),
            labelled("Given by", self.given_by(fig)),
            labelled("Where", self.names("regions", fig.regions)) if fig.regions else None,
            labelled("Of", self.names("groups", fig.groups)) if fig.groups else None,
            line(f"{fig.summary} {cite_text(fig.cite)}"),
            labelled("Compared", f"{chart_cell(fig, top, 22)} (full width: {number(tidy(top))})"),
            line(f"Other estimates of this measure ({len(others)}):", "bold") if others else None,
            *(self.estimate_line(o) for o in others),
            line(LEGEND),
        )

    def measure_preview(self, measure_id: str) -> Preview:
        measure = self.kb.get(Measure, measure_id)
        if measure is None:
            return lines(line(measure_id))
        figures = self.figures_of(measure)
        return lines(
            (Span(measure.name, "bold"), Span(f" (in {measure.unit})")),
            line(measure.summary) if measure.summary else None,
            line(f"Estimates ({len(figures)}):", "bold"),
            *(self.estimate_line(f) for f in figures),
            line(f"Bars are scaled to the largest number: {amount_with_unit(tidy(scale_max(figures)), measure.unit)}."),
            line(LEGEND),
        )

    def estimate_line(self, fig: Figure) -> PreviewLine:
        return line(f"  {figure_value(self.kb, fig)} (as of {fig.as_of}), {self.given_by(fig)} {cite_text(fig.cite)}")
