"""The region tree: world → regions → countries → areas, children added when a node expands."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..model import KnowledgeBase
from .keys import TREE_KEYS
from .plain import rich_plain


class RegionTree(Tree[str]):
    """Each node's data is a region id; its label shows how many groups are active under it."""

    BINDINGS = TREE_KEYS

    def __init__(self, kb: KnowledgeBase, **kwargs) -> None:
        world = kb.world
        root_label = self.label_for(kb, world.id) if world else Text("(no regions)")
        super().__init__(root_label, data=world.id if world else None, **kwargs)
        self.kb = kb
        self.guide_depth = 2

    @staticmethod
    def label_for(kb: KnowledgeBase, region_id: str) -> Text:
        region = kb.get("regions", region_id)
        label = rich_plain(region.name if region else region_id)
        label.append(f" ({kb.group_count(region_id)})", style="dim")
        return label

    def on_mount(self) -> None:
        self.fill(self.root)
        self.root.expand()
        start = self.start_region()
        if start:
            self.select_region(start)

    def start_region(self) -> str | None:
        """Where a new user lands: the first place ISIS's core group is active, if any."""
        core = next((g for g in self.kb.groups if g.kind == "isis-core"), None)
        return core.regions[0] if core and core.regions else None

    def fill(self, node: TreeNode[str]) -> None:
        if node.data is None or node.children:
            return
        for region in self.kb.children(node.data):
            has_children = bool(self.kb.children(region.id))
            node.add(self.label_for(self.kb, region.id), data=region.id, allow_expand=has_children)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self.fill(event.node)

    def select_region(self, region_id: str) -> bool:
        """Expand the path to a region and put the cursor on it; False if it is not in the tree."""
        path = [r.id for r in reversed(self.kb.ancestors(region_id))] + [region_id]
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
