"""One file's `FileRecords` as JSON text and back: how a worker process hands its file to the loader.

Plain JSON, never pickled objects, so nothing that crosses from a worker can run code: each record
is written by `record_codec.encode`, the references' lines and columns as the bytes of their arrays.
Reading it back rebuilds the records with one object per distinct id, date and citation, as
reading the file in this process would (the serial load shares them the same way).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from array import array
from collections.abc import Callable
from typing import Any

from tui.knowledge.dates import PartialDate
from tui.knowledge.fields import FieldSpec, specs_of
from tui.knowledge.record_codec import encode
from tui.knowledge.records import KINDS, Cite
from tui.loading.problems import Problem
from tui.loading.record_builder import Entry, FieldPlace, FileRecords, Shared

_dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), check_circular=False).encode
_loads = json.JSONDecoder().decode
Convert = Callable[[Any], Any]


def dump(read: FileRecords) -> str:
    """`read` as one JSON text: a header (problems, references, flags), then its records."""
    targets: dict[tuple[str, ...], int] = {}
    head = {
        "problems": [[p.line, p.col, p.message] for p in read.problems],  # every one is about `read.path`
        "ref_targets": _array_text(array("B", [targets.setdefault(t, len(targets)) for t in read.ref_targets])),
        "ref_values": read.ref_values,
        "ref_lines": _array_text(read.ref_lines),
        "ref_cols": _array_text(read.ref_cols),
        "broken": read.broken,
        "flags": [read.readable, read.stopped, read.too_deep],
    }
    head["targets"] = [list(t) for t in targets]
    entries = ",".join(
        f'["{kind}",{line},{col},{before},{_list(findings)},{_list(places)},{encode(record)}]'
        for kind, record, line, col, before, findings, places in read.records
    )
    return f"[{_dumps(head)},[{entries}]]"


def _list(items: list[Any]) -> str:
    return _dumps(items) if items else "[]"


def _places(items: list[list[Any]]) -> list[FieldPlace]:
    return [(key, index, line, col) for key, index, line, col in items] if items else []


def _array_text(numbers: array[int]) -> str:
    return base64.b64encode(numbers.tobytes()).decode("ascii")


def _array(text: str, typecode: str = "I") -> array[int]:
    numbers = array(typecode)
    numbers.frombytes(base64.b64decode(text))
    return numbers


class Reader:
    """Turns `dump`'s text back into `FileRecords`, sharing ids, dates and citations across files."""

    def __init__(self, shared: Shared) -> None:
        self._ids = shared.ids  # shared with the files this process reads itself
        self._dates: dict[tuple[Any, ...], PartialDate] = {}
        self._cites: dict[tuple[Any, ...], Cite] = {}
        self._kinds = {kind: self._builder(cls) for kind, cls in KINDS.items()}

    def load(self, path: str, text: str) -> FileRecords:
        head, entries = _loads(text)
        readable, stopped, too_deep = head["flags"]
        targets = [tuple(t) for t in head["targets"]]
        values, share = head["ref_values"], self._ids.setdefault
        build = self._kinds
        records: list[Entry] = [
            (kind, build[kind](values), line, col, before, [(a, b, m) for a, b, m in found], _places(places))
            for kind, line, col, before, found, places, values in entries
        ]
        return FileRecords(
            path,
            problems=[Problem(path, line, col, message) for line, col, message in head["problems"]],
            records=records,
            ref_targets=[targets[n] for n in _array(head["ref_targets"], "B")],
            ref_values=list(map(share, values, values)),  # as reading here does: one string per id
            ref_lines=_array(head["ref_lines"]),
            ref_cols=_array(head["ref_cols"]),
            broken=[(kind, record_id) for kind, record_id in head["broken"]],
            readable=readable,
            stopped=stopped,
            too_deep=too_deep,
        )

    # -- records -----------------------------------------------------------------------------
    def _builder(self, cls: type) -> Callable[[list[Any]], Any]:
        """A function from `encode`'s list of field values to the record (or role) of `cls`."""
        specs = specs_of(cls)
        names = tuple(f.name for f in dataclasses.fields(cls))
        converts = [(name, convert) for name in names if (convert := self._converter(specs.get(name))) is not None]

        def build(values: list[Any]) -> Any:
            arguments = dict(zip(names, values, strict=True))
            for name, convert in converts:
                arguments[name] = convert(arguments[name])
            return cls(**arguments)

        return build

    def _converter(self, spec: FieldSpec | None) -> Convert | None:
        share = self._ids.setdefault
        if spec is None:  # the id
            return lambda value: share(value, value)
        kind = spec.type
        if kind == "enum":
            choices = {choice: choice for choice in spec.choices}  # the shared constants, not copies
            return lambda value: choices.get(value, value)
        if kind == "ref":
            return lambda value: None if value is None else share(value, value)
        if kind == "texts":
            return tuple
        if kind == "refs":
            return lambda values: tuple(map(share, values, values))
        if kind == "date":
            return self._date
        if kind == "cite":
            return self._cite
        if kind == "nested":
            assert spec.nested is not None
            build = self._builder(spec.nested)
            return lambda items: tuple([build(item) for item in items])
        if kind == "numbers":  # a point or a box: a tuple, as the parser makes it, not JSON's list
            return lambda values: None if values is None else tuple(values)
        return None  # text, number, bool: as JSON gives them

    def _date(self, value: list[Any] | None) -> PartialDate | None:
        if value is None:
            return None
        key = tuple(value)
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = PartialDate(*value)
        return found

    def _cite(self, value: list[list[Any]]) -> tuple[Cite, ...]:
        out = []
        for item in value:
            key = tuple(item)
            found = self._cites.get(key)
            if found is None:
                found = self._cites[key] = Cite(*item)
            out.append(found)
        return tuple(out)
