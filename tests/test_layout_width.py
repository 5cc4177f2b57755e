"""Names with joiners, variation selectors and skin tones keep the layout: on screen they become text
that Rich and terminals measure alike (`for_display`), while exports keep them as the data has them.

The unit tests measure with Rich and with the C library's wcwidth (what tmux, xterm and VTE use);
the tmux test reads a real terminal's screen and checks that the pane borders and the columns of a
view stay where the layout put them.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len
from terminal_cells import HAVE_WCWIDTH, cells, terminal_width

from tui.presentation.safe_text import INVISIBLE, block_for_display, clean, clean_block, for_display

# (data text, what the screen shows): measured in tmux 3.3a before the change, Rich | tmux cells
SEQUENCES = [
    ("Yemen x\u200dy", "Yemen x\u034fy"),  # ZWJ between letters: 7 | 8
    ("\u2764\ufe0f", "\u2764\u034f"),  # VS16 on a text-default heart: 2 | 1
    ("\U0001f44d\U0001f3fd", "\U0001f44d\u034f"),  # thumbs up + skin tone: 2 | 4
    ("\U0001f469\u200d\U0001f469\u200d\U0001f467", "\U0001f469\u034f\U0001f469\u034f\U0001f467"),  # family: 2 | 6
    ("#\ufe0f\u20e3", "#\u034f\u20e3"),  # keycap: 2 | 1
    ("c\U0001f3ffd", "c\u034fd"),  # a lone skin tone: Rich 0, wcwidth 2
    ("\u2764\ufe0e", "\u2764\u034f"),  # VS15: 1 | 1, but a terminal with grapheme support may narrow an emoji
    ("\u845b\U000e0100", "\u845b\u034f"),  # an ideographic variation selector: 2 | 2, replaced with the rest
    ("a\u3164b\uffa0c", "a\u034fb\u034fc"),  # Hangul fillers: Rich 0, wcwidth 2 and 1
    ("a\u2028b\u2029c", "a b c"),  # line and paragraph separators: Rich 0, wcwidth 1
]
AGREED_BEFORE = {"\u2764\ufe0e", "\u845b\U000e0100"}
# Left as they are: Rich and wcwidth agree on them
UNCHANGED = [
    "Ze\u0301ro\u200bw\u200ci",
    "\u6f22\u5b57 \ud55c\uad6d\uc5b4",
    "\U0001f1ee\U0001f1f6",
    "\U0001f44d",
    "ISIS-K",
]


@pytest.mark.parametrize(("data", "shown"), SEQUENCES)
def test_on_screen_the_sequence_becomes_one_rich_and_terminals_measure_alike(data: str, shown: str) -> None:
    assert for_display(data) == shown
    assert len(shown) == len(data)  # offsets into the data (search and palette highlights) stay valid
    assert "\u200d" not in shown and "\ufe0f" not in shown
    if HAVE_WCWIDTH:
        assert (cell_len(data) == terminal_width(data)) == (data in AGREED_BEFORE)  # the disagreement is real
        assert cell_len(shown) == terminal_width(shown)


@pytest.mark.parametrize("text", UNCHANGED)
def test_text_rich_and_terminals_agree_on_is_left_as_it_is(text: str) -> None:
    assert for_display(text) == text == block_for_display(text)
    if HAVE_WCWIDTH:
        assert cell_len(text) == terminal_width(text)


def test_exports_keep_the_text_and_the_screen_still_makes_controls_visible() -> None:
    data = "Yemen x\u200dy \u2764\ufe0f\U0001f44d\U0001f3fd\x1b]0;T\x07 \u202e"
    assert clean(data) == "Yemen x\u200dy \u2764\ufe0f\U0001f44d\U0001f3fd\u241b]0;T\u2407 \ufffd"  # exports
    assert for_display(data) == "Yemen x\u034fy \u2764\u034f\U0001f44d\u034f\u241b]0;T\u2407 \ufffd"
    assert clean_block("a\u2028b\nc\u200d") == "a\u2028b\nc\u200d"
    assert block_for_display("a\u2028b\nc\u200d") == f"a\nb\nc{INVISIBLE}"  # a separator is a line break


@pytest.mark.skipif(not HAVE_WCWIDTH, reason="measures with the C library's wcwidth")
def test_no_joiner_selector_or_modifier_changes_the_width_of_what_surrounds_it() -> None:
    """Every replaced code point, between letters and after an emoji, measures alike."""
    replaced = [chr(c) for c in (0x200D, *range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400), 0x3164, 0xFFA0)]
    replaced += [chr(c) for c in range(0xE0100, 0xE01F0, 37)]
    for char in replaced:
        for text in (f"x{char}y", f"\u2764{char}", f"\U0001f44d{char}x", f"{char}x"):
            shown = for_display(text)
            assert cell_len(shown) == terminal_width(shown), (hex(ord(char)), text)


# -- in a real terminal -------------------------------------------------------------------------
GROUPS = """\
groups:
- {id: islamic-state, name: "Yemen x\\u200dy front", kind: isis-core, regions: [iraq, mosul], summary: s,
   cite: article/p5}
- {id: mosul-cell, name: "\\u2764\\ufe0f cell", kind: isis-branch, regions: [mosul], summary: s, cite: article/p6}
- {id: wing, name: "\\U0001F44D\\U0001F3FD wing", kind: isis-branch, regions: [iraq], summary: s, cite: article/p6}
"""
IRAQ = 'name: "Iraq x\\u200dy \\u2764\\ufe0f\\U0001F44D\\U0001F3FD"'
NAMES = ("front", "cell", "wing")


class Tmux:
    """One app in a tmux server of its own (its own socket: no other session is touched)."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int]) -> None:
        self.socket = f"width-{uuid.uuid4().hex[:8]}"
        exports = [f"{k}={v}" for k, v in env.items()]
        self.run(
            "new-session",
            "-d",
            "-s",
            "app",
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            *[arg for e in exports for arg in ("-e", e)],
            shlex.join(command),
        )

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def screen(self) -> list[str]:
        return self.run("capture-pane", "-p", "-N", "-t", "app").split("\n")

    def wait_for(self, *texts: str, timeout: float = 20) -> list[str]:
        """The screen once it shows every text and has stopped changing."""
        end, last = time.monotonic() + timeout, None
        while time.monotonic() < end:
            shown = self.screen()
            if all(t in "\n".join(shown) for t in texts) and shown == last:
                return shown
            last = shown
            time.sleep(0.1)
        raise AssertionError(f"{texts} not on screen:\n" + "\n".join(self.screen()))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def column_of(row: list[str], text: str) -> int | None:
    """The cell where `text` starts in a row of cells."""
    for x in range(len(row)):
        if row[x] and "".join(row[x:]).startswith(text):
            return x
    return None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None or not HAVE_WCWIDTH, reason="needs tmux and wcwidth")
@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1", "TEXTUAL_COLOR_SYSTEM": "standard"}], ids=["colour", "no-color"])
def test_in_tmux_pane_borders_and_view_columns_stay_in_place(write_kb, tmp_path: Path, env: dict[str, str]) -> None:
    root = write_kb(groups=GROUPS)
    regions = root / "regions.yaml"
    regions.write_text(regions.read_text().replace("name: Iraq", IRAQ))
    env = {
        **env,
        "TERM": "xterm-256color",
        "ISIS_EXPLORER_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(Path(__file__).parent.parent),
    }
    width, height = 80, 24
    tmux = Tmux([sys.executable, "-m", "tui", "--data", str(root)], env, (width, height))
    try:
        shown = tmux.wait_for("Regions", *NAMES)
        rows = [cells(line) for line in shown[:height]]
        assert all(len(row) == width for row in rows if row and row[-1].strip())
        # The tree and detail panes: the corners on their top row give every border's column
        top = next(y for y, row in enumerate(rows) if "┏" in row)
        bottom = next(y for y, row in enumerate(rows) if "┗" in row)
        corners = [x for x, cell in enumerate(rows[top]) if cell in ("┏", "┓", "╭", "╮")]
        assert len(corners) == 4, shown[top]
        hostile_rows = [y for y in range(top + 1, bottom) if any(n in shown[y] for n in ("Iraq x", *NAMES))]
        assert len(hostile_rows) >= 4, "\n".join(shown)  # the region in the tree and the detail, the groups
        for y in range(top + 1, bottom):
            at = [rows[y][x] for x in corners]
            assert at == ["┃", "┃", "│", "│"], f"row {y} borders {at}:\n{shown[y]}"
        assert [rows[bottom][x] for x in corners] == ["┗", "┛", "╰", "╯"]
        # The Groups view: every group's kind, and its counts, in the header's columns
        tmux.run("send-keys", "-t", "app", "2")
        shown = tmux.wait_for("Kind", "Active in", *NAMES)
        rows = [cells(line) for line in shown[:height]]
        header = next(row for row in rows if column_of(row, "Kind") is not None)
        kind_x, rels_x = column_of(header, "Kind"), column_of(header, "Rels")
        table_end = next(y for y, line in enumerate(shown) if line.startswith("────"))  # the preview below
        group_rows = [
            (line, row) for line, row in zip(shown[:table_end], rows, strict=False) if any(n in line for n in NAMES)
        ]
        assert len(group_rows) == 3, "\n".join(shown)
        for line, row in group_rows:
            kind = "core" if "core" in line else "branch"
            assert column_of(row, kind) == kind_x, f"{kind} not under Kind:\n{line}"
            assert row[rels_x + 3].strip() and not row[rels_x + 4].strip(), f"count not under Rels:\n{line}"
        tmux.run("send-keys", "-t", "app", "q")
    finally:
        tmux.close()
