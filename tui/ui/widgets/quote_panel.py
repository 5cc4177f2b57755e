"""The quote panel: analysts' assessments about the selection, one at a time."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from tui.ui.safe_content import plain, plain_block

TYPE_CHECKING = False  # the knowledge base's modules load after the first frame, not before
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.knowledge.records import Assessment


def render_assessment(kb: KnowledgeBase, a: Assessment) -> Content:
    from tui.knowledge.records import Person, Source
    from tui.presentation.describe import cite_text  # with the knowledge base: after the first frame

    speaker = kb.get("people", a.speaker) or kb.get("sources", a.speaker)
    name = speaker.title if speaker else a.speaker
    role = kb.role_of(speaker) if isinstance(speaker, Person) else speaker.kind if isinstance(speaker, Source) else ""
    body = plain_block(f"“{a.text}”") if a.text else plain_block(f"(paraphrase) {a.summary}", "italic")
    parts = [plain(name, "bold")]
    if role:
        parts += [Content(", "), plain(role, "dim")]
    parts += [Content("\n"), body, Content("\n"), plain(cite_text(a.cite), "dim")]
    return Content.assemble(*parts)


class QuotePanel(VerticalScroll):
    """Shows `assessments[index]`; the screen steps through them."""

    index: reactive[int] = reactive(0)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kb: KnowledgeBase | None = None
        self.assessments: list[Assessment] = []

    def compose(self):
        yield Static(Content("No assessments for this selection."), id="quote-body")

    def show(self, kb: KnowledgeBase, assessments: list[Assessment]) -> None:
        self.kb = kb
        self.assessments = assessments
        self.index = 0
        self.mutate_reactive(QuotePanel.index)

    def step(self, delta: int) -> None:
        if self.assessments:
            self.index = (self.index + delta) % len(self.assessments)

    def watch_index(self, index: int) -> None:
        body = self.query_one("#quote-body", Static)
        if not self.assessments or self.kb is None:
            body.update(Content("No assessments for this selection."))
            self.border_title = "Assessments"
            self.border_subtitle = ""
            return
        body.update(render_assessment(self.kb, self.assessments[index]))
        self.border_title = f"Assessments {index + 1}/{len(self.assessments)}"
        self.border_subtitle = "[ ] previous/next" if len(self.assessments) > 1 else ""
        self.scroll_home(animate=False)
