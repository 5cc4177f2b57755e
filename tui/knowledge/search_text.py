"""How search reads text: folding case, accents and typographic quotes, splitting a query into
words and "quoted phrases", one-typo patterns, and locating a match for an excerpt. Textual-free."""

from __future__ import annotations

import re
import unicodedata

QUERY_CAP = 200  # characters of a query that are used; the rest is ignored
SNIPPET_WIDTH = 60  # characters of context shown around a match outside the name
SEP = "\x00"  # between records in a haystack: never part of compared text


class _Fold(dict[int, str]):
    """Character map applied after casefolding: typographic quotes and dashes become ASCII, and
    letters lose their accents (ī -> i), one character for one, so `Bamirrian` finds `Bamirrīan`
    and the haystacks stay one byte per character (a single “ would double a whole haystack)."""

    _TYPOGRAPHIC = {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-", "‐": "-"}

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = self._TYPOGRAPHIC.get(char)
        if folded is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            folded = base if len(base) == 1 and base.isascii() else char
        self[code] = folded
        return folded


_FOLD = _Fold()


def fold(text: str) -> str:
    """Casefolded and accent-folded; the same length as `text.casefold()`."""
    folded = text.casefold()
    return folded if folded.isascii() else folded.translate(_FOLD)


def normalise(text: str) -> str:
    """How text is compared: folded (see `fold`), runs of whitespace as one space, no NUL."""
    return " ".join(fold(text).replace(SEP, " ").split())


def query_text(query: str) -> str:
    """The part of a query that is searched for: its first QUERY_CAP characters, normalised."""
    return normalise(query[:QUERY_CAP])


def terms(query: str) -> list[str]:
    """The terms of a query, normalised: "quoted phrases" whole (an unclosed quote runs to the end),
    other words one by one; each term once, in order."""
    found: list[str] = []
    for n, part in enumerate(query_text(query).split('"')):
        pieces = [part.strip()] if n % 2 else part.split()
        found += [piece for piece in pieces if piece and piece not in found]
    return found


def one_typo(term: str) -> re.Pattern[str]:
    """Matches text within one edit of `term` (a character missing, extra, replaced or two swapped)."""
    variants = {term}
    for i in range(len(term) + 1):
        variants.add(re.escape(term[:i]) + "[^\\x00]" + re.escape(term[i:]))  # a letter missing from the term
        if i < len(term):
            variants.add(re.escape(term[:i] + term[i + 1 :]))  # an extra letter in the term
            variants.add(re.escape(term[:i]) + "[^\\x00]" + re.escape(term[i + 1 :]))  # a wrong letter
        if i < len(term) - 1:
            variants.add(re.escape(term[:i] + term[i + 1] + term[i] + term[i + 2 :]))  # two swapped
    return re.compile("|".join(sorted(variants, key=len, reverse=True)))


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """Where the normalised `needle` occurs in `text` (already whitespace-collapsed), ignoring case."""
    folded = fold(text)
    if len(folded) == len(text):
        pos = folded.find(needle)
        return None if pos < 0 else (pos, pos + len(needle))
    # casefolding changed a length (ß -> ss): map folded offsets back character by character
    starts: list[int] = []
    for n, ch in enumerate(text):
        starts.extend([n] * len(ch.casefold()))
    pos = folded.find(needle)
    if pos < 0:
        return None
    end = pos + len(needle)
    return starts[pos], (starts[end - 1] + 1)


def tightest(needle: str, folded: str) -> list[int]:
    """Offsets in `folded` of `needle`'s characters in order, over the shortest stretch; [] if absent."""
    best: list[int] = []
    start = folded.find(needle[:1])
    while start >= 0:
        positions, at = [start], start + 1
        for char in needle[1:]:
            at = folded.find(char, at)
            if at < 0:
                return best
            positions.append(at)
            at += 1
        if not best or positions[-1] - positions[0] < best[-1] - best[0]:
            best = positions
        start = folded.find(needle[:1], start + 1)
    return best


def excerpt(text: str, needle: str, width: int = SNIPPET_WIDTH) -> tuple[str, tuple[int, int] | None]:
    """About `width` characters of `text` around the first match of `needle`, with ellipses."""
    text = " ".join(text.split())
    span = locate(text, needle)
    if len(text) <= width:
        return text, span
    if span is None:
        return text[: width - 1] + "…", None
    start, end = span
    lead = max(0, min(start - width // 3, len(text) - width))
    stop = min(len(text), lead + width)
    snippet = text[lead:stop]  # an ellipsis replaces the first/last character, so offsets hold
    if lead > 0:
        snippet = "…" + snippet[1:]
    if stop < len(text):
        snippet = snippet[:-1] + "…"
    start, end = start - lead, min(end - lead, len(snippet))
    return snippet, (start, end) if start < end else None
