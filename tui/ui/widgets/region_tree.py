"""The region tree: world → regions → countries → areas, children added when a node expands."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.knowledge.region_index import RegionIndex
from tui.ui.bindings import TREE_KEYS
from tui.ui.safe_content import rich_plain


class RegionTree(Tree[str]):
    """Each node's data is a region id; its label shows how many groups are active under it."""

    BINDINGS = TREE_KEYS

    class Ready(Message):
        """The cursor stands on the start region; highlights before this are the widget settling."""

        def __init__(self, region_id: str | None) -> None:
            super().__init__()
            self.region_id = region_id

    def __init__(self, regions: RegionIndex, **kwargs) -> None:
        world = regions.world
        root_label = self.label_for(regions, world.id) if world else Text("(no regions)")
        super().__init__(root_label, data=world.id if world else None, **kwargs)
        self.regions = regions
        self.guide_depth = 2

    @staticmethod
    def label_for(regions: RegionIndex, region_id: str) -> Text:
        region = regions.get(region_id)
        label = rich_plain(region.name if region else region_id)
        label.append(f" ({regions.group_count(region_id)})", style="dim")
        return label

    def on_mount(self) -> None:
        self.fill(self.root)
        self.root.expand()
        start = self.regions.start or (self.regions.world.id if self.regions.world else None)
        if start and self.select_region(start):
            self.call_after_refresh(lambda: self.call_after_refresh(self.post_message, self.Ready(start)))
        else:
            self.post_message(self.Ready(start))

    def fill(self, node: TreeNode[str]) -> None:
        if node.data is None or node.children:
            return
        regions = self.regions
        for region in regions.children(node.data):
            node.add(self.label_for(regions, region.id), data=region.id, allow_expand=regions.has_children(region.id))

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.fill(event.node)

    def select_region(self, region_id: str) -> bool:
        """Expand the path to a region and put the cursor on it; False if it is not in the tree."""
        path = [r.id for r in reversed(self.regions.ancestors(region_id))] + [region_id]
        node = self.root
        if not path or path[0] != node.data:
            return False
        for step in path[1:]:
            self.fill(node)
            node.expand()
            child = next((c for c in node.children if c.data == step), None)
            if child is None:
                return False
            node = child
        # nodes just expanded get their line numbers at the next refresh
        self.call_after_refresh(self.move_cursor, node)
        return True

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_expand_or_child(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            self.fill(node)
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])
