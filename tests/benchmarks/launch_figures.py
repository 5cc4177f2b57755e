"""The figures measured by launching the app in the private tmux server (processes.Tmux, 80x24): first
paint, the first full screen, the first search after launch, and the app's peak memory.

"Warm" launches read the store that `bench.store_cache` holds (built once by `validate --cache`); "cold"
ones start from an empty cache directory, so the app builds the store itself, in a child process.
The first full screen is the tree, the start region's detail (its name in the detail pane, under the
record's label) and its assessments (a card, "Assessments 1/N"; or the panel's "no assessments" line once
the detail is there): what a user sees before doing anything.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from typing import TYPE_CHECKING

from processes import APP, PYTHON, ChildPeaks, base_env, peak_rss_mib, wait_idle
from results import Result, alternating, ratio

if TYPE_CHECKING:
    from bench import Bench

MINIMAL_TEXTS = ("Regions",)  # the minimal app's tree's (collapsed) root
# The app has painted when its tree shows the world ("World (18)") or the tree's border title: the same
# frame, and still there when the tree has already scrolled the world out of view (to the start region).
TREE_TITLE = "━ Regions ━"
CARDS = re.compile(r"─ Assessments \d+/\d+ ─")  # the quote panel's title once it shows a card
NO_CARDS = "No assessments for this selection."  # tui/ui/widgets/quote_panel.py
RESULTS = re.compile(r"\b\d+ results?\b")  # the search dialog's count line: "12 results", "first 200 results…"
FIRST_QUERY = "wadi"  # typed with the `/` that opens search, the moment the tree shows


def minimal(bench: Bench) -> list[str]:
    return [PYTHON, str(bench.here / "minimal_app.py")]


def minimal_paint(bench: Bench) -> float:
    return bench.tmux.first_paint(minimal(bench), MINIMAL_TEXTS, base_env())


def tree_shown(texts: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda screen: any(text in screen for text in texts)


def full_screen(name: str) -> Callable[[str], bool]:
    """The tree, the region `name` in the detail pane (right of the tree's border) and its assessments."""
    name = name[:30]  # a long name wraps in the pane

    def shown(screen: str) -> bool:
        if TREE_TITLE not in screen or "Loading" in screen:
            return False
        right = "\n".join(line.rpartition("┃")[2] for line in screen.splitlines())
        return name in right and (CARDS.search(screen) is not None or NO_CARDS in screen)

    return shown


def first_paint_bundled(bench: Bench) -> list[Result]:
    from tui.loading.loader import load

    texts, env = (load().world.name + " (", TREE_TITLE), base_env(bench.temp("cache-"))
    minimal_paint(bench)  # warm-up: the OS file cache, and the app's parse cache
    bench.cold_start(APP, texts, env, lambda pid: wait_idle(pid, bench.timeout))

    def app() -> float:
        return bench.tmux.first_paint(APP, texts, env)

    medians = alternating(bench.runs, minimal=lambda: minimal_paint(bench), app=app)
    return [ratio("first_paint_bundled_ratio", medians, "app", "minimal", bench.runs)]


def first_screens_warm(bench: Bench) -> list[Result]:
    """Warm launches on the reference data, each timed to the tree and to the full first screen, in turn
    with the minimal app's first paint."""
    argv, env = [*APP, "--data", bench.kb_dir], base_env(bench.store_cache)
    marks = {"tree": tree_shown(bench.app_texts()), "full": full_screen(bench.start_name)}
    minimal_paint(bench)  # warm-up: the OS file cache
    bench.tmux.launch(argv, env, marks, bench.timeout)
    times: dict[str, list[float]] = {"minimal": [], "tree": [], "full": []}
    for _ in range(bench.runs):
        times["minimal"].append(minimal_paint(bench))
        for label, seconds in bench.tmux.launch(argv, env, marks, bench.timeout).items():
            times[label].append(seconds)
    medians = {label: statistics.median(values) for label, values in times.items()}
    results = [
        ratio("first_screen_warm_ratio", medians, "full", "minimal", bench.runs),
        ratio("first_paint_large_warm_ratio", medians, "tree", "minimal", bench.runs),
    ]
    for result in results:
        result.details |= {"start_region": bench.start_name, "store_build_s": bench.store_build_s}
    return results


def first_search(bench: Bench) -> list[Result]:
    """Warm launches: `/` and FIRST_QUERY typed in one burst the moment the tree shows; milliseconds from
    sending them until the results' count line shows."""
    argv, env = [*APP, "--data", bench.kb_dir], base_env(bench.store_cache)
    marks = {"tree": tree_shown(bench.app_texts()), "results": lambda screen: RESULTS.search(screen) is not None}
    ms = []
    for _ in range(max(1, min(bench.runs, 5))):
        times = bench.tmux.launch(argv, env, marks, bench.timeout, send={"tree": "/" + FIRST_QUERY})
        ms.append((times["results"] - times["tree:sent"]) * 1000)
    details = {"query": FIRST_QUERY, "samples_ms": [round(v, 1) for v in ms], "launches": len(ms)}
    return [Result("first_search_ms", statistics.median(ms), details)]


def peak_rss(bench: Bench) -> list[Result]:
    """The app's own peak RSS (VmHWM) once idle: a cold launch (an empty cache; the store is built in a
    child process, whose peak is sampled from /proc and reported apart) and a warm one that has answered
    a search."""
    argv, texts = [*APP, "--data", bench.kb_dir], bench.app_texts()
    peaks: dict[str, object] = {}

    children: list[ChildPeaks] = []

    def launched(pid: int) -> None:  # sampling from the start: the store is built before the first paint
        for failed in children:  # a cold start tried again
            failed.stop()
        children[:] = [ChildPeaks(pid)]
        children[0].start()

    def cold(pid: int) -> None:
        try:
            wait_idle(pid, bench.timeout)  # the store built (in the child) and the app idle
        finally:
            peaks["children_mib_sampled"] = children[0].stop()
        peaks["cold_mib"] = round(peak_rss_mib(pid), 1)

    def warm(pid: int) -> None:
        wait_idle(pid, bench.timeout)
        peaks["warm_searched_mib"] = round(peak_rss_mib(pid), 1)

    bench.cold_start(argv, texts, base_env(bench.temp("cache-")), cold, launched)
    marks = {"tree": tree_shown(texts), "results": lambda screen: RESULTS.search(screen) is not None}
    bench.tmux.launch(argv, base_env(bench.store_cache), marks, bench.timeout, warm, send={"tree": "/" + FIRST_QUERY})
    value = max(float(v) for k, v in peaks.items() if k.endswith("_mib"))
    return [Result("peak_rss_mib", value, peaks | {"yaml_mib": round(bench.yaml_bytes / 2**20, 1)})]
