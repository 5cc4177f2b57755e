"""Bars drawn with block characters, so figures of one measure and scope can be compared by eye.

Textual-free and pure. Meaning never rests on colour:
- a single value is a solid bar from 0: ``█████▍``;
- a range is shaded up to its low end and solid across its span: ``░░░░████▌``;
- the qualifier stands before the bar as a sign: ``>`` more than, ``≥`` at least, ``≤`` up to,
  ``<`` fewer/less than, ``~`` about or barely; an exact figure has a blank there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from tui.knowledge.records import Figure

FULL = "█"
SHADE = "░"
# PARTIALS[n] is a block n eighths of a cell wide (n = 1..7); PARTIALS[0] is nothing.
PARTIALS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")

QUALIFIER_SIGNS = {
    "exact": "",
    "about": "~",
    "barely": "~",
    "at-least": "≥",
    "more-than": ">",
    "up-to": "≤",
    "fewer-than": "<",
    "less-than": "<",
}

LEGEND = (
    "Bars: █ from 0 to a single value; a range is ░ up to its low end, then █ to its high end. "
    "Signs: > more than, ≥ at least, ≤ up to, < fewer/less than, ~ about; none: exact."
)


def extent(fig: Figure) -> tuple[float, float]:
    """(low, high) of what the figure states; a single value is (value, value)."""
    if fig.value is not None:
        return float(fig.value), float(fig.value)
    low = float(fig.low) if fig.low is not None else 0.0
    high = float(fig.high) if fig.high is not None else low
    return low, high


def is_range(fig: Figure) -> bool:
    return fig.value is None and fig.low is not None and fig.high is not None


def scale_max(figures: Iterable[Figure]) -> float:
    """The largest number among the figures: the full width of every bar of their measure."""
    return max((extent(f)[1] for f in figures), default=0.0)


def _eighths(amount: float, top: float, width: int) -> int:
    """How many eighths of a cell `amount` takes when `top` fills `width` cells."""
    if top <= 0 or amount <= 0 or width <= 0:
        return 0
    share = min(amount, top) / top
    return max(1, round(share * width * 8))  # anything above zero stays visible


def _solid(eighths: int) -> str:
    full, rest = divmod(eighths, 8)
    return FULL * full + PARTIALS[rest]


def bar(fig: Figure, top: float, width: int) -> str:
    """The figure as a bar exactly `width` cells wide, scaled so that `top` fills it."""
    if width <= 0:
        return ""
    low, high = extent(fig)
    high_eighths = _eighths(high, top, width)
    if not is_range(fig):
        drawn = _solid(high_eighths)
    else:
        end_cell = math.ceil(high_eighths / 8)
        shaded = min(round(min(low, top) / top * width) if top > 0 else 0, max(0, end_cell - 1))
        span = max(1, high_eighths - shaded * 8) if high_eighths else 0
        drawn = SHADE * shaded + _solid(span)
    return drawn[:width].ljust(width)


def qualifier_sign(fig: Figure) -> str:
    return QUALIFIER_SIGNS.get(fig.qualifier, "?")


def chart_cell(fig: Figure, top: float, width: int) -> str:
    """Sign, a space, then the bar: `width` cells in all (a bar needs at least 3)."""
    if width < 3:
        return qualifier_sign(fig)[:width].ljust(width)
    return f"{qualifier_sign(fig) or ' '} {bar(fig, top, width - 2)}"
