"""Command-palette providers: jump to any record by name or alias, and switch views.

Everything shown for a record is `Content` built from sanitised data text. `Hit.help` is parsed as
markup by the palette, so it only ever holds our own words and validated enum values.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from tui.knowledge.records import Group, Record
from tui.knowledge.search_index import SearchHit, index_for
from tui.knowledge.search_text import QUERY_CAP, query_text, tightest
from tui.presentation.safe_text import clean
from tui.ui.app_access import explorer_app
from tui.ui.safe_content import plain

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.ui.app import ExplorerApp

NAME_HITS = 50  # hits shown for one query
FUZZY_BELOW = 10  # fewer substring hits than this: add in-order (fuzzy) matches on names
DISPLAY_WIDTH = 100  # long titles (figures and assessments are titled by a sentence) are cut
DISCOVER_GROUP_KINDS = ("isis-core", "isis-branch", "isis-affiliate")
DISCOVER_LIMIT = 20
_ENUM_WORD = re.compile(r"[a-z][a-z0-9-]{0,40}\Z")  # what a validated enum value looks like


def help_text(record: Record) -> str:
    """ "group · isis-branch": the record's label and its enum kind (or relationship type).
    Checked against the enum pattern, so nothing but our own vocabulary reaches the markup parser."""
    label = record.LABEL if _ENUM_WORD.match(record.LABEL) else "record"
    sub = getattr(record, "type", None) if record.KIND == "relationships" else getattr(record, "kind", None)
    return f"{label} · {sub}" if isinstance(sub, str) and _ENUM_WORD.match(sub) else label


def _folded(text: str) -> str | None:
    """`text` lower-cased with offsets that still fit `text`, or None when no case mapping does."""
    for folded in (text.casefold(), text.lower()):
        if len(folded) == len(text):
            return folded
    return None


def _score(matcher: Matcher, needle: str, text: str) -> tuple[float, Sequence[int]]:
    """Score `text` with the palette's matcher, without its exhaustive fuzzy recursion: a substring
    takes the matcher's own quick path; otherwise the tightest in-order offsets are scored."""
    folded = _folded(text)
    if folded is None:
        return 1.0, ()
    if matcher.query.lower() in text.lower():
        return matcher.fuzzy_search.match(matcher.query, text)  # substring: linear quick path
    start = folded.find(needle)
    if start >= 0:
        positions: Sequence[int] = range(start, start + len(needle))
        return matcher.fuzzy_search.score(folded, positions) * 1.5, positions
    positions = tightest(needle.replace(" ", ""), folded)
    if not positions:
        return 1.0, ()
    return matcher.fuzzy_search.score(folded, positions), positions


def _cut(text: str) -> str:
    return text if len(text) <= DISPLAY_WIDTH else text[: DISPLAY_WIDTH - 1] + "…"


def _highlight(text: str, positions: Sequence[int], matcher: Matcher) -> Content:
    """`text` (cut to DISPLAY_WIDTH) as plain Content, matched characters in the match style."""
    shown = _cut(text)
    visible = min(len(text), DISPLAY_WIDTH - 1) if shown is not text else len(text)
    content = plain(shown)
    for offset in positions:
        if 0 <= offset < visible and not shown[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class RecordsProvider(Provider):
    """Every record by name or alias: regions, groups, people, events, figures and the rest.
    A query typed while the knowledge base is still loading waits for it (the palette shows it is
    busy) and is answered when it is ready; nothing is discovered before then."""

    async def startup(self) -> None:
        kb = explorer_app(self.screen).kb
        if kb is None:
            return
        index = index_for(kb)
        if not index.ready:
            await asyncio.to_thread(index.build)

    def _open(self, kind: str, record_id: str) -> partial[None]:
        return partial(explorer_app(self.screen).open_record, kind, record_id)

    async def search(self, query: str) -> Hits:
        needle = query_text(query)
        if not needle:
            return
        app = explorer_app(self.screen)
        while app.kb is None:  # loading: wait (the palette cancels this search if the query changes)
            await asyncio.sleep(0.05)
        kb = app.kb
        index = index_for(kb)
        if not index.ready:
            await asyncio.to_thread(index.build)
        matcher = self.matcher(needle[:QUERY_CAP])
        hits: list[SearchHit] = index.search(needle, NAME_HITS, fields=("name", "alias"))
        if len(hits) < FUZZY_BELOW:
            seen = {(hit.kind, hit.id) for hit in hits}
            hits += index.subsequence(needle, NAME_HITS - len(hits), exclude=seen)
        for hit in hits:
            record = kb.get(hit.kind, hit.id)
            if record is None:
                continue
            if hit.field == "alias" and hit.snippet:
                score, positions = _score(matcher, needle, hit.snippet)
                score *= 0.9  # a name beats an alias that matches as well
                display = Content.assemble(
                    plain(_cut(hit.title)),
                    Content.styled(" — also ", "dim"),
                    _highlight(hit.snippet, positions, matcher),
                )
            else:
                score, positions = _score(matcher, needle, hit.title)
                display = _highlight(hit.title, positions, matcher)
            yield Hit(
                score,
                display,
                self._open(hit.kind, hit.id),
                text=clean(hit.title),
                help=help_text(record),
            )

    async def discover(self) -> Hits:
        """The Islamic State's core, branches and affiliates, by name."""
        kb = explorer_app(self.screen).kb
        if kb is None:
            return
        groups = [g for g in kb.records(Group) if g.kind in DISCOVER_GROUP_KINDS]
        groups.sort(key=lambda g: (DISCOVER_GROUP_KINDS.index(g.kind), g.name.casefold()))
        for group in groups[:DISCOVER_LIMIT]:
            name = " ".join(group.name.split())
            yield DiscoveryHit(plain(name), self._open("groups", group.id), text=clean(name), help=help_text(group))


VIEWS: tuple[tuple[str, str, str], ...] = (
    ("Show groups view", "groups", "Groups and how they relate to each other"),
    ("Show analysts view", "analysts", "Analysts and what they assess"),
    ("Show timeline view", "timeline", "Events in date order"),
    ("Show figures view", "figures", "Figures by measure, place and year; competing only where the source says so"),
    ("Show map view", "map", "Where groups act, on a braille map of the world, with a list of the places"),
    ("Show marked view", "marked", "The records you marked (m), with your notes, in your order"),
    ("Show regions (explorer)", "explorer", "The region tree with details and quotes"),
)


class FixedCommandsProvider(Provider):
    """Commands with our own fixed names (never data text): subclasses list them in `entries()`."""

    def entries(self) -> list[tuple[str, Callable[[], object], str]]:
        raise NotImplementedError

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query[:QUERY_CAP])
        for name, callback, about in self.entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=about)

    async def discover(self) -> Hits:
        for name, callback, about in self.entries():
            yield DiscoveryHit(Content(name), callback, text=name, help=about)


class ViewsProvider(FixedCommandsProvider):
    """Switch between the explorer and the other views."""

    def entries(self) -> list[tuple[str, Callable[[], object], str]]:
        show = explorer_app(self.screen).action_show_view
        return [(name, partial(show, view), about) for name, view, about in VIEWS]


EXPORTS: tuple[tuple[str, str, str], ...] = (
    ("markdown", "Markdown", "A briefing with footnoted citations, in the current directory"),
    ("json", "JSON", "Shaped like the data files, as the full JSON export; in the current directory"),
    ("csv", "CSV", "A header and one row for a spreadsheet, in the current directory"),
)


MARKED_EXPORTS: tuple[tuple[str, str, str], ...] = (
    ("markdown", "a Markdown briefing", "Your marks in your order, with your notes and footnoted citations"),
    ("json", "JSON", "The marked records and those they refer to, a fragment `validate` accepts"),
    ("csv", "CSV", "One row per mark: kind, id, name, your note, citation"),
)


def save_theme(app: ExplorerApp) -> Path | None:
    """Write the theme in use to the config file (`theme = "..."`), for the next launch; the file's
    other lines stay as they are. The file written, or None (and a notice) when it could not be."""
    from tui.settings.config_file import ConfigError, chosen_path
    from tui.settings.config_write import save_setting

    path = app.config_path or chosen_path(None)[0]
    try:
        save_setting(path, "theme", app.theme)
    except ConfigError as error:
        app.notify("\n".join(error.lines()), title="Theme not saved", severity="error", markup=False, timeout=10)
        return None
    app.chosen_theme = app.theme
    app.notify(f"Saved theme {clean(app.theme)} to {path}: used at the next launch.", markup=False, timeout=8)
    return path


class ActionsProvider(FixedCommandsProvider):
    """Copy, write or export the record selected in the explorer; save the theme in use."""

    def entries(self) -> list[tuple[str, Callable[[], object], str]]:
        app = explorer_app(self.screen)
        explorer = app.explorer
        exports = [
            (f"Export selected record as {name}", partial(explorer.write_selected, export=fmt), about)
            for fmt, name, about in EXPORTS
        ]
        marked = [
            (f"Export marked records as {name}", partial(app.marking.export, fmt), about)
            for fmt, name, about in MARKED_EXPORTS
        ]
        return [
            ("Mark or unmark the selected record", app.action_toggle_mark, "m, wherever a record is selected"),
            *marked,
            (
                "Write selected record to a file",
                explorer.write_selected,
                "Markdown with citations, in the current directory",
            ),
            ("Copy selected record as Markdown", explorer.action_copy, "Through the terminal's clipboard (OSC 52)"),
            *exports,
            ("Save theme to the config file", partial(save_theme, app), "The theme in use, used at the next launch"),
        ]
