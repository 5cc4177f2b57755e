"""The detail pane: the outline of the selected record, with its links underlined."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..model.describe import Link, Outline
from .plain import plain, plain_block

LINK_STYLE = "underline $text-accent"


def render_outline(outline: Outline) -> Content:
    parts: list[Content] = [plain(outline.title, "bold"), Content("\n"), plain(outline.subtitle, "dim italic")]
    for section in outline.sections:
        parts += [Content("\n\n"), plain(section.heading, "bold underline")]
        for line in section.lines:
            parts.append(Content("\n"))
            for segment in line:
                if isinstance(segment, Link):
                    parts.append(plain(segment.label, LINK_STYLE))
                else:
                    parts.append(plain_block(segment))
    return Content.assemble(*parts)


class DetailPane(VerticalScroll):
    """Scrolls the outline of whatever is selected."""

    DEFAULT_CSS = """
    DetailPane > Static { width: 1fr; height: auto; }
    """

    def compose(self):
        yield Static(Content("Select a region, or press / to search."), id="detail-body")

    def show(self, outline: Outline | None) -> None:
        body = self.query_one("#detail-body", Static)
        body.update(render_outline(outline) if outline else Content("Nothing to show."))
        self.border_title = outline.kind.rstrip("s") if outline else ""
        self.scroll_home(animate=False)
