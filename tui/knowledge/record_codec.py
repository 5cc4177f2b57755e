"""Records as JSON text and back: how the derived store (and the parallel parse) carries a record.

Plain JSON, never code: a record is a list of its fields' values in the order its class declares
them, dates as [year, month, day, part, inferred], citations as [source, first, last], nested
records (roles) as lists in turn. Decoding checks the shape as it goes and raises ValueError on
anything else, so a damaged or planted store is refused, not trusted. Textual-free.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from functools import cache
from typing import Any

from tui.knowledge.dates import PartialDate
from tui.knowledge.fields import FieldSpec, specs_of
from tui.knowledge.records import KINDS, Cite, Record

_encoder = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False)
_decode = json.JSONDecoder().decode


@cache
def _fields(cls: type) -> tuple[tuple[str, FieldSpec], ...]:
    """(field name, spec) in declaration order: `id` (no spec: text) first, as dataclasses list it."""
    specs = specs_of(cls)
    return tuple((f.name, specs.get(f.name, FieldSpec("text", True))) for f in dataclasses.fields(cls))


def _date_out(value: Any) -> Any:
    return None if value is None else [value.year, value.month, value.day, value.part, value.inferred]


def _cites_out(value: Any) -> Any:
    return [[c.source, c.first, c.last] for c in value]


def _numbers_out(value: Any) -> Any:
    return None if value is None else list(value)


def _out(spec: FieldSpec) -> Callable[[Any], Any] | None:
    """How a field's value is written (None: as it is: a string, number, bool or None)."""
    kind = spec.type
    if kind == "date":
        return _date_out
    if kind == "cite":
        return _cites_out
    if kind == "nested":
        nested = spec.nested
        assert nested is not None
        return lambda value: [_values(item, nested) for item in value]
    if kind in ("texts", "refs"):
        return list
    if kind == "numbers":
        return _numbers_out
    return None


@cache
def _plan(cls: type) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    return tuple((name, _out(spec)) for name, spec in _fields(cls))


def _values(record: object, cls: type) -> list[Any]:
    return [getattr(record, name) if out is None else out(getattr(record, name)) for name, out in _plan(cls)]


def encode(record: Record) -> str:
    """The record as one line of ASCII JSON."""
    return _encoder.encode(_values(record, type(record)))


def _bad(what: str) -> ValueError:
    return ValueError(f"not a stored record: {what}")


def _text(optional: bool) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if type(value) is str or (optional and value is None):
            return value
        raise _bad("text expected")

    return convert


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list or not all(type(v) is str for v in value):
        raise _bad("list of texts expected")
    return tuple(value)


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _bad("true or false expected")
    return value


def _number(value: Any) -> Any:
    if value is None or type(value) is int or type(value) is float:
        return value
    raise _bad("number expected")


def _numbers(count: int) -> Callable[[Any], Any]:
    def convert(value: Any) -> tuple[float, ...] | None:
        if value is None:
            return None
        if type(value) is not list or len(value) != count:
            raise _bad(f"list of {count} numbers expected")
        if not all(type(v) in (int, float) and math.isfinite(v) for v in value):
            raise _bad(f"list of {count} numbers expected")
        return tuple(float(v) for v in value)

    return convert


def _date(value: Any) -> PartialDate | None:
    if value is None:
        return None
    if not (type(value) is list and len(value) == 5):
        raise _bad("date expected")
    year, month, day, part, inferred = value
    if not all(v is None or type(v) is int for v in (year, month, day)) or type(inferred) is not bool:
        raise _bad("date expected")
    if not (part is None or type(part) is str):
        raise _bad("date expected")
    return PartialDate(year, month, day, part, inferred)


def _cites(value: Any) -> tuple[Cite, ...]:
    if type(value) is not list:
        raise _bad("citations expected")
    out = []
    for item in value:
        if not (type(item) is list and len(item) == 3 and type(item[0]) is str):
            raise _bad("citation expected")
        if type(item[1]) is not int or type(item[2]) is not int:
            raise _bad("citation expected")
        out.append(Cite(item[0], item[1], item[2]))
    return tuple(out)


def _nested(cls: type) -> Callable[[Any], Any]:
    def convert(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _bad("list expected")
        return tuple(_build(cls, item) for item in value)

    return convert


def _converter(spec: FieldSpec) -> Callable[[Any], Any]:
    kind = spec.type
    if kind in ("text", "enum", "ref"):
        return _text(optional=not (spec.required and kind == "text"))
    simple: dict[str, Callable[[Any], Any]] = {
        "texts": _texts,
        "refs": _texts,
        "bool": _bool,
        "number": _number,
        "date": _date,
        "cite": _cites,
    }
    if kind in simple:
        return simple[kind]
    if kind == "nested" and spec.nested is not None:
        return _nested(spec.nested)
    if kind == "numbers":
        return _numbers(spec.count)
    raise _bad(f"unknown field type {kind}")


@cache
def _converters(cls: type) -> tuple[tuple[str, ...], tuple[Callable[[Any], Any], ...]]:
    fields = _fields(cls)
    return tuple(name for name, _ in fields), tuple(_converter(spec) for _, spec in fields)


def _build(cls: type, values: Any) -> Any:
    names, converters = _converters(cls)
    if type(values) is not list or len(values) != len(names):
        raise _bad(f"{len(names)} fields expected")
    return cls(**{name: convert(value) for name, convert, value in zip(names, converters, values, strict=True)})


def decode(kind: str, text: str | bytes) -> Record:
    """The record of `kind` that `encode` wrote; ValueError for anything else."""
    cls = KINDS.get(kind)
    if cls is None:
        raise _bad(f"unknown kind {kind!r}")
    try:
        values = _decode(text if isinstance(text, str) else text.decode("ascii"))
    except (UnicodeDecodeError, RecursionError) as exc:
        raise _bad(str(exc)) from None
    record = _build(cls, values)
    assert isinstance(record, Record)
    return record
