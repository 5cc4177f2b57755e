"""Plain ASCII on terminals that cannot show more (`LANG=C`, a serial console, an old `screen`).

Python turns the C locale into UTF-8 for itself (PEP 538), so Textual would send box drawing, block
bars and typographic quotes to a terminal that shows them as mojibake. Here every character the
app writes is replaced, one terminal cell for one cell, by ASCII: `─` -> `-`, `│` -> `|`, corners
-> `+`, `“` -> `"`, `█` -> `#`, `é` -> `e`, `¶` -> `#`; `≥ ` and `≤ ` (a sign and the space after it,
as the Figures view writes them) become `>=` and `<=`, so no meaning is lost. Anything else becomes
one `?` per cell. The layout does not move: widths are kept cell for cell.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from textual.drivers.linux_driver import LinuxDriver

_PAIRS = {"≥ ": ">=", "≤ ": "<="}  # two cells, two characters
_SINGLE = {
    **dict.fromkeys("‘’‚‛′`", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("·•∙◦", "*"),
    **dict.fromkeys("▶►▸⏵→›", ">"),
    **dict.fromkeys("◀◄◂⏴←‹⌫⏎", "<"),
    **dict.fromkeys("▼▾⏷↓", "v"),
    **dict.fromkeys("▲▴⏶↑", "^"),
    **dict.fromkeys("░▒", "."),
    **dict.fromkeys("▓█▉▊▋▌▍▎▐▀▄▆▇▅", "#"),
    "▏": "|",
    **dict.fromkeys("▁▂▃▔", "_"),
    "…": ".",
    "⭘": "o",
    "⌃": "^",
    "¶": "#",
    "§": "S",
    "≥": ">",
    "≤": "<",
    "≈": "~",
    "×": "x",
    "²": "2",
    "³": "3",
    "°": "o",
    "✓": "*",  # the mark glyph (and a check mark): `*` reads as marked, as in mc and git branch
    "✔": "v",
    "✗": "x",
    "✘": "x",
    "\u00a0": " ",
}


def _box(char: str) -> str:
    """Box drawing (U+2500-257F): lines to `-` and `|`, every corner and joint to `+`."""
    name = unicodedata.name(char, "")
    if "VERTICAL" not in name and ("HORIZONTAL" in name or "DASH" in name):
        return "-"
    if "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name:
        return "|"
    return "+"


class _AsciiTable(dict[int, str]):
    """`str.translate` table that works out, once per character, its ASCII stand-in."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        width = cell_len(char)
        if code < 128:
            out = char
        elif char in _SINGLE:
            out = _SINGLE[char]
        elif 0x2500 <= code <= 0x257F:
            out = _box(char)
        elif width == 0:
            out = ""  # a combining mark: its letter is already written
        else:
            plain = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii() and c.isprintable())
            out = plain if len(plain) == width else "?" * width
        self[code] = out
        return out


_TABLE = _AsciiTable()


def to_ascii(text: str) -> str:
    """The same cells in ASCII (escape sequences are ASCII already and pass through)."""
    if text.isascii():
        return text
    for pair, plain in _PAIRS.items():
        text = text.replace(pair, plain)
    return text.translate(_TABLE)


class AsciiDriver(LinuxDriver):
    """The terminal driver, writing ASCII only."""

    def write(self, data: str) -> None:
        super().write(to_ascii(data))
