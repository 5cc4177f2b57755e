"""The Analysts view's rows: people, and reports quoted as speakers, with their roles and what they said."""

from __future__ import annotations

from tui.knowledge.records import Assessment, Organization, Person, Source
from tui.presentation.describe import cite_text
from tui.presentation.view_rows import ColumnSpec, Preview, RowSpec, Span, ViewRows, block, labelled, line, lines

Speaker = Person | Source


def said_line(assessment: Assessment) -> str:
    """A verbatim quotation in curly quotes, or the paraphrase marked as such; then the citation."""
    body = f"“{assessment.text}”" if assessment.text is not None else f"(paraphrase) {assessment.summary}"
    return f"{body} {cite_text(assessment.cite)}"


class AnalystsRows(ViewRows):
    """Every person and every source that speaks in an assessment; the most quoted first."""

    # -- queries -----------------------------------------------------------------------------
    def speakers(self) -> list[Speaker]:
        people: list[Speaker] = list(self.kb.records(Person))
        speaking = {id(s) for a in self.kb.records(Assessment) if isinstance(s := self.kb.speaker_of(a), Source)}
        sources = [s for s in self.kb.records(Source) if id(s) in speaking]
        return sorted([*people, *sources], key=lambda r: (-len(self.said_by(r)), r.title.casefold()))

    def said_by(self, speaker: Speaker) -> list[Assessment]:
        return self.kb.referrers(speaker.KIND, speaker.id, Assessment, via="speaker")

    def speaker(self, row: RowSpec) -> Speaker | None:
        return self.kb.get(Person, row.id) if row.kind == Person.KIND else self.kb.get(Source, row.id)

    def affiliation(self, speaker: Speaker) -> str:
        """Current roles first, then former ones; for a source, its kind and publisher."""
        if isinstance(speaker, Person):
            roles = sorted(speaker.roles, key=lambda r: r.former)
            return "; ".join(self.kb.role_text(r) for r in roles)
        publisher = self.kb.get(Organization, speaker.publisher) if speaker.publisher else None
        return speaker.kind + (f", {publisher.title}" if publisher else "")

    # -- ViewRows ----------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("name", "Speaker", min_width=16, max_width=22, priority=1),
            ColumnSpec("affiliation", "Role / affiliation", min_width=12),
            ColumnSpec("said", "Said", min_width=4, max_width=4, priority=2, justify="right"),
        ]

    def rows(self) -> list[RowSpec]:
        return [
            RowSpec(s.KIND, s.id, (s.title, self.affiliation(s), str(len(self.said_by(s))))) for s in self.speakers()
        ]

    def title_line(self) -> str:
        speakers = self.speakers()
        quoted = sum(1 for s in speakers if self.said_by(s))
        said = len(self.kb.records(Assessment))
        return f"Analysts: {len(speakers)} speakers, {quoted} with assessments · {said} assessments in all"

    def preview(self, row: RowSpec) -> Preview:
        speaker = self.speaker(row)
        if speaker is None:
            return lines(line(row.id))
        said = self.said_by(speaker)
        affiliation = self.affiliation(speaker)
        kind = "report" if isinstance(speaker, Source) else "person"
        return lines(
            (Span(speaker.title, "bold"), Span(f" ({kind})")),
            labelled("Role", affiliation) if affiliation else None,
            labelled("About", speaker.summary) if speaker.summary else None,
            line(f"Said ({len(said)}):", "bold") if said else line("No assessments recorded."),
            *(block(f"  {said_line(a)}") for a in said),
        )
