"""Make data text safe to show: no control character, escape sequence or bidi override survives.

Markup is a separate danger, handled by the widgets (they render `Content`/`Text`, never markup);
this module removes what neither of those removes: bytes that drive the terminal itself.

`clean` / `clean_block` keep every other character: exports and the Markdown copy use them, and
they keep the text as the data has it. What goes on screen goes through `for_display` /
`block_for_display` (the widgets get it from `tui.ui.safe_content`), which also keep the layout:

Rich measures a row by grapheme rules of its own (a zero-width joiner swallows the width of the
character after it, VS16 widens the character before it, a skin-tone modifier counts 0), while
terminals count each character by wcwidth, some with grapheme rules of their own. Measured in
tmux 3.3a (cursor column after printing): `x\u200dy` Rich 1 cell, tmux 2; `\u2764\ufe0f` Rich 2,
tmux 1; thumbs-up + skin tone Rich 2, tmux 4; `#\ufe0f\u20e3` Rich 2, tmux 1. A row holding one
is no longer as wide as the terminal: the text after it, and the pane border, shift.
Keeping the joiners that join two emoji would not make it safe either: tmux 3.3a draws a family
(three emoji joined by ZWJ) in 2 cells, as Rich counts it, but a terminal that counts each
character (xterm, wcwidth) draws 6, and which one the user has is not known.

So on screen the characters whose only job is to join or restyle their neighbours are replaced
by U+034F COMBINING GRAPHEME JOINER: the zero-width joiner, the variation selectors (U+FE00-FE0F,
U+E0100-E01EF) and the five skin-tone modifiers. What remains is the base characters in their
default form (a family shows as its three people, a red heart in text style, a thumbs-up without
the tone), each a width Rich and terminals agree on (the family: 6 cells in Rich and in tmux).
The grapheme joiner is a combining mark that Rich and terminals measure as 0 cells and attach to
the cell before it; it keeps a line as long as the data's, so callers that highlight a match by
its offsets (search, palette) still mark the right characters. The Hangul fillers U+3164 and
U+FFA0 (blank; Rich 0 cells, wcwidth 2 and 1) get the same treatment, and the line and paragraph
separators U+2028/U+2029 (Rich 0, wcwidth 1) become a space, or a line break in a block.

Not handled: spacing vowel signs of Indic scripts (category Mc, e.g. U+093F) are 0 cells in Rich
and 1 in wcwidth; they are letters, not decoration, so they cannot be replaced like the above.
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


# Characters Rich and per-character terminals measure differently, replaced on screen only.
INVISIBLE = "\u034f"  # COMBINING GRAPHEME JOINER: 0 cells in Rich and in wcwidth, joins nothing


def _display_table(keep_newlines: bool) -> dict[int, str | None]:
    table = _table(keep_newlines)
    joiners = (0x200D, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), *range(0x1F3FB, 0x1F400))
    for code in (*joiners, 0x3164, 0xFFA0):  # ZWJ, variation selectors, skin tones, Hangul fillers
        table[code] = INVISIBLE
    table[0x2028] = table[0x2029] = "\n" if keep_newlines else " "  # line / paragraph separator
    return table


_DISPLAY_LINE = _display_table(keep_newlines=False)
_DISPLAY_BLOCK = _display_table(keep_newlines=True)


def clean(text: str) -> str:
    """One line of display text: controls made visible, newlines and tabs become spaces."""
    return text.translate(_LINE)


def clean_block(text: str) -> str:
    """Several lines of display text: like `clean`, but line breaks are kept."""
    return text.translate(_BLOCK)


def for_display(text: str) -> str:
    """One line of text for the screen: `clean`, and as wide in every terminal as Rich measures it.
    As long as `text` (offsets into it stay valid)."""
    return text.translate(_DISPLAY_LINE)


def block_for_display(text: str) -> str:
    """Several lines of text for the screen: `clean_block`, and as wide as Rich measures it."""
    return text.translate(_DISPLAY_BLOCK)
