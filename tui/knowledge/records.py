"""The kinds of record in a knowledge base: frozen dataclasses whose fields carry their own specs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from tui.knowledge.dates import PartialDate
from tui.knowledge.fields import (
    boolean,
    cites,
    date_spec,
    enum,
    nested,
    number,
    numbers,
    ref,
    refs,
    string,
    strings,
)

_FROZEN = {"frozen": True, "slots": True, "kw_only": True}

# The source's own hedges, as the article words them: "perhaps fewer than", "an apparent expansion"
# (and "appears contained"), "an estimated", "is likely to", "referred to by some as".
# Qualifiers (more-than, up-to, ...) say what a number bounds; a hedge says how sure the source is.
HEDGES = ("perhaps", "apparent", "estimated", "likely", "some-say")
HEDGE_WORDS = {
    "perhaps": "perhaps",
    "apparent": "apparently",
    "estimated": "an estimated",
    "likely": "likely",
    "some-say": "as some call it",
}
# How the source supports a relationship: it says so / its words imply it / we inferred it.
CERTAINTIES = ("stated", "implied", "inferred")
OURS = "our classification, not the source's words"


def hedge_field(doc: str = "") -> Any:
    """An optional hedge field: one of HEDGES."""
    return enum(*HEDGES, doc=doc or "the source's hedge, when it hedges: " + ", ".join(HEDGES), required=False)


@dataclass(frozen=True, slots=True)
class Cite:
    """A place in a source: paragraphs `first`..`last` of source `source`."""

    source: str
    first: int
    last: int

    @property
    def paragraphs(self) -> str:
        """`¶5` or `¶5–7`: the paragraphs, as the screen and the briefing show them."""
        return f"¶{self.first}" if self.first == self.last else f"¶{self.first}–{self.last}"

    def __str__(self) -> str:
        return f"{self.source} {self.paragraphs}"

    def as_data(self) -> str:
        """`article/p5` or `article/p5-7`: the citation as the data files write it."""
        paras = f"p{self.first}" if self.first == self.last else f"p{self.first}-{self.last}"
        return f"{self.source}/{paras}"


@dataclass(**_FROZEN)
class Record:
    KIND: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""  # singular, for display

    id: str
    cite: tuple[Cite, ...] = cites()

    @property
    def title(self) -> str:
        """What the record is called on screen."""
        return getattr(self, "name", None) or self.id


@dataclass(**_FROZEN)
class Source(Record):
    KIND, LABEL = "sources", "source"
    # A standard or gazetteer (e.g. ISO 3166) is background knowledge: the article does not cite it.
    cite: tuple[Cite, ...] = cites(required=False)
    title_: str = string("title of the article, report or statement")
    kind: str = enum("article", "report", "study", "statement", "standard", "gazetteer")
    publisher: str | None = ref("organizations", required=False)
    date: PartialDate | None = date_spec(required=False)
    url: str | None = string(required=False)
    summary: str | None = string("our words", required=False)

    @property
    def title(self) -> str:
        return self.title_


@dataclass(**_FROZEN)
class Organization(Record):
    KIND, LABEL = "organizations", "organization"
    name: str = string()
    kind: str = enum(
        "think-tank", "government", "military", "university", "research-centre", "news-agency", "agency", doc=OURS
    )
    parent: str | None = ref("organizations", required=False, doc="the body it belongs to")
    aliases: tuple[str, ...] = strings()
    location: str | None = ref("regions", required=False)


@dataclass(**_FROZEN)
class Region(Record):
    KIND, LABEL = "regions", "region"
    name: str = string()
    kind: str = enum("world", "region", "subregion", "country", "area", "city", doc=OURS)
    parent: str | None = ref("regions", required=False, doc="required for all but the world; " + OURS)
    structural: bool = boolean("true when the source does not name it: it only holds a place in the tree")
    iso: str | None = string("ISO 3166-1 alpha-2, countries only", required=False)
    iso_source: str | None = ref("sources", required=False, doc="the standard the iso code comes from")
    point: tuple[float, float] | None = numbers(
        2, "where it is: [latitude, longitude] in degrees, from the gazetteer in coords_source, not the article"
    )
    bbox: tuple[float, float, float, float] | None = numbers(
        4,
        "the area it covers: [south, west, north, east] in degrees (no antimeridian crossing), from the "
        "gazetteer in coords_source, not the article",
    )
    coords_source: str | None = ref(
        "sources", required=False, doc="the gazetteer point and bbox come from; required with them"
    )
    aliases: tuple[str, ...] = strings()
    summary: str | None = string("our words", required=False)


@dataclass(**_FROZEN)
class Group(Record):
    KIND, LABEL = "groups", "group"
    name: str = string()
    kind: str = enum(
        "isis-core",
        "isis-branch",
        "isis-affiliate",
        "isis-aligned",
        "jihadist-rival",
        "insurgency",
        "state-force",
        "coalition-force",
        doc=OURS,
    )
    name_hedge: str | None = hedge_field("the source's hedge on the name, e.g. some-say for 'referred to by some as'")
    aliases: tuple[str, ...] = strings("names the source uses")
    regions: tuple[str, ...] = refs("regions", required=True, doc="where it acts")
    status: str | None = string("our words, as of the source", required=False)
    summary: str = string("our words")


SYMMETRIC_RELATIONS = frozenset({"rival-of", "fights", "ally-of"})
RELATION_VERBS = {
    "branch-of": "is a branch of",
    "affiliate-of": "is an affiliate of",
    "pledged-allegiance-to": "pledged allegiance to",
    "aligned-with": "is aligned with",
    "rival-of": "is a rival of",
    "fights": "fights",
    "ally-of": "is an ally of",
    "splinter-of": "is a splinter of",
    "pressures": "puts pressure on",
}
ACYCLIC_RELATIONS = frozenset({"branch-of", "affiliate-of", "splinter-of", "pledged-allegiance-to"})


@dataclass(**_FROZEN)
class Relationship(Record):
    KIND, LABEL = "relationships", "relationship"
    type: str = enum(
        "branch-of",
        "affiliate-of",
        "pledged-allegiance-to",
        "aligned-with",
        "rival-of",
        "fights",
        "ally-of",
        "splinter-of",
        "pressures",
    )
    from_: str = ref("groups")
    to: str = ref("groups")
    regions: tuple[str, ...] = refs("regions", doc="where")
    date: PartialDate | None = date_spec("only when the source dates it", required=False)
    certainty: str = enum(*CERTAINTIES, doc="stated in the source, implied by it, or inferred by us")
    hedge: str | None = hedge_field()
    summary: str = string("our words")

    @property
    def title(self) -> str:
        return f"{self.from_} {self.type} {self.to}"


@dataclass(**_FROZEN)
class Measure(Record):
    KIND, LABEL = "measures", "measure"
    name: str = string("what is counted, worded to follow a number: 'ISIS fighters remaining'")
    unit: str = string("e.g. people, km², percent")
    summary: str | None = string(required=False)

    @property
    def title(self) -> str:
        """The name starts a heading: 'Territory controlled by ISIS' (it is written to follow a number)."""
        return self.name[:1].upper() + self.name[1:]


@dataclass(**_FROZEN)
class Figure(Record):
    KIND, LABEL = "figures", "figure"
    measure: str = ref("measures")
    value: int | float | None = number("a single number; or give low and high")
    low: int | float | None = number("lower end of a range")
    high: int | float | None = number("upper end of a range")
    qualifier: str = enum("exact", "about", "at-least", "more-than", "up-to", "fewer-than", "less-than", "barely")
    hedge: str | None = hedge_field()
    regions: tuple[str, ...] = refs("regions", doc="where: the place the figure is about")
    groups: tuple[str, ...] = refs("groups")
    as_of: PartialDate = date_spec("when: the date or period the figure is about")
    given_by: str | None = ref(
        "sources", "people", "organizations", required=False, doc="who gives it; omit when the source does not say"
    )
    attribution: str | None = string("who gives it, when no record names them", required=False)
    unattributed: bool = boolean("true when the source does not say whose figure it is ('An estimated ...')")
    competes_with: tuple[str, ...] = refs(
        "figures", doc="estimates the source sets against this one: same measure, place and period"
    )
    summary: str = string("our words")

    @property
    def title(self) -> str:
        return self.summary


@dataclass(**_FROZEN)
class Role:
    title: str = string()
    organization: str | None = ref("organizations", required=False)
    former: bool = boolean("true for a past role")


@dataclass(**_FROZEN)
class Person(Record):
    KIND, LABEL = "people", "person"
    name: str = string()
    roles: tuple[Role, ...] = nested(Role, required=False)
    collective: bool = boolean("true for unnamed people the source speaks of as a group, e.g. 'some analysts'")
    location: str | None = ref("regions", required=False)
    summary: str | None = string(required=False)


@dataclass(**_FROZEN)
class Work(Record):
    KIND, LABEL = "works", "work"
    title_: str = string()
    kind: str = enum("book")
    authors: tuple[str, ...] = refs("people", required=True)

    @property
    def title(self) -> str:
        return self.title_


@dataclass(**_FROZEN)
class Topic(Record):
    KIND, LABEL = "topics", "topic"
    name: str = string()
    summary: str | None = string(required=False)


@dataclass(**_FROZEN)
class Assessment(Record):
    KIND, LABEL = "assessments", "assessment"
    speaker: str = ref("people", "sources")
    via: str | None = ref("people", "sources", required=False, doc="who relays the speaker's words in the source")
    text: str | None = string("verbatim quotation; omit for a paraphrase", required=False)
    hedge: str | None = hedge_field()
    summary: str = string("our words")
    groups: tuple[str, ...] = refs("groups")
    regions: tuple[str, ...] = refs("regions")
    topics: tuple[str, ...] = refs("topics")

    @property
    def title(self) -> str:
        return self.summary

    @property
    def is_quote(self) -> bool:
        return self.text is not None


@dataclass(**_FROZEN)
class Event(Record):
    KIND, LABEL = "events", "event"
    name: str = string()
    date: PartialDate = date_spec("when it happened, or when it began if it has an end")
    until: PartialDate | None = date_spec("when it ended, for an event that lasted", required=False)
    regions: tuple[str, ...] = refs("regions", doc="where")
    actors: tuple[str, ...] = refs("groups")
    hedge: str | None = hedge_field()
    summary: str = string("our words")


RECORD_TYPES: tuple[type[Record], ...] = (
    Source,
    Organization,
    Region,
    Group,
    Relationship,
    Measure,
    Figure,
    Person,
    Work,
    Topic,
    Assessment,
    Event,
)
KINDS: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}


def yaml_key(field_name: str) -> str:
    """Python field names that clash with builtins/properties end in `_`; YAML has none."""
    return field_name.rstrip("_")
