"""The shape of what the detail pane says: sections of lines made of text and links. Plain data, and
light to import (no records), so the screen can be drawn before the knowledge base has loaded."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Link:
    kind: str
    id: str
    label: str


Segment = str | Link
Line = tuple[Segment, ...]


@dataclass(slots=True)
class Section:
    heading: str
    lines: list[Line] = field(default_factory=list)
    # "" for the record's own fields; "listing" for records related to it (what links here, places
    # within); "citations" for where it is cited. A briefing keeps only the record's own fields.
    role: str = ""


@dataclass(slots=True)
class Outline:
    kind: str
    id: str
    title: str
    subtitle: str
    sections: list[Section]

    def links(self) -> list[Link]:
        return [seg for s in self.sections for line in s.lines for seg in line if isinstance(seg, Link)]
