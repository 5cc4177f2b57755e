"""Navigation keys shared by the lists, tables and the tree: arrows with j/k/h/l and g/G beside them.

Each binding has an id, so users can remap it through Textual's keymap; the footer, the help screen
and the command palette all read these same Binding objects.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

LIST_KEYS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("home,g", "first", "First", show=False, id="nav.first"),
    Binding("end,G", "last", "Last", show=False, id="nav.last"),
]

TABLE_KEYS: list[BindingType] = [
    Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("left,h", "cursor_left", "Left", show=False, id="nav.left"),
    Binding("right,l", "cursor_right", "Right", show=False, id="nav.right"),
    Binding("home,g", "scroll_top", "First", show=False, id="nav.first"),
    Binding("end,G", "scroll_bottom", "Last", show=False, id="nav.last"),
]

TREE_KEYS: list[BindingType] = [
    Binding("enter", "select_cursor", "Expand / collapse", show=False, id="tree.toggle"),
    Binding("down,j", "cursor_down", "Down", show=False, id="nav.down"),
    Binding("up,k", "cursor_up", "Up", show=False, id="nav.up"),
    Binding("left,h", "collapse_or_parent", "Collapse / parent", show=False, id="tree.collapse"),
    Binding("right,l", "expand_or_child", "Expand / child", show=False, id="tree.expand"),
    Binding("home,g", "scroll_home", "First", show=False, id="nav.first"),
    Binding("end,G", "scroll_end", "Last", show=False, id="nav.last"),
]
