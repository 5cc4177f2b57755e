"""Hostile text in every free-text field: shown literally or made visible, never obeyed, never a crash.

Each corpus entry is written into every free-text field of an otherwise valid knowledge base, after
a distinctive plain marker (`qz<field>x`) that the tests search for. What reaches the screen is read
back from the widgets (their Content/Text) and from the compositor's own terminal output, and
every row on screen is measured as a terminal measures it (`terminal_cells`).
"""

from __future__ import annotations

import os
import pty
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pty_reading
import pytest
import yaml
from terminal_cells import HAVE_WCWIDTH, terminal_width
from textual.content import Content
from textual.widgets import OptionList, Static
from textual_private import notification_messages, screen_text, terminal_output

from tui.loading import safe_yaml
from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.help_screen import HelpScreen
from tui.ui.screens.search_screen import SearchScreen
from tui.ui.screens.table_view import RecordTable, TableView
from tui.ui.widgets.detail_pane import DetailPane


@dataclass(frozen=True)
class Hostile:
    name: str
    yaml: str  # the body of a YAML double-quoted scalar
    shown: str  # what the screen must show instead (written out here, not computed by the app's code)
    kept: str | None = None  # what the data, exports and copies keep, when not what the screen shows

    @property
    def exported(self) -> str:
        return self.shown if self.kept is None else self.kept


def _long() -> Hostile:
    """100,000 characters: words, markup and escapes, so a long string is also a hostile one."""
    unit_yaml, unit_shown = r"Lorem [/]ipsum\e[2J dolor\a ", "Lorem [/]ipsum\u241b[2J dolor\u2407 "
    count = 100_000 // len(unit_shown)
    pad = 100_000 - count * len(unit_shown)
    return Hostile("long-100k", unit_yaml * count + "x" * pad, unit_shown * count + "x" * pad)


CORPUS = [
    Hostile("markup-close", "[/]", "[/]"),
    Hostile("markup-bold", "[bold]B[/bold] [red]R [b]", "[bold]B[/bold] [red]R [b]"),
    Hostile("markup-click", "[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    Hostile("markup-variable", "[$accent]v[/] [on $primary]w", "[$accent]v[/] [on $primary]w"),
    Hostile("markup-link", "[link=https://x]y[/link]", "[link=https://x]y[/link]"),
    Hostile("csi-clear", r"\e[2J\e[H", "\u241b[2J\u241b[H"),
    Hostile("osc0-title", r"\e]0;PWNED\a", "\u241b]0;PWNED\u2407"),
    Hostile("osc52-clipboard", r"\e]52;c;SElKQUNL\a", "\u241b]52;c;SElKQUNL\u2407"),
    Hostile("osc8-hyperlink", r"\e]8;;http://x\e\\y\e]8;;\e\\", "\u241b]8;;http://x\u241b\\y\u241b]8;;\u241b\\"),
    Hostile("c1-controls", r"\x9b2J\x9d0;T\x85N", "\ufffd2J\ufffd0;T\ufffdN"),
    Hostile("bidi-override", r"abc\u202edcb\u2066i\u2069", "abc\ufffddcb\ufffdi\ufffd"),
    # On screen a joiner, a variation selector or a skin tone becomes U+034F (0 cells everywhere):
    # Rich and terminals measure the sequences they form differently (safe_text's docstring)
    Hostile(
        "zero-width-combining",
        r"Ze\u0301ro\u200bw\u200ci\u200dd\ufefft",
        "Ze\u0301ro\u200bw\u200ci\u034fd\ufefft",
        kept="Ze\u0301ro\u200bw\u200ci\u200dd\ufefft",
    ),
    Hostile(
        "wide-cjk-emoji",
        "漢字カタカナ 한국어 👩‍👩‍👧 🇮🇶 ﷽",
        "漢字カタカナ 한국어 👩\u034f👩\u034f👧 🇮🇶 ﷽",
        kept="漢字カタカナ 한국어 👩‍👩‍👧 🇮🇶 ﷽",
    ),
    Hostile("zwj-between-letters", r"Yemen x\u200dy", "Yemen x\u034fy", kept="Yemen x\u200dy"),
    Hostile(
        "emoji-selector-skin-tone",
        r"\u2764\ufe0f\U0001F44D\U0001F3FD #\ufe0f\u20e3 \U0001F44B\U0001F3FB\u200d",
        "\u2764\u034f\U0001f44d\u034f #\u034f\u20e3 \U0001f44b\u034f\u034f",
        kept="\u2764\ufe0f\U0001f44d\U0001f3fd #\ufe0f\u20e3 \U0001f44b\U0001f3fb\u200d",
    ),
    Hostile("hangul-fillers", r"a\u3164b\uffa0c", "a\u034fb\u034fc", kept="a\u3164b\uffa0c"),
    Hostile("lone-surrogate", r"\ud800x\udfff", "\ufffdx\ufffd"),
    _long(),
]
# Nothing a terminal obeys may be in rendered text: C0 but newline, DEL, C1, bidi controls, surrogates.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# In what the compositor writes: Textual's own output has SGR and cursor moves, never these.
TERMINAL_PAYLOADS = ("\x1b]", "\x1b[2J", "\x1b[H", "\x07", "\x9b", "\x9d", "\x85", "\u202e", "\u2066", "\ud800")
MD_ESCAPE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def marker(field: str) -> str:
    return f"qz{field}x"


# Every record, its free-text fields written `%(field)s`: each becomes `"qz<field>x <payload>"`.
RECORDS = {
    "sources": """
- {id: article, title: %(src)s, kind: article, date: 2017-10, cite: article/p1}
- {id: iso-3166, title: %(std)s, kind: standard}""",
    "organizations": """
- {id: think-tank-x, name: %(org)s, aliases: [%(orgal)s], kind: think-tank, location: iraq, cite: article/p2}""",
    "regions": """
- {id: world, name: %(world)s, kind: world, cite: article/p3}
- {id: middle-east, name: %(mideast)s, kind: region, parent: world, cite: article/p3}
- {id: iraq, name: %(iraq)s, aliases: [%(iraqal)s], summary: %(iraqsum)s, kind: country, iso: IQ,
   iso_source: iso-3166, parent: middle-east, cite: article/p4}
- {id: mosul, name: %(mosul)s, kind: city, parent: iraq, cite: article/p4}""",
    "groups": """
- {id: islamic-state, name: %(gname)s, aliases: [%(galias)s], status: %(gstatus)s, summary: %(gsum)s,
   kind: isis-core, regions: [iraq, mosul], cite: article/p5}
- {id: mosul-cell, name: %(cell)s, summary: %(cellsum)s, kind: isis-branch, regions: [mosul], cite: article/p6}""",
    "relationships": """
- {id: cell-branch-of-core, type: branch-of, from: mosul-cell, to: islamic-state, certainty: stated,
   summary: %(rel)s, cite: article/p6}""",
    "measures": "- {id: fighters, name: %(measure)s, summary: %(measum)s, unit: people, cite: article/p7}",
    "figures": """
- {id: fighters-estimate, measure: fighters, value: 5600, qualifier: about, as_of: 2017-10,
   attribution: %(attrib)s, summary: %(fig)s, cite: article/p7}
- {id: fighters-range, measure: fighters, low: 3000, high: 4000, qualifier: exact, as_of: 2017,
   given_by: analyst-a, summary: %(range)s, cite: article/p8}""",
    "people": """
- {id: analyst-a, name: %(person)s, summary: %(persum)s, location: iraq, cite: article/p8,
   roles: [{title: %(role)s, organization: think-tank-x}, {title: %(oldrole)s, former: true}]}""",
    "works": "- {id: book-a, title: %(work)s, kind: book, authors: [analyst-a], cite: article/p9}",
    "topics": "- {id: returnees, name: %(topic)s, summary: %(topicsum)s, cite: article/p9}",
    "assessments": """
- {id: analyst-a-not-over, speaker: analyst-a, text: %(quote)s, summary: %(quotesum)s,
   groups: [islamic-state], topics: [returnees], cite: article/p10}""",
    "events": """
- {id: fall-of-mosul, name: %(event)s, summary: %(eventsum)s, date: 2017-07, regions: [mosul],
   actors: [islamic-state], cite: article/p11}""",
}


def kb_files(payload: str) -> dict[str, str]:
    """One YAML file per kind, `payload` (the body of a double-quoted scalar) in every free-text field."""

    class Fields(dict):
        def __missing__(self, field: str) -> str:
            return f'"{marker(field)} {payload}"'

    return {kind: f"{kind}:\n{records.strip()}\n" % Fields() for kind, records in RECORDS.items()}


# marker searched for -> the record that search must open (one per searched field group)
SEARCHES = {
    "gname": ("groups", "islamic-state"),
    "galias": ("groups", "islamic-state"),
    "gstatus": ("groups", "islamic-state"),
    "role": ("people", "analyst-a"),
    "quote": ("assessments", "analyst-a-not-over"),
    "attrib": ("figures", "fighters-estimate"),
    "eventsum": ("events", "fall-of-mosul"),
    "iraq": ("regions", "iraq"),
    "iraqal": ("regions", "iraq"),
    "orgal": ("organizations", "think-tank-x"),
}
# every record -> the fields its detail pane must show in full (it does not show the aliases of
# organizations and regions: "orgal" and "iraqal" reach the screen only through search)
DETAIL_FIELDS = {
    ("sources", "article"): ["src"],
    ("sources", "iso-3166"): ["std"],
    ("organizations", "think-tank-x"): ["org"],
    ("regions", "world"): ["world"],
    ("regions", "middle-east"): ["mideast"],
    ("regions", "iraq"): ["iraq", "iraqsum"],
    ("regions", "mosul"): ["mosul"],
    ("groups", "islamic-state"): ["gname", "galias", "gstatus", "gsum"],
    ("groups", "mosul-cell"): ["cell", "cellsum"],
    ("relationships", "cell-branch-of-core"): ["rel"],
    ("measures", "fighters"): ["measure", "measum"],
    ("figures", "fighters-estimate"): ["fig", "attrib"],
    ("figures", "fighters-range"): ["range"],
    ("people", "analyst-a"): ["person", "persum", "role", "oldrole"],
    ("works", "book-a"): ["work"],
    ("topics", "returnees"): ["topic", "topicsum"],
    ("assessments", "analyst-a-not-over"): ["quote", "quotesum"],
    ("events", "fall-of-mosul"): ["event", "eventsum"],
}


def searches_for(entry: Hostile) -> list[str]:
    """The group's name, and two more fields in rotation: the corpus covers every field group."""
    others, n = list(SEARCHES)[1:], 2 * CORPUS.index(entry)
    return ["gname", others[n % len(others)], others[(n + 1) % len(others)]]


class PurePythonLoader(safe_yaml._EventReader, yaml.composer.Composer):
    """The loader used where PyYAML lacks libyaml: it lets `\\ud800` through as a lone surrogate."""

    resolve = safe_yaml._StringLoader.resolve
    descend_resolver = safe_yaml._StringLoader.descend_resolver
    ascend_resolver = safe_yaml._StringLoader.ascend_resolver

    def __init__(self, stream: str) -> None:
        safe_yaml._EventReader.__init__(self, stream)
        yaml.composer.Composer.__init__(self)


@pytest.fixture(params=CORPUS, ids=lambda h: h.name)
def hostile(request, write_kb, monkeypatch):
    """(entry, knowledge base) with the entry in every free-text field."""
    entry: Hostile = request.param
    if entry.name == "lone-surrogate":  # libyaml refuses the escape (tested below); Python's parser does not
        monkeypatch.setattr(safe_yaml, "_StringLoader", PurePythonLoader)
    kb = load(write_kb(**kb_files(entry.yaml)))
    value = kb.get("groups", "islamic-state").name.removeprefix(marker("gname") + " ")
    assert RAW_CONTROL.search(value) or "[" in value or entry.exported == value  # the payload really got in
    assert len(value) == 100_000 or len(value) < 50
    return entry, kb


# -- reading back what is on screen ---------------------------------------------------------------
def text_of(thing) -> str:
    return thing.plain if isinstance(thing, Content) else getattr(thing, "plain", None) or str(thing)


def widget_text(app: ExplorerApp) -> str:
    """Every data-bearing widget of the current screen, in full (not just the part in view)."""
    screen, parts = app.screen, []
    for options in screen.query(OptionList):
        parts += [text_of(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    for static in screen.query(Static):
        parts.append(text_of(static.visual))
    for table in screen.query(RecordTable):
        parts += [text_of(cell) for i in range(table.row_count) for cell in table.get_row_at(i)]
    for widget in screen.query("*"):
        parts += [text_of(widget.border_title or ""), text_of(widget.border_subtitle or "")]
    return "\n".join(parts)


def assert_inert(app: ExplorerApp, must_show: str | None = None) -> str:
    """Nothing raw in the widgets, on screen or in the terminal output; returns the widgets' text."""
    text = widget_text(app)
    for where, shown in (("widgets", text), ("screen", screen_text(app))):
        bad = RAW_CONTROL.search(shown)
        assert bad is None, f"{where} show raw {bad.group()!r}"
    output = terminal_output(app)
    assert not [p for p in TERMINAL_PAYLOADS if p in output], "payload written to the terminal"
    if must_show is not None:
        assert must_show in text
    assert app.is_running and app.return_code is None
    return text


def expect(entry: Hostile, field: str, limit: int = 40) -> str:
    """The start of a field as it must be shown (searches and tables cut long text)."""
    return f"{marker(field)} {entry.shown}"[:limit]


async def click_payload(pilot, app: ExplorerApp, needle: str, within=None) -> None:
    """Click just after `needle` on screen (or in `within`): where parsed markup would be clickable."""
    region = within.region if within is not None else app.screen.region
    lines = [line[region.x : region.right] for line in screen_text(app).split("\n")[region.y : region.bottom]]
    heading = needle[:1].upper() + needle[1:]  # a measure's title starts a heading with a capital
    y = next((i for i, line in enumerate(lines) if needle in line or heading in line), None)
    assert y is not None, f"{needle} is not on screen:\n" + "\n".join(lines)
    needle = needle if needle in lines[y] else heading
    start = lines[y].index(needle) + len(needle)
    for x in range(start, min(start + 4, region.width)):
        await pilot.click(offset=(region.x + x, region.y + y))
    await pilot.pause()


async def search_and_open(pilot, app: ExplorerApp, entry: Hostile, field: str) -> None:
    """`/`, type the field's marker: the results show it inert; Enter opens the first."""
    await pilot.press("slash", *marker(field))
    await pilot.pause()
    assert isinstance(app.screen, SearchScreen) and app.screen.hits, field
    assert marker(field) in assert_inert(app, expect(entry, field, 16))
    await pilot.press("enter")
    await pilot.pause()


# -- the tests ------------------------------------------------------------------------------------
async def test_search_finds_and_opens_it_shown_inert_and_nothing_runs(hostile) -> None:
    entry, kb = hostile
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen)
        assert_inert(app, expect(entry, "iraq"))  # the start region, in the tree and the detail pane
        for field in searches_for(entry):
            record = SEARCHES[field]
            await search_and_open(pilot, app, entry, field)
            assert isinstance(app.screen, ExplorerScreen) and app.screen.selection == record, field
            detail = assert_inert(app, f"{marker(field)} {entry.shown}" if field in DETAIL_FIELDS[record] else None)
            assert marker("gname") in detail or record[0] != "groups"
        app.screen.open("groups", "islamic-state")
        await pilot.pause()
        shown = assert_inert(app, f"{marker('gsum')} {entry.shown}")
        assert f"{marker('quote')} {entry.shown}" in text_of(app.screen.query_one("#quote-body", Static).visual)
        assert f"{marker('person')} {entry.shown}" in shown
        await click_payload(pilot, app, marker("person"))  # the quote panel's speaker
        await click_payload(pilot, app, marker("gname"))  # focuses the pane: may scroll to, and follow, a link
        assert_inert(app)
        assert app.screen.selection in DETAIL_FIELDS
        app.screen.open("groups", "islamic-state")
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        pane.focus()
        pane.highlighted = pane.first_link_row()
        await pilot.pause()
        link = pane.chosen_link
        assert link is not None and link.label.startswith("qz")  # a link labelled with hostile text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.selection == (link.kind, link.id)
        assert_inert(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen) and assert_inert(app, "Search")
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_every_record_shows_every_field_inert(hostile) -> None:
    entry, kb = hostile
    assert {r for r in DETAIL_FIELDS} == {(kind, r.id) for kind in kb.counts() for r in kb.of_kind(kind)}
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for (kind, record_id), fields in DETAIL_FIELDS.items():
            app.screen.open(kind, record_id)
            await pilot.pause()
            assert app.screen.selection == (kind, record_id)
            shown = assert_inert(app)
            missing = [f for f in fields if f"{marker(f)} {entry.shown}" not in shown]
            assert not missing, f"{kind}/{record_id} does not show {missing} in full"
        await pilot.press("q")
    assert app.return_code == 0


VIEW_FIELDS = {"2": ("gname", "gsum"), "3": ("person", "quote"), "4": ("event", "eventsum"), "5": ("measure", "attrib")}


async def test_views_show_it_inert_and_enter_opens_the_record(hostile) -> None:
    entry, kb = hostile
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key, (cell_field, preview_field) in VIEW_FIELDS.items():
            await pilot.press(key)
            await pilot.pause()
            view = app.screen
            assert isinstance(view, TableView), key
            table = view.query_one(RecordTable)
            rows = ["".join(text_of(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
            cell = expect(entry, cell_field, 12)  # a heading may start with a capital (the Figures view's measure)
            assert any(cell in row or cell[:1].upper() + cell[1:] in row for row in rows), (key, rows)
            previews = []
            for row in range(table.row_count):  # every row's preview
                table.move_cursor(row=row, animate=False)
                await pilot.pause()
                previews.append(assert_inert(app))
            assert any(f"{marker(preview_field)} {entry.shown}" in p for p in previews), key
            table.move_cursor(row=0, animate=False)
            await pilot.pause()
            await click_payload(pilot, app, marker(cell_field), within=view.query_one("#preview-box"))
            assert app.screen is view and app.is_running
            first = table.highlighted_row()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExplorerScreen) and app.screen.selection == (first.kind, first.id), key
            assert_inert(app)
        await pilot.press("q")
    assert app.return_code == 0


async def test_export_and_copy_hold_no_raw_control_and_show_markup_literally(hostile, tmp_path: Path) -> None:
    entry, kb = hostile
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for kind, record_id, field in [
            ("groups", "islamic-state", "gsum"),
            ("people", "analyst-a", "role"),
            ("assessments", "analyst-a-not-over", "quote"),
            ("figures", "fighters-estimate", "attrib"),
        ]:
            app.screen.open(kind, record_id)
            await pilot.press("c")
            await pilot.pause()
            written = app.screen.write_selected(tmp_path)
            assert written is not None
            text = written.read_text(encoding="utf-8")
            assert text == app.clipboard
            bad = RAW_CONTROL.search(text.replace("\n", " "))
            assert bad is None, f"{kind}: raw {bad.group()!r} in the Markdown"
            assert f"{marker(field)} {entry.exported}".translate(MD_ESCAPE) in text, kind  # as the data has it
            assert_inert(app)  # the "Copied"/"Written" notices name the record
        await pilot.press("q")
    assert app.return_code == 0


def assert_rows_fill_the_terminal(app: ExplorerApp, where: str) -> None:
    """Every row on screen is as wide as the terminal when a terminal measures it, not just Rich."""
    width = app.size.width
    rows = screen_text(app).split("\n")
    wrong = [(y, terminal_width(row), row) for y, row in enumerate(rows) if terminal_width(row) != width]
    assert not wrong, f"{where}: rows not {width} cells wide in a terminal: {wrong[:3]}"


@pytest.mark.skipif(not HAVE_WCWIDTH, reason="measures with the C library's wcwidth")
async def test_every_row_is_as_wide_as_the_terminal(hostile) -> None:
    """Joiners, variation selectors and skin tones in a name keep every row (and so the pane borders)
    where the layout put them: the explorer, search results, every view, at two sizes."""
    entry, kb = hostile
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert_rows_fill_the_terminal(app, "start")  # the region in the tree and the detail pane
        app.screen.open("groups", "islamic-state")
        await pilot.pause()
        assert expect(entry, "gname", 12) in screen_text(app)
        assert_rows_fill_the_terminal(app, "group")  # its name, summary, assessment card
        await pilot.press("c")
        await pilot.pause()
        assert "Copied" in screen_text(app), notification_messages(app)
        assert_rows_fill_the_terminal(app, "copy notice")  # the notice names the group
        await pilot.press("slash", *marker("gname"))
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and app.screen.hits
        assert_rows_fill_the_terminal(app, "search")
        await pilot.press("escape")
        for key in VIEW_FIELDS:
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, TableView), key
            assert_rows_fill_the_terminal(app, f"view {key}")
        await pilot.resize_terminal(53, 17)
        await pilot.pause()
        assert_rows_fill_the_terminal(app, "view 5 at 53x17")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen)
        assert_rows_fill_the_terminal(app, "explorer at 53x17")
        await pilot.press("q")
    assert app.return_code == 0


def test_lone_surrogate_escape_is_refused_by_libyaml_with_a_position(write_kb, refused) -> None:
    if not safe_yaml.HAVE_LIBYAML:
        pytest.skip("without libyaml the escape loads, and the tests above show it as U+FFFD")
    problems = refused(write_kb(**kb_files(r"\ud800")))
    assert problems and all(p.line >= 1 and "escape" in p.message for p in problems)


# -- end to end: the bytes the app writes to a real terminal -------------------------------------
PTY_PAYLOAD = r"\e]52;c;SElKQUNL\a \e]0;PWNED\a \e[2J \a \x9b2J \u202e"
NEVER_WRITTEN = (b"\x1b]52;c;SElKQUNL", b"]52;c;SElKQUNL\x07", b"\x1b]0;PWNED", b"]0;PWNED\x07", b"\x1b[2J")
TEXTUAL_OSC_BEL = re.compile(rb"\x1b\]22;[a-z-]*\x07")  # Textual's own pointer-shape sequence ends in BEL


def read_pty(fd: int, until: bytes, timeout: float) -> bytes:
    """What the app writes, until `until` shows (b"" to read for the whole `timeout`) or it exits."""
    return pty_reading.read_pty(fd, timeout, pty_reading.showing(until))


@pytest.mark.slow
def test_pty_output_never_carries_the_payloads(write_kb, tmp_path: Path) -> None:
    groups = (
        f'groups:\n- {{id: islamic-state, name: "Islamic State qzptyx {PTY_PAYLOAD}", kind: isis-core,'
        f' regions: [iraq], summary: "{PTY_PAYLOAD}", cite: article/p5}}\n'
        "- {id: mosul-cell, name: Mosul cell, kind: isis-branch, regions: [mosul], summary: s, cite: article/p6}\n"
    )
    root = write_kb(groups=groups)
    regions = root / "regions.yaml"
    regions.write_text(regions.read_text().replace("name: World", f'name: "World {PTY_PAYLOAD}"'))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "ISIS_EXPLORER_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(Path(__file__).parent.parent),
    }
    pid, fd = pty.fork()
    if pid == 0:  # child: the app, in an 80x24 terminal
        os.execve(sys.executable, [sys.executable, "-m", "tui", "--data", str(root)], env)
    try:
        out = read_pty(fd, b"Regions", 20)
        assert b"Regions" in out, out[-500:]
        out += read_pty(fd, b"", 0.5)  # let it paint
        os.write(fd, b"/")
        out += read_pty(fd, b"Search every record", 5)
        os.write(fd, b"qzptyx")
        out += read_pty(fd, b"result", 5)
        os.write(fd, b"\r")
        out += read_pty(fd, b"history 2/2", 5)
        os.write(fd, b"q")
        out += read_pty(fd, b"\x1b[?1049l", 10)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"\x1b[?1049l" in out
    for marker_bytes in NEVER_WRITTEN:
        assert marker_bytes not in out, marker_bytes
    assert b"\x07" not in TEXTUAL_OSC_BEL.sub(b"", out)
    assert not re.search("[\x80-\x9f\u202a-\u202e]", out.decode("utf-8", "replace"))  # C1, bidi
    assert b"SElKQUNL" in out and "\u241b]0;PWNED\u2407".encode() in out  # shown, made visible
    assert b"qzptyx" in out and b"history 2/2" in out  # the group was found and opened
