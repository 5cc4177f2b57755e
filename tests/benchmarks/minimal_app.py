"""The baseline for first-paint benchmarks: a minimal Textual app with a header, a tree and a footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Tree


class MinimalApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        tree: Tree[None] = Tree("Regions")
        tree.root.add_leaf("World")
        yield tree
        yield Footer()


if __name__ == "__main__":
    MinimalApp().run()
