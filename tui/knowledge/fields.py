"""Field specifications: the one definition of what a data file may hold.

Record classes (records.py) declare each field with one of the helpers below; the validator
(build.py) reads the specs back with `specs_of()`. Nothing else describes the format.
"""

from __future__ import annotations

import builtins
import dataclasses
import re
from dataclasses import dataclass
from typing import Any

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ISO_PATTERN = re.compile(r"[A-Z]{2}\Z")
CITE_PATTERN = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)/p(\d{1,6})(?:-(\d{1,6}))?\Z", re.ASCII)  # SOURCE/pN[-M]
NUMBER_PATTERN = re.compile(r"-?(?:0|[1-9]\d{0,14})(\.\d{1,15})?\Z", re.ASCII)  # plain decimal


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one field is written in YAML and checked."""

    type: str  # text | texts | enum | ref | refs | date | number | numbers | bool | cite | nested
    required: bool
    doc: str = ""
    choices: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # kinds a ref may point at
    nested: builtins.type | None = None  # record class of each item, for type == "nested"
    count: int = 0  # how many numbers, for type == "numbers"


def _field(spec: FieldSpec, default: Any = dataclasses.MISSING, factory: Any = dataclasses.MISSING) -> Any:
    return dataclasses.field(default=default, default_factory=factory, metadata={"spec": spec})


def string(doc: str = "", *, required: bool = True) -> Any:
    return _field(FieldSpec("text", required, doc), None if not required else dataclasses.MISSING)


def strings(doc: str = "") -> Any:
    return _field(FieldSpec("texts", False, doc), ())


def enum(*choices: str, doc: str = "", required: bool = True) -> Any:
    spec = FieldSpec("enum", required, doc, choices=choices)
    return _field(spec) if required else _field(spec, None)


def ref(*targets: str, doc: str = "", required: bool = True) -> Any:
    return _field(FieldSpec("ref", required, doc, targets=targets), None if not required else dataclasses.MISSING)


def refs(*targets: str, doc: str = "", required: bool = False) -> Any:
    spec = FieldSpec("refs", required, doc, targets=targets)
    return _field(spec) if required else _field(spec, ())


def date_spec(doc: str = "", *, required: bool = True) -> Any:
    return _field(FieldSpec("date", required, doc), None if not required else dataclasses.MISSING)


def number(doc: str = "") -> Any:
    return _field(FieldSpec("number", False, doc), None)


def numbers(count: int, doc: str = "") -> Any:
    """An optional list of exactly `count` plain decimal numbers, e.g. a point [lat, lon]."""
    return _field(FieldSpec("numbers", False, doc, count=count), None)


def boolean(doc: str = "") -> Any:
    return _field(FieldSpec("bool", False, doc), False)


def cites(*, required: bool = True) -> Any:
    spec = FieldSpec("cite", required, "where the source says it: SOURCE/pN or a list")
    return _field(spec) if required else _field(spec, ())


def nested(cls: type, doc: str = "", *, required: bool = True) -> Any:
    spec = FieldSpec("nested", required, doc, nested=cls)
    return _field(spec) if required else _field(spec, ())


def specs_of(cls: type) -> dict[str, FieldSpec]:
    """Field name -> spec, in declaration order, for a record class."""
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}
