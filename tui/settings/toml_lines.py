"""Where each key of a TOML file is written: tomllib gives values, not positions.

A line-by-line scan of text that tomllib has already accepted. It finds `[table]` and `[[table]]`
headers and `key =` lines (bare, quoted and dotted keys) and skips multi-line strings. It does not
look inside inline tables (`keymap = {search = "ctrl+f"}`): callers place their keys at the line of
the table's own key.
"""

from __future__ import annotations

import re

KeyPath = tuple[str, ...]

_SIMPLE_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOTTED_KEY = rf"{_SIMPLE_KEY}(?:[ \t]*\.[ \t]*{_SIMPLE_KEY})*"
_KEY_LINE = re.compile(rf"[ \t]*({_DOTTED_KEY})[ \t]*=")
_TABLE_LINE = re.compile(rf"[ \t]*\[\[?[ \t]*({_DOTTED_KEY})[ \t]*\]")


def key_lines(text: str) -> dict[KeyPath, int]:
    """The line (1-based) where each key path is first written, for every table, key and prefix of a
    dotted key: `[a.b]` gives ("a",) and ("a", "b"); `c.d = 1` below it gives ("a", "b", "c", "d")."""
    import tomllib

    def path_of(written: str) -> KeyPath:  # tomllib decodes the quoting and dots exactly
        try:
            table = tomllib.loads(f"{written} = 0")
        except tomllib.TOMLDecodeError:  # not a key after all: place nothing here
            return ()
        path = []
        while isinstance(table, dict):
            ((key, table),) = table.items()
            path.append(key)
        return tuple(path)

    found: dict[KeyPath, int] = {}
    table: KeyPath = ()
    scan = Scan()
    for number, line in enumerate(text.split("\n"), 1):
        rest = line
        if scan.open_string is None and scan.depth == 0:  # not inside a multi-line string or array
            if header := _TABLE_LINE.match(line):
                table, rest = path_of(header[1]), ""
                _add(found, table, number)
            elif key := _KEY_LINE.match(line):
                _add(found, table + path_of(key[1]), number)
                rest = line[key.end() :]
        scan.read(rest)
    return found


def _add(found: dict[KeyPath, int], path: KeyPath, number: int) -> None:
    for end in range(1, len(path) + 1):
        found.setdefault(path[:end], number)


class Scan:
    """What is still open after the values read so far: a multi-line string, and brackets."""

    def __init__(self) -> None:
        self.open_string: str | None = None  # the delimiter, """ or '''
        self.depth = 0  # arrays and inline tables open: [ and {

    def read(self, text: str) -> None:
        """Read one line's values; a comment ends the line."""
        i, n = 0, len(text)
        while i < n:
            if self.open_string == '"""':
                if text[i] == "\\":
                    i += 2
                elif text.startswith('"""', i):
                    self.open_string, i = None, i + 3
                else:
                    i += 1
            elif self.open_string == "'''":
                end = text.find("'''", i)
                if end < 0:
                    return
                self.open_string, i = None, end + 3
            elif text[i] == "#":
                return
            elif text.startswith('"""', i) or text.startswith("'''", i):
                self.open_string, i = text[i : i + 3], i + 3
            elif text[i] in "\"'":  # a one-line string: skip it whole
                quote, i = text[i], i + 1
                while i < n and text[i] != quote:
                    i += 2 if quote == '"' and text[i] == "\\" else 1
                i += 1
            else:
                self.depth += 1 if text[i] in "[{" else -1 if text[i] in "]}" else 0
                i += 1
