"""One figure in words, the same everywhere it is shown (detail pane, Figures view, copy, briefing):
the source's hedge, the qualifier, the amount and what it measures, where, when, who gives it, and
the citation:

    perhaps fewer than 100 ISIS fighters remaining in Somalia (inferred: late October 2017), unattributed [article ¶34]

How the amount and the measure join depends on the unit:
- a count (people, countries, ... or a unit the measure's name itself names) is read as what is
  counted: "more than 40,000 foreign fighters who joined ISIS";
- an area or a length reads "of": "more than 100,000 km² of territory controlled by ISIS";
- any other unit (months, days, percent, ...) is followed by what it measures after a colon:
  "9 months: duration of the campaign to retake Mosul".
Textual-free."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.knowledge.records import Figure, Measure, Organization, Person, Source
from tui.presentation.source_voice import UNATTRIBUTED, cite_text, hedge_words, lower_first, person_name

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

QUALIFIERS = {
    "exact": "",
    "about": "about ",
    "at-least": "at least ",
    "more-than": "more than ",
    "up-to": "up to ",
    "fewer-than": "fewer than ",
    "less-than": "less than ",
    "barely": "barely ",
}
COUNT_UNITS = frozenset({"people", "persons", "countries", "fighters", "returnees", "attacks", "members", "groups"})
OF_UNITS = frozenset({"km²", "km", "m²", "mi²", "square kilometers", "square kilometres", "square miles", "hectares"})
GIVERS = (Source, Person, Organization)  # who a figure's `given_by` may name, looked up in this order
_SINGULAR = {"people": "person"}  # units are written in the plural; these do not just lose an s


def number(value: float) -> str:
    """`40,000`, `2.5`; whole or half millions and more read as words, as the source writes them: `11 million`."""
    if abs(value) >= 1_000_000 and (value * 10) % 1_000_000 == 0:
        return f"{value / 1_000_000:,g} million"
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def amount_with_unit(value: float, unit: str) -> str:
    """`9 months`, but `1 day` and `1 person`: a unit (written plural in the data) for one amount."""
    words = unit.split(" ")
    last = words[-1]
    if value == 1 and last:
        if last in _SINGULAR:
            last = _SINGULAR[last]
        elif last.endswith("ies") and len(last) > 4:
            last = last[:-3] + "y"
        elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
            last = last[:-1]
    return " ".join([number(value), *words[:-1], last]).rstrip()


def is_count(unit: str, name: str) -> bool:
    """Whether the measure's name says what is counted, so the number reads straight into it."""
    last = unit.split(" ")[-1].casefold() if unit else ""
    return not unit or last in COUNT_UNITS or (len(last) > 2 and last in name.casefold())


def bare_amount(fig: Figure, unit: str) -> str:
    """The qualifier and the number or range, with the unit: "more than 100,000 km²", "6,000–10,000 people"."""
    if fig.value is not None:
        amount = amount_with_unit(fig.value, unit)
    else:
        low = number(fig.low) if fig.low is not None else "?"
        high = number(fig.high) if fig.high is not None else "?"
        amount = f"{low}–{high}" + (f" {unit}" if unit else "")
    return QUALIFIERS.get(fig.qualifier, "") + amount


def _unitless(fig: Figure) -> str:
    if fig.value is not None:
        return QUALIFIERS.get(fig.qualifier, "") + number(fig.value)
    return bare_amount(fig, "")


def _hedged(hedge: str | None, text: str) -> str:
    if hedge == "some-say":  # "as some call it" follows what it hedges
        return f"{text} ({hedge_words(hedge)})"
    return f"{hedge_words(hedge)} {text}" if hedge else text


@dataclass(frozen=True, slots=True)
class FigureWords:
    """The parts of a figure's sentence; `text()` joins them, and a screen may link some of them."""

    amount: str  # hedge, qualifier, number (and unit unless it is a count): "perhaps fewer than 100"
    head: str  # the amount with what it measures: "perhaps fewer than 100 ISIS fighters remaining"
    where: str  # "in Somalia", or ""
    where_in_name: bool  # the measure's name says the place already ("the campaign to retake Mosul")
    when: str  # "inferred: late October 2017", "2014", "date unknown"
    giver: str  # who gives it (a name or the data's words), "" when the source does not say
    giver_ref: tuple[str, str] | None  # (kind, id) of the giver's record, when there is one
    cite: str  # "[article ¶34]"

    @property
    def by(self) -> str:
        """ "according to The Soufan Group", or "unattributed"."""
        return f"according to {self.giver}" if self.giver else UNATTRIBUTED

    @property
    def place_and_time(self) -> str:
        """What follows the head: " in Somalia (inferred: late October 2017)"."""
        return (f" {self.where}" if self.where and not self.where_in_name else "") + f" ({self.when})"

    def text(self, *, cite: bool = True) -> str:
        sentence = f"{self.head}{self.place_and_time}, {self.by}"
        return f"{sentence} {self.cite}" if cite and self.cite else sentence


def giver_of(kb: KnowledgeBase, fig: Figure) -> tuple[str, tuple[str, str] | None]:
    """Who gives the figure, and their record: a source, person or organization; else the data's words."""
    if fig.given_by:
        for cls in GIVERS:
            record = kb.get(cls, fig.given_by)
            if isinstance(record, Person):
                name = person_name(record)
                return (lower_first(name) if record.collective else name), (cls.KIND, record.id)
            if record is not None:
                return record.title, (cls.KIND, record.id)
        return fig.given_by, None
    return fig.attribution or "", None


def short_giver(kb: KnowledgeBase, fig: Figure) -> str:
    """Who gives the figure in a few words, for a column: a source by its publisher and kind
    ("RAND Corp. study"), anyone else by name; "unattributed" when the source does not say."""
    source = kb.get(Source, fig.given_by) if fig.given_by else None
    publisher = kb.get(Organization, source.publisher) if source is not None and source.publisher else None
    if source is not None and publisher is not None:
        return f"{publisher.name} {source.kind}"
    return giver_of(kb, fig)[0] or UNATTRIBUTED


def figure_words(kb: KnowledgeBase, fig: Figure) -> FigureWords:
    """The one wording of a figure; see the module's docstring."""
    measure = kb.get(Measure, fig.measure)
    unit = measure.unit if measure is not None else ""
    name = lower_first(measure.name) if measure is not None else fig.measure
    if is_count(unit, name):
        amount = _hedged(fig.hedge, _unitless(fig))
        head = f"{amount} {name}"
    else:
        amount = _hedged(fig.hedge, bare_amount(fig, unit))
        head = f"{amount} of {name}" if unit in OF_UNITS else f"{amount}: {name}"
    places = kb.names_of("regions", fig.regions)
    where = "in " + (" and ".join(places) if len(places) <= 2 else ", ".join(places[:-1]) + " and " + places[-1])
    giver, ref = giver_of(kb, fig)
    return FigureWords(
        amount=amount,
        head=head,
        where=where if places else "",
        where_in_name=bool(places) and all(place.casefold() in name.casefold() for place in places),
        when=str(fig.as_of),
        giver=giver,
        giver_ref=ref,
        cite=cite_text(fig.cite) if fig.cite else "",
    )


def figure_text(kb: KnowledgeBase, fig: Figure, *, cite: bool = True) -> str:
    """The figure's sentence, e.g. for a preview or a copied line."""
    return figure_words(kb, fig).text(cite=cite)


Scope = tuple[str, frozenset[str], "int | None"]


def scope_of(fig: Figure) -> Scope:
    """What a figure is about: its measure, its places and the year of its as_of (None: unknown).
    Figures compare only within one scope; they compete only where the source sets them against
    each other (`competes_with`)."""
    return fig.measure, frozenset(fig.regions), fig.as_of.year


def same_scope(kb: KnowledgeBase, fig: Figure) -> list[Figure]:
    """The other figures of the same measure, places and year, in data order."""
    scope = scope_of(fig)
    return [
        o
        for o in kb.referrers("measures", fig.measure, Figure, via="measure")
        if o.id != fig.id and scope_of(o) == scope
    ]
