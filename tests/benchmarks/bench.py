"""The performance benchmark: every target of the performance issues, measured, one line each.

    python tests/benchmarks/bench.py [--scale S] [--runs N] [--only NAME,...] [--keep DIR] [--json] [--strict]

Prints `name  value  target  PASS/FAIL`, the figures behind each value indented below it; `--json` prints
a list of {name, value, unit, target, passed, details}. Exits 0 even when a target is missed, unless
`--strict`. The knowledge base (generate.py at `--scale`) goes to a temporary directory, or to `--keep DIR`
and is reused from there. growth.py runs this at several scales and prints the README's growth table.

The app reads a derived store (SQLite) that `isis-explorer validate --cache` builds in the cache directory
(ISIS_EXPLORER_CACHE_DIR, a temporary one). The bench builds it once (or keeps the one the cold `validate`
figure built) and uses it for every "warm" figure; in-process figures open it with
`tui.loading.data_files.open_for_root`, as the app does. "Cold" figures start from an empty cache directory.

First paint: launch in a private tmux server (80x24, no status line) until the tree shows in `tmux
capture-pane -p` (polled every 5 ms); medians of alternating launches. In-process figures
(`App.run_test()`) post each key and step the app until it shows the key's effect.

This file holds the run, what the figures share (the data, the store, tmux) and the version figure; beside
it: processes.py (launching, /proc readings, the private tmux server), launch_figures.py (first paint, first
screen, first search, peak memory: launches in tmux), store_figures.py (the cold build and the store's
size), search_figures.py (the search code alone), in_app_figures.py (the figures measured with Pilot),
terminal_bytes.py (the bytes written to a pty: first screen, full repaint, tree moves), results.py (the
targets, a result, the report table), generate.py and minimal_app.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the modules beside this file, when run as a script from anywhere
import generate as generator  # noqa: E402 - tests/benchmarks/generate.py, found through the path above
import launch_figures  # noqa: E402
from in_app_figures import (  # noqa: E402
    cursor_moves,
    expand_wide_node,
    map_figures,
    mark_toggles,
    search_keystrokes,
)
from processes import APP, CACHE_ENV, PYTHON, Tmux, wall  # noqa: E402
from results import TARGETS, Result, alternating, ratio, table  # noqa: E402
from search_figures import search_code, search_short  # noqa: E402
from store_figures import build_store, store_size, validate_cold  # noqa: E402
from terminal_bytes import measure as measure_terminal_bytes  # noqa: E402
from terminal_bytes import results as terminal_bytes_results  # noqa: E402

SEED, COLD_ATTEMPTS = 2017, 3  # COLD_ATTEMPTS: cold starts tried
TMUX_FIGURES = {
    "first_paint_bundled_ratio",
    "first_screen_warm_ratio",
    "first_paint_large_warm_ratio",
    "first_search_ms",
    "peak_rss_mib",
}


def one_line(exc: Exception, width: int = 300) -> str:
    """An error (and the screen it may carry) as one line: its non-blank lines joined by " | "."""
    text = " | ".join(line.strip() for line in f"{type(exc).__name__}: {exc}".splitlines() if line.strip())
    return text if len(text) <= width else text[: width - 1] + "…"


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Bench:
    """What the figures share, each made when first needed: the data, its store, the store opened
    in-process, tmux."""

    here = HERE

    def __init__(self, args: argparse.Namespace, workdir: str) -> None:
        self.args, self.workdir, self.runs = args, workdir, args.runs
        self.timeout = 60 + 240 * args.scale  # seconds for a cold start (load, store building) at most
        self.failed_launches: list[str] = []
        self.store_build_s: float | None = None

    def temp(self, prefix: str) -> str:
        return tempfile.mkdtemp(prefix=prefix, dir=self.workdir)

    @cached_property
    def kb_dir(self) -> str:
        """The reference knowledge base at --scale: generated, or reused from --keep when it matches."""
        out = self.args.keep or os.path.join(self.workdir, "kb")
        head, stamp = Path(out, "regions-0001.yaml"), f"--scale {self.args.scale} --seed {SEED})"
        if not (head.exists() and stamp in head.read_text(encoding="utf-8").split("\n", 1)[0]):
            log(f"generating the knowledge base at scale {self.args.scale} in {out}")
            generator.generate(out, self.args.scale, SEED)
        return out

    @cached_property
    def yaml_files(self) -> list[str]:
        return sorted(str(p) for p in Path(self.kb_dir).glob("*.y*ml"))

    @cached_property
    def yaml_bytes(self) -> int:
        return sum(os.path.getsize(f) for f in self.yaml_files)

    @cached_property
    def store_cache(self) -> str:
        """A cache directory holding the store of the reference data, built by `validate --cache` (unless
        validate_cold has set one already)."""
        cache = self.temp("store-")
        log("building the store (validate --cache)")
        self.store_build_s = round(build_store(self, cache), 3)
        return cache

    @cached_property
    def kb(self):
        """The reference data's knowledge base as the app has it: the store, opened in-process."""
        from tui.loading.data_files import open_for_root

        os.environ[CACHE_ENV] = self.store_cache  # where the store is looked up, in this process
        return open_for_root(self.kb_dir)

    @cached_property
    def start_name(self) -> str:
        """The name of the region a warm launch shows first (the start region, else the world)."""
        regions = self.kb.region_index()
        start = regions.start or regions.world.id
        return regions.regions[start].name

    @cached_property
    def tmux(self) -> Tmux:
        return Tmux()

    def close(self) -> None:
        if "tmux" in self.__dict__:
            self.tmux.close()

    def app_texts(self) -> tuple[str, str]:
        """What first paint waits for on the generated data: the world region's name and " (", or TREE_TITLE."""
        import yaml

        with open(Path(self.kb_dir, "regions-0001.yaml"), encoding="utf-8") as handle:
            regions = yaml.load(handle, Loader=yaml.CSafeLoader)["regions"]
        return next(r["name"] for r in regions if r.get("kind") == "world") + " (", launch_figures.TREE_TITLE

    def cold_start(self, argv: list[str], texts: tuple[str, ...], env: dict[str, str], after, started=None) -> float:
        """A launch that reads everything into an empty cache. Tried again (cache emptied) when it never
        paints, up to COLD_ATTEMPTS times; each failure goes into the report as `failed_launches`."""
        for _ in range(COLD_ATTEMPTS - 1):
            try:
                return self.tmux.first_paint(argv, texts, env, self.timeout, after, started)
            except RuntimeError as exc:
                self.failed_launches.append(one_line(exc))
                shutil.rmtree(env[CACHE_ENV])
                os.mkdir(env[CACHE_ENV], mode=0o700)
        return self.tmux.first_paint(argv, texts, env, self.timeout, after, started)


def version(bench: Bench) -> list[Result]:
    medians = alternating(
        bench.runs,
        python=lambda: wall([PYTHON, "-c", "pass"]),
        version=lambda: wall([*APP, "--version"]),
        help=lambda: wall([*APP, "--help"]),
    )
    return [ratio("version_ratio", medians, ("version", "help"), "python", bench.runs)]


def terminal_bytes(bench: Bench) -> list[Result]:
    """Bytes written to a pty at 80x24 on the bundled data (terminal_bytes.py): the first screen and tree
    moves, as shares of one full repaint."""
    return terminal_bytes_results(measure_terminal_bytes(APP))


# In this order: the cold build first (its store serves the rest), the in-app search before the search
# code (which builds the index the app would otherwise build), the tmux launches last.
BENCHMARKS: list[tuple[tuple[str, ...], Callable[[Bench], list[Result]]]] = [
    (("version_ratio",), version),
    (("first_paint_bundled_ratio",), launch_figures.first_paint_bundled),
    (("validate_cold_ratio",), validate_cold),
    (("store_size_ratio",), store_size),
    (("search_keystroke_p95_ms",), search_keystrokes),
    (("search_code_p95_ms",), search_code),
    (("search_short_p95_ms",), search_short),
    (("tree_cursor_p95_ms", "list_cursor_p95_ms"), cursor_moves),
    (("expand_1000_children_ms",), expand_wide_node),
    (("map_open_ms", "map_pan_zoom_p95_ms", "map_next_place_p95_ms"), map_figures),
    (("mark_p95_ms",), mark_toggles),
    (("first_screen_warm_ratio", "first_paint_large_warm_ratio"), launch_figures.first_screens_warm),
    (("first_search_ms",), launch_figures.first_search),
    (("peak_rss_mib",), launch_figures.peak_rss),
    (
        (
            "first_screen_repaints",
            "tree_move_median_repaints",
            "tree_move_max_repaints",
            "map_pan_median_repaints",
            "map_step_median_repaints",
        ),
        terminal_bytes,
    ),
]


def run(args: argparse.Namespace) -> list[Result]:
    wanted = set(args.only.split(",")) if args.only else set(TARGETS)
    if wanted - set(TARGETS):
        raise SystemExit(
            f"bench: unknown name(s) {', '.join(sorted(wanted - set(TARGETS)))}; choose from {', '.join(TARGETS)}"
        )
    if wanted & TMUX_FIGURES and not shutil.which("tmux"):
        log(f"tmux is missing: skipping {', '.join(sorted(wanted & TMUX_FIGURES))}")
        wanted -= TMUX_FIGURES
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="isis-bench-") as workdir:
        bench = Bench(args, workdir)
        try:
            for names, measure in BENCHMARKS:
                if wanted & set(names):
                    log(f"measuring {', '.join(names)}")
                    try:
                        found = measure(bench)
                    except Exception as exc:
                        found = [Result(name, None, {"error": one_line(exc)}) for name in names]
                    for result in found if bench.failed_launches else ():
                        result.details["failed_launches"] = list(bench.failed_launches)
                    bench.failed_launches.clear()
                    results += [r for r in found if r.name in wanted]
        finally:
            bench.close()
    return sorted(results, key=lambda r: list(TARGETS).index(r.name))  # the order


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the generated knowledge base (1.0)")
    parser.add_argument("--runs", type=int, default=7, help="launches per median (validate: at most 3)")
    parser.add_argument("--only", metavar="NAME,...", help=f"some of: {', '.join(TARGETS)}")
    parser.add_argument("--keep", metavar="DIR", help="generate the knowledge base here, or reuse it")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of the table")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that tmux and temporary files are cleaned up
    if args.runs < 1 or not 0 < args.scale < 1000:
        parser.error("--runs must be at least 1 and --scale above 0")
    results = run(args)
    print(json.dumps([r.as_json() for r in results], indent=2) if args.json else table(results))
    return 1 if args.strict and not all(r.as_json()["passed"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
