"""The config file: where it is, what each setting does, precedence, and every bad file as path:line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tui.__main__ import main
from tui.settings import config_file as cfg
from tui.settings.toml_lines import key_lines

ENV_SETTINGS = ("ISIS_EXPLORER_DATA", "TEXTUAL_THEME", "ISIS_EXPLORER_CONFIG")


@pytest.fixture(autouse=True)
def no_setting_from_environment(monkeypatch):
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def write_config(tmp_path: Path):
    """`write_config(text)`: a config file in tmp_path/conf (bytes are written as they are)."""

    def write(text: str | bytes, name: str = "config.toml") -> Path:
        path = tmp_path / "conf" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


def default_config() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "isis-explorer" / "config.toml"


def rows(out: str) -> dict[str, tuple[str, str]]:
    """`isis-explorer config`'s table: setting -> (value, where it comes from)."""
    table = out.split("\n\n")[1]
    return {
        name: (value, source)
        for name, value, source in (re.split(r"  +", line, maxsplit=2) for line in table.splitlines())
    }


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# -- where the file is ----------------------------------------------------------------------------
def test_tests_never_read_the_real_config(capsys) -> None:
    code, out, _ = run_main(capsys, "config", "--path")
    assert code == 0
    assert out.splitlines()[0] == str(default_config())
    assert not str(default_config()).startswith(str(Path.home() / ".config"))


@pytest.mark.parametrize("xdg", ["/somewhere/conf", "relative/ignored", ""])
def test_default_path_is_what_platformdirs_answers(monkeypatch, xdg: str) -> None:
    from platformdirs import user_config_path

    monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert cfg.default_path() == user_config_path("isis-explorer") / "config.toml"


def test_config_path_prints_the_named_file_whether_or_not_it_exists(capsys, monkeypatch, write_config) -> None:
    broken = write_config("this is not toml")
    marks = f"marks: {os.environ['ISIS_EXPLORER_DATA_DIR']}/marks.sqlite3\n"
    assert run_main(capsys, "--config", str(broken), "config", "--path") == (0, f"{broken}\n{marks}", "")
    monkeypatch.setenv("ISIS_EXPLORER_CONFIG", "/no/such/config.toml")
    assert run_main(capsys, "config", "--path") == (0, f"/no/such/config.toml\n{marks}", "")
    assert run_main(capsys, "--config", str(broken), "config", "--path")[1] == f"{broken}\n{marks}"  # flag beats env


def test_config_path_says_where_marks_are_kept_without_making_them(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("ISIS_EXPLORER_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    code, out, err = run_main(capsys, "config", "--path")
    assert (code, err) == (0, "")
    assert out.splitlines() == [str(default_config()), f"marks: {tmp_path}/xdg-data/isis-explorer/marks.sqlite3"]
    monkeypatch.setenv("ISIS_EXPLORER_DATA_DIR", str(tmp_path / "override"))  # beats $XDG_DATA_HOME
    assert run_main(capsys, "config", "--path")[1].splitlines()[1] == f"marks: {tmp_path}/override/marks.sqlite3"
    assert sorted(tmp_path.iterdir()) == []  # only printed: no directory, no database


def test_config_path_imports_no_sqlite() -> None:
    probe = "import sys; from tui.__main__ import main; main(['config', '--path']); print('sqlite3' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "False"


def test_config_says_where_marks_are_kept_and_whether_they_exist(capsys, monkeypatch, tmp_path) -> None:
    from tui.marks.mark_book import MarkBook

    monkeypatch.setenv("ISIS_EXPLORER_DATA_DIR", str(tmp_path / "data"))
    marks = tmp_path / "data" / "marks.sqlite3"
    code, out, err = run_main(capsys, "config")
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[1] == f"marks: {marks} (named by $ISIS_EXPLORER_DATA_DIR; not made yet: the explorer makes it)"
    )
    assert not marks.parent.exists()
    MarkBook.open("bundled")[0].close()
    out = run_main(capsys, "config")[1]
    assert out.splitlines()[1] == f"marks: {marks} (named by $ISIS_EXPLORER_DATA_DIR; exists)"
    monkeypatch.delenv("ISIS_EXPLORER_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    out = run_main(capsys, "config")[1]
    assert out.splitlines()[1].startswith(
        f"marks: {tmp_path}/xdg/isis-explorer/marks.sqlite3 (the user data directory; "
    )
    assert rows(out)["theme"] == ("automatic", "default")  # the settings table is where it was


def test_missing_file_at_the_default_place_means_defaults(capsys, write_kb) -> None:
    assert not default_config().exists()
    code, out, err = run_main(capsys, "config")
    assert (code, err) == (0, "")
    assert f"config file: {default_config()} (the default place; not found: built-in defaults apply)" in out
    assert rows(out)["theme"] == ("automatic", "default") and rows(out)["mouse"] == ("on", "default")
    assert "app.search" in out  # the binding ids are listed for [keymap]


# -- every setting takes effect ------------------------------------------------------------------
def test_data_path_is_resolved_against_the_config_file(capsys, write_config, write_kb, base_counts) -> None:
    write_kb()  # tmp_path/kb, next to tmp_path/conf
    config = write_config('data = "../kb"\n')
    code, out, err = run_main(capsys, "--config", str(config), "validate")
    assert (code, err) == (0, "")
    assert out.strip() == " · ".join(f"{kind} {n}" for kind, n in base_counts.items())


def test_data_path_expands_the_home_directory(capsys, monkeypatch, tmp_path, write_config, write_kb) -> None:
    write_kb()
    monkeypatch.setenv("HOME", str(tmp_path))
    config = write_config('data = "~/kb"\n')
    code, out, _ = run_main(capsys, "--config", str(config), "config")
    assert code == 0
    assert rows(out)["data"] == (str(tmp_path / "kb"), f"config file ({config}:1)")


@pytest.fixture
def launched(monkeypatch):
    """main() without a terminal: the app is built as for real, and `app.run` records its arguments."""
    from tui.cli import explore_command
    from tui.ui.app import ExplorerApp

    calls: list[tuple[ExplorerApp, dict]] = []
    monkeypatch.setattr(explore_command, "why_no_terminal", lambda: None)
    monkeypatch.setattr(ExplorerApp, "run", lambda self, **kwargs: calls.append((self, kwargs)))
    return calls


async def test_config_file_sets_keymap_theme_and_mouse_of_the_explorer(launched, write_config, write_kb) -> None:
    from tui.ui.screens.help_screen import HelpScreen
    from tui.ui.screens.search_screen import SearchScreen

    write_kb()
    config = write_config('data = "../kb"\ntheme = "nord"\nmouse = false\n[keymap]\n"app.search" = "ctrl+f"\n')
    assert main(["--config", str(config)]) == 0
    ((app, run_kwargs),) = launched
    assert run_kwargs == {"mouse": False}
    assert app.keymap == {"app.search": "ctrl+f"}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        await pilot.press("slash")  # remapped away
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.render_keys())
        assert "^f                   Search" in text
        assert "/                    Search" not in text


def test_defaults_launch_with_mouse_and_no_keymap(launched, write_kb) -> None:
    assert main(["--data", str(write_kb())]) == 0
    ((app, run_kwargs),) = launched
    assert run_kwargs == {"mouse": True}
    assert app.keymap == {} and app.chosen_theme is None


# -- precedence: flag > environment > config file > default ---------------------------------------
def test_flag_beats_environment_beats_config_file(capsys, monkeypatch, tmp_path, write_config) -> None:
    for name in ("from-file", "from-env", "from-flag"):
        (tmp_path / name).mkdir()
    config = write_config('data = "../from-file"\ntheme = "nord"\nmouse = false\n')
    where = f"config file ({config}"

    def shown() -> str:
        code, out, err = run_main(capsys, *args, "config")
        assert (code, err) == (0, "")
        return out

    args = ["--config", str(config)]
    out = shown()
    assert rows(out)["data"] == (str(tmp_path / "from-file"), f"{where}:1)")
    assert rows(out)["theme"] == ("nord", f"{where}:2)")
    assert rows(out)["mouse"] == ("off", f"{where}:3)")

    monkeypatch.setenv("ISIS_EXPLORER_DATA", str(tmp_path / "from-env"))
    monkeypatch.setenv("TEXTUAL_THEME", "dracula")
    out = shown()
    assert rows(out)["data"] == (str(tmp_path / "from-env"), "environment ($ISIS_EXPLORER_DATA)")
    assert rows(out)["theme"] == ("dracula", "environment ($TEXTUAL_THEME)")
    assert rows(out)["mouse"] == ("off", f"{where}:3)")

    args += ["--data", str(tmp_path / "from-flag"), "--theme", "gruvbox", "--no-mouse"]
    out = shown()
    assert rows(out)["data"] == (str(tmp_path / "from-flag"), "flag (--data)")
    assert rows(out)["theme"] == ("gruvbox", "flag (--theme)")
    assert rows(out)["mouse"] == ("off", "flag (--no-mouse)")


def test_environment_names_the_config_file(capsys, monkeypatch, write_config) -> None:
    config = write_config('theme = "nord"\n')
    monkeypatch.setenv("ISIS_EXPLORER_CONFIG", str(config))
    code, out, _ = run_main(capsys, "config")
    assert code == 0
    assert f"config file: {config} (named by $ISIS_EXPLORER_CONFIG; exists)" in out
    assert rows(out)["theme"] == ("nord", f"config file ({config}:1)")


def test_settings_apply_before_dispatch_for_commands_that_read_data(write_config, tmp_path) -> None:
    import argparse

    from tui.cli.command_settings import settings_for
    from tui.cli.main import CHECKS_NAMES

    (tmp_path / "kb").mkdir()
    config = write_config('data = "../kb"\ntheme = "nord"\nmouse = false\n[keymap]\n"app.help" = "f2"\n')
    for command in ("export", "serve", "validate", None):
        args = argparse.Namespace(
            command=command, config=str(config), data=None, theme=None, no_mouse=False, max_file_mib=None
        )
        settings = settings_for(args, check_names=command in CHECKS_NAMES)
        assert (settings.data.value, settings.theme.value, not settings.mouse.value) == (
            str(tmp_path / "kb"),
            "nord",
            True,
        )
        assert settings.keys == {"app.help": "f2"}


# -- bad files: path:line: problem, exit 2 --------------------------------------------------------
BAD_FILES = [
    pytest.param("theme = \n", "1:9: invalid value", id="toml-syntax"),
    pytest.param('theme = "nord', "1: unterminated string", id="toml-end-of-document"),
    pytest.param("mouse = true\n[keymap\n", "2:8: expected ']' at the end of a table declaration", id="toml-table"),
    pytest.param('theme = "a"\ntheme = "b"\n', "2:12: cannot overwrite a value", id="toml-duplicate"),
    pytest.param(b'# ok\ntheme = "\xff"\n', "2:10: not UTF-8 (byte 0xff)", id="not-utf8"),
    pytest.param(
        '# settings\n\nthme = "nord"\n',
        "3: unknown setting 'thme' (did you mean 'theme'?); settings are data, theme, mouse, ascii, keymap",
        id="unknown-key",
    ),
    pytest.param(
        'theme = "nord"\nmouse = "no"\n', "2: mouse must be true or false; got a string 'no'", id="mouse-type"
    ),
    pytest.param("data = 3\n", "1: data must be a path string; got an integer 3", id="data-type"),
    pytest.param('theme = ""\n', "1: theme must be a theme name string; got an empty string", id="theme-empty"),
    pytest.param(
        'keymap = "ctrl+f"\n', "1: keymap must be a table ([keymap]); got a string 'ctrl+f'", id="keymap-type"
    ),
    pytest.param(
        '[keymap]\n"app.search" = "ctrl+f"\ntheme = "nord"\n',
        "3: 'theme' is a setting but sits in [keymap]: write settings above the first [table]",
        id="setting-inside-keymap",
    ),
    pytest.param(
        "[keymap]\n'app.quit' = true\n",
        "2: keymap 'app.quit' must be a non-empty string of keys, e.g. \"ctrl+f\"; got true",
        id="key-type",
    ),
    pytest.param(
        '[keymap]\napp.search = "f2"\n"app.search" = "f3"\n', "3: keymap 'app.search' is given twice", id="id-twice"
    ),
    pytest.param('data = "nowhere"\n', "1: data path '{dir}/nowhere' does not exist", id="data-missing"),
]


@pytest.mark.parametrize(("text", "problem"), BAD_FILES)
def test_bad_file_is_path_line_problem_and_exit_2(capsys, write_config, text, problem: str) -> None:
    config = write_config(text)
    for argv in (["--config", str(config), "validate"], ["--config", str(config), "config"]):
        code, out, err = run_main(capsys, *argv)
        assert (code, out) == (2, "")
        assert err == f"{config}:{problem.format(dir=config.parent)}\n"


# Names that need Textual's tables: checked when the explorer opens (and by `config`), not by validate.
NAMES_TEXTUAL_KNOWS = [
    pytest.param('\ntheme = "nrd"\n', "2: unknown theme 'nrd' (did you mean 'nord'?); themes: ansi-dark, ", id="theme"),
    pytest.param(
        '[keymap]\nserch = "ctrl+f"\n',
        "2: unknown binding id 'serch' (did you mean 'app.search'?); `isis-explorer config` lists them",
        id="binding-id",
    ),
    pytest.param(
        '[keymap]\nview.close = "x"\nclose = "y"\n',
        "3: unknown binding id 'close' (did you mean one of 'help.close', 'search.close', 'view.close'?)",
        id="binding-id-ambiguous",
    ),
    pytest.param(
        "[keymap]\n# search with control-f\n'app.search' = \"crtl+f\"\n",
        "3: keymap 'app.search': 'crtl+f': unknown modifier 'crtl' (did you mean 'ctrl'?); modifiers: ",
        id="modifier",
    ),
    pytest.param(
        '[keymap.app]\nsearch = "ctrl+f, serch"\n',
        "2: keymap 'app.search': 'serch': unknown key 'serch'",
        id="key-name",
    ),
    pytest.param('[keymap]\napp.help = "ctrl+"\n', "2: keymap 'app.help': 'ctrl+': a key is missing", id="no-key"),
]


@pytest.mark.parametrize(("text", "problem"), NAMES_TEXTUAL_KNOWS)
def test_unknown_theme_binding_or_key_stops_the_explorer(capsys, launched, write_config, text, problem) -> None:
    config = write_config(text)
    for argv in (["--config", str(config)], ["--config", str(config), "config"]):
        code, out, err = run_main(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.startswith(f"{config}:{problem}")
        assert err.count("\n") == 1
    assert launched == []


def test_missing_named_file_directory_and_fifo_are_errors(capsys, monkeypatch, tmp_path) -> None:
    missing = tmp_path / "missing.toml"
    assert run_main(capsys, "--config", str(missing), "validate") == (
        2,
        "",
        f"{missing}: no such file (named by --config)\n",
    )
    monkeypatch.setenv("ISIS_EXPLORER_CONFIG", str(missing))
    assert run_main(capsys, "validate")[2] == f"{missing}: no such file (named by $ISIS_EXPLORER_CONFIG)\n"
    assert run_main(capsys, "--config", str(tmp_path), "validate") == (
        2,
        "",
        f"{tmp_path}: is a directory, not a config file\n",
    )
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert run_main(capsys, "--config", str(fifo), "validate")[2] == f"{fifo}: not a regular file\n"


def test_several_problems_are_all_reported_in_line_order(capsys, write_config) -> None:
    config = write_config('mouse = 1\ndata = true\n\n[keymap]\ntheme = "x"\n')
    code, _, err = run_main(capsys, "--config", str(config), "validate")
    assert code == 2
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == [f"{config}:1", f"{config}:2", f"{config}:5"]


def test_bad_config_exits_2_without_traceback_and_version_help_ignore_it(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("mouse = yes\n", encoding="utf-8")
    env = {**os.environ, "ISIS_EXPLORER_CONFIG": str(bad)}
    out = subprocess.run([sys.executable, "-m", "tui", "validate"], capture_output=True, text=True, env=env, timeout=60)
    assert (out.returncode, out.stdout, out.stderr) == (2, "", f"{bad}:1:9: invalid value\n")
    for flag in ("--version", "--help"):
        out = subprocess.run([sys.executable, "-m", "tui", flag], capture_output=True, text=True, env=env, timeout=60)
        assert (out.returncode, out.stderr) == (0, "")


# -- placing keys: tomllib gives no line numbers ---------------------------------------------------
PLACED = '''\
# a comment with key = 1
theme = "nord"   # mouse = true
notes = """
data = "inside a string"
[keymap]
"""
mouse.x = true
nested = [
  ["a"],
  ["b"]
]
after = 1
[ keymap ]
"app.search" = "ctrl+f"
app . help = "f1"
'quoted.literal' = "q"
[keymap.view]
close = "x"
inline = { a = 1 }
[[list]]
item = 1
'''


@pytest.mark.parametrize(
    ("keys", "line"),
    [
        (("theme",), 2),
        (("notes",), 3),
        (("mouse",), 7),
        (("mouse", "x"), 7),
        (("nested",), 8),
        (("after",), 12),
        (("keymap",), 13),
        (("keymap", "app.search"), 14),
        (("keymap", "app"), 15),
        (("keymap", "app", "help"), 15),
        (("keymap", "quoted.literal"), 16),
        (("keymap", "view"), 17),
        (("keymap", "view", "close"), 18),
        (("keymap", "view", "inline"), 19),
        (("list",), 20),
        (("list", "item"), 21),
    ],
)
def test_key_lines_places_keys_in_tables_quoted_and_dotted(keys, line) -> None:
    import tomllib

    tomllib.loads(PLACED)  # the scan only ever sees text tomllib accepted
    assert key_lines(PLACED)[keys] == line


def test_keys_the_scan_cannot_place_fall_back_to_their_table_then_line_1(write_config) -> None:
    placed = key_lines(PLACED)
    assert ("data",) not in placed  # only written inside a multi-line string
    assert ("keymap", "view", "inline", "a") not in placed  # inside an inline table
    config = cfg.ConfigFile(Path("c.toml"), "", lines=placed)
    assert config.where("keymap", "view", "inline", "a") == "c.toml:19"
    assert config.where("elsewhere") == "c.toml:1"


# -- Textual's names -------------------------------------------------------------------------------
def test_binding_ids_cover_every_key_section_and_the_help_screen() -> None:
    from textual.binding import Binding

    from tui.knowledge.knowledge_base import MemoryKnowledgeBase
    from tui.ui.app import ExplorerApp
    from tui.ui.config_checks import binding_ids
    from tui.ui.screens.help_screen import HelpScreen

    app = ExplorerApp(MemoryKnowledgeBase({}))
    listed = {b.id for _, bindings in app.key_sections() for b in Binding.make_bindings(bindings)}
    listed |= {b.id for b in Binding.make_bindings(HelpScreen.BINDINGS)}
    assert set(binding_ids()) == listed - {None}


def test_theme_names_are_the_apps() -> None:
    from tui.ui.app import ExplorerApp
    from tui.ui.config_checks import theme_names

    assert theme_names() == sorted(ExplorerApp().available_themes)


def test_key_check_accepts_every_key_the_app_binds_and_rejects_typos() -> None:
    from textual.binding import Binding

    from tui.knowledge.knowledge_base import MemoryKnowledgeBase
    from tui.ui.app import ExplorerApp
    from tui.ui.config_checks import key_problem

    app = ExplorerApp(MemoryKnowledgeBase({}))
    keys = {
        key.strip()
        for _, bindings in app.key_sections()
        for b in Binding.make_bindings(bindings)
        for key in b.key.split(",")
    }
    assert {key: key_problem(key) for key in keys if key_problem(key)} == {}
    for good in ("ctrl+f", "?", "question_mark", "slash", "plus", "comma", "f12", "alt+shift+up", "G"):
        assert key_problem(good) is None, good
    assert key_problem("foo") == "unknown key 'foo'"
    assert key_problem("ctrl+pgup") == "unknown key 'pgup' (did you mean 'pageup'?)"


def test_readme_example_config_is_valid(capsys, monkeypatch, tmp_path, write_config, write_kb) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Configuration and environment", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    write_kb()
    monkeypatch.setenv("HOME", str(tmp_path))  # data = "~/kb"
    config = write_config(example)
    code, out, err = run_main(capsys, "--config", str(config), "config")
    assert (code, err) == (0, "")
    assert rows(out) == {
        "data": (str(tmp_path / "kb"), f"config file ({config}:1)"),
        "theme": ("ansi-dark", f"config file ({config}:2)"),
        "mouse": ("off", f"config file ({config}:3)"),
        "ascii": ("off", f"config file ({config}:4)"),
        "keymap app.search": ("ctrl+f", f"config file ({config}:7)"),
        "keymap nav.down": ("down,j,n", f"config file ({config}:8)"),
    }


def test_oversized_file_is_refused_and_a_byte_order_mark_is_fine(capsys, write_config) -> None:
    big = write_config("# padding\n" * 110_000, name="big.toml")
    assert run_main(capsys, "--config", str(big), "validate")[2] == (
        f"{big}: {big.stat().st_size} bytes is too large for a config file (limit 1 MiB)\n"
    )
    marked = write_config('\ufefftheme = "nord"\n', name="bom.toml")
    code, out, _ = run_main(capsys, "--config", str(marked), "config")
    assert code == 0
    assert rows(out)["theme"] == ("nord", f"config file ({marked}:1)")


def test_keys_command_prints_the_keys_in_effect(capsys, write_config) -> None:
    """`isis-explorer keys` lists the keys your config gives, not only the defaults."""
    config = write_config('[keymap]\n"app.search" = "ctrl+f"\n')
    code, default_out, _ = run_main(capsys, "keys")
    assert code == 0 and "| `/` | Search |" in default_out
    code, out, _ = run_main(capsys, "--config", str(config), "keys")
    assert code == 0
    assert "| `^f` | Search |" in out and "| `/` | Search |" not in out
