"""How wide a terminal draws text: the C library's wcwidth, character by character, as tmux, xterm
and VTE do (tmux 3.3a here is linked to no other width table). Rich measures by grapheme rules of
its own; a row that Rich fits to the screen but wcwidth does not is what shifts pane borders.

A character wcwidth does not know (-1, newer than the C library) counts 1, as tmux counts it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
from functools import cache

_libc_name = ctypes.util.find_library("c")
_libc = ctypes.CDLL(_libc_name) if _libc_name else None
HAVE_WCWIDTH = _libc is not None and hasattr(_libc, "wcwidth")
if HAVE_WCWIDTH:
    _libc.wcwidth.restype = ctypes.c_int
    _libc.wcwidth.argtypes = [ctypes.c_wchar]


@cache
def char_width(char: str) -> int:
    """Cells for one character in a UTF-8 locale (0 for combining marks and joiners)."""
    assert _libc is not None, "no C library wcwidth"
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    try:
        width = _libc.wcwidth(char)
    finally:
        locale.setlocale(locale.LC_CTYPE, before)
    return 1 if width < 0 else width


def terminal_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def cells(line: str) -> list[str]:
    """A captured terminal row as its cells: a wide character fills two (the second is ""),
    zero-width characters join the cell before them."""
    out: list[str] = []
    for char in line:
        width = char_width(char)
        if width == 0 and out:
            out[-1] += char
        elif width:
            out += [char] + [""] * (width - 1)
    return out
