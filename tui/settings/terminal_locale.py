"""Whether the terminal can show UTF-8, from the locale the user's shell gave the process."""

from __future__ import annotations

import os
from collections.abc import Mapping

_UTF8_NAMES = ("utf-8", "utf8")


def locale_is_ascii(environ: Mapping[str, str] | None = None) -> bool:
    """True when the locale cannot show UTF-8: the C/POSIX locale (or none), or another charset.

    Python coerces the C locale by setting LC_CTYPE=C.UTF-8 in its own environment (PEP 538), so
    that value beside a C or unset LANG (and no LC_ALL) counts as the C locale the terminal has.
    """
    env = os.environ if environ is None else environ
    lc_all, lc_ctype, lang = env.get("LC_ALL", ""), env.get("LC_CTYPE", ""), env.get("LANG", "")
    if lc_all:
        return not _is_utf8(lc_all)
    if lc_ctype and not (lc_ctype == "C.UTF-8" and lang in ("", "C", "POSIX")):
        return not _is_utf8(lc_ctype)
    return not _is_utf8(lang)


def _is_utf8(name: str) -> bool:
    charset = name.partition(".")[2].partition("@")[0].lower()
    return charset in _UTF8_NAMES
