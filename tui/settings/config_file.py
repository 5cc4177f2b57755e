"""The config file: where it is, reading it, and checking its form (TOML, UTF-8, known settings, types).

Reading and checking the file never imports Textual. The names only Textual knows (themes, binding
ids, keys) are checked by tui.ui.config_checks, which the commands that open the explorer (and
`isis-explorer config`) call after reading the file. Precedence over flags and the environment is
in precedence.py.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tui.loading.problems import DataError, shown, suggest

KeyPath = tuple[str, ...]  # as in toml_lines, which is imported only when a file is read
Problem = tuple[int, str]  # (line, `path:line: what is wrong`): sorted by line before they are shown

APP_NAME = "isis-explorer"
CONFIG_ENV = "ISIS_EXPLORER_CONFIG"
MAX_CONFIG_BYTES = 1024 * 1024
SETTINGS = {
    "data": "a path string",
    "theme": "a theme name string",
    "mouse": "true or false",
    "ascii": "true or false",
    "keymap": "a table",
}


class ConfigError(DataError):
    """A bad configuration: `path:line: problem` lines (`path: problem` when it is about the whole file)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__([])
        self.messages = messages
        self.args = ("\n".join(messages),)

    def lines(self) -> list[str]:
        return list(self.messages)


# -- where the file is ------------------------------------------------------------------------
def default_path() -> Path:
    """config.toml in the user config dir (platformdirs' `user_config_path`)."""
    if sys.platform.startswith("linux"):  # platformdirs' answer here, without its import cost (tested)
        base = os.environ.get("XDG_CONFIG_HOME", "")
        return Path(base if os.path.isabs(base) else os.path.expanduser("~/.config"), APP_NAME, "config.toml")
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def chosen_path(flag: str | None) -> tuple[Path, str]:
    """The config file and what named it: '--config', '$ISIS_EXPLORER_CONFIG', or '' (the default place)."""
    if flag:
        return Path(flag).expanduser(), "--config"
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV]).expanduser(), f"${CONFIG_ENV}"
    return default_path(), ""


# -- reading and checking it --------------------------------------------------------------------
@dataclass
class ConfigFile:
    path: Path
    named_by: str  # '--config', '$ISIS_EXPLORER_CONFIG', or '' for the default location
    exists: bool = False
    values: dict[str, object] = field(default_factory=dict)  # the TOML document as tomllib read it
    data: str | None = None  # as written: relative to the file's directory, maybe with ~
    theme: str | None = None
    mouse: bool | None = None
    ascii: bool | None = None
    keymap: dict[str, tuple[str, KeyPath]] = field(default_factory=dict)  # binding id -> (keys, TOML key)
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def where(self, *keys: str) -> str:
        """`path:line` of a key; a key the scan could not place gets its table's line, else line 1."""
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                return f"{self.path}:{self.lines[keys[:end]]}"
        return f"{self.path}:1"

    def problem(self, keys: KeyPath, message: str) -> Problem:
        """`message` about the key `keys`, placed at its line."""
        where = self.where(*keys)
        return int(where.rsplit(":", 1)[1]), f"{where}: {message}"

    def names_textual_knows(self) -> bool:
        """Whether the file names a theme or keys: only then is Textual imported to check them."""
        return self.theme is not None or bool(self.keymap)


def read_config(flag: str | None) -> ConfigFile:
    """The config file named by `--config`, `$ISIS_EXPLORER_CONFIG` or the default place, checked;
    raises ConfigError. A missing file is only an error when it was named explicitly."""
    path, named_by = chosen_path(flag)
    config = ConfigFile(path, named_by)
    raw = _read_bytes(path, named_by)
    if raw is None:
        return config
    text = _decode(path, raw)
    config.values = _parse(path, text)
    config.exists = True
    from tui.settings.toml_lines import key_lines  # only when there is a file to read

    config.lines = key_lines(text)
    stop_if(_check(config))
    return config


def _read_bytes(path: Path, named_by: str) -> bytes | None:
    import stat

    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if not named_by:
            return None
        raise ConfigError([f"{path}: no such file (named by {named_by})"]) from None
    except OSError as error:
        raise ConfigError([f"{path}: cannot read: {error.strerror}"]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError([f"{path}: is a directory, not a config file"])
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise ConfigError([f"{path}: not a regular file"])
    if info.st_size > MAX_CONFIG_BYTES:
        raise ConfigError([f"{path}: {info.st_size} bytes is too large for a config file (limit 1 MiB)"])
    try:
        with open(path, "rb") as file:
            return file.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise ConfigError([f"{path}: cannot read: {error.strerror}"]) from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ConfigError([f"{path}:{line}:{col}: not UTF-8 (byte 0x{raw[error.start]:02x})"]) from None
    return text.removeprefix("\ufeff")  # a byte-order mark from some Windows editors


_TOML_WHERE = re.compile(r" \(at line (\d+), column (\d+)\)\Z")


def _parse(path: Path, text: str) -> dict[str, object]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_WHERE.search(message)
        if found:
            where, message = f"{found[1]}:{found[2]}", message[: found.start()]
        else:  # "(at end of document)"
            message = message.removesuffix(" (at end of document)")
            where = str(text.count("\n") + (0 if text.endswith("\n") else 1))
        raise ConfigError([f"{path}:{where}: {message[:1].lower()}{message[1:]}"]) from None


def _check(config: ConfigFile) -> list[Problem]:
    """Every problem tomllib cannot see: unknown keys and wrong types. Fills the typed fields."""
    problems: list[Problem] = []

    def bad(keys: KeyPath, message: str) -> None:
        problems.append(config.problem(keys, message))

    for key, value in config.values.items():
        if key not in SETTINGS:
            bad((key,), f"unknown setting {shown(key)}{suggest(key, SETTINGS)}; settings are {', '.join(SETTINGS)}")
        elif key == "keymap":
            if not isinstance(value, dict):
                bad((key,), f"keymap must be a table ([keymap]); got {_toml_type(value)}")
                continue
            for keys, spec in _flatten(value, (key,)):
                binding_id = ".".join(keys[1:])
                if binding_id in SETTINGS:  # `theme = ...` written below [keymap] lands in the keymap
                    bad(
                        keys,
                        f"{shown(binding_id)} is a setting but sits in [keymap]: "
                        "write settings above the first [table]",
                    )
                elif not isinstance(spec, str) or not spec.strip():
                    bad(
                        keys,
                        f'keymap {shown(binding_id)} must be a non-empty string of keys, e.g. "ctrl+f"; '
                        f"got {_toml_type(spec)}",
                    )
                elif binding_id in config.keymap:
                    bad(keys, f"keymap {shown(binding_id)} is given twice")
                else:
                    config.keymap[binding_id] = (spec, keys)
        elif key in ("mouse", "ascii"):
            if not isinstance(value, bool):
                bad((key,), f"{key} must be true or false; got {_toml_type(value)}")
            elif key == "mouse":
                config.mouse = value
            else:
                config.ascii = value
        elif key in ("data", "theme"):
            if not (isinstance(value, str) and value.strip()):
                bad((key,), f"{key} must be {SETTINGS[key]}; got {_toml_type(value)}")
            elif key == "data":
                config.data = value
            else:
                config.theme = value
    return problems


def stop_if(problems: list[Problem]) -> None:
    """Raise ConfigError with every problem, in line order, if there are any."""
    if problems:
        raise ConfigError([message for _, message in sorted(problems, key=lambda p: p[0])])


def _flatten(table: dict[str, object], prefix: KeyPath) -> list[tuple[KeyPath, object]]:
    """Leaves of nested tables: `app.search = "x"` (a dotted key) and `"app.search" = "x"` both name app.search."""
    out: list[tuple[KeyPath, object]] = []
    for key, value in table.items():
        if isinstance(value, dict) and value:
            out += _flatten(value, (*prefix, key))
        else:
            out.append(((*prefix, key), value))
    return out


def _toml_type(value: object) -> str:
    if isinstance(value, str):
        return f"a string {shown(value)}" if value.strip() else "an empty string"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    names = {int: "an integer", float: "a number", dict: "a table", list: "an array"}
    return next(
        (
            f"{name} {value}" if kind in (int, float) else name
            for kind, name in names.items()
            if isinstance(value, kind)
        ),
        "a date or time",
    )
