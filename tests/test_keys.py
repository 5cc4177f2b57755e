"""The same keys everywhere (issue 12): j/k/g/G/Home/End/PageUp/PageDown/ctrl+d/ctrl+u in the tree, the
detail pane, the assessments panel, the help screen and every view; Enter on an assessment opens its
speaker; Escape never moves through history; Ctrl+C cancels a prompt and quits elsewhere; q in a view
returns; collapsing what search opened; help lists a key only where it works; saving the theme."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import time
import tomllib
import uuid
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import VerticalScroll

from tui.loading.loader import load
from tui.settings.config_file import ConfigError, read_config
from tui.settings.config_write import save_setting, with_setting
from tui.settings.precedence import resolve
from tui.ui.app import ExplorerApp
from tui.ui.debounce import SETTLE_SECONDS
from tui.ui.palette_providers import save_theme
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.help_screen import HelpScreen
from tui.ui.screens.search_screen import SearchScreen
from tui.ui.screens.table_view import RecordTable, TableView
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree

SETTLE = SETTLE_SECONDS * 3


@pytest.fixture(scope="module")
def kb():
    return load()


def open_nodes(tree: RegionTree) -> set[str]:
    out, stack = set(), [tree.root]
    while stack:
        node = stack.pop()
        if node.is_expanded:
            out.add(node.data)
            stack.extend(node.children)
    return out


def path_ids(tree: RegionTree) -> set[str]:
    out, node = set(), tree.cursor_node
    while node is not None:
        out.add(node.data)
        node = node.parent
    return out


# -- the tree ------------------------------------------------------------------------------------
async def test_tree_pages_half_pages_and_ends(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause(SETTLE)
        tree = app.screen.query_one(RegionTree)
        for leaf in ("somalia", "sinai", "sirte", "niger", "afghanistan", "marawi", "basel", "london", "raqqa"):
            assert tree.select_region(leaf)  # open paths all over: more lines than the tree shows
        await pilot.pause()
        height = tree.scrollable_content_region.height
        assert tree.last_line > 2 * height, "the test needs a tree taller than two screens"
        await pilot.press("g", "G")
        assert tree.cursor_line == tree.last_line
        await pilot.press("home")
        assert tree.cursor_line == 0
        await pilot.press("ctrl+d", "ctrl+d")
        assert tree.cursor_line == 2 * (height // 2)
        await pilot.press("ctrl+u")
        assert tree.cursor_line == height // 2
        await pilot.press("pagedown")
        assert tree.cursor_line == height // 2 + height - 1
        await pilot.press("pageup", "j", "j", "k")
        assert tree.cursor_line == height // 2 + 1
        await pilot.press("end")
        assert tree.cursor_line == tree.last_line
        await pilot.pause(SETTLE)
        assert app.screen.selection == ("regions", tree.cursor_node.data)  # the detail followed


async def test_h_collapses_an_open_node_and_minus_collapses_all_but_the_path(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(SETTLE)
        screen = app.screen
        tree = screen.query_one(RegionTree)
        for region in ("sirte", "marawi", "london", "raqqa"):  # as links and search open paths
            assert tree.select_region(region)
        await pilot.pause(SETTLE)
        assert screen.selection == ("regions", "raqqa")
        assert {"libya", "mindanao", "united-kingdom"} <= open_nodes(tree)
        await pilot.press("minus")
        assert tree.cursor_node.data == "raqqa" and screen.selection == ("regions", "raqqa")
        assert open_nodes(tree) == {"world", "middle-east", "syria"}
        # h on an open node collapses it (the cursor stays); h again goes to the parent
        await pilot.press("h")
        assert tree.cursor_node.data == "syria" and "syria" in open_nodes(tree)
        await pilot.press("h")
        assert tree.cursor_node.data == "syria" and "syria" not in open_nodes(tree)
        await pilot.press("l", "h", "left")
        assert tree.cursor_node.data == "middle-east" and "syria" not in open_nodes(tree)
        await pilot.press("left")
        assert "middle-east" not in open_nodes(tree)
        await pilot.pause(SETTLE)
        assert screen.selection == ("regions", "middle-east")


# -- the detail pane ------------------------------------------------------------------------------
async def test_detail_pane_g_reaches_the_title_and_pages(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.pause(SETTLE)
        pane = app.screen.query_one(DetailPane)
        await pilot.press("tab")
        assert pane.has_focus
        assert pane.max_scroll_y > 0, "the page needs to be longer than the pane"
        first = pane.first_enabled()
        await pilot.press("G")
        await pilot.pause()
        last = pane.highlighted
        assert last is not None and last > first and pane.scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert pane.highlighted == first and pane.scroll_y == 0  # the title line is in view again
        await pilot.press("ctrl+d")
        after_half = pane.highlighted
        assert after_half is not None and after_half > first
        await pilot.press("ctrl+d")
        after_two = pane.highlighted
        assert after_two is not None and after_two > after_half
        await pilot.press("ctrl+u")
        assert pane.highlighted is not None and first <= pane.highlighted < after_two
        await pilot.press("end", "pageup", "home")
        await pilot.pause()
        assert pane.highlighted == first and pane.scroll_y == 0
        await pilot.press("pagedown")
        assert pane.highlighted > first
        await pilot.press(*["k"] * 40)
        await pilot.pause()
        assert pane.highlighted == first and pane.scroll_y == 0


# -- the assessments panel ------------------------------------------------------------------------
async def test_enter_on_an_assessment_opens_its_speaker_and_keys_scroll_it(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        screen = app.screen
        panel = screen.query_one(QuotePanel)
        assert panel.cards, "Iraq has assessments"
        card = panel.cards[panel.index]
        assert card.speaker_link is not None
        panel.focus()
        await pilot.pause()
        await pilot.press("G")
        assert panel.scroll_y == panel.max_scroll_y
        await pilot.press("g")
        assert panel.scroll_y == 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selection == (card.speaker_link.kind, card.speaker_link.id)
        assert screen.selection[0] in ("people", "sources")
        await pilot.press("backspace")
        assert screen.selection == ("regions", "iraq")


# -- history, Escape, Ctrl+C, q -------------------------------------------------------------------
async def test_escape_never_moves_through_history(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause(SETTLE)
        screen = app.screen
        await pilot.press("tab", "enter")
        await pilot.pause()
        opened = screen.selection
        assert opened != ("regions", "iraq")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen.selection == opened and app.is_running
        await pilot.press("backspace")
        assert screen.selection == ("regions", "iraq")
        await pilot.press("alt+right")
        assert screen.selection == opened


async def test_ctrl_c_cancels_the_search_and_the_palette_then_quits(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("i", "r", "ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen) and app.is_running
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("g", "ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen) and app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


@pytest.mark.parametrize("view", ["2", "3", "4", "5"])
async def test_view_keys_and_q_returns_then_q_quits(kb, view: str) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause(SETTLE)
        await pilot.press(view)
        await pilot.pause()
        assert isinstance(app.screen, TableView)
        table = app.screen.query_one(RecordTable)
        height = table.scrollable_content_region.height - table.header_height
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g", "ctrl+d")
        assert table.cursor_row == min(height // 2, table.row_count - 1)
        await pilot.press("ctrl+u", "end", "home", "j", "j", "k")
        assert table.cursor_row == 1
        if table.row_count > height + 2:
            await pilot.press("pagedown")
            assert table.cursor_row > 1
            await pilot.press("pageup")
            assert table.cursor_row <= 1
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


# -- help --------------------------------------------------------------------------------------
async def test_help_scrolls_with_the_same_keys(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause(SETTLE)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y > 10
        await pilot.press("G")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g", "ctrl+d")
        half = body.scroll_y
        assert half > 0
        await pilot.press("ctrl+d", "ctrl+u")
        assert body.scroll_y == half
        await pilot.press("home", "pagedown")
        assert body.scroll_y > half
        await pilot.press("end", "pageup", "k", "j", "j")
        assert 0 < body.scroll_y < body.max_scroll_y
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)


def test_help_lists_a_key_only_where_it_works(kb) -> None:
    app = ExplorerApp(kb)
    sections = dict(app.key_sections())
    where_filter = [
        title
        for title, bindings in sections.items()
        if any(b.action == "cycle_kind_filter" for b in Binding.make_bindings(bindings))
    ]
    assert where_filter == ["Groups view"]
    everywhere = {b.id for b in Binding.make_bindings(sections["Everywhere"])}
    assert "app.suspend" in everywhere
    explorer = Binding.make_bindings(sections["Explorer"])
    assert not any(b.key == "escape" for b in explorer), "Escape never goes back"
    for title in ("Region tree", "Detail pane", "Assessments panel (Tab to it)", "Help"):
        keys = {b.key for b in Binding.make_bindings(sections[title])}
        assert {"j", "k", "g", "G", "home", "end", "pageup", "pagedown", "ctrl+d", "ctrl+u"} <= keys, title
    views = {b.key for b in Binding.make_bindings(sections["Groups, Analysts, Timeline and Figures views"])}
    assert {"j", "k", "g", "G", "pageup", "pagedown", "ctrl+d", "ctrl+u", "q", "escape"} <= views
    assessments = {b.key: b.description for b in Binding.make_bindings(sections["Assessments panel (Tab to it)"])}
    assert "who said it" in assessments["enter"]


# -- saving the theme ----------------------------------------------------------------------------
def test_with_setting_replaces_in_place_and_keeps_every_other_line() -> None:
    text = '# mine\ndata = "~/kb"  # here\ntheme = "nord"\n\n[keymap]\n"app.search" = "ctrl+f"\n'
    assert with_setting(text, "theme", "ansi-dark") == text.replace('"nord"', '"ansi-dark"')
    no_theme = '# mine\ndata = "~/kb"\n\n[keymap]\ntheme-like = "x"\n'
    out = with_setting(no_theme, "theme", "gruvbox")
    assert out == '# mine\ndata = "~/kb"\n\ntheme = "gruvbox"\n\n[keymap]\ntheme-like = "x"\n'
    assert tomllib.loads(out)["keymap"] == {"theme-like": "x"}
    assert with_setting("", "theme", 'od"d\\') == 'theme = "od\\"d\\\\"\n'
    assert tomllib.loads(with_setting("", "theme", 'od"d\\'))["theme"] == 'od"d\\'


def test_save_setting_writes_atomically_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_setting(path, "theme", "nord")  # no file, no directory yet
    assert path.read_text() == 'theme = "nord"\n'
    path.write_text('mouse = false\n[keymap]\n"app.search" = "ctrl+f"\n')
    os.chmod(path, 0o600)
    save_setting(path, "theme", "dracula")
    assert tomllib.loads(path.read_text()) == {"mouse": False, "theme": "dracula", "keymap": {"app.search": "ctrl+f"}}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]  # no temporary file left
    path.write_text("theme = [broken\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_setting(path, "theme", "nord")
    assert path.read_text() == "theme = [broken\n"  # a file it cannot read is left alone


async def test_theme_chosen_is_saved_and_used_at_the_next_launch(kb, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my settings\nmouse = true\n\n[keymap]\n"app.search" = "ctrl+f"\n')
    app = ExplorerApp(kb, theme="nord")  # as --theme nord
    app.config_path = path
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "dracula"  # as the palette's "Change theme" does
        assert save_theme(app) == path
        await pilot.pause()
    config = read_config(str(path))
    assert config.theme == "dracula" and config.keymap["app.search"][0] == "ctrl+f"
    assert path.read_text().startswith("# my settings\nmouse = true\n")
    settings = resolve(config, data=None, theme=None, no_mouse=False, max_file_mib=None)
    assert settings.theme.value == "dracula"
    next_app = ExplorerApp(kb, theme=settings.theme.value)
    async with next_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert next_app.theme == "dracula"


async def test_save_theme_is_in_the_palette(kb, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    app = ExplorerApp(kb)
    app.config_path = path
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(SETTLE)
        app.theme = "gruvbox"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"save theme")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
    assert tomllib.loads(path.read_text()) == {"theme": "gruvbox"}


# -- Ctrl+Z and fg, in a real terminal -------------------------------------------------------------
@pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("bash") is None, reason="needs tmux and bash")
def test_ctrl_z_suspends_to_the_shell_and_fg_brings_the_whole_screen_back(tmp_path: Path) -> None:
    """Textual restores the terminal on fg but drew nothing until a widget changed: the screen stayed
    the shell's (blank after a clear) with only the pane a later key touched. Now all of it returns."""
    socket = f"keys-{uuid.uuid4().hex[:8]}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True).stdout

    def wait_for(*texts: str, gone: str = "", timeout: float = 20) -> str:
        end, shown = time.monotonic() + timeout, ""
        while time.monotonic() < end:
            shown = tmux("capture-pane", "-p", "-t", "app")
            if all(t in shown for t in texts) and not (gone and gone in shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{texts} not on screen (or {gone!r} still is):\n{shown}")

    app = shlex.join([sys.executable, "-m", "tui"])
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "TERM": "xterm-256color"}
    exports = [arg for k, v in env.items() for arg in ("-e", f"{k}={v}")]
    tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", *exports, "bash --norc --noprofile")
    try:
        tmux("send-keys", "-t", "app", f"cd {shlex.quote(os.getcwd())} && {app}", "Enter")
        wait_for("Regions", "Assessments", "? Help")
        tmux("send-keys", "-t", "app", "C-z")
        wait_for("Stopped")
        tmux("send-keys", "-t", "app", "clear; echo SHELL-WAS-HERE", "Enter")
        wait_for("SHELL-WAS-HERE", gone="Regions")
        tmux("send-keys", "-t", "app", "fg", "Enter")
        shown = wait_for("Regions", "Assessments", "? Help", "World (", gone="SHELL-WAS-HERE")
        assert "isis-explorer" in shown.splitlines()[0]  # the header too: every row drawn again
        tmux("send-keys", "-t", "app", "q")
        wait_for("SHELL-WAS-HERE", gone="Regions")  # the shell's screen again
        tmux("send-keys", "-t", "app", "echo status=$?", "Enter")
        assert "status=0" in wait_for("status=0")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


async def test_escape_clears_the_groups_filter_before_it_closes_the_view(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(SETTLE)
        await pilot.press("2")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, TableView) and view.VIEW_NAME == "groups"
        every = view.query_one(RecordTable).row_count
        await pilot.press("f")
        assert view.view_rows.kind_filter is not None and view.query_one(RecordTable).row_count < every
        await pilot.press("escape")
        assert app.screen is view and view.view_rows.kind_filter is None
        assert view.query_one(RecordTable).row_count == every
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen) and app.is_running
