"""What the quote panel says about one assessment, as plain data: who said it, in what role, the
words (verbatim or our paraphrase) and where it is cited.

Textual-free, like `describe`'s outlines: the screen builds the cards, the panel only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Assessment, Person, Source
from tui.presentation.describe import cite_text


@dataclass(frozen=True, slots=True)
class QuoteCard:
    speaker: str  # the person's or source's name; the id when the speaker is not in the data
    role: str  # a person's current role, a source's kind; "" when there is none
    text: str  # the words said (verbatim) or, without them, our summary of what was said
    verbatim: bool
    citation: str  # e.g. "[article ¶34]"

    @property
    def quote(self) -> str:
        """The words as shown: in quotation marks when verbatim, marked as a paraphrase otherwise."""
        return f"“{self.text}”" if self.verbatim else f"(paraphrase) {self.text}"


def quote_card(kb: KnowledgeBase, assessment: Assessment) -> QuoteCard:
    speaker = kb.speaker_of(assessment)
    if isinstance(speaker, Person):
        role = kb.role_of(speaker)
    elif isinstance(speaker, Source):
        role = speaker.kind
    else:
        role = ""
    return QuoteCard(
        speaker=speaker.title if speaker else assessment.speaker,
        role=role,
        text=assessment.text or assessment.summary,
        verbatim=bool(assessment.text),
        citation=cite_text(assessment.cite),
    )


def quote_cards(kb: KnowledgeBase, kind: str, record_id: str) -> tuple[QuoteCard, ...]:
    """The cards for everything analysts said about a record (for a region: about places under it too)."""
    return tuple(quote_card(kb, a) for a in kb.assessments_about(kind, record_id))
