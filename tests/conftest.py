"""Shared fixtures: a small valid knowledge base written to tmp_path, and helpers to probe refusals."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.loading.loader import load
from tui.loading.problems import DataError, Problem

# One file per kind; every record cites the one source. Tests add records in extra files (a kind may
# appear in several files) or replace a whole file by passing its kind as a keyword to `write_kb`.
BASE_KB: dict[str, str] = {
    "sources": """\
        sources:
          - id: article
            title: An article about the group
            kind: article
            date: late 2017-10
            cite: article/p1
          - id: iso-3166
            title: ISO 3166-1 alpha-2 country codes
            kind: standard
        """,
    "organizations": """\
        organizations:
          - id: think-tank-x
            name: Think Tank X
            kind: think-tank
            location: iraq
            cite: article/p2
        """,
    "regions": """\
        regions:
          - id: world
            name: World
            kind: world
            cite: article/p3
          - id: middle-east
            name: Middle East
            kind: region
            parent: world
            cite: article/p3
          - id: iraq
            name: Iraq
            kind: country
            iso: IQ
            iso_source: iso-3166
            parent: middle-east
            cite: article/p4
          - id: mosul
            name: Mosul
            kind: city
            parent: iraq
            cite: article/p4-5
        """,
    "groups": """\
        groups:
          - id: islamic-state
            name: Islamic State
            kind: isis-core
            regions: [iraq, mosul]
            summary: The core group.
            cite: [article/p5, article/p6]
          - id: mosul-cell
            name: Mosul cell
            kind: isis-branch
            regions: [mosul]
            summary: A cell in Mosul.
            cite: article/p6
        """,
    "relationships": """\
        relationships:
          - id: cell-branch-of-core
            type: branch-of
            from: mosul-cell
            to: islamic-state
            certainty: stated
            summary: The cell belongs to the core group.
            cite: article/p6
        """,
    "measures": """\
        measures:
          - id: fighters
            name: Fighters
            unit: people
            cite: article/p7
        """,
    "figures": """\
        figures:
          - id: fighters-estimate
            measure: fighters
            value: 5600
            qualifier: about
            hedge: estimated
            as_of: 2017-10
            competes_with: [fighters-range]
            summary: About 5,600 fighters.
            cite: article/p7
          - id: fighters-range
            measure: fighters
            low: 3000
            high: "4000"
            qualifier: exact
            as_of: 2017
            given_by: analyst-a
            summary: Between 3,000 and 4,000 fighters.
            cite: article/p8
        """,
    "people": """\
        people:
          - id: analyst-a
            name: Analyst A
            roles:
              - title: Senior analyst
                organization: think-tank-x
              - title: Adviser
                former: true
            location: iraq
            cite: article/p8
        """,
    "works": """\
        works:
          - id: book-a
            title: A Book
            kind: book
            authors: [analyst-a]
            cite: article/p9
        """,
    "topics": """\
        topics:
          - id: returnees
            name: Returnees
            cite: article/p9
        """,
    "assessments": """\
        assessments:
          - id: analyst-a-not-over
            speaker: analyst-a
            text: "“It is not over,” she said. “They will wait in the desert and come back when the state is weak.”"
            summary: The analyst thinks the group is not finished.
            groups: [islamic-state]
            topics: [returnees]
            cite: article/p10
        """,
    "events": """\
        events:
          - id: fall-of-mosul
            name: Fall of Mosul
            date: 2017-07
            regions: [mosul]
            actors: [islamic-state]
            summary: The city was retaken.
            cite: article/p11
        """,
}

BASE_COUNTS = {
    "sources": 2,
    "organizations": 1,
    "regions": 4,
    "groups": 2,
    "relationships": 1,
    "measures": 1,
    "figures": 2,
    "people": 1,
    "works": 1,
    "topics": 1,
    "assessments": 1,
    "events": 1,
}


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, col) of the `nth` occurrence of `needle` in (dedented) `text`."""
    text = dedent(text)
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.fixture
def write_kb(tmp_path: Path) -> Callable[..., Path]:
    """`write_kb(**files)`: the base knowledge base in tmp_path/kb, then `NAME=text` writes
    NAME.yaml (replacing a base kind, or adding a file); `NAME=None` removes a base file."""

    def write(**files: str | None) -> Path:
        root = tmp_path / "kb"
        root.mkdir(exist_ok=True)
        for name, text in {**BASE_KB, **files}.items():
            target = root / f"{name}.yaml"
            if text is None:
                target.unlink(missing_ok=True)
            else:
                target.write_text(dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture
def kb(write_kb: Callable[..., Path]) -> KnowledgeBase:
    return load(write_kb())


def problems_of(path: Path | str, **kwargs: int) -> list[Problem]:
    """The problems `load` reports; fails the test when it loads."""
    with pytest.raises(DataError) as info:
        load(path, **kwargs)
    return info.value.problems


@pytest.fixture
def refused() -> Callable[..., list[Problem]]:
    """`refused(path, **load_kwargs)`: the sorted problems `load` reports (fails if it loads)."""
    return problems_of


@pytest.fixture
def locate() -> Callable[..., tuple[int, int]]:
    """`locate(text, needle, nth=0)`: 1-based (line, col) of a needle in a file's text."""
    return where


@pytest.fixture
def base_counts() -> dict[str, int]:
    """How many records of each kind the base knowledge base holds."""
    return dict(BASE_COUNTS)


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path_factory, monkeypatch):
    """Tests (and the app processes they start) keep their parse cache out of the user's, and never
    read the user's config file: the default config place is an empty tmp dir."""
    monkeypatch.setenv("ISIS_EXPLORER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("ISIS_EXPLORER_DATA_DIR", str(tmp_path_factory.mktemp("user-data")))  # the marks
    monkeypatch.delenv("ISIS_EXPLORER_CONFIG", raising=False)
