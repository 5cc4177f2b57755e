"""The knowledge base as a Markdown briefing: one section per kind, each record in plain words with
linked records by name, and every citation a footnote (`[^n]`) resolved to its source's title.

Each record is described by the same outline as the detail pane (describe.py), without the lists
of records that link *to* it (those are the other records' own entries in the briefing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TextIO

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import KINDS, Cite, Record, Source
from tui.presentation.describe import cite_text, describe
from tui.presentation.outline import Line, Link, Section
from tui.presentation.outline_markdown import markdown_escape

# The order a reader meets things: who, where, how they relate, the numbers, what is said, then
# the reference lists. Every kind in records.KINDS appears once.
BRIEFING_ORDER = (
    "groups",
    "regions",
    "relationships",
    "figures",
    "measures",
    "assessments",
    "events",
    "people",
    "organizations",
    "works",
    "topics",
    "sources",
)
assert sorted(BRIEFING_ORDER) == sorted(KINDS)

# Outline sections that list related records, and where a record is cited (the footnotes say it),
# are left out of a briefing entry: it gives each record's own fields.
_LEFT_OUT = frozenset({"listing", "citations"})
_MORE_ESCAPES = str.maketrans({"&": "\\&", "~": "\\~"})  # entities, GFM strikethrough
_BLOCK_START = re.compile(r"(\d{1,9})([.)])(?=\s|\Z)|[-+=>:]")  # would start a list, quote or heading


READING = (
    "Every entry is footnoted to the source paragraphs it comes from. A link between groups says how "
    "the source supports it: stated (it says so), implied (its words imply it) or inferred by us. "
    '"inferred:" marks a date the source does not state in full; "(our classification)" a kind that '
    "is ours, not the source's words."
)


def text(value: str) -> str:
    """Data text as inline Markdown: controls cleaned, nothing that forms markup, links or HTML."""
    return markdown_escape(value).translate(_MORE_ESCAPES)


def paragraph(value: str) -> str:
    """Inline text that starts a line (or a list item): also nothing that would make it a list,
    quote, heading or code block."""
    match = _BLOCK_START.match(value)
    if match is None:
        return value
    if match.group(1):
        return match.group(1) + "\\" + value[len(match.group(1)) :]
    return "\\" + value


class Footnotes:
    """One footnote per distinct citation, numbered in order of first use."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.numbers: dict[Cite, int] = {}

    def refs(self, cites: Iterable[Cite]) -> str:
        out = []
        for cite in cites:
            number = self.numbers.setdefault(cite, len(self.numbers) + 1)
            out.append(f"[^{number}]")
        return "".join(out)

    def definitions(self) -> list[str]:
        lines = []
        for cite, number in self.numbers.items():
            source = self.kb.get(Source, cite.source)
            title = source.title if source is not None else cite.source
            lines.append(f"[^{number}]: {text(title)}, {cite.paragraphs}")
        return lines


def _line(kb: KnowledgeBase, record: Record, line: Line, notes: Footnotes) -> str:
    """One outline line: links by name, and citation markers (`[article ¶5]`) as footnotes, the
    record's own too: a quotation or a figure carries its ¶ where it stands, not only on the
    entry's first line."""
    own = cite_text(record.cite)
    linked = [kb.get(seg.kind, seg.id) for seg in line if isinstance(seg, Link)]
    others = {cite_text(r.cite): r.cite for r in linked if r is not None and r is not record}
    parts = []
    for seg in line:
        if isinstance(seg, Link):
            target = kb.get(seg.kind, seg.id)
            if target is not None and target is not record and seg.label == cite_text(target.cite):
                parts.append(notes.refs(target.cite))  # a linked record's citation marker: its footnotes
            else:
                parts.append(text(seg.label))
        elif seg == own:
            parts.append(notes.refs(record.cite))
        else:
            parts.append(notes.refs(others[seg]) if seg in others else text(seg))
    return "".join(parts).strip()


def _section(kb: KnowledgeBase, record: Record, section: Section, notes: Footnotes) -> list[str]:
    lines = [line for line in (_line(kb, record, raw, notes) for raw in section.lines) if line]
    if not lines:
        return []
    if not section.heading:
        return ["", *(paragraph(line) for line in lines)]
    heading = f"**{text(section.heading)}:**"
    if len(lines) == 1:
        return ["", f"{heading} {lines[0]}"]
    return ["", heading, "", *(f"- {paragraph(line)}" for line in lines)]


def record_entry(kb: KnowledgeBase, record: Record, notes: Footnotes, level: int = 3) -> list[str]:
    """A record's heading, its kind (with its citation footnotes) and its own fields in words."""
    outline = describe(kb, record.KIND, record.id)
    assert outline is not None
    out = [f"{'#' * level} {text(outline.title)}", "", f"*{text(outline.subtitle)}*{notes.refs(record.cite)}"]
    for section in outline.sections:
        if section.role not in _LEFT_OUT:
            out += _section(kb, record, section, notes)
    return out


def records_in_order(kb: KnowledgeBase, kind: str) -> Sequence[Record]:
    """Data order, except events: by date, as a timeline."""
    return kb.timeline() if kind == "events" else kb.records(KINDS[kind])


def write_markdown(out: TextIO, kb: KnowledgeBase, kind: str | None = None) -> None:
    """The briefing: a title, one section per kind (or only `kind`), then the footnotes."""
    counts = kb.counts()
    kinds = [kind] if kind else [k for k in BRIEFING_ORDER if counts[k]]
    title = "isis-explorer briefing" + (f": {kind}" if kind else "")
    summary = " · ".join(f"{k} {counts[k]:,}" for k in kinds)
    out.write(f"# {title}\n\n{summary}\n\n{READING}\n")
    notes = Footnotes(kb)
    for k in kinds:
        out.write(f"\n## {k.capitalize()} ({counts[k]:,})\n")
        out.writelines("\n" + "\n".join(record_entry(kb, record, notes)) + "\n" for record in records_in_order(kb, k))
    if notes.numbers:
        out.write("\n" + "\n".join(notes.definitions()) + "\n")


def markdown_text(kb: KnowledgeBase, kind: str | None = None) -> str:
    import io

    out = io.StringIO()
    write_markdown(out, kb, kind)
    return out.getvalue()


def record_markdown(kb: KnowledgeBase, record: Record) -> str:
    """One record as a short briefing of its own: its entry as the title, then its footnotes."""
    notes = Footnotes(kb)
    lines = record_entry(kb, record, notes, level=1)
    return "\n".join([*lines, "", *notes.definitions()]) + "\n"
