"""The region tree: world → regions → countries → areas, children added when a node expands.

The screen's selection is bound to the tree's `selection`: when it names another region (Back, a
link, search), the cursor goes there silently. Only the user's own moves post `NodeHighlighted`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.reactive import var
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.knowledge.region_index import RegionIndex
from tui.marks.mark import GLYPH
from tui.ui.bindings import TREE_KEYS
from tui.ui.history import Entry
from tui.ui.safe_content import rich_plain


class RegionTree(Tree[str]):
    """Each node's data is a region id; its label shows how many groups are active under it."""

    BINDINGS = TREE_KEYS

    selection: var[Entry | None] = var(None, init=False)  # bound to the screen's: where the cursor belongs
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # bound to the screen's: drawn with GLYPH

    def __init__(self, regions: RegionIndex, **kwargs: Any) -> None:
        world = regions.world
        root_label = self.label_for(regions, world.id) if world else Text("(no regions)")
        super().__init__(root_label, data=world.id if world else None, **kwargs)
        self.regions = regions
        self.guide_depth = 2
        self.nodes: dict[str, TreeNode[str]] = {world.id: self.root} if world else {}  # region id -> its node

    @staticmethod
    def label_for(regions: RegionIndex, region_id: str, marked: bool = False) -> Text:
        """`✓ Iraq (3)`: the mark (when marked), the name, and how many groups are active under it."""
        region = regions.get(region_id)
        label = rich_plain(region.name if region else region_id)
        label.append(f" ({regions.group_count(region_id)})", style="dim")
        if marked:
            label = Text.assemble((f"{GLYPH} ", "bold"), label)
        return label

    def on_mount(self) -> None:
        self.fill(self.root)
        self.root.expand()

    def watch_marked(self, old: frozenset[Entry], new: frozenset[Entry]) -> None:
        """Relabel only the regions whose mark changed, and only those with a node so far."""
        for kind, region_id in old ^ new:
            node = self.nodes.get(region_id) if kind == "regions" else None
            if node is not None:
                node.set_label(self.label_for(self.regions, region_id, (kind, region_id) in new))

    def validate_cursor_line(self, value: int) -> int:
        """-1 stays -1, "no cursor", as Tree documents it: Tree's own check turns it into line 0, so
        mounting highlighted the root (a move nobody made) before the cursor was put on the start."""
        return value if value == -1 else super().validate_cursor_line(value)

    def watch_selection(self, entry: Entry | None) -> None:
        """Put the cursor on the selected region, unless it is there already (the user moved it)."""
        if entry is None or entry[0] != "regions":
            return
        node = self.cursor_node
        if node is not None and node.data == entry[1]:
            return
        with self.prevent(Tree.NodeHighlighted):
            if self.expand_to(entry[1]) is not None:
                # scrolling to the cursor needs the tree's size: known at the next refresh
                self.call_after_refresh(self.place_cursor)

    def fill(self, node: TreeNode[str]) -> None:
        if node.data is None or node.children:
            return
        regions, marked = self.regions, self.marked
        for region in regions.children(node.data):
            child = node.add(
                self.label_for(regions, region.id, ("regions", region.id) in marked),
                data=region.id,
                allow_expand=regions.has_children(region.id),
            )
            self.nodes[region.id] = child

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.fill(event.node)

    def expand_to(self, region_id: str) -> TreeNode[str] | None:
        """Expand the path to a region and lay out the tree's lines; its node, or None if not in the tree."""
        path = [r.id for r in reversed(self.regions.ancestors(region_id))] + [region_id]
        node = self.root
        if not path or path[0] != node.data:
            return None
        for step in path[1:]:
            self.fill(node)
            if not node.is_expanded:  # expand() on an open node still redraws the whole tree (~4 KB)
                node.expand()
            child = next((c for c in node.children if c.data == step), None)
            if child is None:
                return None
            node = child
        self.last_line  # noqa: B018 - lays out the lines now, inside the caller's prevent(), not at the next idle
        return node

    def select_region(self, region_id: str) -> bool:
        """Expand the path to a region and move the cursor onto it as the user would: the screen
        follows (NodeHighlighted is posted). False if the region is not in the tree."""
        node = self.expand_to(region_id)
        if node is None:
            return False
        self.move_cursor(node)
        return True

    def place_cursor(self) -> None:
        """Move the cursor to the selection (as it is by now) without posting NodeHighlighted."""
        entry = self.selection
        if entry is None or entry[0] != "regions":
            return
        with self.prevent(Tree.NodeHighlighted):
            node = self.expand_to(entry[1])
            if node is not None and node is not self.cursor_node:
                self.move_cursor(node)

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_half_page(self, direction: int) -> None:
        """ctrl+d / ctrl+u: the cursor half a screen down or up, as in less and vim."""
        step = max(1, self.scrollable_content_region.height // 2)
        self.cursor_line = max(0, self.cursor_line) + direction * step
        self.scroll_to_line(self.cursor_line, animate=False)

    def action_collapse_others(self) -> None:
        """Collapse every open node that is not on the path from the root to the cursor (search and
        links open paths; this closes them again). The cursor stays on its node."""
        node = self.cursor_node
        keep: set[int] = set()
        while node is not None:
            keep.add(node.id)
            node = node.parent
        cursor = self.cursor_node
        opened = [self.root]
        while opened:
            node = opened.pop()
            for child in node.children:
                if child.is_expanded:
                    if child.id in keep:
                        opened.append(child)
                    else:
                        child.collapse_all()
        if cursor is not None:
            with self.prevent(Tree.NodeHighlighted):
                self.last_line  # noqa: B018 - lays out the lines now, so the cursor's line is known
                self.move_cursor(cursor)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            self.fill(node)
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])
