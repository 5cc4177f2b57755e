"""Where the marks are kept: one file in the user data directory, never next to the data.

Apart from `mark_book` so that `config --path` can say where it is without importing sqlite3.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "ISIS_EXPLORER_DATA_DIR"
APP_NAME = "isis-explorer"
FILE_NAME = "marks.sqlite3"


def data_dir() -> tuple[Path, str]:
    """The user data directory, and what named it: `$ISIS_EXPLORER_DATA_DIR`, or "" (the default place)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser(), f"${DATA_DIR_ENV}"
    if sys.platform.startswith("linux"):  # platformdirs' answer here, without its import cost (tested)
        base = os.environ.get("XDG_DATA_HOME", "")  # a relative one is ignored, as the XDG spec says
        return Path(base if os.path.isabs(base) else os.path.expanduser("~/.local/share"), APP_NAME), ""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)), ""


def marks_path() -> Path:
    """marks.sqlite3 in the user data directory (platformdirs; $XDG_DATA_HOME respected), or in
    $ISIS_EXPLORER_DATA_DIR when set. Only says where: nothing is opened or created."""
    return data_dir()[0] / FILE_NAME
