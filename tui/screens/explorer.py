"""The main screen: region tree on the left, detail and quotes on the right (stacked when narrow)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header, Tree

from ..model import KnowledgeBase
from ..model.describe import describe
from ..widgets.detail import DetailPane
from ..widgets.quotes import QuotePanel
from ..widgets.region_tree import RegionTree


class ExplorerScreen(Screen):
    """Holds the selection; widgets below it only render what it hands them."""

    BINDINGS = [
        Binding("left_square_bracket", "quote(-1)", "Prev quote", id="quote.previous"),
        Binding("right_square_bracket", "quote(1)", "Next quote", id="quote.next"),
    ]

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__()
        self.kb = kb
        self.selection: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="panes"):
            yield RegionTree(self.kb, id="regions")
            with Container(id="right"):
                yield DetailPane(id="detail")
                yield QuotePanel(self.kb, id="quotes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#regions").border_title = "Regions"
        self.query_one(RegionTree).focus()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data:
            self.select("regions", event.node.data)

    def select(self, kind: str, record_id: str) -> None:
        self.selection = (kind, record_id)
        self.query_one(DetailPane).show(describe(self.kb, kind, record_id))
        self.query_one(QuotePanel).show(self.kb.assessments_about(kind, record_id))

    def action_quote(self, delta: int) -> None:
        self.query_one(QuotePanel).step(delta)
