"""What Textual knows that the settings name: themes, binding ids and keys. Imports Textual.

tui.settings reads and checks a config file's form without Textual; the commands that open the
explorer (and `isis-explorer config`) then call `check_config_file`, and check a theme given by a
flag or the environment with `theme_problem`.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character
from textual.theme import BUILTIN_THEMES

from tui.loading.problems import shown, suggest
from tui.settings.config_file import ConfigFile, Problem, stop_if

MODIFIERS = ("shift", "ctrl", "alt", "meta", "super", "hyper")
# key names without modifiers: escape, enter, f1, pageup, ... (not the '<any>' placeholders)
KEY_NAMES = frozenset(key.value for key in Keys if "+" not in key.value and not key.value.startswith("<"))


def theme_names() -> list[str]:
    """The themes an App offers; ExplorerApp registers none of its own (a test checks)."""
    return sorted(BUILTIN_THEMES)


def theme_problem(theme: str, *, in_config_file: bool = False) -> str | None:
    """Why `theme` is not a theme the app offers, or None. A theme from a flag or the environment:
    `unknown theme 'x'; choose one of: ...`; from the config file, with a guess: `unknown theme 'x'
    (did you mean 'y'?); themes: ...` (the caller puts `path:line: ` before it)."""
    names = theme_names()
    if theme in names:
        return None
    if in_config_file:
        return f"unknown theme {shown(theme)}{suggest(theme, names)}; themes: {', '.join(names)}"
    return f"unknown theme {theme!r}; choose one of: {', '.join(names)}"


def check_config_file(config: ConfigFile) -> None:
    """The theme, binding ids and keys a config file names; raises ConfigError (path:line: problem)."""
    problems: list[Problem] = []
    if config.theme is not None and (why := theme_problem(config.theme, in_config_file=True)):
        problems.append(config.problem(("theme",), why))
    ids = binding_ids() if config.keymap else []
    for binding_id, (spec, keys) in config.keymap.items():
        if binding_id not in ids:
            problems.append(
                config.problem(
                    keys,
                    f"unknown binding id {shown(binding_id)}{suggest_id(binding_id, ids)}; "
                    "`isis-explorer config` lists them",
                )
            )
            continue
        for key in spec.split(","):
            why_not = key_problem(key.strip())
            if why_not:
                problems.append(config.problem(keys, f"keymap {shown(binding_id)}: {shown(key.strip())}: {why_not}"))
    stop_if(problems)


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
