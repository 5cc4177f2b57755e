"""Navigation keys shared by the lists, tables, the tree and the scrolling panes: arrows with j/k/h/l,
g/G beside Home/End, and PageUp/PageDown with ctrl+d/ctrl+u (half a page, as in less and vim).

Each binding has an id, so users can remap it through Textual's keymap; the footer, the help screen
and the command palette all read these same Binding objects. A widget that takes one of these lists
has the actions it names: `page_down`/`page_up` (Textual's own) and `half_page(±1)`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

PAGE_KEYS: list[BindingType] = [
    Binding("pagedown", "page_down", "Page down", show=False, id="nav.page-down"),
    Binding("pageup", "page_up", "Page up", show=False, id="nav.page-up"),
    Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="nav.half-page-down"),
    Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="nav.half-page-up"),
]

LIST_KEYS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("home,g", "first", "First", show=False, id="nav.first"),
    Binding("end,G", "last", "Last", show=False, id="nav.last"),
    *PAGE_KEYS,
]

TABLE_KEYS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("left,h", "cursor_left", "Left", show=False, id="nav.left"),
    Binding("right,l", "cursor_right", "Right", show=False, id="nav.right"),
    Binding("home,g", "scroll_top", "First", show=False, id="nav.first"),
    Binding("end,G", "scroll_bottom", "Last", show=False, id="nav.last"),
    *PAGE_KEYS,
]

TREE_KEYS: list[BindingType] = [
    Binding("enter", "select_cursor", "Expand / collapse", show=False, id="tree.toggle"),
    Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("left,h", "collapse_or_parent", "Collapse / parent", show=False, id="tree.collapse"),
    Binding("right,l", "expand_or_child", "Expand / child", show=False, id="tree.expand"),
    Binding("home,g", "scroll_home", "First", show=False, id="nav.first"),
    Binding("end,G", "scroll_end", "Last", show=False, id="nav.last"),
    *PAGE_KEYS,
    Binding("minus", "collapse_others", "Collapse all but the path here", show=False, id="tree.collapse-others"),
]

SCROLL_KEYS: list[BindingType] = [
    Binding("down,j", "scroll_down", "Scroll down", show=False, id="nav.down"),
    Binding("up,k", "scroll_up", "Scroll up", show=False, id="nav.up"),
    Binding("home,g", "scroll_home", "Top", show=False, id="nav.first"),
    Binding("end,G", "scroll_end", "Bottom", show=False, id="nav.last"),
    *PAGE_KEYS,
]
