"""The Timeline view's rows: events in date order, each date as precise as its source (a day, a
month, a year, or unknown, listed last)."""

from __future__ import annotations

from tui.knowledge.records import Event
from tui.presentation.source_voice import cite_text, hedge_note, period_text, with_hedge
from tui.presentation.view_rows import ColumnSpec, Preview, RowSpec, ViewRows, labelled, line, lines


class TimelineRows(ViewRows):
    """`KnowledgeBase.timeline()` order: by where each date's span starts; undated events last."""

    def names(self, kind: str, ids: tuple[str, ...]) -> str:
        return ", ".join(self.kb.names_of(kind, ids))

    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("date", "Date", min_width=10, max_width=28, priority=1),
            ColumnSpec("precision", "Known to", min_width=7, max_width=8, priority=2),
            ColumnSpec("name", "Event", min_width=14, weight=3),
            ColumnSpec("places", "Where", min_width=6, weight=1),
        ]

    def rows(self) -> list[RowSpec]:
        return [
            RowSpec(
                "events",
                e.id,
                (
                    period_text(e.date, e.until),
                    e.date.precision,
                    with_hedge(e.name, e.hedge),
                    self.names("regions", e.regions),
                ),
            )
            for e in self.kb.timeline()
        ]

    def title_line(self) -> str:
        events = self.kb.timeline()
        undated = sum(1 for e in events if not e.date.known)
        inferred = sum(1 for e in events if e.date.inferred or (e.until is not None and e.until.inferred))
        return (
            f"Timeline: {len(events)} events · {len(events) - undated} dated ({inferred} inferred by us) · "
            f"{undated} with date unknown (listed last)"
        )

    def preview(self, row: RowSpec) -> Preview:
        event = self.kb.get(Event, row.id)
        if event is None:
            return lines(line(row.id))
        period = period_text(event.date, event.until)
        when = f"{period} (known to the {event.date.precision})" if event.date.known else "date unknown"
        return lines(
            line(event.name, "bold"),
            labelled("When", when),
            labelled("The source hedges", hedge_note(event.hedge)) if event.hedge else None,
            labelled("Where", self.names("regions", event.regions)) if event.regions else None,
            labelled("Actors", self.names("groups", event.actors)) if event.actors else None,
            line(f"{event.summary} {cite_text(event.cite)}"),
        )
