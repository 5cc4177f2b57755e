"""Export: faithful JSON that loads back, spreadsheet-safe CSV, a footnoted Markdown briefing; the
`export` command's exit codes and messages; exporting the selected record from the palette."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from textual.command import CommandPalette
from textual.widgets import OptionList

from tui.__main__ import main
from tui.export.json_csv import BOM, csv_header, csv_text, json_text, neutralise, number_text, record_file_text
from tui.export.markdown_briefing import markdown_text
from tui.knowledge.fields import specs_of
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS, Figure
from tui.loading.loader import load
from tui.ui.app import ExplorerApp

ARTICLE = "ISIS post caliphate: who's left, and where they are"
GROUP_COLUMNS = ["id", "name", "kind", "name_hedge", "aliases", "regions", "status", "summary", "cite"]
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


def same_records(a: KnowledgeBase, b: KnowledgeBase) -> None:
    for kind in KINDS:
        assert dict(a.table(kind)) == dict(b.table(kind)), kind


def reload_json(text: str, directory: Path) -> KnowledgeBase:
    directory.mkdir()
    (directory / "export.yaml").write_text(text, encoding="utf-8")  # JSON is YAML
    return load(directory)


# -- hostile data --------------------------------------------------------------------------------

HOSTILE_NAME = "“[/]” [@click=app.quit]quit [bold]x \u200fالدولة الإسلامية 🚩 <script>alert(1)</script>"
HOSTILE = {
    "zz": r"""
groups:
  - id: hostile
    name: "“[/]” [@click=app.quit]quit [bold]x \u200fالدولة الإسلامية 🚩 <script>alert(1)</script>"
    kind: insurgency
    aliases: ["=cmd|' /C calc'!A0", "+1", "\t=2", "  @SUM(A1)", "-x", "\e]0;pwned\a \u202e \x9b \N \L \_ \uFEFF"]
    regions: [iraq]
    status: "[link](javascript:alert(1)) ![img](http://x/y.png) <b>bold</b> &amp; ~~struck~~ *em* `code`"
    summary: "- looks like a list\n1. and a numbered one\n> and a quote\n# and a heading\nback\\slash"
    cite: [article/p1, article/p2-3]
figures:
  - id: tiny-and-negative
    measure: fighters
    low: -5
    high: 0.00001
    qualifier: exact
    as_of: early 2017-08
    attribution: "\t=HYPERLINK(\"http://x\")"
    summary: "=1+1"
    cite: article/p7
assessments:
  - id: hostile-quote
    speaker: analyst-a
    text: "“=cmd|' /C calc'!A0 [/] [@click=app.quit] — \e[2J”"
    summary: "@everyone"
    groups: [hostile]
    cite: article/p10
people:
  - id: analyst-b
    name: Analyst B
    roles:
      - title: "+ director"
        organization: think-tank-x
        former: true
    cite: article/p8
"""
}


@pytest.fixture
def hostile(write_kb) -> KnowledgeBase:
    return load(write_kb(**HOSTILE))


# -- JSON ----------------------------------------------------------------------------------------


def test_json_of_the_bundled_data_loads_back_equal(bundled, tmp_path: Path) -> None:
    text = json_text(bundled)
    same_records(bundled, reload_json(text, tmp_path / "again"))
    data = json.loads(text)
    assert list(data) == list(KINDS)
    khorasan = next(g for g in data["groups"] if g["id"] == "isis-khorasan")
    assert list(khorasan) == [c for c in GROUP_COLUMNS if c != "aliases"]  # the YAML keys, in the specs' order
    assert khorasan["cite"] == ["article/p34"] and khorasan["regions"] == ["afghanistan"]
    assert khorasan["name_hedge"] == "some-say"  # "referred to by some as ISIS-Khorasan"
    article = next(s for s in data["sources"] if s["id"] == "article")
    assert article["title"] == ARTICLE and article["date"] == "inferred late 2017-10" and "publisher" not in article
    assert any(r.get("former") is True for p in data["people"] for r in p.get("roles", []))
    assert all(isinstance(f.get("value", f.get("low")), (int, float)) for f in data["figures"])


def record_in(data: dict, kind: str, record_id: str) -> dict:
    return next(r for r in data[kind] if r["id"] == record_id)


def test_json_says_what_the_source_says_of_the_records_the_issue_names(bundled) -> None:
    """Hedges, certainty, inferred dates and ends, who gives a figure, competing estimates, collective
    speakers and relayed words, and background knowledge: each as a field, dates as written."""
    data = json.loads(json_text(bundled))
    somalia = record_in(data, "figures", "isis-fighters-remaining-somalia")
    assert (somalia["hedge"], somalia["qualifier"], somalia["value"]) == ("perhaps", "fewer-than", 100)
    estimated = record_in(data, "figures", "isis-fighters-remaining-iraq-syria")
    assert estimated["hedge"] == "estimated" and "given_by" not in estimated  # "An estimated": unattributed
    assert all(f.get("given_by") != "article" for f in data["figures"])
    centcom = record_in(data, "figures", "foreign-fighters-centcom")
    analysts = record_in(data, "figures", "foreign-fighters-analysts")
    assert centcom["competes_with"] == ["foreign-fighters-analysts"] and analysts["given_by"] == "some-analysts"
    assert sum("competes_with" in f for f in data["figures"]) == 2  # only the ¶24 pair
    assert record_in(data, "figures", "foreign-fighters-2014-peak")["measure"] != centcom["measure"]
    mosul = record_in(data, "events", "mosul-campaign")
    assert (mosul["date"], mosul["until"]) == ("inferred 2016", "inferred 2017-07")
    assert record_in(data, "events", "hawijah-cleared")["date"] == "unknown"
    assert record_in(data, "relationships", "isis-yemen-branch-of-isis")["certainty"] == "inferred"
    relayed = record_in(data, "assessments", "maier-necessary-not-sufficient")
    assert (relayed["speaker"], relayed["via"]) == ("defeat-isis-community", "chris-maier")
    assert record_in(data, "people", "some-analysts")["collective"] is True
    assert record_in(data, "regions", "east-africa")["structural"] is True
    assert record_in(data, "regions", "iraq")["iso_source"] == "iso-3166"
    standard = record_in(data, "sources", "iso-3166")
    assert standard["kind"] == "standard" and "cite" not in standard


def test_json_of_generated_data_loads_back_equal(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("kb_generate", Path(__file__).parent / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generator.generate(str(tmp_path / "generated"), 0.005, 2017)
    kb = load(tmp_path / "generated")
    assert kb.counts() == generator.expected_counts(0.005)
    same_records(kb, reload_json(json_text(kb), tmp_path / "again"))


def test_json_keeps_hostile_strings_and_loads_back(hostile, tmp_path: Path) -> None:
    text = json_text(hostile)
    assert not CONTROLS.search(text) and "\u2028" not in text  # escaped: safe in a terminal, valid YAML
    same_records(hostile, reload_json(text, tmp_path / "again"))
    data = json.loads(text)
    group = next(g for g in data["groups"] if g["id"] == "hostile")
    assert group["name"] == HOSTILE_NAME and group["aliases"][0] == "=cmd|' /C calc'!A0"
    assert group["aliases"][-1] == "\x1b]0;pwned\x07 \u202e \x9b \x85 \u2028 \xa0 \ufeff"
    assert group["cite"] == ["article/p1", "article/p2-3"]
    figure = next(f for f in data["figures"] if f["id"] == "tiny-and-negative")
    assert (figure["low"], figure["high"], figure["as_of"]) == (-5, 0.00001, "early 2017-08")
    assert '"high": 0.00001' in text  # never 1e-05, which the loader refuses


def test_json_of_one_kind_has_only_that_kind(bundled) -> None:
    data = json.loads(json_text(bundled, "events"))
    assert list(data) == ["events"] and len(data["events"]) == len(bundled.table("events"))


def test_numbers_are_written_in_plain_decimals() -> None:
    assert [number_text(v) for v in (5600, -5, 0.5, 1e-05, 1.5e-07, 123456789012345.5)] == [
        "5600",
        "-5",
        "0.5",
        "0.00001",
        "0.00000015",
        "123456789012345.5",
    ]


# -- CSV -----------------------------------------------------------------------------------------


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def test_csv_of_groups_has_the_header_and_a_row_per_group(bundled) -> None:
    text = csv_text("groups", bundled.table("groups").values())
    rows = read_csv(text)
    assert rows[0] == GROUP_COLUMNS == csv_header("groups")
    assert len(rows) == 1 + len(bundled.table("groups"))
    khorasan = dict(zip(rows[0], next(r for r in rows if r[0] == "isis-khorasan"), strict=True))
    assert khorasan["name"] == "ISIS-Khorasan" and khorasan["kind"] == "isis-branch"
    assert khorasan["name_hedge"] == "some-say" and khorasan["cite"] == "article/p34"
    assert khorasan["aliases"] == ""  # "ISIS in Afghanistan" was our phrase, not the article's
    isis = dict(zip(rows[0], rows[1], strict=True))
    assert isis["regions"] == "iraq; syria; iraq-syria-desert" and isis["cite"].startswith("article/p2; article/p5")
    assert text.count("\r\n") == len(rows) and "\n" not in text.replace("\r\n", "")  # RFC 4180 line ends


def test_csv_columns_follow_the_spec_for_every_kind(bundled) -> None:
    people = read_csv(csv_text("people", bundled.table("people").values()))
    assert people[0] == ["id", "name", "roles", "collective", "location", "summary", "cite"]
    assert any(row[3] == "true" for row in people[1:]) and any(row[3] == "" for row in people[1:])
    assert any("(fbi, former)" in row[2] for row in people[1:])
    figures = read_csv(csv_text("figures", bundled.table("figures").values()))
    assert figures[0] == [
        "id",
        "measure",
        "value",
        "low",
        "high",
        "qualifier",
        "hedge",
        "regions",
        "groups",
        "as_of",
        "given_by",
        "attribution",
        *(["unattributed"] if "unattributed" in specs_of(Figure) else []),
        "competes_with",
        "summary",
        "cite",
    ]
    somalia = dict(zip(figures[0], next(r for r in figures if r[0] == "isis-fighters-remaining-somalia"), strict=True))
    assert (somalia["hedge"], somalia["as_of"]) == ("perhaps", "inferred late 2017-10")  # dates as written
    events = read_csv(csv_text("events", bundled.table("events").values()))
    mosul = dict(zip(events[0], next(r for r in events if r[0] == "mosul-campaign"), strict=True))
    assert (mosul["date"], mosul["until"]) == ("inferred 2016", "inferred 2017-07")
    for kind in KINDS:
        rows = read_csv(csv_text(kind, bundled.table(kind).values()))
        assert rows[0][0] == "id" and rows[0][-1] == "cite" and len(rows) == 1 + len(bundled.table(kind))
        assert all(len(row) == len(rows[0]) for row in rows)


def test_csv_neutralises_formulas_and_cleans_controls(hostile) -> None:
    groups = read_csv(csv_text("groups", hostile.table("groups").values()))
    row = dict(zip(groups[0], next(r for r in groups if r[0] == "hostile"), strict=True))
    assert row["aliases"].startswith("'=cmd|' /C calc'!A0; +1")  # the cell starts with =: prefixed
    assert row["summary"].startswith("'- looks like a list\n1. and")  # line breaks kept inside the cell
    assert "␛]0;pwned␇" in row["aliases"] and not CONTROLS.search(row["aliases"])
    assert row["status"].startswith("[link](javascript")  # not a formula: left alone
    figures = read_csv(csv_text("figures", hostile.table("figures").values()))
    fig = dict(zip(figures[0], next(r for r in figures if r[0] == "tiny-and-negative"), strict=True))
    assert (fig["low"], fig["high"], fig["summary"]) == ("-5", "0.00001", "'=1+1")  # a number stays a number
    assert fig["attribution"] == '\' =HYPERLINK("http://x")'  # the tab cleaned to a space, still neutralised
    people = read_csv(csv_text("people", hostile.table("people").values()))
    assert next(r for r in people if r[0] == "analyst-b")[2] == "'+ director (think-tank-x, former)"
    quotes = read_csv(csv_text("assessments", hostile.table("assessments").values()))
    quote = dict(zip(quotes[0], next(r for r in quotes if r[0] == "hostile-quote"), strict=True))
    assert quote["summary"] == "'@everyone" and quote["text"].startswith("“=cmd")  # “ first: no formula


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("\u00a0=1", "'\u00a0=1"),
        ("a=1", "a=1"),
        ("", ""),
        ("“=1”", "“=1”"),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


# -- Markdown ------------------------------------------------------------------------------------


def footnotes(markdown: str) -> dict[str, str]:
    found = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", markdown, re.MULTILINE))
    assert len(found) == len(set(found.values()))  # one footnote per distinct citation
    return found


def test_markdown_briefing_of_the_bundled_data(bundled) -> None:
    md = markdown_text(bundled)
    assert md.startswith("# isis-explorer briefing\n")
    sections = re.findall(r"^## (\w+) \(\d+\)$", md, re.MULTILINE)
    assert sorted(s.lower() for s in sections) == sorted(KINDS) and sections[0] == "Groups"
    groups = md[md.index("## Groups") : md.index("## Regions")]
    entry = groups[groups.index("### ISIS-Khorasan (as some call it)\n") :]  # the source's hedge on the name
    entry = entry[: entry.index("\n### ")]
    note = re.search(r"^\*isis-branch \(our classification\)\*\[\^(\d+)\]$", entry, re.MULTILINE)
    assert note is not None
    notes = footnotes(md)
    assert notes[note.group(1)] == f"{ARTICLE}, ¶34"
    assert "**Active in:** Afghanistan" in entry  # names of linked records, not ids
    branch = re.search(r"^\*\*Branch of:\*\* ISIS — implied \[\^(\d+)\]$", entry, re.MULTILINE)
    assert "stated (it says so), implied (its words imply it) or inferred by us" in md
    assert branch is not None and notes[branch.group(1)].endswith("¶34")  # the relationship's citation
    assert set(re.findall(r"\[\^(\d+)\](?!:)", md)) == set(notes)  # every marker defined, every note used
    quote = (
        "“I think ISIS will go from being a proto-state to an underground terrorist organization, and this "
        "organization will have affiliates in different places in the world”"
    )
    assert re.search(rf"^\*\*Quote \(verbatim\):\*\* {quote} \[\^(\d+)\]$", md, re.MULTILINE)
    quoted = re.findall(r"^\*\*Quote \(verbatim\):\*\* “.*$", md, re.MULTILINE)
    assert len(quoted) == sum(1 for a in bundled.table("assessments").values() if a.text)
    assert all(re.search(r"” (\[\^\d+\])+$", q) for q in quoted)  # every quote carries its ¶, right there
    assert re.search(  # a figure reads in full: hedge, amount, what, where, when, who, and its ¶
        r"^\*\*Value:\*\* perhaps fewer than 100 ISIS fighters remaining in Somalia \(inferred: late October 2017\), "
        r"unattributed \[\^\d+\]$",
        md,
        re.MULTILINE,
    )
    assert "[article ¶" not in md and "\\[article" not in md  # citations are footnotes, not bracketed text


def test_markdown_of_one_kind(bundled) -> None:
    md = markdown_text(bundled, "events")
    assert md.startswith("# isis-explorer briefing: events\n") and "## Groups" not in md
    assert md.count("\n### ") == len(bundled.table("events"))
    dates = [e.date.sort_key() for e in bundled.timeline()]
    assert dates == sorted(dates)
    assert re.search(r"^\[\^1\]: ", md, re.MULTILINE)


def test_markdown_of_hostile_data_forms_no_markup(hostile) -> None:
    md = markdown_text(hostile)
    assert not CONTROLS.search(md) and "␛\\]0;pwned␇" in md
    parser = MarkdownIt("commonmark").enable("strikethrough").use(footnote_plugin)
    tokens = parser.parse(md)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_inline", "html_block", "image", "code_inline", "s_open", "blockquote_open"}
    emphasis = [c for t in tokens for c in (t.children or []) if c.type == "em_open"]
    assert len(emphasis) == md.count("\n### ")  # only our own: each entry's kind line
    links = [c for t in tokens for c in (t.children or []) if c.type == "link_open"]
    assert links == []
    html = parser.render(md)
    assert "<script>" not in html and 'href="javascript' not in html and "[link](javascript:alert(1))" in html
    assert "[@click=app.quit]quit [bold]x" in html and "الدولة الإسلامية 🚩" in html
    assert "<p>- looks like a list 1. and a numbered one &gt; and a quote # and a heading back\\slash" in html
    hostile_entry = md[md.index("### “") :]
    assert hostile_entry.startswith("### “\\[/\\]” \\[@click=app.quit\\]quit \\[bold\\]x")


LINE_STARTS = ("- x", "+ x", "1. x", "12) x", "> x", "= x", ": x", "    x", "***", "<div>", "```", "~~~", "---")
PARAGRAPH_TOKENS = {"heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline"}


@pytest.mark.parametrize("start", LINE_STARTS)
def test_markdown_line_starts_never_form_blocks(start: str, write_kb) -> None:
    """A region's summary starts a line of its own, a role starts a list item: whatever they start
    with stays a paragraph, or one item of the one list."""
    region = f"  - id: r\n    name: R\n    kind: city\n    parent: iraq\n    summary: {json.dumps(start)}\n"
    person = f"  - id: p\n    name: P\n    roles: [{{title: {json.dumps(start)}}}, {{title: other}}]\n"
    kb = load(write_kb(zz=f"regions:\n{region}    cite: article/p4\npeople:\n{person}    cite: article/p4\n"))
    tokens = MarkdownIt("commonmark").parse(markdown_text(kb, "regions"))
    assert {t.type for t in tokens} - PARAGRAPH_TOKENS == set()
    tokens = MarkdownIt("commonmark").parse(record_file_text(kb, "markdown", "people", "p"))
    types = [t.type for t in tokens]
    assert set(types) - PARAGRAPH_TOKENS == {
        "bullet_list_open",
        "bullet_list_close",
        "list_item_open",
        "list_item_close",
    }
    assert types.count("bullet_list_open") == 1 and types.count("list_item_open") == 2


# -- one record ----------------------------------------------------------------------------------


def test_one_record_files(bundled) -> None:
    data = json.loads(record_file_text(bundled, "json", "groups", "isis-khorasan"))
    whole = json.loads(json_text(bundled, "groups"))
    assert data == {"groups": [g for g in whole["groups"] if g["id"] == "isis-khorasan"]}
    text = record_file_text(bundled, "csv", "groups", "isis-khorasan")
    assert text.startswith(BOM) and read_csv(text)[0] == GROUP_COLUMNS and read_csv(text)[1][0] == "isis-khorasan"
    md = record_file_text(bundled, "markdown", "groups", "isis-khorasan")
    assert md.startswith("# ISIS-Khorasan (as some call it)\n\n*isis-branch (our classification)*[^1]\n")
    assert footnotes(md)["1"] == f"{ARTICLE}, ¶34"
    assert record_file_text(bundled, "json", "groups", "no-such-group") is None


# -- the command ---------------------------------------------------------------------------------


def test_cli_writes_each_format_to_stdout(capsys) -> None:
    assert main(["export", "--format", "json", "--kind", "groups"]) == 0
    assert [g["id"] for g in json.loads(capsys.readouterr().out)["groups"]][:2] == ["isis", "isis-libya"]
    assert main(["export", "--format", "csv", "--kind", "groups"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith(BOM) and read_csv(out)[0] == GROUP_COLUMNS  # no BOM on a pipe
    assert main(["export", "--format", "markdown"]) == 0
    assert "### ISIS-Khorasan" in capsys.readouterr().out


def test_cli_writes_files_and_a_directory_of_csv(tmp_path: Path, capsys) -> None:
    target = tmp_path / "groups.csv"
    assert main(["export", "--format", "csv", "--kind", "groups", "-o", str(target)]) == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,name,") and b"\r\n" in raw
    assert main(["export", "--format", "csv", "-o", str(tmp_path / "tables" / "new")]) == 0
    written = sorted(p.name for p in (tmp_path / "tables" / "new").iterdir())
    assert written == sorted(f"{kind}.csv" for kind in KINDS)
    regions = read_csv((tmp_path / "tables" / "new" / "regions.csv").read_text(encoding="utf-8"))
    assert regions[0][:3] == ["id", "name", "kind"] and any(r[0] == "afghanistan" for r in regions)
    assert main(["export", "--format", "json", "-o", str(tmp_path / "kb.json")]) == 0
    assert json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))["sources"][0]["id"] == "article"
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "json", "--kind", "x"], "isis-explorer: unknown kind 'x'; choose one of: " + ", ".join(KINDS)),
        (["--format", "csv"], "isis-explorer: CSV of every kind needs -o DIRECTORY"),
        (["--format", "csv", "-o", "{tmp}/file.txt"], "isis-explorer: -o {tmp}/file.txt: is a file;"),
        (
            ["--format", "json", "-o", "{tmp}/missing/kb.json"],
            "isis-explorer: cannot write {tmp}/missing/kb.json: No such file or directory",
        ),
        (["--format", "markdown", "-o", "{tmp}"], "isis-explorer: cannot write {tmp}: Is a directory"),
    ],
)
def test_cli_refusals_are_one_line_and_exit_2(args, message, tmp_path: Path, capsys) -> None:
    (tmp_path / "file.txt").write_text("keep", encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["export", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith(message.replace("{tmp}", str(tmp_path)))
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "keep"


def test_cli_bad_data_reports_positions(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "kb.yaml"
    bad.write_text("groups:\n  - id: x\n    nme: y\n", encoding="utf-8")
    assert main(["export", "--data", str(bad), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3:5: unknown field 'nme' in group (did you mean 'name'?)\n" in err
    assert all(line.startswith(f"{bad}:") for line in err.splitlines()) and "Traceback" not in err


def test_cli_output_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "export", "--format", "markdown", "--kind", "groups"],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "km²" in done.stdout.decode("utf-8")


# -- the palette ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, ending", [("JSON", ".json"), ("Markdown", "-briefing.md"), ("CSV", ".csv")])
async def test_palette_exports_the_selected_record(fmt, ending, bundled, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = ExplorerApp(bundled)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.open("groups", "isis-khorasan")
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"Export")  # as a person would: type, then arrow down to the command
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        options = palette.query_one(OptionList)
        wanted = f"Export selected record as {fmt}"
        prompts: list[str] = []
        for _ in range(40):
            await pilot.pause(0.05)
            prompts = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
            if sum(p.startswith("Export selected record as ") for p in prompts) == 3:
                break
        index = next(i for i, p in enumerate(prompts) if p.startswith(wanted + "\n"))
        current = options.highlighted
        steps = index + 1 if current is None else index - current  # down from nothing lands on the first
        await pilot.press(*(["down"] * steps if steps >= 0 else ["up"] * -steps), "enter")
        await pilot.pause()
        written = tmp_path / f"isis-explorer-groups-isis-khorasan{ending}"
        assert written.exists()
        assert app.is_running
    content = written.read_bytes().decode("utf-8")  # as written: CRLF for CSV
    assert content == record_file_text(bundled, fmt.lower(), "groups", "isis-khorasan")
    if fmt == "JSON":
        assert json.loads(content)["groups"][0]["name"] == "ISIS-Khorasan"
    elif fmt == "CSV":
        assert read_csv(content)[1][:2] == ["isis-khorasan", "ISIS-Khorasan"]
    else:
        assert content.startswith("# ISIS-Khorasan (as some call it)\n") and f"{ARTICLE}, ¶34" in content
