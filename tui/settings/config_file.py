"""Settings from a TOML file, the environment and the command line, and `isis-explorer config`.

Precedence, highest first: command-line flag > environment variable > config file > built-in default.
Reading and checking the file never imports Textual. The checks that need Textual's own tables
(theme names, binding ids, key names) run when the explorer is about to open and in `config`.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tui.loading.problems import DataError, shown, suggest

TYPE_CHECKING = False
KeyPath = tuple[str, ...]  # as in toml_lines, which is imported only when a file is read
if TYPE_CHECKING:
    import argparse

APP_NAME = "isis-explorer"
CONFIG_ENV, DATA_ENV, THEME_ENV = "ISIS_EXPLORER_CONFIG", "ISIS_EXPLORER_DATA", "TEXTUAL_THEME"
MAX_CONFIG_BYTES = 1024 * 1024
SETTINGS = {"data": "a path string", "theme": "a theme name string", "mouse": "true or false", "keymap": "a table"}
FLAG, ENVIRONMENT, FILE, DEFAULT = "flag", "environment", "config file", "default"


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
    values: dict = field(default_factory=dict)  # data, theme, mouse as given (checked types)
    keymap: dict[str, tuple[str, KeyPath]] = field(default_factory=dict)  # binding id -> (keys, TOML key)
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def where(self, *keys: str) -> str:
        """`path:line` of a key; a key the scan could not place gets its table's line, else line 1."""
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                return f"{self.path}:{self.lines[keys[:end]]}"
        return f"{self.path}:1"


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
    _stop_if(_check(config))
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


def _parse(path: Path, text: str) -> dict:
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


def _check(config: ConfigFile) -> list[tuple[int, str]]:
    """(line, message) for every problem tomllib cannot see: unknown keys and wrong types."""
    problems: list[tuple[int, str]] = []

    def bad(keys: KeyPath, message: str) -> None:
        problems.append(_at(config, keys, message))

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
        elif key == "mouse" and not isinstance(value, bool):
            bad((key,), f"mouse must be true or false; got {_toml_type(value)}")
        elif key in ("data", "theme") and not (isinstance(value, str) and value.strip()):
            bad((key,), f"{key} must be {SETTINGS[key]}; got {_toml_type(value)}")
    return problems


def _at(config: ConfigFile, keys: KeyPath, message: str) -> tuple[int, str]:
    where = config.where(*keys)
    return int(where.rsplit(":", 1)[1]), f"{where}: {message}"


def _stop_if(problems: list[tuple[int, str]]) -> None:
    if problems:
        raise ConfigError([message for _, message in sorted(problems, key=lambda p: p[0])])


def _flatten(table: dict, prefix: KeyPath) -> list[tuple[KeyPath, object]]:
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


# -- checks that need Textual: only when the explorer opens, and in `isis-explorer config` --------
def check_with_textual(config: ConfigFile) -> None:
    """Theme name, binding ids and keys of the file; raises ConfigError."""
    problems: list[tuple[int, str]] = []

    def bad(keys: KeyPath, message: str) -> None:
        problems.append(_at(config, keys, message))

    theme = config.values.get("theme")
    if theme is None and not config.keymap:
        return  # nothing to check: Textual is not imported for nothing
    from tui.ui.config_checks import binding_ids, key_problem, suggest_id, theme_names

    if theme is not None and theme not in (names := theme_names()):
        bad(("theme",), f"unknown theme {shown(theme)}{suggest(theme, names)}; themes: {', '.join(names)}")
    ids = binding_ids() if config.keymap else []
    for binding_id, (spec, keys) in config.keymap.items():
        if binding_id not in ids:
            bad(
                keys,
                f"unknown binding id {shown(binding_id)}{suggest_id(binding_id, ids)}; "
                "`isis-explorer config` lists them",
            )
            continue
        for key in spec.split(","):
            why = key_problem(key.strip())
            if why:
                bad(keys, f"keymap {shown(binding_id)}: {shown(key.strip())}: {why}")
    _stop_if(problems)


# -- what is in effect ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Setting:
    value: object
    source: str  # FLAG, ENVIRONMENT, FILE or DEFAULT
    origin: str = ""  # '--data', '$ISIS_EXPLORER_DATA', 'path:line'

    def describe(self) -> str:
        return f"{self.source} ({self.origin})" if self.origin else self.source


@dataclass(frozen=True)
class Settings:
    data: Setting  # value: a path, or None for the bundled data
    theme: Setting  # value: a theme name, or None for automatic
    mouse: Setting  # value: bool
    keymap: dict[str, Setting]  # binding id -> keys
    config: ConfigFile


def resolve(args: argparse.Namespace, config: ConfigFile) -> Settings:
    """Flag > environment > config file > default, for each setting; raises ConfigError when the
    config file's data path is the one in effect and does not exist."""
    values = config.values
    if args.data:
        data = Setting(args.data, FLAG, "--data")
    elif os.environ.get(DATA_ENV):
        data = Setting(os.environ[DATA_ENV], ENVIRONMENT, f"${DATA_ENV}")
    elif "data" in values:
        path = os.path.abspath(config.path.parent / Path(values["data"]).expanduser())
        data = Setting(path, FILE, config.where("data"))
        if not os.path.exists(path):
            raise ConfigError([f"{config.where('data')}: data path {path!r} does not exist"])
    else:
        data = Setting(None, DEFAULT)
    if args.theme:
        theme = Setting(args.theme, FLAG, "--theme")
    elif os.environ.get(THEME_ENV):
        theme = Setting(os.environ[THEME_ENV], ENVIRONMENT, f"${THEME_ENV}")
    elif "theme" in values:
        theme = Setting(values["theme"], FILE, config.where("theme"))
    else:
        theme = Setting(None, DEFAULT)
    if args.no_mouse:
        mouse = Setting(False, FLAG, "--no-mouse")
    elif "mouse" in values:
        mouse = Setting(values["mouse"], FILE, config.where("mouse"))
    else:
        mouse = Setting(True, DEFAULT)
    keymap = {
        binding_id: Setting(spec, FILE, config.where(*keys)) for binding_id, (spec, keys) in config.keymap.items()
    }
    return Settings(data, theme, mouse, keymap, config)


def apply_config(args: argparse.Namespace) -> Settings:
    """Fill args.data, args.theme, args.no_mouse and args.keymap with the settings in effect.
    The full check (with Textual's tables) runs for the commands that open the explorer."""
    config = read_config(args.config)
    if args.command in (None, "serve", "keys"):
        check_with_textual(config)
    settings = resolve(args, config)
    args.data = settings.data.value
    args.theme = settings.theme.value
    args.no_mouse = not settings.mouse.value
    args.keymap = {binding_id: setting.value for binding_id, setting in settings.keymap.items()}
    args.config_file = config
    return settings


def run_config(args: argparse.Namespace) -> int:
    """`isis-explorer config [--path]`: where the file is; or every setting in effect and its source."""
    from tui.loading.data_files import bundled_data_dir
    from tui.presentation.safe_text import clean

    if args.path:
        print(chosen_path(args.config)[0])
        return 0
    from tui.ui.config_checks import binding_ids

    config = read_config(args.config)
    check_with_textual(config)
    settings = resolve(args, config)
    named = f"named by {config.named_by}" if config.named_by else "the default place"
    state = "exists" if config.exists else "not found: built-in defaults apply"
    rows = [
        (
            "data",
            clean(str(settings.data.value)) if settings.data.value else f"bundled ({bundled_data_dir()})",
            settings.data,
        ),
        ("theme", clean(str(settings.theme.value or "automatic")), settings.theme),
        ("mouse", "on" if settings.mouse.value else "off", settings.mouse),
    ]
    rows += [(f"keymap {binding_id}", clean(str(s.value)), s) for binding_id, s in sorted(settings.keymap.items())]
    if not settings.keymap:
        rows.append(("keymap", "(no keys remapped)", Setting(None, DEFAULT)))
    width = max(len(name) for name, _, _ in rows) + 2
    value_width = max(len(value) for _, value, _ in rows) + 2
    print(f"config file: {clean(str(config.path))} ({named}; {state})")
    print()
    for name, value, setting in rows:
        print(f"{name:<{width}}{value:<{value_width}}{setting.describe()}")
    import textwrap

    print()
    print(textwrap.fill("Binding ids for [keymap]: " + ", ".join(binding_ids()), width=80, break_on_hyphens=False))
    return 0
