"""Writing one top-level setting into the config file (e.g. the theme chosen in the palette).

The file stays the user's: every other line (comments, order, tables, the keymap) is kept as it is.
An existing top-level `theme = ...` line is replaced in place; otherwise the setting goes above the
first `[table]` (a key written below one would land in that table). The result must read back as
TOML with the new value before it replaces the file, and it replaces the file atomically (a
temporary file in the same directory, then `os.replace`), keeping the file's permissions.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from tui.settings.config_file import MAX_CONFIG_BYTES, ConfigError

_TABLE_START = re.compile(r"[ \t]*\[")


def setting_line(key: str, value: str) -> str:
    """`key = "value"`: a TOML basic string (JSON's escaping is valid TOML for a string)."""
    return f"{key} = {json.dumps(value, ensure_ascii=False)}"


def with_setting(text: str, key: str, value: str) -> str:
    """`text` with the top-level `key` set to `value`, every other line kept."""
    from tui.settings.toml_lines import key_lines

    lines = text.split("\n")
    placed = key_lines(text).get((key,)) if text.strip() else None
    new = setting_line(key, value)
    if placed is not None:  # replace the line that sets it (a one-line string: checked below)
        lines[placed - 1] = new
    else:
        first_table = next((i for i, line in enumerate(lines) if _TABLE_START.match(line)), None)
        if first_table is None:
            if lines and lines[-1] == "":
                lines[-1:] = [new, ""]
            else:
                lines += [new, ""]
        else:
            lines[first_table:first_table] = [new, ""]
    return "\n".join(lines)


def save_setting(path: Path, key: str, value: str) -> None:
    """Set a top-level string setting in the config file at `path` (created with its directory if
    missing); raises ConfigError when the file cannot be read, would not read back, or cannot be written."""
    import tomllib

    try:
        raw = path.read_bytes() if path.exists() else b""
    except OSError as error:
        raise ConfigError([f"{path}: cannot read: {error.strerror}"]) from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError([f"{path}: too large for a config file (limit 1 MiB)"])
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise ConfigError([f"{path}: not valid TOML now; fix it first (`isis-explorer config` says where)"]) from None
    updated = with_setting(text, key, value)
    try:
        if tomllib.loads(updated).get(key) != value:
            raise ValueError
    except (tomllib.TOMLDecodeError, ValueError):
        raise ConfigError([f"{path}: could not place {key} in the file; set it by hand"]) from None
    write_atomically(path, updated)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, never a part."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise ConfigError([f"{path}: cannot write: {error.strerror or error}"]) from None
