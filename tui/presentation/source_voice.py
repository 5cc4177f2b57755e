"""How sure the source is, and whose words they are, in words: hedges, certainty, inferred dates and
periods, unnamed and relayed speakers, background knowledge. Words, never colour alone: they read the
same with NO_COLOR and in 16 colours. Textual-free, shared by the detail pane, the views and exports."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tui.knowledge.records import HEDGE_WORDS, Assessment, Cite, Group, Person, Source

if TYPE_CHECKING:
    from tui.knowledge.dates import PartialDate
    from tui.knowledge.knowledge_base import KnowledgeBase

CERTAINTY_WORDS = {
    "stated": "stated in the source",
    "implied": "implied by the source",
    "inferred": "inferred by us",
}
OUR_CLASSIFICATION = "our classification"
STRUCTURAL = "not named in the source; holds a place in the tree"
BACKGROUND = "background knowledge, not the source's words"
UNNAMED = "unnamed"
UNATTRIBUTED = "unattributed"


def cite_text(cites: tuple[Cite, ...]) -> str:
    """`[article ¶34]`: where a record is cited, as every line that shows it ends."""
    return "[" + "; ".join(str(c) for c in cites) + "]"


def hedge_words(hedge: str | None) -> str:
    """The source's hedge as it reads in a sentence ("perhaps", "apparently"), "" when it does not hedge."""
    return HEDGE_WORDS.get(hedge, hedge) if hedge else ""


def hedge_note(hedge: str | None) -> str:
    """A hedge said on its own, after a name or a claim: "hedged: apparently"; "" without one."""
    return f"hedged: {hedge_words(hedge)}" if hedge else ""


def with_hedge(text: str, hedge: str | None) -> str:
    """`text (hedged: apparently)`, or the text as it is when the source does not hedge it."""
    return f"{text} ({hedge_note(hedge)})" if hedge else text


CERTAINTY_SHORT = {"stated": "stated", "implied": "implied", "inferred": "inferred by us"}  # in lists of links


def certainty_text(certainty: str, hedge: str | None = None, *, short: bool = False) -> str:
    """How the source supports a relationship: "stated in the source", "implied by the source, hedged: apparently";
    `short`, for a line among many: "stated", "implied", "inferred by us"."""
    words = (CERTAINTY_SHORT if short else CERTAINTY_WORDS).get(certainty, certainty)
    return f"{words}, {hedge_note(hedge)}" if hedge else words


def period_text(date: PartialDate, until: PartialDate | None = None) -> str:
    """A date, or a period from `date` to `until`: "inferred: 2016 – July 2017" when both ends are
    inferred, "2016 – inferred: July 2017" when one is; a date as str(PartialDate) says it."""
    if until is None:
        return str(date)
    if date.inferred and until.inferred:
        return f"inferred: {replace(date, inferred=False)} – {replace(until, inferred=False)}"
    return f"{date} – {until}"


def person_name(person: Person) -> str:
    """A person's name; an unnamed group the source speaks of ("Some analysts") says it is unnamed."""
    return f"{person.name} ({UNNAMED})" if person.collective else person.name


def speaker_title(kb: KnowledgeBase, record_id: str) -> str:
    """Who a speaker or relayer id names: a person (unnamed when collective), a source, else the id."""
    person = kb.get(Person, record_id)
    if person is not None:
        return person_name(person)
    source = kb.get(Source, record_id)
    return source.title if source is not None else record_id


def relayed_by(kb: KnowledgeBase, assessment: Assessment) -> str:
    """ ", relayed by Chris Maier" when someone passes the speaker's words on in the source; else ""."""
    return f", relayed by {speaker_title(kb, assessment.via)}" if assessment.via else ""


def speaker_name(kb: KnowledgeBase, assessment: Assessment) -> str:
    """Who said it, in full: "The Defeat ISIS community (unnamed), relayed by Chris Maier"."""
    return speaker_title(kb, assessment.speaker) + relayed_by(kb, assessment)


def group_name(group: Group) -> str:
    """A group's name with the source's hedge on it: "ISIS-Khorasan (as some call it)"."""
    return f"{group.name} ({hedge_words(group.name_hedge)})" if group.name_hedge else group.name


def ours(kind: str) -> str:
    """A `kind` value, marked as what it is: our classification, not the source's words."""
    return f"{kind} ({OUR_CLASSIFICATION})"


def lower_first(text: str) -> str:
    """ "Some analysts" -> "some analysts" to run on in a sentence; "ISIS fighters" stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
