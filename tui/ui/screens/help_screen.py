"""The help screen: every key, read from the same BINDINGS the footer and the palette use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KeySection = tuple[str, Sequence[BindingType]]


def key_rows(
    bindings: Iterable[BindingType], display: Callable[[Binding], str], keymap: dict[str, str]
) -> list[tuple[str, str]]:
    """(keys, description) per action, keys joined with ' / ', remapped keys applied."""
    rows: dict[tuple[str, str], list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if binding.id and binding.id in keymap:
            keys = [k.strip() for k in keymap[binding.id].split(",")]
        else:
            keys = [binding.key]
        label = binding.description or binding.action
        shown = rows.setdefault((binding.action, label), [])
        for key in keys:
            text = display(Binding(key, binding.action, binding.description))
            if text not in shown:
                shown.append(text)
    return [(" / ".join(keys), label) for (_, label), keys in rows.items()]


def markdown_key_table(
    sections: Sequence[KeySection], display: Callable[[Binding], str], keymap: dict[str, str] | None = None
) -> str:
    """The keys as Markdown tables, one per section (for the README and `isis-explorer keys`)."""
    out: list[str] = []
    for title, bindings in sections:
        out += [f"**{title}**", "", "| key | does |", "|---|---|"]
        for keys, description in key_rows(bindings, display, keymap or {}):
            shown = " / ".join(f"`{k}`" for k in keys.split(" / ")).replace("|", "\\|")
            out.append(f"| {shown} | {description} |")
        out.append("")
    return "\n".join(out)


class HelpScreen(ModalScreen[None]):
    """Lists every key by where it applies. Escape, q or ? closes it; it scrolls with the keys of
    every pane (j/k, g/G, Home/End, PageUp/PageDown, ctrl+d/ctrl+u)."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="help.up"),
        Binding("home,g", "scroll('home')", "Top", show=False, id="help.top"),
        Binding("end,G", "scroll('end')", "Bottom", show=False, id="help.bottom"),
        Binding("pagedown", "scroll('page-down')", "Page down", show=False, id="help.page-down"),
        Binding("pageup", "scroll('page-up')", "Page up", show=False, id="help.page-up"),
        Binding("ctrl+d", "scroll('half-down')", "Half a page down", show=False, id="help.half-page-down"),
        Binding("ctrl+u", "scroll('half-up')", "Half a page up", show=False, id="help.half-page-up"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 80; height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    """

    def __init__(self, sections: Sequence[KeySection], keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Escape closes"
            yield Static(self.render_keys(), id="help-text")

    def render_keys(self) -> Content:
        parts: list[Content] = [Content("isis-explorer: explore a cited knowledge base from the keyboard.\n")]
        for title, bindings in self.sections:
            parts.append(Content.styled(f"\n{title}\n", "bold underline"))
            for keys, description in key_rows(bindings, self.app.get_key_display, self.keymap):
                parts.append(Content.assemble((f"  {keys:<20}", "bold"), f" {description}\n"))
        return Content.assemble(*parts)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        page = max(1, body.scrollable_content_region.height)
        if direction == "home":
            body.scroll_home(animate=False)
        elif direction == "end":
            body.scroll_end(animate=False)
        else:
            lines = {"down": 1, "up": -1, "page-down": page, "page-up": -page, "half-down": page // 2 or 1}
            body.scroll_relative(y=lines.get(direction, -(page // 2 or 1)), animate=False)
