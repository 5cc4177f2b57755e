"""The bundled knowledge base is faithful to its source: quotes verbatim, numbers as printed, all cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.knowledge.records import Assessment, Figure
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
    quotes = [a for a in kb.table("assessments").values() if isinstance(a, Assessment) and a.text]
    assert len(quotes) >= 12
    for quote in quotes:
        assert quote.text in cited_text(quote, paragraphs), quote.id


def test_large_numbers_appear_as_printed_in_the_cited_paragraphs(kb, paragraphs) -> None:
    figures = [f for f in kb.table("figures").values() if isinstance(f, Figure)]
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
    assert any(phrase in (a.text or "") for a in kb.table("assessments").values())


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
    assert name in {p.name for p in kb.table("people").values()}


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


def test_competing_foreign_fighter_estimates_stay_separate(kb) -> None:
    centcom = next(f for f in kb.table("figures").values() if f.value == 40000 and f.qualifier == "more-than")
    estimates = kb.competing(centcom)
    assert any(f.low == 20000 and f.high == 30000 for f in estimates)
    assert len({f.id for f in estimates}) >= 2
