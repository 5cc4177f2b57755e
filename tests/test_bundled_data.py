"""The bundled knowledge base is faithful to its source: quotes verbatim, numbers as printed, all cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.knowledge.records import Assessment, Event, Figure, Measure, Organization, Person, Relationship, Source
from tui.loading.loader import load

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "sources" / "isis-post-caliphate-article.txt"


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    if not ARTICLE.exists():
        pytest.skip(f"source article not beside the repo ({ARTICLE})")
    return ARTICLE.read_text(encoding="utf-8").splitlines()


def cited_text(record, paragraphs: list[str]) -> str:
    return "\n".join(
        paragraphs[n - 1] for c in record.cite if c.source == "article" for n in range(c.first, c.last + 1)
    )


def test_every_citation_points_inside_the_article(kb, paragraphs) -> None:
    for kind, record in kb.all_records():
        for cite in record.cite:
            if cite.source == "article":
                assert 1 <= cite.first <= cite.last <= len(paragraphs), (kind, record.id, cite)


def test_quotes_are_verbatim_in_the_cited_paragraphs(kb, paragraphs) -> None:
    quotes = [a for a in kb.of_kind("assessments") if isinstance(a, Assessment) and a.text]
    assert len(quotes) >= 12
    for quote in quotes:
        assert quote.text in cited_text(quote, paragraphs), quote.id


def test_large_numbers_appear_as_printed_in_the_cited_paragraphs(kb, paragraphs) -> None:
    figures = [f for f in kb.of_kind("figures") if isinstance(f, Figure)]
    checked = 0
    for fig in figures:
        text = cited_text(fig, paragraphs)
        for number in (fig.value, fig.low, fig.high):
            if number is not None and number >= 100:  # smaller ones are often words ("nine-month")
                printed = rf"\b{number:,}\b" if number < 1_000_000 else rf"\b{number / 1e6:g} million\b"
                assert re.search(printed, text), (fig.id, number)
                checked += 1
    assert checked >= 8


@pytest.mark.parametrize(
    "phrase",
    [
        "dribs and drabs",
        "proto-state",
        "crystal ball",
        "core of ISIS",
        "symbolically more than operationally",
        "from scratch",
        "lawless states",
        "formal province",
        "necessary but not sufficient",
        "cracks and seams",
    ],
)
def test_each_named_quote_is_in_the_data(kb, phrase: str) -> None:
    assert any(phrase in (a.text or "") for a in kb.of_kind("assessments"))


@pytest.mark.parametrize(
    "name",
    [
        "Ali Soufan",
        "Chris Maier",
        "Hassan Hassan",
        "Michael Weiss",
        "Daniel Byman",
        "Lina Khatib",
        "Seth Jones",
        "Bruce Hoffman",
        "Dominique Soguel",
    ],
)
def test_every_named_person_is_present(kb, name: str) -> None:
    assert name in {p.name for p in kb.of_kind("people")}


@pytest.mark.parametrize(
    "place",
    [
        "Iraq",
        "Syria",
        "Mosul",
        "Tal Afar",
        "Hawijah",
        "Raqqa",
        "Libya",
        "Sirte",
        "Egypt",
        "Sinai",
        "Afghanistan",
        "Yemen",
        "Somalia",
        "Nigeria",
        "Niger",
        "Sahel",
        "Philippines",
        "Mindanao",
        "Marawi",
        "Indonesia",
    ],
)
def test_every_place_is_in_the_region_tree(kb, place: str) -> None:
    names = {r.name for r in kb.regions}
    assert place in names
    region = next(r for r in kb.regions if r.name == place)
    assert kb.ancestors(region.id)[-1] is kb.world


def test_khorasan_competitors(kb) -> None:
    khorasan = next(g for g in kb.groups if "ISIS-Khorasan" in (g.name, *g.aliases))
    others = {kb.get("groups", kb.other_side(r, khorasan.id)).name for r in kb.relationships_of(khorasan.id)}
    assert {"Taliban", "Haqqani network"} <= {n.removeprefix("the ").removeprefix("The ") for n in others}


def figure(kb, figure_id: str) -> Figure:
    record = kb.get(Figure, figure_id)
    assert record is not None, figure_id
    return record


def test_competing_foreign_fighter_estimates_are_linked_both_ways(kb) -> None:
    """¶24 sets some analysts' range against US Central Command's figure: the one competing pair."""
    centcom = next(f for f in kb.records(Figure) if f.value == 40000 and f.qualifier == "more-than")
    analysts = next(f for f in kb.records(Figure) if f.low == 20000 and f.high == 30000)
    assert centcom.competes_with == (analysts.id,)
    assert analysts.competes_with == (centcom.id,)
    assert centcom.measure == analysts.measure and set(centcom.regions) == set(analysts.regions)
    assert analysts.given_by == "some-analysts" and analysts.attribution is None
    competing = {f.id for f in kb.records(Figure) if f.competes_with}
    assert competing == {centcom.id, analysts.id}


def test_foreign_fighters_of_p11_and_p24_are_different_measures(kb) -> None:
    """ "Up to 40,000" living in ISIS territory at the 2014 peak (¶11) is not a rival of the
    "more than 40,000" who joined ISIS (¶24)."""
    peak = figure(kb, "foreign-fighters-2014-peak")
    centcom = figure(kb, "foreign-fighters-centcom")
    assert peak.measure != centcom.measure
    assert not peak.competes_with
    assert "foreign fighters" in kb.get(Measure, peak.measure).name


def test_figures_carry_the_articles_hedges_and_no_giver_it_does_not_name(kb) -> None:
    iraq_syria = figure(kb, "isis-fighters-remaining-iraq-syria")  # "An estimated 6,000 to 10,000" (¶29)
    assert (iraq_syria.hedge, iraq_syria.qualifier) == ("estimated", "exact")
    assert iraq_syria.given_by is None and iraq_syria.attribution is None and iraq_syria.unattributed
    somalia = figure(kb, "isis-fighters-remaining-somalia")  # "perhaps fewer than 100" (¶34)
    assert (somalia.hedge, somalia.qualifier) == ("perhaps", "fewer-than")
    for fig in kb.records(Figure):
        assert fig.given_by not in {c.source for c in fig.cite}, fig.id  # not `given_by: article`
        assert fig.unattributed == (fig.given_by is None and fig.attribution is None), fig.id


def test_isis_in_yemen_as_a_branch_is_not_stated(kb) -> None:
    """¶34 only says Al Qaeda is the main competitor in Yemen, among places where ISIS seeks a foothold."""
    assert kb.get(Relationship, "isis-yemen-branch-of-isis").certainty == "inferred"
    # ¶33 hedges the expansion ("an apparent expansion"), not the presence: the event carries the hedge
    assert kb.get(Relationship, "isis-egypt-branch-of-isis").certainty == "implied"
    assert kb.get(Event, "isis-egypt-apparent-expansion").hedge == "apparent"
    assert kb.get(Relationship, "iraqi-forces-fight-isis").certainty == "implied"  # ¶6 never says "from ISIS"


def test_dates_the_article_does_not_give_are_inferred_or_unknown(kb) -> None:
    mosul = kb.get(Event, "mosul-campaign")  # "the nine-month campaign", ended in July (¶6, ¶12)
    assert (mosul.date.iso(), mosul.until.iso()) == ("inferred 2016", "inferred 2017-07")
    for event_id in ("foreign-fighters-return-home", "hawijah-cleared"):
        assert not kb.get(Event, event_id).date.known, event_id
    assert kb.get(Event, "sirte-ouster").date.iso() == "inferred late 2016"  # "the end of last year"
    assert kb.get(Source, "article").date.inferred


def test_unnamed_speakers_are_collectives_and_relayed_words_say_who_relays_them(kb) -> None:
    for person_id, name in (
        ("some-analysts", "Some analysts"),
        ("few-analysts", "Few analysts"),
        ("defeat-isis-community", "The Defeat ISIS community"),
    ):
        person = kb.get(Person, person_id)
        assert person.collective and person.name == name
        assert any(a.speaker == person_id for a in kb.records(Assessment)), person_id
    phrase = kb.get(Assessment, "maier-necessary-not-sufficient")
    assert (phrase.speaker, phrase.via) == ("defeat-isis-community", "chris-maier")
    few = kb.get(Assessment, "few-analysts-caliphate-resurrection")
    assert few.hedge == "likely" and few.text is None  # the article's report of a view, not a quotation


def test_background_knowledge_is_marked(kb) -> None:
    assert {r.id for r in kb.regions if r.structural} == {
        "east-africa",
        "south-asia",
        "europe",
        "north-america",
        "united-kingdom",
    }
    iso = kb.get(Source, "iso-3166")
    assert iso.kind == "standard" and not iso.cite
    assert all(r.iso_source == "iso-3166" for r in kb.regions if r.iso)


def test_role_titles_do_not_repeat_their_organization(kb) -> None:
    """ "Director, RAND international security and defense policy center", not "Director of RAND's
    international security and defense policy center, RAND international security ...". A title
    may name its organization ("FBI agent") when the organization is then left out."""
    for person in kb.records(Person):
        for role in person.roles:
            if role.organization:
                org = kb.get(Organization, role.organization)
                words = kb.role_text(role).casefold()
                assert words.count(org.name.casefold()) == 1, (person.id, words)
                assert not (role.title.casefold().startswith(("director of", "head of"))), (person.id, role.title)


@pytest.mark.parametrize(
    ("paragraph", "words"),
    [
        (7, "seduced by ISIS’s jihadist state-building project"),
        (9, "bringing benefits to a cause already long established"),
        (18, "logistics of actually making such a move are daunting"),
        (22, "travelled to other hubs of ISIS activity"),
        (36, "to attract attention and boost their cause"),
    ],
)
def test_facts_once_missing_are_in_a_record_citing_their_paragraph(kb, paragraphs, paragraph: int, words: str) -> None:
    assert words in paragraphs[paragraph - 1]
    plain = words.replace("’", "'")
    citing = [
        record
        for _, record in kb.all_records()
        if any(c.source == "article" and c.first <= paragraph <= c.last for c in record.cite)
    ]
    assert any(plain in (getattr(r, "summary", None) or "").replace("’", "'") for r in citing), paragraph


# Plausible boxes (south, west, north, east) around four countries, wide enough for any fair representative point.
PLAUSIBLE = {
    "iraq": (29, 38, 38, 49),
    "afghanistan": (29, 60, 39, 75),
    "nigeria": (4, 2, 14, 15),
    "philippines": (4, 116, 21, 127),
}


@pytest.mark.parametrize("region_id", sorted(PLAUSIBLE))
def test_a_country_point_lies_in_the_country(kb, region_id: str) -> None:
    south, west, north, east = PLAUSIBLE[region_id]
    point = kb.get("regions", region_id).point
    assert point is not None and south <= point[0] <= north and west <= point[1] <= east, (region_id, point)


def test_every_city_and_country_has_coordinates_from_a_gazetteer_and_no_area_has_any(kb) -> None:
    mapped = [r for r in kb.regions if r.kind in ("city", "country")]
    assert len(mapped) == 23
    for region in mapped:
        assert region.point is not None and region.coords_source is not None, region.id
        assert kb.get(Source, region.coords_source).kind == "gazetteer", region.id
        assert (region.bbox is not None) == (region.kind == "country"), region.id
    expected = {"city": "geonames", "country": "natural-earth"}
    assert all(r.coords_source == expected[r.kind] for r in mapped)
    for region in kb.regions:
        if region.kind not in ("city", "country"):
            assert (region.point, region.bbox, region.coords_source) == (None, None, None), region.id
    for source_id in ("geonames", "natural-earth"):
        assert not kb.get(Source, source_id).cite  # background knowledge: the article names no gazetteer
