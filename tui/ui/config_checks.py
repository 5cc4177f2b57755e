"""What Textual knows that a config file names: themes, binding ids and keys. Imports Textual."""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character
from textual.theme import BUILTIN_THEMES

from tui.loading.problems import suggest

MODIFIERS = ("shift", "ctrl", "alt", "meta", "super", "hyper")
# key names without modifiers: escape, enter, f1, pageup, ... (not the '<any>' placeholders)
KEY_NAMES = frozenset(key.value for key in Keys if "+" not in key.value and not key.value.startswith("<"))


def theme_names() -> list[str]:
    """The themes an App offers; ExplorerApp registers none of its own (a test checks)."""
    return sorted(BUILTIN_THEMES)


def binding_ids() -> list[str]:
    """Every binding id in the BINDINGS of the app and of all its screens and widgets: their modules
    are imported, then every class of this package below DOMNode is read."""
    package = __package__ or "tui"
    for name in ("screens", "widgets"):
        folder = importlib.import_module(f"{package}.{name}")
        for module in pkgutil.iter_modules(folder.__path__):
            importlib.import_module(f"{folder.__name__}.{module.name}")
    importlib.import_module(f"{package}.app")
    ids: set[str] = set()
    classes, seen = [DOMNode], set()
    while classes:
        cls = classes.pop()
        if cls in seen:
            continue
        seen.add(cls)
        classes += cls.__subclasses__()
        if cls.__module__.startswith(f"{package}.") and "BINDINGS" in vars(cls):
            ids.update(binding.id for binding in Binding.make_bindings(vars(cls)["BINDINGS"]) if binding.id)
    return sorted(ids)


def key_problem(key: str) -> str | None:
    """Why `key` is not a key in Textual's keymap syntax (ctrl+f, shift+down, question_mark, ?), or None.
    Textual has no public check for this; it is made from Textual's public key tables."""
    *modifiers, name = key.split("+")
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"unknown modifier {modifier!r}{suggest(modifier, MODIFIERS)}; modifiers: {', '.join(MODIFIERS)}"
    if not name:
        return "a key is missing (the keys + and , are written plus and comma)"
    if len(name) == 1 or name in KEY_NAMES or name in KEY_NAME_REPLACEMENTS.values() or key_to_character(name):
        return None
    return f"unknown key {name[:40]!r}{suggest(name, KEY_NAMES)}"


def suggest_id(word: str, ids: list[str]) -> str:
    """A close id; else the ids whose last part is close to the word's (`serch` -> app.search)."""
    close = suggest(word, ids)
    if close:
        return close
    lasts = {binding_id.rsplit(".", 1)[-1] for binding_id in ids}
    part = difflib.get_close_matches(word.rsplit(".", 1)[-1], lasts, n=1, cutoff=0.75)
    matches = [binding_id for binding_id in ids if part and binding_id.rsplit(".", 1)[-1] == part[0]]
    if len(matches) == 1:
        return f" (did you mean {matches[0]!r}?)"
    if matches:
        return f" (did you mean one of {', '.join(repr(m) for m in matches)}?)"
    return ""
