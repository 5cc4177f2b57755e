"""Where data lives: the bundled knowledge base, the YAML files under a path, and their store. No
YAML parsing here, so the start-up path (opening the store) never imports a YAML library."""

from __future__ import annotations

import os
from pathlib import Path

from tui.loading.problems import Problems

TYPE_CHECKING = False  # the store's modules load when a store is opened, not before
if TYPE_CHECKING:
    from tui.store.location import StoreKey
    from tui.store.stored_kb import StoredKnowledgeBase


def bundled_data_dir() -> Path:
    """The knowledge base shipped with the package (`tui/data` in a wheel, `data/` in a checkout)."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "data"
    return installed if installed.is_dir() else package.parent / "data"


def yaml_files(root: str, problems: Problems) -> list[str]:
    """The YAML files under `root` (a file or a directory), sorted; symlinked dirs not followed."""
    if not os.path.exists(root):
        problems.add(root, 0, 0, "no such file or directory")
        return []
    if not os.path.isdir(root):
        return [root]
    found: list[str] = []

    def walk_error(exc: OSError) -> None:
        problems.add(exc.filename or root, 0, 0, f"cannot read directory: {exc.strerror or exc}")

    for directory, dirs, files in os.walk(root, onerror=walk_error, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:
            if name.endswith((".yaml", ".yml")):
                problems.add(os.path.join(directory, name), 0, 0, "is a directory, expected a YAML file")
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                file = os.path.join(directory, name)
                try:  # a dangling symlink or a symlink loop: say so here, callers stat what we list
                    os.stat(file)
                except OSError as exc:
                    problems.add(file, 0, 0, f"cannot read: {exc.strerror or exc}")
                    continue
                found.append(file)
    if not found and not problems:
        problems.add(root, 0, 0, "no YAML files (*.yaml, *.yml) here")
    return found


def store_key(root: str) -> StoreKey:
    """The store key of the files under `root` as they are now, before reading them; raises
    DataError when there are none to read."""
    from tui.store.location import StoreKey

    problems = Problems()
    files = yaml_files(root, problems)
    if problems:
        raise problems.error()
    return StoreKey.of(root, files)


def open_for_root(root: str) -> StoredKnowledgeBase:
    """The store of the data under `root` as it is now (the benchmark's way in); raises StoreError
    when there is none that fits."""
    from tui.store.stored_kb import StoreError, open_key

    opened = open_key(store_key(root))
    if isinstance(opened, str):
        raise StoreError(opened)
    return opened
