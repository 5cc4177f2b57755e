"""Who says what: people, and reports quoted as speakers, with their roles and what they said."""

from __future__ import annotations

from textual.content import Content

from tui.knowledge.records import Assessment, Person, Record, Source
from tui.presentation.describe import cite_text
from tui.ui.safe_content import plain, plain_block
from tui.ui.screens.table_view import ColumnSpec, RowSpec, TableView, labelled, lines


def said_line(assessment: Assessment) -> str:
    """A verbatim quotation in curly quotes, or the paraphrase marked as such; then the citation."""
    body = f"“{assessment.text}”" if assessment.text is not None else f"(paraphrase) {assessment.summary}"
    return f"{body} {cite_text(assessment.cite)}"


class AnalystsView(TableView):
    """Every person and every source that speaks in an assessment; the most quoted first."""

    VIEW_NAME = "analysts"
    TITLE = "Analysts"

    # -- data --------------------------------------------------------------------------------
    def speakers(self) -> list[Record]:
        people = list(self.kb.table("people").values())
        speaking_ids = {a.speaker for a in self.kb.table("assessments").values()}
        sources = [s for s in self.kb.table("sources").values() if s.id in speaking_ids]
        return sorted([*people, *sources], key=lambda r: (-len(self.said_by(r)), r.title.casefold()))

    def said_by(self, speaker: Record) -> list[Assessment]:
        return self.kb.referrers(speaker.KIND, speaker.id, "assessments", via="speaker")  # type: ignore[return-value]

    def affiliation(self, speaker: Record) -> str:
        """Current roles first, then former ones; for a source, its kind and publisher."""
        if isinstance(speaker, Person):
            roles = sorted(speaker.roles, key=lambda r: r.former)
            return "; ".join(self.kb.role_text(r) for r in roles)
        if isinstance(speaker, Source):
            publisher = self.kb.get("organizations", speaker.publisher) if speaker.publisher else None
            return speaker.kind + (f", {publisher.title}" if publisher else "")
        return ""

    # -- TableView ---------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("name", "Speaker", min_width=16, max_width=22, priority=1),
            ColumnSpec("affiliation", "Role / affiliation", min_width=12),
            ColumnSpec("said", "Said", min_width=4, max_width=4, priority=2, justify="right"),
        ]

    def rows(self) -> list[RowSpec]:
        return [
            RowSpec(
                speaker.KIND, speaker.id, (speaker.title, self.affiliation(speaker), str(len(self.said_by(speaker))))
            )
            for speaker in self.speakers()
        ]

    def title_line(self) -> Content:
        speakers = self.speakers()
        quoted = sum(1 for s in speakers if self.said_by(s))
        said = len(self.kb.table("assessments"))
        return plain(f"Analysts: {len(speakers)} speakers, {quoted} with assessments · {said} assessments in all")

    def preview(self, row: RowSpec) -> Content:
        speaker = self.kb.get(row.kind, row.id)
        if speaker is None:
            return plain(row.id)
        said = self.said_by(speaker)
        kind = "report" if isinstance(speaker, Source) else "person"
        return lines(
            plain(speaker.title, "bold") + plain(f" ({kind})"),
            labelled("Role", self.affiliation(speaker)) if self.affiliation(speaker) else None,
            labelled("About", speaker.summary) if getattr(speaker, "summary", None) else None,
            plain(f"Said ({len(said)}):", "bold") if said else plain("No assessments recorded."),
            *(plain_block(f"  {said_line(a)}") for a in said),
        )
