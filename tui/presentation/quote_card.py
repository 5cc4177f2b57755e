"""What the quote panel says about one assessment, as plain data: who said it, in what role, the
words (verbatim or our paraphrase) and where it is cited.

Textual-free, like `describe`'s outlines: the screen builds the cards, the panel only draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Assessment, Person, Source
from tui.presentation.outline import Link
from tui.presentation.source_voice import cite_text, hedge_note, speaker_name


@dataclass(frozen=True, slots=True)
class QuoteCard:
    speaker: str  # the person's or source's name ("(unnamed)" for a collective, ", relayed by X"); else the id
    role: str  # a person's current role, a source's kind; "" when there is none
    text: str  # the words said (verbatim) or, without them, our summary of what was said
    verbatim: bool
    citation: str  # e.g. "[article ¶34]"
    speaker_link: Link | None = None  # the speaker's record (Enter in the panel opens it); None if not in the data
    hedge: str = ""  # the source's hedge on the words, e.g. "hedged: likely"; "" when it does not hedge
    assessment: str = ""  # the assessment's id: what `m` marks in the panel

    @property
    def quote(self) -> str:
        """The words as shown: in quotation marks when verbatim, marked as a paraphrase otherwise."""
        return f"“{self.text}”" if self.verbatim else f"(paraphrase) {self.text}"


def quote_card(kb: KnowledgeBase, assessment: Assessment) -> QuoteCard:
    speaker = kb.speaker_of(assessment)
    if isinstance(speaker, Person):
        role = "unnamed: the source speaks of them as a group" if speaker.collective else kb.role_of(speaker)
    elif isinstance(speaker, Source):
        role = speaker.kind
    else:
        role = ""
    return QuoteCard(
        speaker=speaker_name(kb, assessment),
        role=role,
        text=assessment.text or assessment.summary,
        verbatim=bool(assessment.text),
        citation=cite_text(assessment.cite),
        speaker_link=Link(speaker.KIND, speaker.id, speaker.title) if speaker else None,
        hedge=hedge_note(assessment.hedge),
        assessment=assessment.id,
    )


class QuoteCards(Sequence[QuoteCard]):
    """The cards for a list of assessments, each built when it is first shown: the world region is
    the subject of every assessment (100,000 at the large benchmark), and the panel shows one."""

    def __init__(self, kb: KnowledgeBase, assessments: Sequence[Assessment]) -> None:
        self.kb = kb
        # kept as given: the store's lists fetch a record when it is asked for (the world region's
        # assessments are every assessment), a copy would fetch them all
        self.assessments = assessments
        self.built: dict[int, QuoteCard] = {}

    def __len__(self) -> int:
        return len(self.assessments)

    @overload
    def __getitem__(self, index: int) -> QuoteCard: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[QuoteCard]: ...
    def __getitem__(self, index: int | slice) -> QuoteCard | Sequence[QuoteCard]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # negative indexes; IndexError past the end
        card = self.built.get(index)
        if card is None:
            card = self.built[index] = quote_card(self.kb, self.assessments[index])
        return card

    def __eq__(self, other: object) -> bool:
        """The same cards: about the same assessments (records are frozen, so equal ones say the same)."""
        return isinstance(other, QuoteCards) and self.assessments == other.assessments

    __hash__ = None  # type: ignore[assignment]  # mutable cache, compared by content


def quote_cards(kb: KnowledgeBase, kind: str, record_id: str) -> QuoteCards:
    """The cards for everything analysts said about a record (for a region: about places under it too)."""
    return QuoteCards(kb, kb.assessments_about(kind, record_id))
