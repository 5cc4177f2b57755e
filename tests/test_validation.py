"""From records to a knowledge base: every refusal at its place, limits, and the model's queries."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from tui.knowledge.dates import parse_date
from tui.loading.loader import load
from tui.loading.problems import DataError

EXTRA = "zz.yaml"  # sorts after the base files, so "first at" always names a base file


def one_problem(root: Path):
    with pytest.raises(DataError) as info:
        load(root)
    assert len(info.value.problems) == 1, info.value.lines()
    return info.value.problems[0]


def test_base_kb_loads_with_its_counts(kb, base_counts):
    assert kb.counts() == base_counts
    assert kb.get("figures", "fighters-range").high == 4000
    assert kb.get("people", "analyst-a").roles[1].former is True
    assert (
        kb.get("assessments", "analyst-a-not-over").text
        == "“It is not over,” she said. “They will wait in the desert and come back when the state is weak.”"
    )
    assert str(kb.get("groups", "islamic-state").cite[1]) == "article ¶6"
    assert kb.get("regions", "mosul").cite[0].last == 5


def rec(kind: str, *records: str) -> str:
    """A file of `kind` records, each written as `field: value | field: value | ...`."""
    body = "".join("  - " + "\n    ".join(r.split(" | ")) + "\n" for r in records)
    return f"{kind}:\n{body}"


CITE = "cite: article/p1"
FIGURE = "measure: fighters | qualifier: about | as_of: 2017 | summary: S. | " + CITE
REL = "certainty: stated | summary: S. | " + CITE
AUTHOR = "title: W | kind: book | " + CITE
ISO_SOURCE = "iso_source: iso-3166"

# (file text, where the problem is: the first occurrence of this, what the message says)
REFUSALS = {
    "uncited": (
        rec("topics", "id: no-cite | name: N"),
        "id: no-cite",
        "topic 'no-cite' is missing required field 'cite'",
    ),
    "cite-unknown-source": (
        rec("topics", "id: t | name: T | cite: artcle/p1"),
        "artcle/p1",
        "unknown source 'artcle' (did you mean 'article'?)",
    ),
    "cite-malformed": (
        rec("topics", "id: t | name: T | cite: article p1"),
        "article p1",
        "cite must look like SOURCE/pN or SOURCE/pN-M, got 'article p1'",
    ),
    "cite-malformed-in-list": (
        rec("topics", "id: t | name: T | cite: [article/p1, article/1]"),
        "article/1",
        "got 'article/1'",
    ),
    "cite-empty-range": (
        rec("topics", "id: t | name: T | cite: article/p5-3"),
        "article/p5-3",
        "paragraph range 5-3 is empty",
    ),
    "cite-paragraph-0": (
        rec("topics", "id: t | name: T | cite: article/p0"),
        "article/p0",
        "paragraph range 0-0 is empty",
    ),
    "unknown-ref": (
        rec("groups", f"id: g | name: G | kind: insurgency | regions: [iraq, mosull] | summary: S. | {CITE}"),
        "mosull",
        "unknown region 'mosull' (did you mean 'mosul'?)",
    ),
    "unknown-ref-two-kinds": (
        rec("assessments", f"id: a | speaker: analyst-b | summary: S. | {CITE}"),
        "analyst-b",
        "unknown person or source 'analyst-b' (did you mean 'analyst-a'?)",
    ),
    "unknown-field": (
        rec("topics", f"id: t | name: T | sumary: S. | {CITE}"),
        "sumary",
        "unknown field 'sumary' in topic (did you mean 'summary'?)",
    ),
    "unknown-field-in-role": (
        rec("people", f"id: p | name: P | roles: [{{title: T, organisation: think-tank-x}}] | {CITE}"),
        "organisation",
        "unknown field 'organisation' in role (did you mean 'organization'?)",
    ),
    "unknown-kind": ("topic:\n  - id: t\n", "topic", "unknown kind 'topic' (did you mean 'topics'?)"),
    "missing-required": (
        rec("events", f"id: e | name: E | summary: S. | {CITE}"),
        "id: e",
        "event 'e' is missing required field 'date'",
    ),
    "missing-id": (rec("topics", f"name: T | {CITE}"), "name", "topic has no id"),
    "wrong-enum": (
        rec("groups", f"id: g | name: G | kind: isis-brnach | regions: [iraq] | summary: S. | {CITE}"),
        "isis-brnach",
        "kind must be one of isis-core, isis-branch",
    ),
    "list-for-string": (
        rec("topics", f"id: t | name: T | summary: [a, b] | {CITE}"),
        "[a, b]",
        "summary must be a single value, not a list",
    ),
    "mapping-for-list": (
        rec("events", f"id: e | name: E | date: 2017 | regions: {{iraq: yes}} | summary: S. | {CITE}"),
        "{iraq",
        "regions must be a list",
    ),
    "mapping-for-string": (
        rec("topics", f"id: t | name: T | summary: {{a: b}} | {CITE}"),
        "{a: b}",
        "summary must be a single value, not a mapping",
    ),
    "record-not-mapping": ("topics:\n  - just-a-name\n", "just", "each topic must be a mapping of fields"),
    "bad-id": (
        rec("topics", f"id: Bad_Id | name: T | {CITE}"),
        "Bad_Id",
        "id must be lower-case letters, digits and single hyphens",
    ),
    "bad-id-double-hyphen": (rec("topics", f"id: a--b | name: T | {CITE}"), "a--b", "id must be lower-case letters"),
    "bad-ref-id": (rec("works", f"id: w | authors: [Analyst-A] | {AUTHOR}"), "Analyst-A", "'Analyst-A' is not an id"),
    "empty-list": (rec("works", f"id: w | authors: [] | {AUTHOR}"), "[]", "authors is an empty list"),
    "dangling-parent": (
        rec("regions", f"id: town | name: T | kind: city | parent: atlantis | {CITE}"),
        "atlantis",
        "unknown region 'atlantis'",
    ),
    "region-cycle": (
        rec(
            "regions",
            f"id: loop-a | name: A | kind: area | parent: loop-b | {CITE}",
            f"id: loop-b | name: B | kind: area | parent: loop-a | {CITE}",
        ),
        "id: loop-b",
        "cycle in parents: loop-a -> loop-b -> loop-a",
    ),
    "orphan-region": (
        rec("regions", f"id: nowhere | name: N | kind: area | {CITE}"),
        "id: nowhere",
        "region 'nowhere' needs a parent",
    ),
    "country-without-iso": (
        rec("regions", f"id: syria | name: Syria | kind: country | parent: middle-east | {CITE}"),
        "id: syria",
        "country 'syria' needs an iso code",
    ),
    "iso-on-city": (
        rec(
            "regions", f"id: raqqa | name: Raqqa | kind: city | iso: SY | iso_source: iso-3166 | parent: iraq | {CITE}"
        ),
        "id: raqqa",
        "iso 'SY': only countries have one",
    ),
    "iso-lower-case": (
        rec(
            "regions",
            f"id: syria | name: Syria | kind: country | iso: sy | {ISO_SOURCE} | parent: middle-east | {CITE}",
        ),
        "id: syria",
        "iso 'sy': only countries have one, two capital letters",
    ),
    "value-and-range": (
        rec("figures", f"id: f | value: 5 | low: 1 | high: 9 | {FIGURE}"),
        "id: f",
        "figure 'f' needs either value, or both low and high",
    ),
    "low-without-high": (
        rec("figures", f"id: f | low: 1 | {FIGURE}"),
        "id: f",
        "figure 'f' needs either value, or both low and high",
    ),
    "no-value": (rec("figures", f"id: f | {FIGURE}"), "id: f", "figure 'f' needs either value, or both low and high"),
    "low-above-high": (
        rec("figures", f"id: f | low: 5 | high: 3.5 | {FIGURE}"),
        "id: f",
        "figure 'f': low 5 is above high 3.5",
    ),
    "relationship-to-itself": (
        rec("relationships", f"id: r | type: fights | from: mosul-cell | to: mosul-cell | {REL}"),
        "id: r",
        "relationship 'r' links 'mosul-cell' to itself",
    ),
    "branch-of-cycle": (
        rec("relationships", f"id: r | type: branch-of | from: islamic-state | to: mosul-cell | {REL}"),
        "id: r",
        "cycle in branch-of relationships: mosul-cell -> islamic-state -> mosul-cell",
    ),
    "bool-yes": (
        rec("people", f"id: p | name: P | roles: [{{title: T, former: yes}}] | {CITE}"),
        "yes",
        "former must be true or false, got 'yes'",
    ),
    "bool-capitalised": (
        rec("people", f"id: p | name: P | roles: [{{title: T, former: True}}] | {CITE}"),
        "True",
        "former must be true or false, got 'True'",
    ),
    "empty-summary": (rec("topics", f'id: t | name: T | summary: " " | {CITE}'), '" "', "summary is empty"),
}
for _date, _message in {
    "2017-13-45": "month 13 does not exist",
    "2017-02-30": "day 30 does not exist in February 2017",
    "2016-02-30": "day 30 does not exist in February 2016",
    "late 2017-13": "month 13 does not exist",
    "last year": "expected a date like 2017, 2017-10, 2017-10-17",
    "0000": "year 0000 does not exist",
    "17-10-2017": "expected a date like",
    "Late 2017": "expected a date like",
}.items():
    REFUSALS[f"date-{_date}"] = (
        rec("events", f"id: e | name: E | date: {_date} | summary: S. | {CITE}"),
        _date,
        f"date: {_message}",
    )


@pytest.mark.parametrize("text, needle, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_at_line_and_column(write_kb, locate, text, needle, message):
    root = write_kb(zz=text)
    problem = one_problem(root)
    line, col = locate(text, needle)
    assert (problem.path, problem.line, problem.col) == (str(root / EXTRA), line, col)
    assert message in problem.message


def test_duplicate_id_across_files_names_the_first(write_kb):
    root = write_kb(zz="topics:\n  - id: returnees\n    name: Again\n    cite: article/p1\n")
    problem = one_problem(root)
    assert (problem.path, problem.line, problem.col) == (str(root / EXTRA), 2, 5)
    assert problem.message == f"duplicate topic id 'returnees' (first at {root / 'topics.yaml'}:2:5)"


def test_two_worlds(write_kb):
    root = write_kb(zz="regions:\n  - id: other-world\n    name: W\n    kind: world\n    cite: article/p1\n")
    problem = one_problem(root)
    assert (problem.path, problem.line, problem.col) == (str(root / "zz.yaml"), 2, 5)
    assert problem.message == "a second world region 'other-world' (the first is 'world')"


def test_problem_limit_truncates(write_kb):
    text = "topics:\n" + "".join(f"  - id: t{i}\n    name: T\n" for i in range(200))
    root = write_kb(zz=text)
    for limit in (7, 50):
        with pytest.raises(DataError) as info:
            load(root, problem_limit=limit)
        assert len(info.value.problems) == limit and info.value.truncated
        assert info.value.lines()[-1] == f"(stopped after {limit} problems)"
        assert [p.line for p in info.value.problems] == [2 + 2 * i for i in range(limit)]
    with pytest.raises(DataError) as info:
        load(root, problem_limit=200)  # exactly full is not truncated
    assert len(info.value.problems) == 200 and not info.value.truncated


def test_every_problem_in_every_file_is_reported_sorted(write_kb, refused):
    root = write_kb(
        a="""\
            topics:
              - id: t1
                name: T
                cite: nosuch/p1
              - id: t2
                nmae: T
                cite: article/p1
            """,
        b="topics:\n  - id: t3\n    name: T\n    cite: article/p1\n    colour: red\n",
        groups=None,  # the relationship, assessment and event now point at missing groups
    )
    problems = refused(root)
    got = [(Path(p.path).name, p.line, p.col) for p in problems]
    assert got == [
        ("a.yaml", 4, 11),
        ("a.yaml", 5, 5),
        ("a.yaml", 6, 5),
        ("assessments.yaml", 6, 14),
        ("b.yaml", 5, 5),
        ("events.yaml", 6, 14),
        ("relationships.yaml", 4, 11),
        ("relationships.yaml", 5, 9),
    ], [str(p) for p in problems]
    assert problems == sorted(problems)


# -- the model -----------------------------------------------------------------------------------
def test_knowledge_base_is_immutable(kb):
    group = kb.get("groups", "islamic-state")
    with pytest.raises(dataclasses.FrozenInstanceError):
        group.name = "changed"  # type: ignore[misc]
    kb.counts()["groups"] = 99
    kb.regions.clear()  # a copy: the lists a knowledge base answers are the caller's
    kb.referrers("regions", "iraq").clear()
    assert kb.counts()["groups"] == 2 and len(kb.regions) == 4
    assert isinstance(group.regions, tuple) and isinstance(group.cite, tuple)


def ids(records) -> list[str]:
    return [r.id for r in records]


def test_referrers(kb, base_counts):
    assert ids(kb.referrers("groups", "islamic-state", "relationships")) == ["cell-branch-of-core"]
    assert ids(kb.relationships_of("mosul-cell")) == ["cell-branch-of-core"]
    assert ids(kb.referrers("people", "analyst-a", "assessments")) == ["analyst-a-not-over"]
    assert ids(kb.referrers("people", "analyst-a", "figures", via="given_by")) == ["fighters-range"]
    assert ids(kb.referrers("people", "analyst-a", "works", via="authors")) == ["book-a"]
    cited = kb.referrers("sources", "article", via="cite")
    assert len(cited) == sum(base_counts.values()) - 1  # every record but iso-3166, each once (groups twice)
    assert ids(kb.referrers("sources", "iso-3166", "regions", via="iso_source")) == ["iraq"]
    assert kb.referrers("sources", "article", "figures", via="given_by") == []  # the base estimate is unattributed
    assert ids(kb.referrers("organizations", "think-tank-x", "people", via="roles")) == ["analyst-a"]
    assert ids(kb.referrers("regions", "mosul", "groups")) == ["islamic-state", "mosul-cell"]
    assert kb.referrers("groups", "islamic-state", "relationships", via="from") == []
    assert kb.referrers("topics", "no-such-topic") == []


def test_region_tree(write_kb):
    kb = load(
        write_kb(
            zz="""\
        groups:
          - id: regional-group
            name: Regional group
            kind: insurgency
            regions: [middle-east]
            summary: S.
            cite: article/p1
        regions:
          - id: syria
            name: Syria
            kind: country
            iso: SY
            iso_source: iso-3166
            parent: middle-east
            cite: article/p1
        """
        )
    )
    assert kb.world.id == "world"
    assert ids(kb.children("world")) == ["middle-east"]
    assert ids(kb.children("middle-east")) == ["iraq", "syria"]
    assert ids(kb.ancestors("mosul")) == ["iraq", "middle-east", "world"]
    assert kb.ancestors("world") == []
    assert kb.subtree_ids("iraq") == ["iraq", "mosul"]
    counts = {r: kb.group_count(r) for r in ("world", "middle-east", "iraq", "mosul", "syria")}
    assert counts == {"world": 3, "middle-east": 3, "iraq": 2, "mosul": 2, "syria": 0}
    assert ids(kb.groups_in("iraq")) == ["islamic-state", "mosul-cell"]


def test_competing_figures(kb):
    for figure in kb.of_kind("figures"):
        assert ids(kb.competing(figure)) == ["fighters-estimate", "fighters-range"]


def test_timeline_sorts_by_date_unknown_last(write_kb):
    kb = load(
        write_kb(
            zz="""\
        events:
          - {id: e-unknown, name: U, date: unknown, summary: S., cite: article/p1}
          - {id: e-late, name: L, date: late 2017-07, summary: S., cite: article/p1}
          - {id: e-2016, name: Y, date: "2016", summary: S., cite: article/p1}
          - {id: e-early, name: E, date: early 2017-07, summary: S., cite: article/p1}
        """
        )
    )
    assert ids(kb.timeline()) == ["e-2016", "fall-of-mosul", "e-early", "e-late", "e-unknown"]


@pytest.mark.parametrize(
    "text, precision, shown",
    [
        ("2017", "year", "2017"),
        ("2017-10", "month", "October 2017"),
        ("2017-10-17", "day", "17 October 2017"),
        ("late 2017-08", "month", "late August 2017"),
        ("early 2017", "year", "early 2017"),
        ("mid 2016-02-29", "day", "mid 29 February 2016"),
        ("unknown", "unknown", "date unknown"),
    ],
)
def test_parse_date(text, precision, shown):
    date = parse_date(text)
    assert (date.precision, str(date), date.iso()) == (precision, shown, text)
    assert date.known == (text != "unknown")


@pytest.mark.parametrize(
    "earlier, later",
    [
        ("2016-12-31", "early 2017"),
        ("2017", "early 2017"),
        ("2017", "late 2017"),
        ("2017", "2017-01"),
        ("2017-01", "2017-01-05"),
        ("2017-01-31", "2017-02"),
        ("2017-07", "early 2017-07"),
        ("2017-08", "late 2017"),
        ("late 2017", "2017-10"),
        ("late 2017-08", "2017-08-31"),
        ("2017-07", "late 2017-07"),
        ("2017-12-31", "2018"),
        ("9999-12-31", "unknown"),
    ],
)
def test_date_sort_order(earlier, later):
    assert parse_date(earlier).sort_key() < parse_date(later).sort_key()


@pytest.mark.parametrize("text", ["", "2017-1", "2017-00", "2017-10-00", " 2017", "2017 ", "late", "17"])
def test_bad_dates_raise(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_model_does_not_import_textual():
    modules = (
        "tui.knowledge.knowledge_base, tui.loading.loader, tui.store.writer, tui.store.stored_kb, "
        "tui.presentation.describe, "
        "tui.export.json_csv, tui.export.markdown_briefing, tui.export.json_schema"
    )
    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.stdout.strip() == "[]", out.stdout
