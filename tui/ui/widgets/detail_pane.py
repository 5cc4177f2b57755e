"""The detail pane: the outline of the selected record, one option per line, every entity a link.

Up/Down (j/k) move line by line, Left/Right (h/l) choose among the links of a line, Enter follows
the chosen link. Links are underlined and the chosen one is shown reversed: never colour alone.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.presentation.outline import Line, Link, Outline
from tui.ui.bindings import LIST_KEYS
from tui.ui.safe_content import plain, plain_block

LINK_STYLE = "underline"
CHOSEN_LINK_STYLE = "underline reverse bold"
PLACEHOLDER = "Select a region in the tree, or press / to search."


class DetailPane(OptionList):
    """Shows an `Outline`; posts `LinkChosen` when the user follows a link."""

    BINDINGS = [
        *LIST_KEYS,
        Binding("left,h", "link(-1)", "Previous link", show=False, id="detail.previous-link"),
        Binding("right,l", "link(1)", "Next link", show=False, id="detail.next-link"),
        Binding("enter", "select", "Follow link", id="detail.follow"),
    ]

    DEFAULT_CSS = """
    DetailPane > .option-list--option-disabled { color: $foreground; }
    """

    class LinkChosen(Message):
        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.outline: Outline | None = None
        self.rows: list[Line] = []  # option index -> the outline line it shows (() for headings)
        self.link_index = 0

    def on_mount(self) -> None:
        self.show(None)

    # -- content ---------------------------------------------------------------------------
    def show_message(self, message: str) -> None:
        self.outline = None
        self.clear_options()
        self.rows = [()]
        self.add_option(Option(Content(message), disabled=True))

    def show(self, outline: Outline | None) -> None:
        self.outline = outline
        self.clear_options()
        if outline is None:
            self.show_message(PLACEHOLDER)
            return
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
                options.append(Option(self._render(line, chosen=None)))
                rows.append(line)
        self.rows = rows
        self.add_options(options)
        self.link_index = 0
        self.highlighted = None  # chosen when the pane gets focus, so the title stays in view
        self.scroll_home(animate=False)

    def first_link_row(self) -> int | None:
        return next((i for i, row in enumerate(self.rows) if any(isinstance(s, Link) for s in row)), None)

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.highlighted = self.first_link_row()

    @staticmethod
    def _render(line: Line, chosen: int | None) -> Content:
        parts: list[Content] = []
        n = 0
        for segment in line:
            if isinstance(segment, Link):
                style = CHOSEN_LINK_STYLE if n == chosen else LINK_STYLE
                parts.append(plain(segment.label, style))
                n += 1
            else:
                parts.append(plain_block(segment))
        return Content.assemble(*parts)

    def links_at(self, index: int | None) -> list[Link]:
        if index is None or not 0 <= index < len(self.rows):
            return []
        return [s for s in self.rows[index] if isinstance(s, Link)]

    @property
    def chosen_link(self) -> Link | None:
        links = self.links_at(self.highlighted)
        return links[min(self.link_index, len(links) - 1)] if links else None

    def _repaint(self, index: int | None, chosen: int | None) -> None:
        if index is not None and index < self.option_count and self.links_at(index):
            self.replace_option_prompt_at_index(index, self._render(self.rows[index], chosen))

    # -- keys and events -------------------------------------------------------------------
    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        super().watch_highlighted(new)
        self._repaint(old, None)
        self.link_index = 0
        self._repaint(new, 0)

    def action_link(self, delta: int) -> None:
        links = self.links_at(self.highlighted)
        if len(links) > 1:
            self.link_index = (self.link_index + delta) % len(links)
            self._repaint(self.highlighted, self.link_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        link = self.chosen_link
        if link is not None:
            self.post_message(self.LinkChosen(link))
