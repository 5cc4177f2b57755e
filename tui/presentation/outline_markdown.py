"""An outline as Markdown, for copying a record or writing it to a file."""

from __future__ import annotations

from tui.presentation.outline import Link, Outline
from tui.presentation.safe_text import clean

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def markdown_escape(text: str) -> str:
    """Data text as inline Markdown: control characters made visible, Markdown's specials escaped."""
    return clean(text).translate(_MD_SPECIAL)


def outline_to_markdown(outline: Outline) -> str:
    lines = [f"# {markdown_escape(outline.title)}", "", f"*{markdown_escape(outline.subtitle)}*"]
    for section in outline.sections:
        lines += ["", f"## {markdown_escape(section.heading)}", ""] if section.heading else [""]
        for line in section.lines:
            text = "".join(markdown_escape(seg.label if isinstance(seg, Link) else seg) for seg in line)
            lines.append(f"- {text}")
    return "\n".join(lines) + "\n"
