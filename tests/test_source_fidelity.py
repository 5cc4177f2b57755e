"""Data lint: the bundled data hedges what the article hedges, attributes what it attributes, and marks
every year it does not print as inferred.

The article's hedged claims are listed by hand in CLAIMS: the paragraph, the hedge as printed, the
model's field for it (a `hedge` value, or the collective person whose view it is) and a pattern that
recognises a record restating the claim. Every record that cites the paragraph and restates the claim
must carry the field when its kind has one (figures, relationships, events and assessments have
`hedge`; figures `given_by`, assessments `speaker`; a group's name `name_hedge`), and otherwise keep
the hedge in the words that restate it. Quotes being verbatim is tested in test_bundled_data; the lint
below reuses its reading of the cited paragraphs and checks quotes too, for the inline knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_bundled_data import ARTICLE, cited_text
from tui.knowledge.dates import PartialDate
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import HEDGES, Assessment, Person, Record
from tui.loading.loader import load
from tui.loading.problems import DataError

HEDGE_FIELD_KINDS = frozenset({"figures", "relationships", "events", "assessments"})
TEXT_FIELDS = ("name", "title_", "summary", "status", "text")
# Other kinds' names are labels, not claims: the topic "Insurgency and underground activity".
NAMED_CLAIM_KINDS = frozenset({"events", "groups"})
DATE_FIELDS = ("date", "as_of", "until")


@dataclass(frozen=True)
class Claim:
    """A hedged claim of the article, and how a record restating it must carry the hedge."""

    paragraph: int
    printed: str  # the hedge as the article prints it (checked against the paragraph)
    restates: str  # regex: a record's words restate the claim (case-insensitive)
    keep: str  # regex the record's words must keep when its kind has no field for the hedge
    hedge: str | None = None  # the model's hedge value
    speaker: str | None = None  # the collective person whose view it is
    on_name: bool = False  # the hedge is on a group's name: Group.name_hedge

    @property
    def tag(self) -> str:
        return f"p{self.paragraph}-{self.hedge or self.speaker}"


CLAIMS = (
    Claim(2, "will likely drive", r"underground", r"\blikely\b", hedge="likely"),
    Claim(17, "Some analysts argue", r"end coming|redirect", r"\bsome analysts\b", speaker="some-analysts"),
    Claim(17, "it is likely to be", r"fresh fighters|rebirth", r"\blikely\b", hedge="likely"),
    Claim(18, "is likely to stay put", r"stay put", r"\blikely\b", hedge="likely"),
    Claim(20, "appears contained", r"\bcontained\b", r"\bappear|\bapparent", hedge="apparent"),
    Claim(22, "Few analysts believe", r"resurrect", r"\bfew analysts\b", speaker="few-analysts"),
    Claim(22, "is likely to be resurrected", r"resurrect", r"\blikely\b", hedge="likely"),
    Claim(
        24,
        "Some analysts, however, believe",
        r"exaggerat|conservative|20,000|supporters",
        r"\bsome analysts\b",
        speaker="some-analysts",
    ),
    Claim(29, "An estimated", r"6,000|10,000", r"\bestimat", hedge="estimated"),
    Claim(33, "an apparent expansion", r"expan", r"\bapparent", hedge="apparent"),
    Claim(34, "referred to by some as", r"Khorasan", r"\bsome\b", hedge="some-say", on_name=True),
    Claim(34, "perhaps fewer than", r"fewer than 100|\b100 (?:ISIS )?fighters", r"\bperhaps\b", hedge="perhaps"),
)

# The hedge words; every place the article uses one is a claim above, or is listed here.
HEDGE_WORD = re.compile(
    r"perhaps|apparent|appears|estimated|some analysts|few analysts|referred to by some|believe|argue|likely",
    re.IGNORECASE,
)
NOT_HEDGES = {
    (19, "believe"): "the heading 'Core of believers'",
    (20, "believe"): "Hassan's 'the ones who really believe in it' describes ISIS's core; it hedges nothing",
}


# -- the lint ------------------------------------------------------------------------------------
def texts_of(record: Record) -> dict[str, str]:
    """The record's own words, by field: name, title, summary, status, quote text and aliases."""
    texts = {f.rstrip("_"): v for f in TEXT_FIELDS if isinstance(v := getattr(record, f, None), str)}
    if record.KIND not in NAMED_CLAIM_KINDS:
        texts.pop("name", None)
        texts.pop("title", None)
    texts.update({f"aliases[{i}]": a for i, a in enumerate(getattr(record, "aliases", ()))})
    return texts


def cites_paragraph(record: Record, paragraph: int) -> bool:
    return any(c.source == "article" and c.first <= paragraph <= c.last for c in record.cite)


def restating_fields(record: Record, claim: Claim) -> list[str]:
    return [f for f, text in texts_of(record).items() if re.search(claim.restates, text, re.IGNORECASE)]


def claim_problems(kind: str, record: Record, claim: Claim) -> list[str]:
    """What is wrong with how `record` (citing the claim's paragraph) restates `claim`."""
    fields = restating_fields(record, claim)
    if not cites_paragraph(record, claim.paragraph) or not fields:
        return []
    where = f"{kind}:{record.id} restates ¶{claim.paragraph} {claim.printed!r}"
    problems: list[str] = []
    if claim.speaker is not None:
        if claim.speaker in (getattr(record, "speaker", None), getattr(record, "given_by", None)):
            fields = []  # attributed by its field
    elif claim.on_name:
        names = [f for f in fields if f == "name" or f.startswith("aliases")]
        if kind == "groups" and names:
            if getattr(record, "name_hedge", None) != claim.hedge:
                problems.append(f"{where} in its name but name_hedge is {getattr(record, 'name_hedge', None)!r}")
            fields = [f for f in fields if f not in names]
    elif kind in HEDGE_FIELD_KINDS:
        if getattr(record, "hedge", None) != claim.hedge:
            problems.append(f"{where} in {', '.join(fields)} but hedge is {getattr(record, 'hedge', None)!r}")
        fields = []
    texts = texts_of(record)
    unsaid = f"is not given by {claim.speaker} and" if claim.speaker else "has no field for it and"
    for f in fields:
        if not re.search(claim.keep, texts[f], re.IGNORECASE):
            problems.append(f"{where} in {f} but {unsaid} its words drop /{claim.keep}/: {texts[f]!r}")
    return problems


def date_problem(kind: str, record: Record, field: str, paragraphs: list[str]) -> str | None:
    """A known year in a date field that no cited paragraph prints must be marked inferred."""
    date = getattr(record, field, None)
    if not isinstance(date, PartialDate) or not date.known or date.inferred:
        return None
    if not any(c.source == "article" for c in record.cite):
        return None  # dated by another source (e.g. a standard), not by the article
    if re.search(rf"\b{date.year}\b", cited_text(record, paragraphs)):
        return None
    cited = ", ".join(c.paragraphs for c in record.cite if c.source == "article")
    return f"{kind}:{record.id} {field} {date.iso()!r}: {date.year} is not in {cited}, so it must be inferred"


def quote_problems(kind: str, record: Record, paragraphs: list[str]) -> list[str]:
    if isinstance(record, Assessment) and record.text and record.text not in cited_text(record, paragraphs):
        return [f"{kind}:{record.id} quote is not verbatim in its cited paragraphs: {record.text!r}"]
    return []


def lint(kb: KnowledgeBase, paragraphs: list[str]) -> list[str]:
    problems: list[str] = []
    for kind, record in kb.all_records():
        for claim in CLAIMS:
            problems += claim_problems(kind, record, claim)
        problems += [p for f in DATE_FIELDS if (p := date_problem(kind, record, f, paragraphs))]
        problems += quote_problems(kind, record, paragraphs)
    return problems


# -- the bundled data, read once at collection so that each case names its record -----------------
def _bundled() -> tuple[KnowledgeBase | None, list[str], str]:
    if not ARTICLE.exists():
        return None, [], ""
    paragraphs = ARTICLE.read_text(encoding="utf-8").splitlines()
    try:
        return load(), paragraphs, ""
    except DataError as error:
        return None, paragraphs, "\n".join(error.lines())


KB, PARAGRAPHS, LOAD_ERROR = _bundled()


def _cases(make: Callable[[], list[tuple[str, object]]]) -> list[object]:
    """The cases `make` lists, or one that skips (no article) or fails (the data does not load)."""
    if not PARAGRAPHS:
        return [pytest.param(None, id="no-article", marks=pytest.mark.skip(reason=f"no article at {ARTICLE}"))]
    if KB is None:
        return [pytest.param(None, id="data-does-not-load")]
    return [pytest.param(value, id=case_id) for case_id, value in make()]


def _claim_cases() -> list[tuple[str, object]]:
    assert KB is not None
    return [
        (f"{claim.tag}-{kind}:{record.id}", (claim, kind, record))
        for claim in CLAIMS
        for kind, record in KB.all_records()
        if cites_paragraph(record, claim.paragraph) and restating_fields(record, claim)
    ]


def _date_cases() -> list[tuple[str, object]]:
    assert KB is not None
    return [
        (f"{kind}:{record.id}.{field}", (kind, record, field))
        for kind, record in KB.all_records()
        for field in DATE_FIELDS
        if isinstance(date := getattr(record, field, None), PartialDate) and date.known
        if any(c.source == "article" for c in record.cite)
    ]


def _loaded() -> tuple[KnowledgeBase, list[str]]:
    assert KB is not None, f"the bundled data does not load:\n{LOAD_ERROR}"
    return KB, PARAGRAPHS


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.tag for c in CLAIMS])
def test_the_claim_table_quotes_the_article(claim: Claim) -> None:
    if not PARAGRAPHS:
        pytest.skip(f"no article at {ARTICLE}")
    text = PARAGRAPHS[claim.paragraph - 1]
    assert claim.printed in text, (claim.tag, text)
    assert re.search(claim.restates, text, re.IGNORECASE), (claim.tag, claim.restates)
    assert (claim.hedge is None) != (claim.speaker is None), claim.tag
    assert claim.hedge is None or claim.hedge in HEDGES, claim.tag


def test_every_hedge_word_in_the_article_is_in_the_claim_table() -> None:
    if not PARAGRAPHS:
        pytest.skip(f"no article at {ARTICLE}")
    missing = [
        (n, word)
        for n, text in enumerate(PARAGRAPHS, start=1)
        for word in (m.group(0) for m in HEDGE_WORD.finditer(text))
        if (n, word.lower()) not in NOT_HEDGES
        if not any(c.paragraph == n and word.lower() in c.printed.lower() for c in CLAIMS)
    ]
    assert missing == []


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.tag for c in CLAIMS])
def test_each_hedged_claim_is_in_the_data(claim: Claim) -> None:
    """Each claim is restated by some record citing it (else the lint below checks nothing), and a
    collective view is held by a collective person: an assessment's speaker or a figure's giver."""
    if not PARAGRAPHS:
        pytest.skip(f"no article at {ARTICLE}")
    kb, _ = _loaded()
    citing = [(k, r) for k, r in kb.all_records() if cites_paragraph(r, claim.paragraph)]
    assert any(restating_fields(r, claim) for _, r in citing), f"no record citing ¶{claim.paragraph} restates it"
    if claim.speaker is not None:
        person = kb.get(Person, claim.speaker)
        assert person is not None and person.collective, f"people:{claim.speaker} is missing or not collective"
        held = [r.id for _, r in citing if claim.speaker in (getattr(r, "speaker", None), getattr(r, "given_by", None))]
        assert held, f"no assessment or figure citing ¶{claim.paragraph} is given by {claim.speaker}"
    if claim.on_name:
        assert any(getattr(r, "name_hedge", None) == claim.hedge for _, r in citing), "no group carries the name hedge"


@pytest.mark.parametrize("case", _cases(_claim_cases))
def test_a_record_restating_a_hedged_claim_carries_the_hedge(case: tuple[Claim, str, Record] | None) -> None:
    _loaded()
    assert case is not None
    claim, kind, record = case
    assert claim_problems(kind, record, claim) == []


@pytest.mark.parametrize("case", _cases(_date_cases))
def test_a_year_the_cited_paragraphs_do_not_print_is_marked_inferred(case: tuple[str, Record, str] | None) -> None:
    _, paragraphs = _loaded()
    assert case is not None
    kind, record, field = case
    assert date_problem(kind, record, field, paragraphs) is None


# -- the lint catches what it is meant to catch ----------------------------------------------------
UNHEDGED_KB = """\
sources:
  - id: article
    title: The article
    kind: article
    date: inferred late 2017-10
    cite: article/p1
regions:
  - id: world
    name: World
    kind: world
    cite: article/p10
groups:
  - id: somalia-status-unhedged
    name: ISIS in Somalia
    kind: isis-branch
    regions: [world]
    status: Fewer than 100 fighters remain.
    summary: The ISIS presence in Somalia.
    cite: article/p34
  - id: khorasan-name-unhedged
    name: ISIS-Khorasan
    kind: isis-branch
    regions: [world]
    summary: A robust presence in Afghanistan, referred to by some as ISIS-Khorasan.
    cite: article/p34
measures:
  - id: fighters-remaining
    name: ISIS fighters remaining
    unit: people
    cite: article/p34
people:
  - id: some-analysts
    name: Some analysts
    collective: true
    cite: article/p24
figures:
  - id: somalia-unhedged
    measure: fighters-remaining
    value: 100
    qualifier: fewer-than
    as_of: inferred late 2017-10
    summary: Fewer than 100 ISIS fighters remain in Somalia.
    cite: article/p34
  - id: somalia-hedged
    measure: fighters-remaining
    value: 100
    qualifier: fewer-than
    hedge: perhaps
    as_of: inferred late 2017-10
    summary: Perhaps fewer than 100 ISIS fighters remain in Somalia.
    cite: article/p34
  - id: analysts-range-unattributed
    measure: fighters-remaining
    low: 20000
    high: 30000
    qualifier: exact
    as_of: inferred late 2017-10
    summary: A more conservative range of 20,000 to 30,000 foreign fighters.
    cite: article/p24
  - id: analysts-range-attributed
    measure: fighters-remaining
    low: 20000
    high: 30000
    qualifier: exact
    given_by: some-analysts
    as_of: inferred late 2017-10
    summary: A more conservative range of 20,000 to 30,000 foreign fighters.
    cite: article/p24
events:
  - id: tal-afar-year-as-fact
    name: Iraqi forces take Tal Afar
    date: late 2017-08
    summary: Iraqi forces took Tal Afar.
    cite: article/p6
  - id: tal-afar-year-inferred
    name: Iraqi forces take Tal Afar
    date: inferred late 2017-08
    summary: Iraqi forces took Tal Afar.
    cite: article/p6
assessments:
  - id: end-coming-misquoted
    speaker: some-analysts
    text: ISIS foresaw the end
    summary: Argue that ISIS saw the end coming.
    cite: article/p17
"""


def test_the_lint_catches_a_deliberately_unhedged_knowledge_base(tmp_path: Path) -> None:
    if not ARTICLE.exists():
        pytest.skip(f"no article at {ARTICLE}")
    (tmp_path / "kb.yaml").write_text(UNHEDGED_KB, encoding="utf-8")
    problems = lint(load(tmp_path), ARTICLE.read_text(encoding="utf-8").splitlines())
    caught = {p.split(" ", 1)[0] for p in problems}
    assert caught == {
        "groups:somalia-status-unhedged",
        "groups:khorasan-name-unhedged",
        "figures:somalia-unhedged",
        "figures:analysts-range-unattributed",
        "events:tal-afar-year-as-fact",
        "assessments:end-coming-misquoted",
    }, problems
    assert any("¶34 'perhaps fewer than'" in p and "hedge is None" in p for p in problems), problems
    assert any("2017 is not in ¶6" in p for p in problems), problems
