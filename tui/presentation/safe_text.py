"""Make data text safe to show: no control character, escape sequence or bidi override survives.

Markup is a separate danger, handled by the widgets (they render `Content`/`Text`, never markup);
this module removes what neither of those removes: bytes that drive the terminal itself.
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"


def _table(keep_newlines: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0x20):  # C0 -> the visible "control picture" (U+2400 + code): ESC shows as ␛
        table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"  # DEL -> ␡
    for code in range(0x80, 0xA0):  # C1 controls (CSI, OSC, NEL ...)
        table[code] = REPLACEMENT
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C):
        table[code] = REPLACEMENT  # bidi embeddings, overrides, isolates and marks
    for code in range(0xD800, 0xE000):  # lone surrogates (from "\udXXX" escapes in YAML)
        table[code] = REPLACEMENT
    table[0x09] = " "
    if keep_newlines:
        table[0x0A] = "\n"
        table[0x0D] = None
    else:
        table[0x0A] = " "
        table[0x0D] = " "
    return table


_LINE = _table(keep_newlines=False)
_BLOCK = _table(keep_newlines=True)


def clean(text: str) -> str:
    """One line of display text: controls made visible, newlines and tabs become spaces."""
    return text.translate(_LINE)


def clean_block(text: str) -> str:
    """Several lines of display text: like `clean`, but line breaks are kept."""
    return text.translate(_BLOCK)
