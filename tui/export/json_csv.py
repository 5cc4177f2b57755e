"""The knowledge base written out as JSON (faithful, loads back) or CSV (one table per kind).

JSON has the shape of the YAML files: top-level keys are kind names, each a list of records with
the YAML keys, citations as `SOURCE/pN` or `SOURCE/pN-M` and dates as the data format writes them
(`inferred 2017-07`, `late 2017-10`, `unknown`); every field the specs declare is written, so the
source's hedges and provenance (`hedge`, `certainty`, `until`, `competes_with`, `via`, `collective`,
`structural`, `iso_source`...) travel with the record.
JSON is YAML, so an export loads back with `tui.loading.loader.load` into equal records.

CSV is for spreadsheets: one table per kind, columns in a fixed order (`id`, the kind's fields in
the order `records.py` declares them, `cite` last, like the bundled files), lists joined with `; `.
Cells are cleaned of control characters and neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from json.encoder import encode_basestring
from typing import TextIO

from tui.knowledge.dates import PartialDate
from tui.knowledge.fields import FieldSpec, specs_of
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS, Cite, Record, Role, yaml_key
from tui.presentation.safe_text import clean, clean_block

FORMAT_NAMES = {"markdown": "Markdown", "json": "JSON", "csv": "CSV"}
# How the app names a one-record export: isis-explorer-KIND-ID + this (`.md` alone is the detail pane's Markdown)
RECORD_FILE_ENDINGS = {"markdown": "-briefing.md", "json": ".json", "csv": ".csv"}
LIST_SEPARATOR = "; "
BOM = "\ufeff"  # written at the start of CSV files: Excel reads BOM-less CSV as the local code page

# -- values as the data format writes them ------------------------------------------------------


def number_text(value: float) -> str:
    """A number in plain decimal notation (`0.00001`, never `1e-05`): the loader reads only that."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    return format(Decimal(text), "f") if "e" in text or "E" in text else text


Column = tuple[str, str, FieldSpec | None]  # (YAML key, field name, spec)


@cache
def columns(kind: str) -> tuple[Column, ...]:
    """The columns of a kind: `id`, its own fields in declaration order, then `cite`."""
    specs = specs_of(KINDS[kind])
    own = [(yaml_key(name), name, spec) for name, spec in specs.items() if spec.type != "cite"]
    return (("id", "id", None), *own, ("cite", "cite", specs["cite"]))


_ROLE_COLUMNS: tuple[Column, ...] = tuple((yaml_key(name), name, spec) for name, spec in specs_of(Role).items())


def _is_absent(value: object, spec: FieldSpec | None) -> bool:
    """Values the loader gives a field that is not written: None, an empty list, a false `former`."""
    return value is None or value == () or (spec is not None and spec.type == "bool" and value is False)


# -- JSON ---------------------------------------------------------------------------------------

# Characters that are legal in JSON strings but that a YAML reader refuses or reads differently
# (C0, DEL, C1 incl. NEL, line/paragraph separators, surrogates, non-characters, BOM), and bidi
# controls that would reorder a terminal line: written as \uXXXX escapes, which both read back.
_JSON_ESCAPE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff]"
)


def json_string(text: str) -> str:
    """`text` as a JSON string, with the characters above escaped (the GeoJSON export writes its strings so too)."""
    encoded = encode_basestring(text)  # what json.dumps(text, ensure_ascii=False) does, without its set-up
    return _JSON_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded) if not text.isprintable() else encoded


def _json_value(value: object, spec: FieldSpec | None) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, PartialDate):
        return json_string(value.iso())
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_json_value(item, None) for item in value) + "]"
    if isinstance(value, Cite):
        return json_string(value.as_data())
    if isinstance(value, Role):
        return "{" + ", ".join(f"{json_string(key)}: {text}" for key, text in _fields(value)) + "}"
    raise TypeError(f"cannot export {type(value).__name__}")  # pragma: no cover


def _fields(item: Record | Role) -> list[tuple[str, str]]:
    """(YAML key, JSON text) for each field the item has, in column order; absent ones left out."""
    out = []
    for key, name, spec in _ROLE_COLUMNS if isinstance(item, Role) else columns(item.KIND):
        value = getattr(item, name)
        if not _is_absent(value, spec):
            out.append((key, _json_value(value, spec)))
    return out


def write_json(out: TextIO, tables: Iterable[tuple[str, Iterable[Record]]]) -> None:
    """`{"kind": [record, ...], ...}`, one field a line; `tables` gives each kind's records."""
    out.write("{")
    for k, (kind, records) in enumerate(tables):
        out.write(f"{',' if k else ''}\n  {json_string(kind)}: [")
        first = True
        for record in records:
            body = ",\n".join(f"      {json_string(key)}: {text}" for key, text in _fields(record))
            out.write(f"{'' if first else ','}\n    {{\n{body}\n    }}")
            first = False
        out.write("]" if first else "\n  ]")
    out.write("\n}\n")


def kb_tables(kb: KnowledgeBase, kind: str | None = None) -> list[tuple[str, Iterable[Record]]]:
    """(kind, records in data order) for every kind, or only `kind`."""
    return [(k, kb.records(KINDS[k])) for k in ([kind] if kind else KINDS)]


def json_text(kb: KnowledgeBase, kind: str | None = None) -> str:
    out = io.StringIO()
    write_json(out, kb_tables(kb, kind))
    return out.getvalue()


# -- CSV ----------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: OWASP's `'` prefix when it starts with
    = + - @ tab or CR, and also when only spaces come before one (imports that trim spaces)."""
    if cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _line(text: str) -> str:
    """`safe_text.clean`, skipped when nothing in the text would change (isprintable is a C loop)."""
    return text if text.isprintable() else clean(text)


def role_cell(role: Role) -> str:
    """`Senior fellow (rand)`, `Adviser (former)`: a role's title, organization id and `former`."""
    notes = [n for n in (role.organization, "former" if role.former else None) if n]
    return _line(role.title) + (f" ({', '.join(notes)})" if notes else "")


def _item_cell(item: object) -> str:
    """One item of a list cell: a role, a citation as the data writes it, or a line of text."""
    if isinstance(item, Role):
        return role_cell(item)
    if isinstance(item, Cite):
        return item.as_data()
    if isinstance(item, str):
        return _line(item)
    raise TypeError(f"cannot export {type(item).__name__}")  # pragma: no cover


def _cell(value: object, spec: FieldSpec | None) -> str:
    if _is_absent(value, spec):
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        return number_text(value)  # a checked number is never a formula
    elif isinstance(value, PartialDate):
        text = value.iso()
    elif isinstance(value, tuple) and spec is not None and spec.type == "numbers":
        return LIST_SEPARATOR.join(number_text(v) for v in value)  # `33.34; 44.4`: checked numbers, never a formula
    elif isinstance(value, tuple):
        text = LIST_SEPARATOR.join(_item_cell(v) for v in value)
    elif isinstance(value, str):  # line breaks stay (CSV quotes them); controls become visible
        text = value if value.isprintable() else clean_block(value)
    else:
        raise TypeError(f"cannot export {type(value).__name__}")  # pragma: no cover
    return neutralise(text)


def csv_header(kind: str) -> list[str]:
    return [key for key, _, _ in columns(kind)]


def csv_row(record: Record) -> list[str]:
    return [_cell(getattr(record, name), spec) for _, name, spec in columns(record.KIND)]


def write_csv(out: TextIO, kind: str, records: Iterable[Record]) -> None:
    """A header row and one row per record, RFC 4180 line ends (`out` must have newline="")."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_header(kind))
    for record in records:
        writer.writerow(csv_row(record))


def csv_text(kind: str, records: Iterable[Record]) -> str:
    out = io.StringIO(newline="")
    write_csv(out, kind, records)
    return out.getvalue()


# -- one record -----------------------------------------------------------------------------------


def record_file_text(kb: KnowledgeBase, fmt: str, kind: str, record_id: str) -> str | None:
    """The file for one record in an export format: a one-record knowledge-base fragment (JSON), a
    header and a row (CSV, with a BOM), or a briefing of the record with footnotes (Markdown)."""
    record = kb.get(kind, record_id)
    if record is None:
        return None
    if fmt == "json":
        out = io.StringIO()
        write_json(out, [(kind, [record])])
        return out.getvalue()
    if fmt == "csv":
        return BOM + csv_text(kind, [record])
    if fmt == "markdown":
        from tui.export.markdown_briefing import record_markdown

        return record_markdown(kb, record)
    raise ValueError(f"unknown format {fmt!r}")
