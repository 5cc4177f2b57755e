"""The region tree: world → regions → countries → areas, children added when a node expands."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ..model import KnowledgeBase
from .plain import rich_plain


class RegionTree(Tree[str]):
    """Each node's data is a region id; its label shows how many groups are active under it."""

    def __init__(self, kb: KnowledgeBase, **kwargs) -> None:
        world = kb.world
        super().__init__(self._label_for(kb, world.id) if world else Text("(no regions)"), data=world.id if world else None, **kwargs)
        self.kb = kb
        self.show_root = True
        self.guide_depth = 2

    @staticmethod
    def _label_for(kb: KnowledgeBase, region_id: str) -> Text:
        region = kb.get("regions", region_id)
        label = rich_plain(region.name if region else region_id)
        label.append(f" ({kb.group_count(region_id)})", style="dim")
        return label

    def on_mount(self) -> None:
        self._fill(self.root)
        self.root.expand()
        for child in self.root.children:  # first paint shows the countries of each region
            self._fill(child)
            child.expand()

    def _fill(self, node: TreeNode[str]) -> None:
        if node.data is None or node.children:
            return
        for region in self.kb.children(node.data):
            has_children = bool(self.kb.children(region.id))
            node.add(self._label_for(self.kb, region.id), data=region.id, allow_expand=has_children)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[str]) -> None:
        self._fill(event.node)
