"""The rules that keep the data as sure as its source (tui/loading/source_rules.py), and
`validate --source-text ID=FILE` (tui/loading/source_text.py): each refusal at its node."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE_KB, dedent, where
from test_validation import CITE, EXTRA, FIGURE, one_problem, rec

from tui.knowledge.dates import parse_date
from tui.loading.loader import load
from tui.loading.problems import DataError
from tui.loading.source_text import normalised

COMPETING = "competing figures estimate the same measure for the same place and period"
EVENT = "name: E | summary: S. | " + CITE
SAYS = "summary: S. | " + CITE

# (file text, where the problem is: the first occurrence of this, what the message is)
REFUSALS = {
    "competes-with-itself": (
        rec("figures", f"id: f | value: 1 | competes_with: [f] | {FIGURE}"),
        "f]",
        f"figure 'f' competes with itself: {COMPETING}",
    ),
    "competes-about-another-place": (
        rec("figures", f"id: f | value: 1 | regions: [mosul, iraq] | competes_with: [fighters-range] | {FIGURE}"),
        "fighters-range",
        f"figure 'f' competes with 'fighters-range' but fighters-range is about no place, not Mosul, Iraq: {COMPETING}",
    ),
    "competes-in-another-year": (
        rec("figures", f"id: f | value: 1 | competes_with: [fighters-estimate] | {FIGURE}").replace(
            "as_of: 2017", "as_of: late 2016"
        ),
        "fighters-estimate",
        f"figure 'f' competes with 'fighters-estimate' but fighters-estimate is as of 2017, not 2016: {COMPETING}",
    ),
    "competes-on-another-measure": (
        rec("measures", f"id: cells | name: cells | unit: cells | {CITE}")
        + rec("figures", f"id: f | value: 1 | competes_with: [fighters-range] | {FIGURE}").replace(
            "measure: fighters", "measure: cells"
        ),
        "fighters-range",
        "but fighters-range counts 'Fighters', not 'cells':",
    ),
    "competes-without-a-date": (
        rec("figures", f"id: f | value: 1 | competes_with: [fighters-range] | {FIGURE}").replace(
            "as_of: 2017", "as_of: unknown"
        ),
        "fighters-range",
        f"figure 'f' has no known as_of, so it competes with no other figure: {COMPETING}",
    ),
    "given-by-the-cited-source": (
        rec("figures", f"id: f | value: 1 | given_by: article | {FIGURE}"),
        "article",
        "figure 'f': given_by names the source it cites; omit given_by: the source does not say whose figure it "
        "is; it is shown as unattributed",
    ),
    "iso-without-iso-source": (
        rec("regions", f"id: syria | name: Syria | kind: country | iso: SY | parent: middle-east | {CITE}"),
        "SY",
        "region 'syria' has an iso code but no iso_source: name the source of kind standard or gazetteer",
    ),
    "iso-source-without-iso": (
        rec("regions", f"id: town | name: Town | kind: city | iso_source: iso-3166 | parent: iraq | {CITE}"),
        "iso-3166",
        "region 'town' has an iso_source but no iso code",
    ),
    "iso-source-is-the-article": (
        rec(
            "regions",
            f"id: syria | name: Syria | kind: country | iso: SY | iso_source: article | parent: iraq | {CITE}",
        ),
        "article",
        "region 'syria': iso_source 'article' is a source of kind article; an iso code comes from a source of "
        "kind standard or gazetteer",
    ),
    "report-without-cite": (
        rec("sources", "id: report-x | title: R | kind: report"),
        "id: report-x",
        "source 'report-x' of kind report needs cite (where the text names it); only a source of kind standard "
        "or gazetteer may have none",
    ),
    "ends-before-it-begins": (
        rec("events", f"id: e | date: 2017-07 | until: early 2017-06 | {EVENT}"),
        "early 2017-06",
        "event 'e' ends (early 2017-06) before it begins (2017-07)",
    ),
    "ends-before-a-late-start": (
        rec("events", f"id: e | date: late 2017 | until: inferred mid 2017 | {EVENT}"),
        "inferred mid 2017",
        "event 'e' ends (inferred mid 2017) before it begins (late 2017)",
    ),
    "ends-but-never-began": (
        rec("events", f"id: e | date: unknown | until: 2017-07 | {EVENT}"),
        "unknown",
        "event 'e' has an end (until) but no known date: give when it began",
    ),
    "relayed-by-the-speaker": (
        rec("assessments", f"id: a | via: analyst-a | speaker: analyst-a | {SAYS}"),
        "analyst-a",
        "assessment 'a': via names the speaker; via is who relays the speaker's words",
    ),
    "hedge-not-the-sources": (
        rec("events", f"id: e | date: 2017 | hedge: reportedly | {EVENT}"),
        "reportedly",
        "hedge must be one of perhaps, apparent, estimated, likely, some-say; got 'reportedly'",
    ),
    "certainty-of-old": (
        rec(
            "relationships",
            f"id: r | type: fights | from: mosul-cell | to: islamic-state | certainty: confirmed | {SAYS}",
        ),
        "confirmed",
        "certainty must be one of stated, implied, inferred; got 'confirmed'",
    ),
    "name-hedge-misspelt": (
        rec("groups", f"id: g | name: G | kind: insurgency | name_hedge: some-says | regions: [iraq] | {SAYS}"),
        "some-says",
        "name_hedge must be one of perhaps, apparent, estimated, likely, some-say; got 'some-says' (did you mean",
    ),
    "collective-yes": (rec("people", f"id: p | name: P | collective: yes | {CITE}"), "yes", "collective must be true"),
}
for _date in ("inferred: 2017", "Inferred 2017", "inferred  2017", "inferred unknown", "inferred", "2017 inferred"):
    REFUSALS[f"date-{_date}"] = (rec("events", f'id: e | date: "{_date}" | {EVENT}'), f'"{_date}', "date: expected")


@pytest.mark.parametrize("text, needle, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_at_line_and_column(write_kb, locate, text, needle, message):
    root = write_kb(zz=text)
    problem = one_problem(root)
    line, col = locate(text, needle)
    assert (problem.path, problem.line, problem.col) == (str(root / EXTRA), line, col), problem
    assert message in problem.message, problem.message


ACCEPTED = {
    "competing-estimates": rec(
        "figures",
        f"id: f | value: 1 | regions: [iraq] | competes_with: [g] | {FIGURE}",
        f"id: g | value: 2 | regions: [iraq] | competes_with: [f] | {FIGURE}".replace("as_of: 2017", "as_of: 2017-12"),
    ),
    "a-standard-without-cite": rec("sources", "id: gazetteer-x | title: G | kind: gazetteer"),
    "an-event-that-lasted": rec("events", f"id: e | date: inferred 2016 | until: inferred 2017-07 | {EVENT}"),
    "an-event-of-one-month": rec("events", f"id: e | date: 2017-07 | until: 2017-07 | {EVENT}"),
    "an-end-of-unknown-date": rec("events", f"id: e | date: 2017-07 | until: unknown | {EVENT}"),
    "relayed-words": rec("people", f"id: some-analysts | name: Some analysts | collective: true | {CITE}")
    + rec("assessments", f"id: a | speaker: some-analysts | via: analyst-a | hedge: likely | {SAYS}"),
    "hedged-and-unattributed": rec("figures", f"id: f | value: 1 | hedge: perhaps | {FIGURE}"),
    "given-by-a-source-it-does-not-cite": rec("figures", f"id: f | value: 1 | given_by: iso-3166 | {FIGURE}"),
}


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted(write_kb, text):
    load(write_kb(zz=text))


def test_inferred_dates_parse_and_say_so():
    date = parse_date("inferred late 2017-07")
    assert (date.inferred, date.part, date.year, date.month) == (True, "late", 2017, 7)
    assert (str(date), date.iso()) == ("inferred: late July 2017", "inferred late 2017-07")
    assert date.sort_key() == parse_date("late 2017-07").sort_key()


# -- validate --source-text ------------------------------------------------------------------------

# The base knowledge base (conftest.py) cites article ¶1-11: a text that bears out its quote and years.
ARTICLE = [
    "An article about the group, 2017.",  # ¶1: the source's own date (late 2017-10)
    "Think Tank X.",
    "The world and the Middle East.",
    "Iraq and Mosul.",
    "Mosul, the city.",
    "The group and its cell.",
    "About 5,600 fighters remained in October 2017.",  # ¶7: fighters-estimate, as of 2017-10
    "Analyst A says 3,000 to 4,000 this year (2017).",  # ¶8: fighters-range, as of 2017
    "A Book; returnees.",
    "“It is not over,” she said.   “They will wait in the desert\tand come back when the state is weak.”",
    "Mosul fell in July 2017.",  # ¶11: the event, 2017-07
]


@pytest.fixture
def article_text(tmp_path: Path):
    """`article_text(lines)`: the lines written to a text file, one paragraph a line; its path."""

    def write(lines: list[str]) -> str:
        path = tmp_path / "article.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    return write


def test_a_text_that_bears_out_the_records_loads(write_kb, article_text):
    kb = load(write_kb(), source_texts={"article": article_text(ARTICLE)})
    assert kb.get("assessments", "analyst-a-not-over") is not None  # whitespace differs, and that is allowed


def test_a_quote_not_in_its_paragraph_is_refused_at_its_text(write_kb, article_text, locate):
    lines = [*ARTICLE]
    lines[9] = lines[9].replace("come back", "return")
    root = write_kb()
    problem = one_problem_with(root, {"article": article_text(lines)})
    assert (problem.path, (problem.line, problem.col)) == (
        str(root / "assessments.yaml"),
        locate(dedent_base("assessments"), '"“It is'),
    )
    assert problem.message == (
        "text is not in ¶10 as written (only whitespace may differ): quote the source exactly, or omit text for a "
        "paraphrase"
    )


def test_a_year_the_paragraph_lacks_must_be_marked_inferred(write_kb, article_text, locate):
    lines = [*ARTICLE]
    lines[7] = "Analyst A says 3,000 to 4,000."
    root = write_kb()
    problem = one_problem_with(root, {"article": article_text(lines)})
    assert (problem.path, (problem.line, problem.col)) == (
        str(root / "figures.yaml"),
        locate(dedent_base("figures"), "2017", 1),
    )
    assert problem.message == "as_of 2017 is not in ¶8: write 'inferred 2017' if the year is inferred"
    inferred = dedent_base("figures").replace("as_of: 2017\n", "as_of: inferred 2017\n")
    load(write_kb(figures=inferred), source_texts={"article": article_text(lines)})


def test_a_year_with_month_and_part_says_what_to_write(write_kb, article_text):
    lines = [*ARTICLE]
    lines[0] = "An article about the group."
    problem = one_problem_with(write_kb(), {"article": article_text(lines)})
    assert problem.message == (
        "date late 2017-10 (the year 2017) is not in ¶1: write 'inferred late 2017-10' if the year is inferred"
    )


def test_a_citation_past_the_end_of_the_text(write_kb, article_text):
    problem = one_problem_with(write_kb(), {"article": article_text(ARTICLE[:10])})
    assert problem.path.endswith("events.yaml")
    assert problem.message == "article ¶11 is past the end of the text of 'article': it has 10 paragraphs"


def test_records_citing_another_source_too_are_not_checked(write_kb, article_text):
    lines = [*ARTICLE]
    lines[10] = "Mosul fell."  # the event's year is gone, but it also cites a source whose text is not given
    other = rec("sources", "id: other | title: O | kind: report | cite: article/p2")
    events = dedent_base("events").replace("cite: article/p11", "cite: [article/p11, other/p4]")
    load(write_kb(zz=other, events=events), source_texts={"article": article_text(lines)})


def test_an_unknown_source_or_an_unreadable_text(write_kb, tmp_path):
    missing = str(tmp_path / "nowhere.txt")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"caf\xe9\n")
    with pytest.raises(DataError) as info:
        load(write_kb(), source_texts={"articel": missing, "article": str(latin)})
    assert info.value.lines() == [
        f"{latin}: the source text is not UTF-8 (byte 0xe9 at offset 3)",
        f"{missing}: --source-text: no source 'articel' in the data (did you mean 'article'?)",
        f"{missing}: cannot read the source text: No such file or directory",
    ]


def test_without_a_text_nothing_is_checked(write_kb, article_text):
    lines = [line.replace("2017", "") for line in ARTICLE]
    root = write_kb()
    load(root)
    with pytest.raises(DataError):
        load(root, source_texts={"article": article_text(lines)})


def test_normalised_only_joins_whitespace():
    assert normalised("  a\n\tb  c ") == "a b c"
    assert normalised("don’t") != normalised("don't")


def test_the_cli_option(write_kb, article_text):
    root = write_kb()
    good = article_text(ARTICLE)
    run = [sys.executable, "-m", "tui", "validate", "--data", str(root)]
    done = subprocess.run([*run, "--source-text", f"article={good}"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    bad = article_text([line.replace("2017", "") for line in ARTICLE])
    done = subprocess.run([*run, "--source-text", f"article={bad}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    line, col = where(BASE_KB["sources"], "late 2017-10")
    assert f"{root / 'sources.yaml'}:{line}:{col}: date late 2017-10 (the year 2017) is not in ¶1" in done.stderr
    done = subprocess.run([*run, "--source-text", "article"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--source-text: expected ID=FILE" in done.stderr


def one_problem_with(root: Path, source_texts: dict[str, str]):
    with pytest.raises(DataError) as info:
        load(root, source_texts=source_texts)
    assert len(info.value.problems) == 1, info.value.lines()
    return info.value.problems[0]


def dedent_base(kind: str) -> str:
    return dedent(BASE_KB[kind])


ARTICLE_FILE = Path(__file__).resolve().parents[2] / "shared" / "sources" / "isis-post-caliphate-article.txt"


def test_the_bundled_data_against_the_article() -> None:
    """Every quote of the bundled data is in its paragraphs, and every year they lack is inferred."""
    if not ARTICLE_FILE.exists():
        pytest.skip(f"source article not beside the repo ({ARTICLE_FILE})")
    kb = load(source_texts={"article": str(ARTICLE_FILE)})
    assert kb.counts()["assessments"] > 12
