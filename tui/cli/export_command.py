"""`isis-explorer export`: load, choose what to write, write it (UTF-8 whatever the locale).

The rendering is in tui/export/json_csv.py, markdown_briefing.py, geojson.py and marked_export.py; this module only
checks the arguments, loads the data and puts the text where it was asked to go. Every refusal is
one line on standard error and exit status 2; bad data is reported as `path:line:col` by the caller.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO

from tui.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from tui.knowledge.records import KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.settings.precedence import Settings


def _fail(message: str) -> int:
    print(f"isis-explorer: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def run(settings: Settings, *, fmt: str, kind: str | None, output: str | None, marked: bool = False) -> int:
    if marked:
        return _export_marked(settings, fmt, kind, output)
    if kind is not None and kind not in KINDS:
        return _fail(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if fmt == "geojson":
        return _export_geojson(settings, kind, output)
    if fmt == "csv" and kind is None:
        return _export_every_csv(settings, output)
    from tui.export.json_csv import BOM, kb_tables, write_csv, write_json
    from tui.export.markdown_briefing import write_markdown

    kb = _load(settings)
    if fmt == "json":
        write = partial(write_json, tables=kb_tables(kb, kind))
    elif fmt == "csv" and kind is not None:
        write = partial(write_csv, kind=kind, records=kb.records(KINDS[kind]))
    else:
        write = partial(write_markdown, kb=kb, kind=kind)
    if output:
        return _write_file(output, write, BOM if fmt == "csv" else "")
    return _write_stdout(write)


def _export_geojson(settings: Settings, kind: str | None, output: str | None) -> int:
    """The regions that have coordinates: GeoJSON holds places, so no other kind."""
    if kind not in (None, "regions"):
        return _fail(f"GeoJSON holds regions only, not {kind}: use --kind regions or leave --kind out")
    from tui.export.geojson import write_geojson

    write = partial(write_geojson, kb=_load(settings))
    return _write_file(output, write, "") if output else _write_stdout(write)


def _export_marked(settings: Settings, fmt: str, kind: str | None, output: str | None) -> int:
    """The records marked in the explorer for the data in effect, in the user's order. The marks are
    read before the data is loaded: with none there is nothing to load it for."""
    if fmt == "geojson":
        return _fail("--marked writes markdown, json or csv: GeoJSON holds regions only, not marks")
    if kind is not None:
        return _fail("--marked writes every marked record, whatever its kind: leave --kind out")
    from tui.marks.mark import data_key
    from tui.marks.mark_book import MarkBook, MarksError

    try:
        book, notice = MarkBook.open(data_key(settings.data.value))
        if notice:
            print(f"isis-explorer: {notice}", file=sys.stderr)
        try:
            marks = book.marks()
        finally:
            book.close()
    except MarksError as exc:
        return _fail(f"cannot read the marks: {exc}")
    if not marks:
        return _fail("no marked records for this data: mark records with m in the explorer, then export them")
    import datetime

    from tui.export.json_csv import BOM
    from tui.export.marked_export import data_origin, write_marked_csv, write_marked_json, write_marked_markdown

    kb = _load(settings)
    write: Callable[[TextIO], None]
    if fmt == "json":
        write = partial(write_marked_json, kb=kb, marks=marks)
    elif fmt == "csv":
        write = partial(write_marked_csv, kb=kb, marks=marks)
    else:
        drawn_from, digest = data_origin(settings.data.value)
        today = datetime.date.today()
        write = partial(write_marked_markdown, kb=kb, marks=marks, drawn_from=drawn_from, digest=digest, written=today)
    if output:
        return _write_file(output, write, BOM if fmt == "csv" else "")
    return _write_stdout(write)


def _export_every_csv(settings: Settings, output: str | None) -> int:
    """One KIND.csv per kind: -o must name a directory."""
    if not output:
        return _fail(
            "CSV of every kind needs -o DIRECTORY (one KIND.csv is written there per kind), "
            "or --kind KIND for one table"
        )
    if os.path.exists(output) and not os.path.isdir(output):
        return _fail(f"-o {output}: is a file; CSV of every kind needs a directory (or use --kind KIND)")
    from tui.export.json_csv import BOM, kb_tables, write_csv

    kb = _load(settings)
    directory = Path(output)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _fail(f"cannot create directory {output}: {exc.strerror or exc}")
    for name, records in kb_tables(kb):
        status = _write_file(str(directory / f"{name}.csv"), partial(write_csv, kind=name, records=records), BOM)
        if status:
            return status
    return EXIT_OK


def _load(settings: Settings) -> KnowledgeBase:
    from tui.loading.loader import load

    return load(settings.data.value, max_bytes=settings.max_bytes)


def _write_file(path: str, write: Callable[[TextIO], None], prefix: str) -> int:
    try:
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(prefix)
            write(out)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    return EXIT_OK


def _write_stdout(write: Callable[[TextIO], None]) -> int:
    """UTF-8 on standard output whatever the locale says; a closed pipe (`| head`) ends quietly."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a replaced stdout that takes text only
        write(sys.stdout)
        return EXIT_OK
    sys.stdout.flush()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        write(out)
        out.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)  # Python flushes stdout at exit: send that nowhere
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    finally:
        with contextlib.suppress(ValueError, OSError):
            out.detach()  # leave sys.stdout's buffer open
    return EXIT_OK
