"""What the detail pane says about a record, as plain data: sections of lines made of text and links.

Textual-free, so the same outline feeds the screen, copying as Markdown and tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import (
    Assessment,
    Cite,
    Event,
    Figure,
    Group,
    Measure,
    Organization,
    Person,
    Record,
    Region,
    Relationship,
    Source,
    Topic,
    Work,
)
from tui.presentation.figure_words import QUALIFIERS, amount_with_unit, figure_words, number, same_scope
from tui.presentation.outline import Line, Link, Outline, Section, Segment
from tui.presentation.source_voice import (
    BACKGROUND,
    STRUCTURAL,
    certainty_text,
    cite_text,
    group_name,
    hedge_note,
    ours,
    period_text,
    person_name,
    speaker_title,
    with_hedge,
)

__all__ = ["QUALIFIERS", "amount_with_unit", "cite_text", "describe", "figure_line", "number"]

T = TypeVar("T")


RELATION_LABELS = {
    "branch-of": ("Branch of", "Branches"),
    "affiliate-of": ("Affiliate of", "Affiliates"),
    "pledged-allegiance-to": ("Pledged allegiance to", "Allegiance pledged by"),
    "aligned-with": ("Aligned with", "Aligned with it"),
    "rival-of": ("Rival of", "Rival of"),
    "fights": ("Fights", "Fights"),
    "ally-of": ("Ally of", "Ally of"),
    "splinter-of": ("Splinter of", "Splinters"),
    "pressures": ("Puts pressure on", "Under pressure from"),
}
GROUP_SIDES = (
    ("ISIS and its branches", ("isis-core", "isis-branch", "isis-affiliate", "isis-aligned")),
    ("Competitors and other armed groups", ("jihadist-rival", "insurgency")),
    ("State and coalition forces", ("state-force", "coalition-force")),
)


def link(kb: KnowledgeBase, kind: str, record_id: str) -> Link:
    record = kb.get(kind, record_id)
    return Link(kind, record_id, kb.name_of(record) if record else record_id)


def link_any(kb: KnowledgeBase, kinds: tuple[str, ...], record_id: str) -> Link:
    kind = next((k for k in kinds if kb.get(k, record_id)), kinds[0])
    return link(kb, kind, record_id)


def cited_from(kb: KnowledgeBase, cites: tuple[Cite, ...]) -> list[Line]:
    """One line per source, naming it once with every paragraph cited from it ('Title ¶11, ¶18, ¶29'):
    a record citing one article five times used to repeat the article's full title five times."""
    by_source: dict[str, list[str]] = {}
    for c in cites:
        by_source.setdefault(c.source, []).append(c.paragraphs)
    return [(link(kb, "sources", source), " " + ", ".join(paras)) for source, paras in by_source.items()]


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def speaker_link(kb: KnowledgeBase, a: Assessment) -> Link:
    """A link to who said it (a person, "(unnamed)" when collective, or a source); the bare id when neither is known."""
    speaker = kb.speaker_of(a)
    return (
        Link(speaker.KIND, speaker.id, speaker_title(kb, speaker.id))
        if speaker
        else Link("people", a.speaker, a.speaker)
    )


def figure_line(kb: KnowledgeBase, fig: Figure) -> Line:
    """The figure's sentence (figure_words), with the figure and who gives it as links."""
    words = figure_words(kb, fig)
    giver: Segment = Link(*words.giver_ref, words.giver) if words.giver_ref else words.giver
    by: tuple[Segment, ...] = (", according to ", giver) if words.giver else (f", {words.by}",)
    return (Link("figures", fig.id, words.head), words.place_and_time, *by, " ", cite_text(fig.cite))


def event_line(event: Event) -> Line:
    when = period_text(event.date, event.until)
    return (f"{when}: ", Link("events", event.id, with_hedge(event.name, event.hedge)), " ", cite_text(event.cite))


def relaying(kb: KnowledgeBase, a: Assessment) -> Line:
    """ ", relayed by " and a link to who relays the speaker's words; nothing when no one does."""
    return (", relayed by ", link_any(kb, ("people", "sources"), a.via)) if a.via else ()


def assessment_line(kb: KnowledgeBase, a: Assessment) -> Line:
    """Who said it (relayed by whom), the words (or our paraphrase), the hedge, the citation."""
    quote = f"“{a.text}”" if a.text else f"(paraphrase) {a.summary}"
    hedge = f" ({hedge_note(a.hedge)})" if a.hedge else ""
    return (
        speaker_link(kb, a),
        *relaying(kb, a),
        ": ",
        Link("assessments", a.id, quote),
        hedge,
        " ",
        cite_text(a.cite),
    )


def _links(kb: KnowledgeBase, kind: str, ids: tuple[str, ...]) -> Line:
    out: list[Segment] = []
    for i, record_id in enumerate(ids):
        if i:
            out.append(", ")
        out.append(link(kb, kind, record_id))
    return tuple(out)


COMPETING = "Competing estimates (the source sets them against this one)"
SAME_SCOPE = "Other estimates of this measure, place and year"
SECTION_LIMIT = 100  # lines shown per section; the views list everything


def _section(heading: str, items: Sequence[T], render: Callable[[T], Line]) -> list[Section]:
    """A section listing `items`, at most SECTION_LIMIT of them rendered (regions can hold 100k)."""
    if not items:
        return []
    shown = [render(item) for item in items[:SECTION_LIMIT]]
    if len(items) > SECTION_LIMIT:
        shown.append((f"… and {len(items) - SECTION_LIMIT:,} more",))
    return [Section(f"{heading} ({len(items):,})", shown, "listing")]


def _common_tail(kb: KnowledgeBase, record: Record, *, region: str | None = None) -> list[Section]:
    """Figures, events and assessments linked to the record, then its citations."""
    kind = record.KIND
    if region:
        figures, events, said = kb.figures_in(region), kb.events_in(region), kb.assessments_in(region)
    else:
        figures = kb.referrers(kind, record.id, Figure)
        events = sorted(kb.referrers(kind, record.id, Event), key=lambda e: e.date.sort_key())
        said = kb.referrers(kind, record.id, Assessment)
    return [
        *_section("Figures", figures, lambda f: figure_line(kb, f)),
        *_section("Events", events, event_line),
        *_section("Assessments", said, lambda a: assessment_line(kb, a)),
        Section("Cited from", cited_from(kb, record.cite), "citations"),
    ]


def _region(kb: KnowledgeBase, r: Region) -> Outline:
    path = " › ".join(a.name for a in kb.ancestors(r.id))
    subtitle = ours(r.kind) + (f" · {iso_text(kb, r)}" if r.iso else "") + (f" · in {path}" if path else "")
    groups = kb.groups_in(r.id)
    sections = [Section("", [(r.summary,)])] if r.summary else []
    if r.structural:
        sections.append(Section("", [(f"{r.name}: {STRUCTURAL}",)]))
    for heading, kinds in GROUP_SIDES:
        sections += _section(
            heading,
            [g for g in groups if g.kind in kinds],
            lambda g: (Link("groups", g.id, group_name(g)), f" — {g.kind}"),
        )
    sections += _section(
        "Places within",
        kb.children(r.id),
        lambda c: (Link("regions", c.id, c.name), f" — {c.kind}, {plural(kb.group_count(c.id), 'group')}"),
    )
    return Outline("regions", r.id, r.name, subtitle, sections + _common_tail(kb, r, region=r.id))


def iso_text(kb: KnowledgeBase, r: Region) -> str:
    """ "IQ (ISO 3166-1 alpha-2)": the code and the standard it comes from (background knowledge, not
    the source's). In the subtitle: a line more would make short pages scroll, and paint twice."""
    standard = kb.get(Source, r.iso_source) if r.iso_source else None
    return f"{r.iso} ({'ISO 3166-1 alpha-2' if standard is not None else 'ISO code, source not given'})"


def _group(kb: KnowledgeBase, g: Group) -> Outline:
    sections = [Section("", [(g.summary, " ", cite_text(g.cite))])]  # no heading: right under the title
    by_label: dict[str, list[Line]] = {}
    for rel in kb.relationships_of(g.id):
        outgoing = rel.from_ == g.id
        label = RELATION_LABELS[rel.type][0 if outgoing or kb.is_symmetric(rel) else 1]
        other = link(kb, "groups", kb.other_side(rel, g.id))
        by_label.setdefault(label, []).append(
            (
                other,
                f" — {certainty_text(rel.certainty, rel.hedge, short=True)}",
                f", {rel.date}" if rel.date else "",
                " ",
                Link("relationships", rel.id, cite_text(rel.cite)),
            )
        )
    for label, lines in by_label.items():
        sections.append(Section(label, lines))
    sections.append(Section("Active in", [_links(kb, "regions", g.regions)]))
    if g.status:
        sections.append(Section("Status", [(g.status,)]))
    if g.aliases:
        sections.append(Section("Also called", [(", ".join(g.aliases),)]))
    return Outline("groups", g.id, group_name(g), ours(g.kind), sections + _common_tail(kb, g))


def _person(kb: KnowledgeBase, p: Person) -> Outline:
    roles: list[Line] = []
    for role in p.roles:
        named = role.organization is None or kb.role_names_organization(role)
        org: Line = () if named else (", ", link(kb, "organizations", role.organization or ""))
        roles.append((("former: " if role.former else "") + role.title, *org))
    sections = [Section("Roles", roles)] if roles else []
    if p.summary:
        sections.insert(0, Section("About", [(p.summary,)]))
    works = kb.referrers(Person, p.id, Work)
    sections += _section("Books", works, lambda w: (Link("works", w.id, w.title),))
    subtitle = "unnamed people the source speaks of as a group" if p.collective else "person"
    return Outline("people", p.id, person_name(p), subtitle, sections + _common_tail(kb, p))


def _figure(kb: KnowledgeBase, f: Figure) -> Outline:
    measure = kb.get(Measure, f.measure)
    words = figure_words(kb, f)
    sections = [
        Section("Value", [figure_line(kb, f)]),
        Section("Summary", [(f.summary,)]),
        Section(
            "Measures",
            [
                (
                    link(kb, "measures", f.measure),
                    f" — {measure.summary}" if measure is not None and measure.summary else "",
                )
            ],
        ),
    ]
    if f.regions:
        sections.append(Section("Where", [_links(kb, "regions", f.regions)]))
    sections.append(Section("When", [(words.when,)]))
    if f.groups:
        sections.append(Section("Of", [_links(kb, "groups", f.groups)]))
    competing = [o for o in kb.competing(f) if o.id != f.id]
    sections += _section(COMPETING, competing, lambda o: figure_line(kb, o))
    others = [o for o in same_scope(kb, f) if o not in competing]
    sections += _section(SAME_SCOPE, others, lambda o: figure_line(kb, o))
    sections.append(Section("Cited from", [(cite_text(f.cite),)], "citations"))
    subtitle = f"figure · {words.where + ', ' if words.where else ''}{words.when} · {words.by}"
    return Outline("figures", f.id, words.head, subtitle, sections)


def _event(kb: KnowledgeBase, e: Event) -> Outline:
    when = period_text(e.date, e.until)
    known = f" (known to the {e.date.precision})" if e.date.known else ""
    sections = [Section("When", [(when + known,)])]
    if e.hedge:
        sections.append(Section("The source hedges", [(hedge_note(e.hedge),)]))
    sections.append(Section("Summary", [(e.summary,)]))
    if e.regions:
        sections.append(Section("Where", [_links(kb, "regions", e.regions)]))
    if e.actors:
        sections.append(Section("Actors", [_links(kb, "groups", e.actors)]))
    return Outline("events", e.id, e.name, f"event · {when}", sections + _common_tail(kb, e))


def _generic(kb: KnowledgeBase, record: Record) -> Outline:
    """Sources, organizations, works, topics, measures, relationships, assessments."""
    lines: list[Section] = []
    if isinstance(record, Assessment):
        speaker = kb.speaker_of(record)
        role = f" — {kb.role_of(speaker)}" if isinstance(speaker, Person) and speaker.roles else ""
        lines.append(Section("Speaker", [(speaker_link(kb, record), role)]))
        if record.via:
            lines.append(Section("Relayed by", [(link_any(kb, ("people", "sources"), record.via),)]))
        if record.text:
            lines.append(Section("Quote (verbatim)", [(f"“{record.text}”", " ", cite_text(record.cite))]))
        if record.hedge:
            lines.append(Section("The source hedges", [(hedge_note(record.hedge),)]))
        lines.append(Section("In our words", [(record.summary,)]))
        for kind, ids in (("groups", record.groups), ("regions", record.regions), ("topics", record.topics)):
            if ids:
                lines.append(Section(f"About ({kind})", [_links(kb, kind, ids)]))
    elif isinstance(record, Relationship):
        lines.append(
            Section(
                "Between",
                [
                    (
                        link(kb, "groups", record.from_),
                        f" {RELATION_LABELS[record.type][0].lower()} ",
                        link(kb, "groups", record.to),
                    )
                ],
            )
        )
        certainty = certainty_text(record.certainty, record.hedge)
        lines.append(Section("Certainty", [(certainty + (f", {record.date}" if record.date else ""),)]))
        lines.append(Section("Summary", [(record.summary,)]))
    elif isinstance(record, Work):
        lines.append(Section("Authors", [_links(kb, "people", record.authors)]))
    elif isinstance(record, Organization):
        if record.parent:
            lines.append(Section("Part of", [(link(kb, "organizations", record.parent),)]))
        for sub in kb.referrers(Organization, record.id, Organization):
            lines.append(Section("Includes", [(Link("organizations", sub.id, sub.name),)], "listing"))
        lines += _section(
            "People", kb.referrers(Organization, record.id, Person), lambda p: (Link("people", p.id, p.name),)
        )
    elif isinstance(record, Source):
        meta = ", ".join(x for x in (record.kind, str(record.date) if record.date else "", record.url or "") if x)
        lines.append(Section("Source", [(meta,)]))
        if record.summary:
            lines.append(Section("About", [(record.summary,)]))
    elif isinstance(record, (Topic, Measure)) and record.summary:
        lines.append(Section("About", [(record.summary,)]))
    if isinstance(record, Measure):
        lines += _section("Estimates", kb.referrers(Measure, record.id, Figure), lambda f: figure_line(kb, f))
    subtitle = type(record).LABEL
    if isinstance(record, Source) and record.kind in ("standard", "gazetteer"):
        subtitle += f" · {BACKGROUND}"  # e.g. ISO 3166: the article does not cite it
    return Outline(record.KIND, record.id, kb.name_of(record), subtitle, lines + _common_tail(kb, record))


def describe(kb: KnowledgeBase, kind: str, record_id: str) -> Outline | None:
    record = kb.get(kind, record_id)
    if record is None:
        return None
    if isinstance(record, Region):
        return _region(kb, record)
    if isinstance(record, Group):
        return _group(kb, record)
    if isinstance(record, Person):
        return _person(kb, record)
    if isinstance(record, Figure):
        return _figure(kb, record)
    if isinstance(record, Event):
        return _event(kb, record)
    return _generic(kb, record)
