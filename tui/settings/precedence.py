"""The settings in effect: for each, the first of command-line flag > environment variable > config
file > built-in default that gives it, and where it came from (which `isis-explorer config` prints).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from tui.settings.config_file import CONFIG_ENV, ConfigError, ConfigFile
from tui.settings.terminal_locale import locale_is_ascii

DATA_ENV, THEME_ENV = "ISIS_EXPLORER_DATA", "TEXTUAL_THEME"
DEFAULT_MAX_FILE_MIB = 32.0  # as tui.loading.safe_yaml.DEFAULT_MAX_BYTES, which imports YAML
FLAG, ENVIRONMENT, FILE, DEFAULT = "flag", "environment", "config file", "default"

T = TypeVar("T", covariant=True)  # a Setting[bool] is a Setting[object]


@dataclass(frozen=True)
class Setting(Generic[T]):
    value: T
    source: str  # FLAG, ENVIRONMENT, FILE or DEFAULT
    origin: str = ""  # '--data', '$ISIS_EXPLORER_DATA', 'path:line'

    def describe(self) -> str:
        return f"{self.source} ({self.origin})" if self.origin else self.source


@dataclass(frozen=True)
class Settings:
    """Everything a command runs with, each value with its source."""

    data: Setting[str | None]  # a path, or None for the bundled data
    theme: Setting[str | None]  # a theme name, or None for automatic
    mouse: Setting[bool]
    ascii: Setting[bool]  # draw with ASCII only
    keymap: dict[str, Setting[str]]  # binding id -> keys
    max_file_mib: Setting[float]  # YAML files larger than this are refused
    config: Setting[Path]  # the config file, whether or not it exists
    config_file: ConfigFile  # what the file holds

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mib.value * 1024 * 1024)

    @property
    def keys(self) -> dict[str, str]:
        """The keymap for the app: binding id -> keys."""
        return {binding_id: setting.value for binding_id, setting in self.keymap.items()}


def resolve(
    config: ConfigFile,
    *,
    data: str | None,
    theme: str | None,
    no_mouse: bool,
    max_file_mib: float | None,
    ascii_only: bool = False,
) -> Settings:
    """The settings in effect, given the flags and the config file read (and checked) already;
    raises ConfigError when the config file's data path is the one in effect and does not exist."""
    return Settings(
        data=_data(config, data),
        theme=_theme(config, theme),
        mouse=_mouse(config, no_mouse),
        ascii=_ascii(config, ascii_only),
        keymap={
            binding_id: Setting(spec, FILE, config.where(*keys)) for binding_id, (spec, keys) in config.keymap.items()
        },
        max_file_mib=(
            Setting(max_file_mib, FLAG, "--max-file-mib")
            if max_file_mib is not None
            else Setting(DEFAULT_MAX_FILE_MIB, DEFAULT)
        ),
        config=_config(config),
        config_file=config,
    )


def _data(config: ConfigFile, flag: str | None) -> Setting[str | None]:
    if flag:
        return Setting(flag, FLAG, "--data")
    if os.environ.get(DATA_ENV):
        return Setting(os.environ[DATA_ENV], ENVIRONMENT, f"${DATA_ENV}")
    if config.data is not None:
        path = os.path.abspath(config.path.parent / Path(config.data).expanduser())
        if not os.path.exists(path):
            raise ConfigError([f"{config.where('data')}: data path {path!r} does not exist"])
        return Setting(path, FILE, config.where("data"))
    return Setting(None, DEFAULT)


def _theme(config: ConfigFile, flag: str | None) -> Setting[str | None]:
    if flag:
        return Setting(flag, FLAG, "--theme")
    if os.environ.get(THEME_ENV):
        return Setting(os.environ[THEME_ENV], ENVIRONMENT, f"${THEME_ENV}")
    if config.theme is not None:
        return Setting(config.theme, FILE, config.where("theme"))
    return Setting(None, DEFAULT)


def _mouse(config: ConfigFile, no_mouse: bool) -> Setting[bool]:
    if no_mouse:
        return Setting(False, FLAG, "--no-mouse")
    if config.mouse is not None:
        return Setting(config.mouse, FILE, config.where("mouse"))
    return Setting(True, DEFAULT)


def _ascii(config: ConfigFile, flag: bool) -> Setting[bool]:
    if flag:
        return Setting(True, FLAG, "--ascii")
    if config.ascii is not None:
        return Setting(config.ascii, FILE, config.where("ascii"))
    return Setting(locale_is_ascii(), DEFAULT, "the locale: ASCII unless it is UTF-8")


def _config(config: ConfigFile) -> Setting[Path]:
    if config.named_by == "--config":
        return Setting(config.path, FLAG, "--config")
    if config.named_by:
        return Setting(config.path, ENVIRONMENT, f"${CONFIG_ENV}")
    return Setting(config.path, DEFAULT)
