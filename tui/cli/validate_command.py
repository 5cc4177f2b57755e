"""`isis-explorer validate [--cache] [--source-text ID=FILE ...]`: load and check every record, print
the counts per kind. `--source-text` also checks the records citing a source against its text.

Bad data raises DataError, which the caller prints as `path:line:col: problem` lines (exit 2).
"""

from __future__ import annotations

import sys

from tui.cli.cache_key import cache_key, data_root
from tui.cli.exit_codes import EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.settings.precedence import Settings


def run(settings: Settings, *, cache: bool, source_texts: list[tuple[str, str]] | None = None) -> int:
    """`cache`: also store the checked data in the parse cache, so the explorer starts at once.
    `source_texts`: (source id, text file) pairs to check the records citing each source against."""
    from tui.loading.loader import load

    key = cache_key(data_root(settings)) if cache else None  # the files as they are before reading them
    kb = load(settings.data.value, max_bytes=settings.max_bytes, source_texts=dict(source_texts or ()))
    print(" · ".join(f"{kind} {n}" for kind, n in kb.counts().items()))
    if key is not None:
        from tui.loading import parse_cache

        why_not = parse_cache.write(key, kb)
        if why_not:
            print(f"isis-explorer: {why_not}", file=sys.stderr)
    return EXIT_OK
