"""The Analysts view's rows: whoever assesses something — people, unnamed groups of analysts the
source speaks of (shown as unnamed), and reports quoted as speakers — with their roles and what they
said. People who assess nothing (a photo credit, a contributor, a co-author) are not analysts: the
title line says what they are, and the explorer shows them."""

from __future__ import annotations

from collections.abc import Sequence

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Assessment, Organization, Person, Source
from tui.presentation.source_voice import cite_text, hedge_note, person_name, relayed_by, speaker_title
from tui.presentation.view_rows import ColumnSpec, Preview, RowSpec, Span, ViewRows, block, labelled, line, lines

Speaker = Person | Source
NAMED_OTHERS = 3  # people who assess nothing, named in the title line; the rest counted


def said_line(assessment: Assessment, relayed: str = "") -> str:
    """A verbatim quotation in curly quotes, or the paraphrase marked as such; the hedge; then the citation."""
    body = f"“{assessment.text}”" if assessment.text is not None else f"(paraphrase) {assessment.summary}"
    hedge = f" ({hedge_note(assessment.hedge)})" if assessment.hedge else ""
    return f"{body}{hedge}{relayed} {cite_text(assessment.cite)}"


class AnalystsRows(ViewRows):
    """Every person and every source that speaks in an assessment; the most quoted first."""

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb)
        self._speakers: list[Speaker] | None = None

    # -- queries -----------------------------------------------------------------------------
    def speakers(self) -> list[Speaker]:
        """People and sources some assessment names as its speaker (asked of each, not by reading
        every assessment: there are 100,000 in the large benchmark data, and few speakers)."""
        if self._speakers is None:
            candidates: list[Speaker] = [*self.kb.records(Person), *self.kb.records(Source)]
            said = {(s.KIND, s.id): len(self.said_by(s)) for s in candidates}
            speaking = [s for s in candidates if said[(s.KIND, s.id)]]
            self._speakers = sorted(speaking, key=lambda r: (-said[(r.KIND, r.id)], r.title.casefold()))
        return list(self._speakers)

    def not_analysts(self) -> list[Person]:
        """People in the data who assess nothing (a photo credit, a contributor, a co-author)."""
        speaking = {s.id for s in self.speakers() if isinstance(s, Person)}
        return [p for p in self.kb.records(Person) if p.id not in speaking]

    def said_by(self, speaker: Speaker) -> Sequence[Assessment]:
        return self.kb.referrers(speaker.KIND, speaker.id, Assessment, via="speaker")

    def relayed_by(self, speaker: Speaker) -> Sequence[Assessment]:
        return self.kb.referrers(speaker.KIND, speaker.id, Assessment, via="via")

    def speaker(self, row: RowSpec) -> Speaker | None:
        return self.kb.get(Person, row.id) if row.kind == Person.KIND else self.kb.get(Source, row.id)

    def name(self, speaker: Speaker) -> str:
        return person_name(speaker) if isinstance(speaker, Person) else speaker.title

    def affiliation(self, speaker: Speaker) -> str:
        """Current roles first, then former ones; for a source, its kind and publisher."""
        if isinstance(speaker, Person):
            if speaker.collective:
                return "unnamed: the source speaks of them as a group"
            roles = sorted(speaker.roles, key=lambda r: r.former)
            return "; ".join(self.kb.role_text(r) for r in roles)
        publisher = self.kb.get(Organization, speaker.publisher) if speaker.publisher else None
        return speaker.kind + (f", {publisher.title}" if publisher else "")

    # -- ViewRows ----------------------------------------------------------------------------
    def columns(self) -> list[ColumnSpec]:
        return [
            ColumnSpec("name", "Speaker", min_width=16, max_width=30, priority=1),
            ColumnSpec("affiliation", "Role / affiliation", min_width=12),
            ColumnSpec("said", "Said", min_width=4, max_width=4, priority=2, justify="right"),
        ]

    def rows(self) -> list[RowSpec]:
        return [
            RowSpec(s.KIND, s.id, (self.name(s), self.affiliation(s), str(len(self.said_by(s)))))
            for s in self.speakers()
        ]

    def title_line(self) -> str:
        speakers = self.speakers()
        people = sum(1 for s in speakers if isinstance(s, Person) and not s.collective)
        unnamed = sum(1 for s in speakers if isinstance(s, Person) and s.collective)
        reports = len(speakers) - people - unnamed
        said = len(self.kb.records(Assessment))
        kinds = f"{people} people, {unnamed} unnamed, {reports} report{'' if reports == 1 else 's'}"
        head = f"Analysts: {len(speakers)} who assess something ({kinds}) · {said} assessments"
        others = self.not_analysts()
        if not others:
            return head
        names = ", ".join(p.name for p in others[:NAMED_OTHERS])
        more = f" and {len(others) - NAMED_OTHERS:,} more" if len(others) > NAMED_OTHERS else ""
        return f"{head} · not listed, they assess nothing: {names}{more}"

    def other_text(self, person: Person) -> str:
        role = self.kb.role_of(person)
        return f"{person.name} ({role})" if role else person.name

    def preview(self, row: RowSpec) -> Preview:
        speaker = self.speaker(row)
        if speaker is None:
            return lines(line(row.id))
        said = self.said_by(speaker)
        relayed = self.relayed_by(speaker)
        affiliation = self.affiliation(speaker)
        if isinstance(speaker, Source):
            kind = "report"
        else:
            kind = "unnamed people the source speaks of as a group" if speaker.collective else "person"
        return lines(
            (Span(self.name(speaker), "bold"), Span(f" ({kind})")),
            labelled("Role", affiliation) if affiliation else None,
            labelled("About", speaker.summary) if speaker.summary else None,
            line(f"Said ({len(said)}):", "bold") if said else line("No assessments recorded."),
            *(block(f"  {said_line(a, relayed_by(self.kb, a))}") for a in said),
            line(f"Relays the words of others ({len(relayed)}):", "bold") if relayed else None,
            *(block(f"  {speaker_title(self.kb, a.speaker)}: {said_line(a)}") for a in relayed),
        )
