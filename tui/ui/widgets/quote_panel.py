"""The quote panel: analysts' assessments about the selection, one card at a time.

Focused (Tab), it scrolls with the keys of every pane (j/k, g/G, PageUp/PageDown, ctrl+d/ctrl+u) and
Enter opens the speaker of the assessment shown: the person or source who said it.

The screen hands it the cards (bound to its `cards` reactive, built by `tui.presentation.quote_card`);
the panel turns the one at `index` into Content. It never sees the knowledge base.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive, var
from textual.widgets import Static

from tui.marks.mark import GLYPH
from tui.ui.bindings import SCROLL_KEYS
from tui.ui.history import Entry
from tui.ui.messages import LinkChosen
from tui.ui.safe_content import plain, plain_block

TYPE_CHECKING = False  # the cards' module imports the knowledge base: it loads after the first frame
if TYPE_CHECKING:
    from tui.presentation.quote_card import QuoteCard

NO_CARDS = "No assessments for this selection."


def card_content(card: QuoteCard, marked: bool = False) -> Content:
    """Name (bold), role (dim), the words (a paraphrase in italics), the hedge and the citation (dim);
    the mark glyph first when the assessment is marked."""
    parts = [Content.styled(f"{GLYPH} ", "bold")] if marked else []
    parts.append(plain(card.speaker, "bold"))
    if card.role:
        parts += [Content(", "), plain(card.role, "dim")]
    body = plain_block(card.quote) if card.verbatim else plain_block(card.quote, "italic")
    hedge = [Content(" "), plain(f"({card.hedge})")] if card.hedge else []
    parts += [Content("\n"), body, *hedge, Content("\n"), plain(card.citation, "dim")]
    return Content.assemble(*parts)


class QuotePanel(VerticalScroll):
    """Shows `cards[index]`; the screen steps through them."""

    BINDINGS = [
        *SCROLL_KEYS,
        Binding("enter", "open_speaker", "Open who said it (person or source)", show=False, id="quotes.open-speaker"),
    ]

    cards: var[Sequence[QuoteCard]] = var((), init=False)  # bound to the screen's; drawn in watch_cards
    index: reactive[int] = reactive(0, init=False)
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # bound to the screen's

    def compose(self) -> ComposeResult:
        yield Static(Content(NO_CARDS), id="quote-body")

    def watch_cards(self, old: Sequence[QuoteCard], cards: Sequence[QuoteCard]) -> None:
        """Cards for a new selection: show the first, drawn once (index is set without its watcher).
        Nothing is drawn when that would show exactly what is there already."""
        if cards == old and self.index == 0 and self.scroll_y == 0 and self.border_title:
            return
        self.set_reactive(QuotePanel.index, 0)
        self.draw()

    def watch_index(self) -> None:
        self.draw()

    def watch_marked(self, old: frozenset[Entry], new: frozenset[Entry]) -> None:
        card = self.cards[self.index] if self.cards else None
        if card is not None and (("assessments", card.assessment) in old) != (("assessments", card.assessment) in new):
            self.draw(scroll_home=False)

    def mark_target(self) -> Entry | None:
        """What `m` marks here: the assessment shown."""
        card = self.cards[self.index] if self.cards else None
        return ("assessments", card.assessment) if card is not None and card.assessment else None

    def step(self, delta: int) -> None:
        if self.cards:
            self.index = (self.index + delta) % len(self.cards)

    def action_half_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.scrollable_content_region.height // 2), animate=False)

    def action_open_speaker(self) -> None:
        """Enter: open the record of whoever said the assessment shown (LinkChosen, as a link does)."""
        link = self.cards[self.index].speaker_link if self.cards else None
        if link is not None:
            self.post_message(LinkChosen(link))
        elif self.cards:
            self.notify("Who said this is not in the data.", markup=False)

    def draw(self, scroll_home: bool = True) -> None:
        body = self.query_one("#quote-body", Static)
        if not self.cards:
            body.update(Content(NO_CARDS))
            self.border_title = "Assessments"
            self.border_subtitle = ""
            return
        card = self.cards[self.index]
        marked = ("assessments", card.assessment) in self.marked
        body.update(card_content(card, marked))
        self.border_title = f"Assessments {self.index + 1}/{len(self.cards)}" + (f" {GLYPH} marked" if marked else "")
        self.border_subtitle = "[ ] previous/next" if len(self.cards) > 1 else ""
        if scroll_home:
            self.scroll_home(animate=False)
