"""The figures of the search code alone, in-process on the bench's knowledge base (the store): the
time of `SearchIndex.search` for every prefix of the benchmark's queries, as typed a key at a time, and
for one- and two-character queries, which the trigram index cannot serve and which need their own path.

The app asks for RESULT_LIMIT + 1 hits (to say "first 200 results"); so do these figures. The time to
have the index ready (`index_for` and `build`) is reported apart: on the store it should be next to nothing.
"""

from __future__ import annotations

import string
import time
from typing import TYPE_CHECKING

from in_app_figures import SEARCH_QUERIES
from results import Result, p95, spread

if TYPE_CHECKING:
    from bench import Bench

LIMIT = 201  # tui/ui/screens/search_screen.py: RESULT_LIMIT + 1
COMMON_PAIRS = ("al", "an", "ar", "ba", "de", "er", "es", "in", "is", "ma", "ra", "sh", "ta", "th", "iq")
RARE_PAIRS = ("qz", "xj", "zq", "jx", "vw", "kq", "wx", "qy", "fj", "zx", "gq", "pz", "vq", "yy", "jj")
SHORT_QUERIES = (*string.ascii_lowercase, *COMMON_PAIRS, *RARE_PAIRS)


def ready_index(bench: Bench):
    """The bench's search index, built if it needs building; and the seconds that took."""
    from tui.knowledge.search_index import index_for

    start = time.perf_counter()
    index = index_for(bench.kb)
    if not index.ready:
        index.build()
    return index, time.perf_counter() - start


def timed(index, queries: list[str]) -> tuple[list[float], dict[str, float], dict[str, int]]:
    """Milliseconds of each search; the slowest queries (up to 5) and their times; the hits of each query."""
    samples, by_query, hits = [], {}, {}
    for query in queries:
        start = time.perf_counter()
        found = index.search(query, LIMIT)
        ms = (time.perf_counter() - start) * 1000
        samples.append(ms)
        by_query[query], hits[query] = max(ms, by_query.get(query, 0.0)), len(found)
    slowest = dict(sorted(by_query.items(), key=lambda item: -item[1])[:5])
    return samples, {query: round(ms, 2) for query, ms in slowest.items()}, hits


def search_code(bench: Bench) -> list[Result]:
    index, ready_s = ready_index(bench)
    prefixes = [text[:n] for text in SEARCH_QUERIES for n in range(1, len(text) + 1)]
    samples, slowest, hits = timed(index, prefixes)
    details = {"index_ready_s": round(ready_s, 3), "first_search_ms": round(samples[0], 2), "slowest_ms": slowest}
    details["hits_of_full_queries"] = {text: hits[text] for text in SEARCH_QUERIES}
    return [Result("search_code_p95_ms", p95(samples), details | spread(samples))]


def search_short(bench: Bench) -> list[Result]:
    index, ready_s = ready_index(bench)
    samples, slowest, hits = timed(index, list(SHORT_QUERIES))
    details = {
        "index_ready_s": round(ready_s, 3),
        "slowest_ms": slowest,
        "queries_without_hits": [q for q, n in hits.items() if n == 0],
    }
    return [Result("search_short_p95_ms", p95(samples), details | spread(samples))]
