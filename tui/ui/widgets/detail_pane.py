"""The detail pane: the outline of the selected record, one option per line, every entity a link.

Up/Down (j/k) move line by line, PageUp/PageDown and ctrl+d/ctrl+u by a page or half, Home/End (g/G)
to the first or last line (the title shows again at the top), Left/Right (h/l) choose among the links
of a line, Enter follows the chosen link. Links are underlined and the chosen one is shown reversed: never colour alone.

The screen hands the pane a `DetailPage` (bound to its `page` reactive); the pane draws it in
`watch_page` and posts `LinkChosen` up. It never sees the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.marks.mark import GLYPH
from tui.presentation.outline import Line, Link, Outline
from tui.ui.bindings import LIST_KEYS
from tui.ui.history import Entry, Place
from tui.ui.messages import LinkChosen
from tui.ui.safe_content import plain, plain_block

LINK_STYLE = "underline"
CHOSEN_LINK_STYLE = "underline reverse bold"
PLACEHOLDER = "Select a region in the tree, or press / to search."


@dataclass(frozen=True)
class DetailPage:
    """Everything the pane shows: an outline (or, without one, a message), its border's title and
    subtitle, and the place to stand on it (None: the top, nothing highlighted)."""

    outline: Outline | None = None
    message: str = PLACEHOLDER
    title: str = "Detail"
    subtitle: str = ""
    place: Place | None = None


def line_content(line: Line, chosen: int | None, marked: frozenset[Entry] = frozenset()) -> Content:
    """One outline line: text as it is, links underlined, link number `chosen` reversed too, and a
    link to a marked record after the mark glyph."""
    parts: list[Content] = []
    n = 0
    for segment in line:
        if isinstance(segment, Link):
            style = CHOSEN_LINK_STYLE if n == chosen else LINK_STYLE
            if (segment.kind, segment.id) in marked:
                parts.append(Content.styled(f"{GLYPH} ", "bold"))
            parts.append(plain(segment.label, style))
            n += 1
        else:
            parts.append(plain_block(segment))
    return Content.assemble(*parts)


def page_options(page: DetailPage, marked: frozenset[Entry] = frozenset()) -> tuple[list[Option], list[Line]]:
    """The options for a page, and for each the outline line it shows (() for titles and headings)."""
    outline = page.outline
    if outline is None:
        return [Option(Content(page.message), disabled=True)], [()]
    options = [
        Option(plain(outline.title, "bold"), disabled=True),
        Option(plain(outline.subtitle, "italic"), disabled=True),
    ]
    rows: list[Line] = [(), ()]
    for section in outline.sections:
        if section.heading:  # a section without one continues right under the title
            options.append(Option(Content.assemble("\n", plain(section.heading, "bold underline")), disabled=True))
            rows.append(())
        for line in section.lines:
            options.append(Option(line_content(line, None, marked)))
            rows.append(line)
    return options, rows


class DetailPane(OptionList):
    """Shows a `DetailPage`; posts `LinkChosen` when the user follows a link."""

    BINDINGS = [
        *LIST_KEYS,
        Binding("left,h", "link(-1)", "Previous link", show=False, id="detail.previous-link"),
        Binding("right,l", "link(1)", "Next link", show=False, id="detail.next-link"),
        Binding("enter", "select", "Follow link", id="detail.follow"),
    ]

    DEFAULT_CSS = """
    DetailPane > .option-list--option-disabled { color: $foreground; }
    """

    page: var[DetailPage] = var(DetailPage, init=False)  # bound to the screen's; drawn in watch_page
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # bound to the screen's

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: list[Line] = []  # option index -> the outline line it shows (() for headings)
        self.link_index = 0
        self.chosen_row: int | None = None  # the row drawn with its chosen link reversed

    def on_mount(self) -> None:
        # OptionList's own watch_highlighted scrolls; this one, beside it, redraws the chosen link.
        self.watch(self, "highlighted", self.highlight_moved, init=False)

    # -- content ---------------------------------------------------------------------------
    @property
    def outline(self) -> Outline | None:
        return self.page.outline

    def watch_page(self, old: DetailPage, page: DetailPage) -> None:
        """Draw a new page, once. Nothing is drawn when that would show exactly what is there already."""
        if page == old and self.option_count and self.place == (page.place or Place()):
            return
        self.border_title = self.title_for(page, self.marked)
        self.border_subtitle = page.subtitle
        options, self.rows = page_options(page, self.marked)
        self.chosen_row = None
        self.link_index = 0
        self.set_options(options)  # nothing highlighted, scrolled home
        place = page.place
        if place is not None:
            self.highlighted = place.line
            self.scroll_to(y=place.scroll_y, animate=False, immediate=True)

    @staticmethod
    def title_for(page: DetailPage, marked: frozenset[Entry]) -> str:
        """The border title: the record's label, and `✓ marked` when it is."""
        outline = page.outline
        return f"{page.title} {GLYPH} marked" if outline and (outline.kind, outline.id) in marked else page.title

    def watch_marked(self, old: frozenset[Entry], new: frozenset[Entry]) -> None:
        """Redraw the border title and only the lines that link to a record whose mark changed."""
        changed = old ^ new
        self.border_title = self.title_for(self.page, new)
        for index, row in enumerate(self.rows):
            if any(isinstance(s, Link) and (s.kind, s.id) in changed for s in row):
                self.draw_row(index, self.link_index if index == self.chosen_row else None)

    def mark_target(self) -> Entry | None:
        """What `m` marks here: the chosen link's record, else the record the page shows."""
        link = self.chosen_link
        if link is not None:
            return (link.kind, link.id)
        outline = self.outline
        return (outline.kind, outline.id) if outline is not None else None

    @property
    def place(self) -> Place:
        """Where the user stands on this page, for the history to restore."""
        return Place(self.highlighted, self.scroll_y)

    def first_link_row(self) -> int | None:
        return next((i for i, row in enumerate(self.rows) if any(isinstance(s, Link) for s in row)), None)

    def on_focus(self) -> None:
        if self.highlighted is None:  # chosen when the pane gets focus, so the title stays in view
            self.highlighted = self.first_link_row()

    def links_at(self, index: int | None) -> list[Link]:
        if index is None or not 0 <= index < len(self.rows):
            return []
        return [s for s in self.rows[index] if isinstance(s, Link)]

    @property
    def chosen_link(self) -> Link | None:
        links = self.links_at(self.highlighted)
        return links[min(self.link_index, len(links) - 1)] if links else None

    def draw_row(self, index: int | None, chosen: int | None) -> None:
        if index is not None and index < self.option_count and self.links_at(index):
            self.replace_option_prompt_at_index(index, line_content(self.rows[index], chosen, self.marked))

    # -- keys and events -------------------------------------------------------------------
    def highlight_moved(self, new: int | None) -> None:
        """The highlighted line moved: its first link becomes the chosen one."""
        self.draw_row(self.chosen_row, None)
        self.link_index = 0
        self.draw_row(new, 0)
        self.chosen_row = new
        if new is not None and self.first_enabled() == new:  # g, Home, k, PageUp to the top: the
            self.call_after_refresh(self.scroll_home, animate=False)  # title above it shows again

    def first_enabled(self) -> int | None:
        return next((i for i in range(self.option_count) if not self.get_option_at_index(i).disabled), None)

    def action_cursor_up(self) -> None:
        """k / Up stop at the first line (the title shows above it), as in less and vim: no wrapping."""
        if self.highlighted is not None and self.highlighted == self.first_enabled():
            self.scroll_home(animate=False)
        else:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        """j / Down stop at the last line: no wrapping round to the title."""
        if self.highlighted is None or any(
            not self.get_option_at_index(i).disabled for i in range(self.highlighted + 1, self.option_count)
        ):
            super().action_cursor_down()

    def action_half_page(self, direction: int) -> None:
        """ctrl+d / ctrl+u: half a screen of lines down or up, onto the nearest line with a link."""
        if not self.option_count:
            return
        step = max(1, self.scrollable_content_region.height // 2)
        start = self.highlighted if self.highlighted is not None else -1 if direction > 0 else self.option_count
        target = min(max(start + direction * step, 0), self.option_count - 1)
        end = self.option_count if direction > 0 else -1
        for candidates in (range(target, end, direction), range(target, start, -direction)):
            found = next((i for i in candidates if not self.get_option_at_index(i).disabled), None)
            if found is not None:
                self.highlighted = found
                return

    def action_link(self, delta: int) -> None:
        links = self.links_at(self.highlighted)
        if len(links) > 1:
            self.link_index = (self.link_index + delta) % len(links)
            self.draw_row(self.highlighted, self.link_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        link = self.chosen_link
        if link is not None:
            self.post_message(LinkChosen(link))
