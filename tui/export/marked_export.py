"""The user's marked records written out: a Markdown briefing in their order with their notes, a JSON
fragment of the data that `validate` accepts on its own, or a CSV reading list.

The briefing is the full briefing's writer (markdown_briefing.py) given the marks instead of every
kind: the same record entries, footnotes and escaping, so a marked record reads as it does there.
A mark whose record has left the data is written in its place as missing (never dropped): the reader
of the briefing should see that something they collected is gone, not find it silently shorter.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TextIO

from tui.export.json_csv import BOM, LIST_SEPARATOR, neutralise, write_json
from tui.export.markdown_briefing import READING, Footnotes, record_entry, text
from tui.knowledge.fields import FieldSpec, specs_of
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS, Record, Role, Source
from tui.marks.mark import Entry, Mark
from tui.presentation.safe_text import clean, clean_block

TITLE = "isis-explorer briefing: marked records"
MISSING = "missing"
PRESENT = "in the data"
CSV_HEADER = ("n", "kind", "id", "name", "note", "cite", "status", "summary")


def marked_record(kb: KnowledgeBase, mark: Mark) -> Record | None:
    """The record a mark names, or None when it is no longer in the data (or its kind is unknown)."""
    return kb.get(mark.kind, mark.id) if mark.kind in KINDS else None


def data_origin(root: str | None) -> tuple[str, str]:
    """What a briefing says it was drawn from: the data path (or the bundled data and the version
    that ships it), and a hash of the data files' contents as they are now, which does not depend on
    where they are installed. Raises DataError when there are no files to read under `root`."""
    from tui import __version__
    from tui.loading.data_files import bundled_data_dir, store_key

    directory = root or str(bundled_data_dir())
    files = list(store_key(directory).files)
    drawn_from = os.path.abspath(root) if root is not None else f"the bundled data (isis-explorer {__version__})"
    return drawn_from, contents_hash(directory, files)


def contents_hash(root: str, files: Sequence[str]) -> str:
    """BLAKE2b (160 bits) of each file's path relative to `root` and its bytes, in path order."""
    import hashlib

    base = root if os.path.isdir(root) else os.path.dirname(root)
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(os.path.relpath(file, base) for file in files):
        with open(os.path.join(base, path), "rb") as handle:
            content = handle.read()
        digest.update(f"{path}\0{len(content)}\0".encode("utf-8", "surrogateescape") + content)
    return digest.hexdigest()


# -- Markdown ------------------------------------------------------------------------------------


def write_marked_markdown(
    out: TextIO, kb: KnowledgeBase, marks: Sequence[Mark], *, drawn_from: str, digest: str, written: date
) -> None:
    """A title, where the data came from and when this was written, then each marked record in the
    user's order with the note under it, then one footnote per cited paragraph."""
    records = [marked_record(kb, mark) for mark in marks]
    gone = sum(record is None for record in records)
    out.write(f"# {TITLE}\n\n")
    out.write(f"- **Drawn from:** {text(drawn_from)}\n")
    out.write(f"- **Content hash (BLAKE2b):** {text(digest)}\n")
    out.write(f"- **Written:** {written.isoformat()}\n\n")
    counted = f"{len(marks)} marked record{'s' if len(marks) != 1 else ''}, in the order of the Marked view"
    out.write(counted + (f"; {gone} no longer in the data" if gone else "") + ".\n\n" + READING + "\n")
    notes = Footnotes(kb)
    for mark, record in zip(marks, records, strict=True):
        lines = record_entry(kb, record, notes, level=2) if record is not None else missing_entry(mark)
        if mark.note:
            lines += ["", f"**Note:** {text(mark.note)}"]
        out.write("\n" + "\n".join(lines) + "\n")
    if notes.numbers:
        out.write("\n" + "\n".join(notes.definitions()) + "\n")


def missing_entry(mark: Mark) -> list[str]:
    """A mark whose record left the data: its last known name, its kind and its id."""
    label = KINDS[mark.kind].LABEL if mark.kind in KINDS else mark.kind
    return [f"## Missing: {text(mark.name or mark.id)}", "", f"*{text(label)} {text(mark.id)}, no longer in the data*"]


# -- JSON ----------------------------------------------------------------------------------------


def _references(kb: KnowledgeBase, item: Record | Role, specs: dict[str, FieldSpec]) -> Iterator[Entry]:
    """(kind, id) of every record `item` refers to: its refs, its citations' sources, and those of
    its nested items. A ref that may point at several kinds is the one the data holds."""
    for name, spec in specs.items():
        value = getattr(item, name)
        if spec.type == "cite":
            yield from ((Source.KIND, cite.source) for cite in value)
        elif spec.type == "nested" and spec.nested is not None:
            nested_specs = specs_of(spec.nested)
            for sub in value:
                yield from _references(kb, sub, nested_specs)
        elif spec.type in ("ref", "refs"):
            ids = (value,) if isinstance(value, str) else value or ()
            for ref_id in ids:
                kind = next((t for t in spec.targets if kb.get(t, ref_id) is not None), None)
                if kind is not None:
                    yield kind, ref_id


def marked_tables(kb: KnowledgeBase, marks: Sequence[Mark]) -> list[tuple[str, list[Record]]]:
    """(kind, records) for a fragment that loads on its own: the marked records (kinds in the order
    of their first mark, records in the user's order), then every record they need, transitively
    (in data order, after the marked ones of their kind)."""
    marked: dict[Entry, Record] = {}
    for mark in marks:
        record = marked_record(kb, mark)
        if record is not None:
            marked.setdefault(mark.entry, record)
    needed: set[Entry] = set(marked)
    todo = list(marked.values())
    while todo:
        record = todo.pop()
        for entry in _references(kb, record, specs_of(type(record))):
            if entry not in needed:
                needed.add(entry)
                found = kb.get(*entry)
                if found is not None:
                    todo.append(found)
    kinds = list(dict.fromkeys(kind for kind, _ in marked))
    needed_kinds = {kind for kind, _ in needed}
    kinds += [kind for kind in KINDS if kind not in kinds and kind in needed_kinds]
    tables = []
    for kind in kinds:
        rows = [record for (k, _), record in marked.items() if k == kind]
        rows += [r for r in kb.of_kind(kind) if (kind, r.id) in needed and (kind, r.id) not in marked]
        tables.append((kind, rows))
    return tables


def write_marked_json(out: TextIO, kb: KnowledgeBase, marks: Sequence[Mark]) -> None:
    """The data-file shape, as `export --format json` writes it; notes have no place in it."""
    write_json(out, marked_tables(kb, marks))


# -- CSV -----------------------------------------------------------------------------------------


def _cell(value: str, block: bool = False) -> str:
    """Controls made visible (line breaks kept in a block: CSV quotes them), never a formula."""
    if not value.isprintable():
        value = clean_block(value) if block else clean(value)
    return neutralise(value)


def marked_rows(kb: KnowledgeBase, marks: Sequence[Mark]) -> list[list[str]]:
    """One row per mark, in the user's order, under CSV_HEADER."""
    rows = []
    for n, mark in enumerate(marks, 1):
        record = marked_record(kb, mark)
        if record is None:
            name, cite, status, summary = mark.name or mark.id, "", MISSING, ""
        else:
            name, status = kb.name_of(record), PRESENT
            cite = LIST_SEPARATOR.join(c.as_data() for c in record.cite)
            summary = getattr(record, "summary", None) or ""
        cells = (mark.kind, mark.id, name, mark.note, cite, status)
        rows.append([str(n), *(_cell(cell) for cell in cells), _cell(summary, block=True)])
    return rows


def write_marked_csv(out: TextIO, kb: KnowledgeBase, marks: Sequence[Mark]) -> None:
    """A header row and one row per mark, RFC 4180 line ends (`out` must have newline="")."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(marked_rows(kb, marks))


# -- one file ------------------------------------------------------------------------------------


def marked_text(
    kb: KnowledgeBase, fmt: str, marks: Sequence[Mark], *, drawn_from: str, digest: str, written: date
) -> str:
    """The whole file in an export format (CSV with its BOM), for the explorer's own export."""
    out = io.StringIO(newline="")
    if fmt == "markdown":
        write_marked_markdown(out, kb, marks, drawn_from=drawn_from, digest=digest, written=written)
    elif fmt == "json":
        write_marked_json(out, kb, marks)
    elif fmt == "csv":
        out.write(BOM)
        write_marked_csv(out, kb, marks)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return out.getvalue()
