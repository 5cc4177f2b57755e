"""The marked records written out: the Markdown briefing (order, notes, footnotes, header, missing
marks, hostile notes), the JSON fragment that loads on its own, the CSV reading list, and
`isis-explorer export --marked`."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from tui.__main__ import main
from tui.export.json_csv import BOM
from tui.export.marked_export import (
    CSV_HEADER,
    data_origin,
    marked_text,
    write_marked_csv,
    write_marked_json,
    write_marked_markdown,
)
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS
from tui.loading.loader import load
from tui.marks.mark import Mark, data_key
from tui.marks.mark_book import MarkBook

ARTICLE = "ISIS post caliphate: who's left, and where they are"
WRITTEN = date(2026, 12, 2)
BYMAN = ("assessments", "byman-dribs-and-drabs")
KHORASAN = ("groups", "isis-khorasan")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_NOTE = "# [red]x[/] <script>alert(1)</script> \x1b[31m | a | b | \u202eevil =1+1"


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


def mark(entry: tuple[str, str], name: str = "", note: str = "") -> Mark:
    return Mark(entry[0], entry[1], name or entry[1], note)


def briefing(kb: KnowledgeBase, marks: list[Mark], drawn_from: str = "/data/kb", digest: str = "ab12") -> str:
    out = io.StringIO()
    write_marked_markdown(out, kb, marks, drawn_from=drawn_from, digest=digest, written=WRITTEN)
    return out.getvalue()


def entries(md: str) -> dict[str, str]:
    """Each record's entry (heading -> text up to the next heading or the footnotes)."""
    found = {}
    for match in re.finditer(r"^## (.*)\n((?:(?!## |\[\^).*\n)*)", md, re.MULTILINE):
        found[match.group(1)] = match.group(2)
    return found


def footnotes(md: str) -> dict[str, str]:
    found = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", md, re.MULTILINE))
    assert len(found) == len(set(found.values()))  # one footnote per distinct citation
    return found


# -- Markdown ------------------------------------------------------------------------------------


def test_briefing_keeps_the_users_order_with_each_note_under_its_record(bundled) -> None:
    """An assessment marked before a group comes first, though the full briefing puts groups first."""
    marks = [mark(BYMAN, note="Byman on the returnees"), mark(KHORASAN, note="the branch in Afghanistan")]
    md = briefing(bundled, marks)
    headings = re.findall(r"^## (.*)$", md, re.MULTILINE)
    byman = bundled.get(*BYMAN)
    assert byman is not None
    assert headings == [bundled.name_of(byman), "ISIS-Khorasan (as some call it)"]
    found = entries(md)
    assert found[headings[0]].rstrip().endswith("**Note:** Byman on the returnees")
    assert found[headings[1]].rstrip().endswith("**Note:** the branch in Afghanistan")
    assert "Byman on the returnees" not in found[headings[1]]
    notes = footnotes(md)
    assert set(re.findall(r"\[\^(\d+)\](?!:)", md)) == set(notes)  # every marker defined, every note used
    assert list(notes) == [str(n) for n in range(1, len(notes) + 1)]
    khorasan_note = re.search(r"^\*isis-branch \(our classification\)\*\[\^(\d+)\]$", found[headings[1]], re.MULTILINE)
    assert khorasan_note is not None and notes[khorasan_note.group(1)] == f"{ARTICLE}, ¶34"
    byman_cites = {f"{ARTICLE}, {c.paragraphs}" for c in byman.cite}
    assert byman_cites <= set(notes.values())
    assert "**Quote (verbatim):** “" in found[headings[0]]  # the full briefing's entry, not a summary of it


def test_briefing_header_names_the_data_its_hash_and_the_date(bundled) -> None:
    md = briefing(bundled, [mark(KHORASAN)], drawn_from="/home/me/kb_[draft]", digest="0f3a" * 10)
    head = md[: md.index("\n## ")]
    assert head.startswith("# isis-explorer briefing: marked records\n\n")
    assert "- **Drawn from:** /home/me/kb\\_\\[draft\\]\n" in head  # a path is data text: escaped
    assert f"- **Content hash (BLAKE2b):** {'0f3a' * 10}\n" in head
    assert "- **Written:** 2026-12-02\n" in head
    assert "1 marked record, in the order of the Marked view." in head
    assert "stated (it says so), implied (its words imply it) or inferred by us" in head


def test_data_origin_of_the_bundled_data_and_of_a_path(write_kb) -> None:
    from tui import __version__

    drawn_from, digest = data_origin(None)
    assert drawn_from == f"the bundled data (isis-explorer {__version__})"
    assert re.fullmatch(r"[0-9a-f]{40}", digest)
    root = write_kb()
    drawn_from, digest = data_origin(str(root))
    assert drawn_from == str(root) and re.fullmatch(r"[0-9a-f]{40}", digest)
    # the hash is of the contents: the same files elsewhere give the same hash, one changed byte another
    elsewhere = root.parent / "elsewhere"
    shutil.copytree(root, elsewhere)
    assert data_origin(str(elsewhere))[1] == digest
    first = sorted(elsewhere.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert data_origin(str(elsewhere))[1] != digest
    (root / "topics.yaml").write_text("topics:\n  - id: other\n    name: Other\n    cite: article/p9\n", "utf-8")
    assert data_origin(str(root))[1] != digest  # the hash follows the content


def test_a_mark_whose_record_left_the_data_stays_in_its_place(bundled) -> None:
    marks = [mark(KHORASAN), Mark("groups", "isis-gone", "ISIS in Atlantis", "was it real?"), mark(BYMAN)]
    md = briefing(bundled, marks)
    headings = re.findall(r"^## (.*)$", md, re.MULTILINE)
    assert headings[1] == "Missing: ISIS in Atlantis"
    assert entries(md)[headings[1]] == "\n*group isis-gone, no longer in the data*\n\n**Note:** was it real?\n\n"
    assert "3 marked records, in the order of the Marked view; 1 no longer in the data." in md
    unknown_kind = briefing(bundled, [Mark("villains", "x", "X")])
    assert "## Missing: X\n\n*villains x, no longer in the data*" in unknown_kind


def test_hostile_notes_and_names_form_no_markup(bundled) -> None:
    marks = [
        mark(KHORASAN, note=HOSTILE_NOTE),
        Mark("groups", "gone", "# [@click=app.quit] <b>x</b> | y |\x1b]0;t\x07", "- 1. > note"),
    ]
    md = briefing(bundled, marks, drawn_from="<img src=x> `code` \x1b[2J")
    assert not CONTROLS.search(md)
    assert "␛\\[31m" in md and "␛\\[2J" in md and "\ufffdevil" in md  # controls made visible
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
    tokens = parser.parse(md)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_inline", "html_block", "image", "code_inline", "table_open", "blockquote_open"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 3  # the title and the two entries: no note made one
    html = parser.render(md)
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "[red]x[/] &lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as written, never markup
    assert "<strong>Note:</strong> - 1. &gt; note" in html


# -- JSON ----------------------------------------------------------------------------------------


def fragment(kb: KnowledgeBase, marks: list[Mark], tmp_path: Path, name: str = "fragment.json") -> Path:
    out = io.StringIO()
    write_marked_json(out, kb, marks)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_fragment_of_every_bundled_record_loads_on_its_own(bundled, tmp_path: Path) -> None:
    """Whatever the kind, a record's fragment holds every record it refers to, transitively."""
    checked = 0
    for kind, record in bundled.all_records():
        path = fragment(bundled, [Mark(kind, record.id, record.id)], tmp_path)
        alone = load(path, workers=0)  # raises DataError on any problem
        assert alone.get(kind, record.id) == record, (kind, record.id)
        assert json.loads(path.read_text(encoding="utf-8"))[kind][0]["id"] == record.id
        checked += 1
    assert checked == sum(bundled.counts().values())


def test_a_fragment_of_several_marks_keeps_their_order_and_leaves_notes_out(bundled, tmp_path: Path) -> None:
    marks = [
        mark(BYMAN, note="NOTE-TEXT"),
        mark(("regions", "libya")),
        Mark("groups", "isis-gone", "Gone"),
        mark(KHORASAN),
        mark(("assessments", "byman-plane-loads-image")),
    ]
    path = fragment(bundled, marks, tmp_path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data)[:3] == ["assessments", "regions", "groups"]  # kinds in the order of their first mark
    assert list(data)[3:] == [k for k in KINDS if k in data and k not in ("assessments", "regions", "groups")]
    assert [a["id"] for a in data["assessments"]][:2] == ["byman-dribs-and-drabs", "byman-plane-loads-image"]
    assert data["regions"][0]["id"] == "libya" and data["groups"][0]["id"] == "isis-khorasan"
    assert "isis-gone" not in text and "NOTE-TEXT" not in text
    alone = load(path, workers=0)
    for m in marks:
        assert alone.get(m.kind, m.id) == bundled.get(m.kind, m.id)
    assert alone.get("regions", "world") is not None  # libya's parents, up to the root


def test_a_fragment_holds_exactly_what_its_records_need(kb, tmp_path: Path) -> None:
    """A figure given by a person: the measure, the person, the person's role's organization, its
    location's regions up to the world, the iso code's standard, and the cited source; no more."""
    path = fragment(kb, [Mark("figures", "fighters-range", "range")], tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    ids = {kind: [r["id"] for r in records] for kind, records in data.items()}
    assert ids == {
        "figures": ["fighters-range"],
        "sources": ["article", "iso-3166"],
        "organizations": ["think-tank-x"],
        "regions": ["world", "middle-east", "iraq"],
        "measures": ["fighters"],
        "people": ["analyst-a"],
    }
    load(path, workers=0)
    empty = fragment(kb, [Mark("groups", "gone", "Gone")], tmp_path, "empty.json")
    assert json.loads(empty.read_text(encoding="utf-8")) == {}


# -- CSV -----------------------------------------------------------------------------------------


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def test_csv_has_one_row_per_mark_in_order(bundled) -> None:
    marks = [mark(BYMAN, note="first"), Mark("groups", "isis-gone", "Gone", "kept"), mark(KHORASAN)]
    out = io.StringIO(newline="")
    write_marked_csv(out, bundled, marks)
    table = rows(out.getvalue())
    assert table[0] == list(CSV_HEADER) == ["n", "kind", "id", "name", "note", "cite", "status", "summary"]
    byman = bundled.get(*BYMAN)
    assert byman is not None
    assert table[1][:7] == [
        "1",
        "assessments",
        "byman-dribs-and-drabs",
        bundled.name_of(byman),
        "first",
        "; ".join(c.as_data() for c in byman.cite),
        "in the data",
    ]
    assert table[1][7] == byman.summary
    assert table[2] == ["2", "groups", "isis-gone", "Gone", "kept", "", "missing", ""]
    assert table[3][:7] == ["3", "groups", "isis-khorasan", "ISIS-Khorasan", "", "article/p34", "in the data"]
    assert out.getvalue().count("\r\n") == 4 and "\n" not in out.getvalue().replace("\r\n", "")


def test_csv_cells_are_neutralised(bundled) -> None:
    marks = [mark(KHORASAN, note='=HYPERLINK("http://x")'), Mark("groups", "g", "+cmd\x1b[2J", "  @SUM(A1)\r\n")]
    text = marked_text(bundled, "csv", marks, drawn_from="", digest="", written=WRITTEN)
    assert text.startswith(BOM + "n,kind,")
    table = rows(text)
    assert table[1][4] == '\'=HYPERLINK("http://x")'
    assert table[2][3] == "'+cmd␛[2J" and table[2][4].startswith("'  @SUM(A1)") and "\r" not in table[2][4]
    assert not any(CONTROLS.search(cell) for row in table for cell in row)


def test_marked_text_in_each_format(bundled) -> None:
    marks = [mark(KHORASAN, note="n")]
    md = marked_text(bundled, "markdown", marks, drawn_from="d", digest="h", written=WRITTEN)
    assert md.startswith("# isis-explorer briefing: marked records\n") and "**Note:** n" in md
    assert json.loads(marked_text(bundled, "json", marks, drawn_from="", digest="", written=WRITTEN))["groups"]
    with pytest.raises(ValueError):
        marked_text(bundled, "geojson", marks, drawn_from="", digest="", written=WRITTEN)


# -- the command ---------------------------------------------------------------------------------


def make_marks(root: str | None, *marks: tuple[str, str, str, str]) -> None:
    """Marks as the explorer makes them, in the user data dir the tests' fixture sets."""
    book, notice = MarkBook.open(data_key(root))
    assert notice is None
    try:
        for kind, record_id, name, note in marks:
            assert book.toggle(kind, record_id, name)
            if note:
                book.set_note(kind, record_id, note)
    finally:
        book.close()


def test_cli_exports_the_marks_of_the_bundled_data(bundled, tmp_path: Path, capsys) -> None:
    make_marks(None, ("groups", "isis-khorasan", "ISIS-Khorasan", "the branch"), (*BYMAN, "Byman", ""))
    target = tmp_path / "briefing.md"
    before = date.today().isoformat()
    assert main(["export", "--marked", "--format", "markdown", "-o", str(target)]) == 0
    after = date.today().isoformat()
    assert capsys.readouterr() == ("", "")
    md = target.read_text(encoding="utf-8")
    from tui import __version__

    assert f"- **Drawn from:** the bundled data (isis-explorer {__version__})\n" in md
    assert f"- **Content hash (BLAKE2b):** {data_origin(None)[1]}\n" in md
    assert f"- **Written:** {before}\n" in md or f"- **Written:** {after}\n" in md
    byman = bundled.get(*BYMAN)
    assert byman is not None
    assert re.findall(r"^## (.*)$", md, re.MULTILINE) == ["ISIS-Khorasan (as some call it)", bundled.name_of(byman)]
    assert "**Note:** the branch" in md and set(re.findall(r"\[\^(\d+)\](?!:)", md)) == set(footnotes(md))
    assert main(["export", "--marked", "--format", "csv"]) == 0
    table = rows(capsys.readouterr().out)
    assert [row[2] for row in table[1:]] == ["isis-khorasan", "byman-dribs-and-drabs"]
    assert main(["export", "--marked", "--format", "json", "-o", str(tmp_path / "f.json")]) == 0
    load(tmp_path / "f.json", workers=0)
    assert main(["export", "--marked", "--format", "csv", "-o", str(tmp_path / "f.csv")]) == 0
    assert (tmp_path / "f.csv").read_bytes().startswith(b"\xef\xbb\xbfn,kind,id,")


def test_cli_reads_the_marks_of_the_data_in_effect(write_kb, tmp_path: Path, capsys) -> None:
    root = write_kb()
    make_marks(str(root), ("figures", "fighters-range", "Range", ""), ("groups", "mosul-cell", "Mosul cell", "cell"))
    make_marks(None, ("groups", "isis-khorasan", "ISIS-Khorasan", ""))  # another knowledge base's marks
    assert main(["export", "--data", str(root), "--marked", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert f"- **Drawn from:** {root}".replace("_", "\\_") in md and "Khorasan" not in md
    assert re.findall(r"^## (.*)$", md, re.MULTILINE)[1] == "Mosul cell"
    assert f"- **Content hash (BLAKE2b):** {data_origin(str(root))[1]}\n" in md


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "geojson"], "isis-explorer: --marked writes markdown, json or csv"),
        (["--format", "json", "--kind", "groups"], "isis-explorer: --marked writes every marked record"),
        (["--format", "markdown"], "isis-explorer: no marked records for this data: mark records with m"),
    ],
)
def test_cli_marked_refusals_are_one_line_and_exit_2(args, message, capsys) -> None:
    assert main(["export", "--marked", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and captured.err.startswith(message)
