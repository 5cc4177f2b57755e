"""With LANG=C (or --ascii, or `ascii = true`) the app writes ASCII only, cell for cell."""

from __future__ import annotations

import os
import pty
import sys

import pytest
from pty_reading import read_pty, showing
from rich.cells import cell_len

from tui.cli.parser import build_parser
from tui.settings.config_file import ConfigError, read_config
from tui.settings.precedence import resolve
from tui.settings.terminal_locale import locale_is_ascii
from tui.ui.ascii_output import to_ascii


@pytest.mark.parametrize(
    "text, plain",
    [
        ("┏━━ Regions ━━┓", "+-- Regions --+"),
        ("│ ├─▶ Iraq (2)", "| +-> Iraq (2)"),
        ("“caveated” – it’s ¶14", '"caveated" - it\'s #14'),
        ("≥ ████▌ ≤ ░░██", ">=##### <=..##"),
        ("Café 東京 e\u0301", "Cafe ???? e"),
        ("100,000 km²", "100,000 km2"),
        ("\x1b[1;31mplain\x1b[0m", "\x1b[1;31mplain\x1b[0m"),
    ],
)
def test_each_character_becomes_ascii_of_the_same_width(text: str, plain: str) -> None:
    out = to_ascii(text)
    assert out == plain
    assert out.isascii()
    assert cell_len(out) == cell_len(text)


def test_unknown_characters_keep_their_width() -> None:
    for text in ("☃", "🙂", "ア", "\u2028", "𝔘"):
        out = to_ascii(text)
        assert out.isascii() and cell_len(out) == cell_len(text), (text, out)


@pytest.mark.parametrize(
    "env, ascii_only",
    [
        ({"LANG": "C"}, True),
        ({}, True),
        ({"LANG": "POSIX"}, True),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, True),  # what Python's own C-locale coercion leaves
        ({"LANG": "en_GB.ISO-8859-1"}, True),
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "C.UTF-8"}, False),
        ({"LANG": "C", "LC_ALL": "de_DE.utf8"}, False),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "C"}, True),
        ({"LANG": "C", "LC_CTYPE": "fr_FR.UTF-8"}, False),
    ],
)
def test_the_locale_decides_by_default(env: dict[str, str], ascii_only: bool) -> None:
    assert locale_is_ascii(env) is ascii_only


def test_flag_and_config_file_choose_ascii(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for name in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "config.toml"
    path.write_text("ascii = true\n", encoding="utf-8")
    from_file = resolve(read_config(str(path)), data=None, theme=None, no_mouse=False, max_file_mib=None)
    assert from_file.ascii.value is True and from_file.ascii.source == "config file"
    path.write_text("", encoding="utf-8")
    default = resolve(read_config(str(path)), data=None, theme=None, no_mouse=False, max_file_mib=None)
    assert default.ascii.value is False and default.ascii.source == "default"  # the UTF-8 locale
    flag = resolve(read_config(str(path)), data=None, theme=None, no_mouse=False, max_file_mib=None, ascii_only=True)
    assert flag.ascii.value is True and flag.ascii.source == "flag"
    assert build_parser().parse_args(["--ascii"]).ascii is True
    assert build_parser().parse_args([]).ascii is False
    path.write_text('ascii = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="ascii must be true or false"):
        read_config(str(path))


@pytest.mark.slow
def test_lang_c_terminal_gets_ascii_only() -> None:
    """The whole first screen in a real pty under LANG=C: not one byte above 127."""
    pid, fd = pty.fork()
    if pid == 0:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        env.update({"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "LANG": "C"})
        os.execve(sys.executable, [sys.executable, "-m", "tui"], env)
    try:
        shown = read_pty(fd, 20, showing(b"Assessments"))
        assert b"Assessments" in shown, shown[-300:]
        os.write(fd, b"5")  # the Figures view: bars, signs and km²
        shown += read_pty(fd, 10, showing(b"km2"))
        assert b"km2" in shown and b"--" in shown  # borders drawn with ASCII
        os.write(fd, b"q")
        shown += read_pty(fd, 5, showing(b"\x1b[?1049l"))
        os.write(fd, b"q")
        shown += read_pty(fd, 5)
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    high = sorted({b for b in shown if b > 127})
    assert not high, f"bytes above 127: {high[:10]}"
