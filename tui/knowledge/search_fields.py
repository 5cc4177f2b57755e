"""What search reads of a record: its searched name, its texts in each field group, its title in a
hit, and the order every record takes in the search rank. Shared by the in-memory haystacks
(search_index.py) and the store's writer (tui/store/writer.py), so both rank alike. Textual-free.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS, Assessment, Record
from tui.knowledge.search_text import normalise

_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}


def _values(*names: str) -> Callable[[Record], tuple[str, ...]]:
    def get(record: Record) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            value = getattr(record, name, None)
            if isinstance(value, str):
                out.append(value)
            elif isinstance(value, tuple):
                out.extend(v for v in value if isinstance(v, str))
        return tuple(out)

    return get


def _summary(record: Record) -> tuple[str, ...]:
    summary = getattr(record, "summary", None)
    # figures and assessments use their summary as their title: it is searched as the name
    return (summary,) if isinstance(summary, str) and summary != record.title else ()


def _roles(record: Record) -> tuple[str, ...]:
    return tuple(role.title for role in getattr(record, "roles", ()) if isinstance(role.title, str))


# Field groups after the name, in rank order: (field, how to read its texts from a record).
FIELDS: tuple[tuple[str, Callable[[Record], tuple[str, ...]]], ...] = (
    ("alias", _values("aliases")),
    ("summary", _summary),
    ("quote", _values("text")),
    ("status", _values("status")),
    ("role", _roles),
    ("attribution", _values("attribution")),
)
FIELD_NAMES = ("name", *(name for name, _ in FIELDS))
_ATTRIBUTES = {"alias": "aliases", "quote": "text", "role": "roles"}


def _has_field(cls: type, field: str) -> bool:
    """Whether records of `cls` can have anything in a field group (skips the rest quickly)."""
    return hasattr(cls, _ATTRIBUTES.get(field, field))


def title_of(kb: KnowledgeBase, record: Record) -> str:
    """A record's title as a hit shows it: its screen name, whitespace collapsed."""
    return " ".join(kb.name_of(record).split())


def searched_name(kb: KnowledgeBase, record: Record) -> str:
    """What the name tier matches: the title, but for an assessment only its speaker (its words are
    the quote tier: repeating 60 characters of 100k quotes would double the index)."""
    if isinstance(record, Assessment):
        speaker = kb.speaker_of(record)
        return speaker.title if speaker else record.speaker
    return title_of(kb, record)


def ranked_records(kb: KnowledgeBase) -> list[tuple[str, Record, str]]:
    """(kind, record, normalised searched name) of every record, in search rank order: kind order
    (as in KINDS), then name, then id. Ties within a tier of hits keep this order."""
    rows = [
        (_KIND_ORDER.get(kind, 99), normalise(searched_name(kb, record)), record.id, kind, record)
        for kind, record in kb.all_records()
    ]
    rows.sort(key=lambda row: row[:3])
    return [(kind, record, name) for _, name, _, kind, record in rows]


_GETTERS: dict[type, tuple[Callable[[Record], tuple[str, ...]] | None, ...]] = {}


def _getters(cls: type) -> tuple[Callable[[Record], tuple[str, ...]] | None, ...]:
    """How to read each of FIELDS from records of `cls` (None: it has no such field)."""
    found = _GETTERS.get(cls)
    if found is None:
        found = _GETTERS[cls] = tuple(get if _has_field(cls, field) else None for field, get in FIELDS)
    return found


def field_text(record: Record, n: int) -> list[str]:
    """The normalised texts of a record in field group FIELDS[n] ([] when it has none)."""
    get = _getters(type(record))[n]
    return [normalise(v) for v in get(record)] if get else []


def field_texts(record: Record) -> list[list[str]]:
    """The normalised texts of a record in each field group of FIELDS ([] where it has none)."""
    return [[normalise(v) for v in get(record)] if get else [] for get in _getters(type(record))]
