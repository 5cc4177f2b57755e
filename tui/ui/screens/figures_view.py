"""Every figure, grouped under its measure, with a bar per figure so competing numbers compare by eye."""

from __future__ import annotations

from textual.content import Content

from tui.knowledge.records import Figure, Measure
from tui.presentation.describe import amount_with_unit, cite_text, figure_value, number
from tui.presentation.figure_bars import LEGEND, chart_cell, scale_max
from tui.ui.safe_content import plain
from tui.ui.screens.table_view import ColumnSpec, RowSpec, TableView, labelled, lines

FIGURE_INDENT = "  "  # figures sit indented under their measure's heading row


class FiguresView(TableView):
    """A bold, unindented heading row per measure, then its figures; bars scale to the measure's largest number."""

    VIEW_NAME = "figures"
    TITLE = "Figures"

    # -- data --------------------------------------------------------------------------------
    def measures(self) -> list[Measure]:
        return list(self.kb.table("measures").values())  # type: ignore[arg-type]

    def figures_of(self, measure: Measure) -> list[Figure]:
        return self.kb.referrers("measures", measure.id, "figures", via="measure")  # type: ignore[return-value]

    def given_by(self, fig: Figure) -> str:
        if fig.given_by:
            for kind in ("sources", "people", "organizations"):
                record = self.kb.get(kind, fig.given_by)
                if record is not None:
                    return record.title
            return fig.given_by
        return fig.attribution or "not attributed"

    def names(self, kind: str, ids: tuple[str, ...]) -> str:
        return ", ".join(getattr(self.kb.get(kind, i), "title", i) for i in ids)

    # -- TableView ---------------------------------------------------------------------------
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
            heading = f"{count} of {measure.name} · bars to {amount_with_unit(_tidy(top), measure.unit)}"
            rows.append(RowSpec("measures", measure.id, (heading, "", "", ""), style="bold", heading=True))
            for fig in figures:
                rows.append(
                    RowSpec(
                        "figures",
                        fig.id,
                        (
                            FIGURE_INDENT + figure_value(self.kb, fig),
                            lambda width, fig=fig, top=top: chart_cell(fig, top, width),
                            str(fig.as_of),
                            self.given_by(fig),
                        ),
                    )
                )
        return rows

    def title_line(self) -> Content:
        measures = self.measures()
        figures = sum(len(self.figures_of(m)) for m in measures)
        competing = sum(1 for m in measures if len(self.figures_of(m)) > 1)
        return plain(
            f"Figures: {figures} estimates of {len(measures)} measures · {competing} measures with competing numbers"
        )

    def preview(self, row: RowSpec) -> Content:
        if row.kind == "measures":
            return self.measure_preview(row.id)
        fig = self.kb.get("figures", row.id)
        if not isinstance(fig, Figure):
            return plain(row.id)
        measure = self.kb.get("measures", fig.measure)
        others = [f for f in self.kb.competing(fig) if f.id != fig.id]
        top = scale_max(self.kb.competing(fig))
        return lines(
            plain(figure_value(self.kb, fig), "bold"),
            labelled("Measure", measure.title if measure else fig.measure),
            labelled("As of", str(fig.as_of)),
            labelled("Given by", self.given_by(fig)),
            labelled("Where", self.names("regions", fig.regions)) if fig.regions else None,
            labelled("Of", self.names("groups", fig.groups)) if fig.groups else None,
            plain(f"{fig.summary} {cite_text(fig.cite)}"),
            labelled("Compared", f"{chart_cell(fig, top, 22)} (full width: {number(_tidy(top))})"),
            plain(f"Other estimates of this measure ({len(others)}):", "bold") if others else None,
            *(self.estimate_line(o) for o in others),
            plain(LEGEND),
        )

    def measure_preview(self, measure_id: str) -> Content:
        measure = self.kb.get("measures", measure_id)
        if not isinstance(measure, Measure):
            return plain(measure_id)
        figures = self.figures_of(measure)
        return lines(
            plain(measure.name, "bold") + plain(f" (in {measure.unit})"),
            plain(measure.summary) if measure.summary else None,
            plain(f"Estimates ({len(figures)}):", "bold"),
            *(self.estimate_line(f) for f in figures),
            plain(
                f"Bars are scaled to the largest number: {amount_with_unit(_tidy(scale_max(figures)), measure.unit)}."
            ),
            plain(LEGEND),
        )

    def estimate_line(self, fig: Figure) -> Content:
        return plain(f"  {figure_value(self.kb, fig)} (as of {fig.as_of}), {self.given_by(fig)} {cite_text(fig.cite)}")


def _tidy(value: float) -> int | float:
    """40000.0 -> 40000, so the scale reads like the figures."""
    return int(value) if float(value).is_integer() else value
