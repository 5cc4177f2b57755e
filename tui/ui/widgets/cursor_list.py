"""An OptionList whose highlighted option can be drawn reversed.

Textual 8.2.8 builds an option's style with `get_visual_style`, which carries bold, dim, italic,
underline and strike from the CSS but drops `reverse`: `text-style: reverse` on
`.option-list--option-highlighted` has no effect. In 16 colours and with NO_COLOR a background shade
is all that would tell the highlighted row apart, so this list puts the reverse back."""

from __future__ import annotations

from dataclasses import replace

from textual.style import Style as VisualStyle
from textual.widgets import OptionList


class CursorList(OptionList):
    """Draws `text-style: reverse` given to a component class (see explorer.tcss)."""

    def get_visual_style(self, *component_classes: str, partial: bool = False) -> VisualStyle:
        style = super().get_visual_style(*component_classes, partial=partial)
        if any(self.get_component_styles(name).text_style.reverse for name in component_classes):
            return replace(style, reverse=True)
        return style
