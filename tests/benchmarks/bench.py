"""The performance benchmark: every target of the performance issue, measured, one line each.

    python tests/benchmarks/bench.py [--scale S] [--runs N] [--only NAME,...] [--keep DIR] [--json] [--strict]

Prints `name  value  target  PASS/FAIL`, the figures behind each value indented below it; `--json` prints
a list of {name, value, unit, target, passed, details}. Exits 0 even when a target is missed, unless
`--strict`. The knowledge base (generate.py at `--scale`) goes to a temporary directory, or to `--keep DIR`
and is reused from there.

First paint: launch in a private tmux server (80x24, no status line) until the tree shows in `tmux
capture-pane -p` (polled every 5 ms); medians of alternating launches. The parse cache is a temporary
ISIS_EXPLORER_CACHE_DIR, filled by a warm-up launch for "warm" figures, fresh and empty for "cold" ones.
In-process figures (`App.run_test()`) post each key and step the app until it shows the key's effect.

This file holds the figures measured from processes, the CLI and the run; beside it: processes.py
(launching, /proc readings, the private tmux server), in_app_figures.py (the figures measured with
Pilot), terminal_bytes.py (the bytes written to a pty: first screen, full repaint, tree moves), results.py
(the targets, a result, the report table), generate.py and minimal_app.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the modules beside this file, when run as a script from anywhere
import generate as generator  # noqa: E402 - tests/benchmarks/generate.py, found through the path above
from in_app_figures import cursor_moves, expand_wide_node, search_keystrokes  # noqa: E402
from processes import CACHE_ENV, Tmux, base_env, peak_rss_mib, wait_idle, wall  # noqa: E402
from results import TARGETS, Result, table  # noqa: E402
from terminal_bytes import measure as measure_terminal_bytes  # noqa: E402
from terminal_bytes import results as terminal_bytes_results  # noqa: E402

PYTHON = sys.executable
_SCRIPT = Path(PYTHON).with_name("isis-explorer")  # the console script beside this interpreter
APP = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "tui"]
MINIMAL, MINIMAL_TEXTS = [PYTHON, str(HERE / "minimal_app.py")], ("Regions",)  # its tree's (collapsed) root
# The app has painted when its tree shows the world ("World (18)") or the tree's border title: the same
# frame, and still there when the tree has already scrolled the world out of view (to the start region).
TREE_TITLE = "━ Regions ━"
SEED, COLD_ATTEMPTS = 2017, 3  # COLD_ATTEMPTS: cold starts tried
LIBYAML = "import sys, yaml\nfor f in sys.argv[1:]:\n    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)"
TMUX_FIGURES = {"first_paint_bundled_ratio", "first_paint_large_warm_ratio", "peak_rss_mib"}


def one_line(exc: Exception, width: int = 300) -> str:
    """An error (and the screen it may carry) as one line: its non-blank lines joined by " | "."""
    text = " | ".join(line.strip() for line in f"{type(exc).__name__}: {exc}".splitlines() if line.strip())
    return text if len(text) <= width else text[: width - 1] + "…"


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def alternating(runs: int, **launches: Callable[[], float]) -> dict[str, float]:
    """Median seconds of each launch, run in turn (a, b, a, b, ...) so that drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in launches}
    for _ in range(runs):
        for name, launch in launches.items():
            times[name].append(launch())
    return {name: statistics.median(values) for name, values in times.items()}


def ratio(name: str, medians: dict[str, float], app: str | tuple[str, ...], baseline: str, runs: int) -> Result:
    """The slowest of `app` over `baseline`, with every median in the details."""
    slowest = max(medians[key] for key in ((app,) if isinstance(app, str) else app))
    details = {f"{key}_median_s": round(value, 4) for key, value in medians.items()}
    return Result(name, slowest / medians[baseline], details | {"runs": runs})


class Bench:
    """What the figures share, each made when first needed: the data, its in-process load, tmux."""

    def __init__(self, args: argparse.Namespace, workdir: str) -> None:
        self.args, self.workdir, self.runs = args, workdir, args.runs
        self.timeout = 60 + 240 * args.scale  # seconds for a cold start (load, cache writing) at most
        self.failed_launches: list[str] = []

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
    def kb(self):
        from tui.loading.loader import load

        log("loading the knowledge base in-process")
        return load(self.kb_dir)

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
        return next(r["name"] for r in regions if r.get("kind") == "world") + " (", TREE_TITLE

    def cold_start(self, argv: list[str], texts: tuple[str, ...], env: dict[str, str], after) -> float:
        """A launch that reads everything into an empty cache. Tried again (cache emptied) when it never
        paints, up to COLD_ATTEMPTS times; each failure goes into the report as `failed_launches`."""
        for _ in range(COLD_ATTEMPTS - 1):
            try:
                return self.tmux.first_paint(argv, texts, env, self.timeout, after)
            except RuntimeError as exc:
                self.failed_launches.append(one_line(exc))
                shutil.rmtree(env[CACHE_ENV])
                os.mkdir(env[CACHE_ENV])
        return self.tmux.first_paint(argv, texts, env, self.timeout, after)

    def minimal_paint(self) -> float:
        return self.tmux.first_paint(MINIMAL, MINIMAL_TEXTS, base_env())


# -- figures from processes ----------------------------------------------------------------------
def first_paint_bundled(bench: Bench) -> list[Result]:
    from tui.loading.loader import load

    texts, env = (load().world.name + " (", TREE_TITLE), base_env(bench.temp("cache-"))
    bench.minimal_paint()  # warm-up: the OS file cache, and the app's parse cache
    bench.cold_start(APP, texts, env, lambda pid: wait_idle(pid, bench.timeout))

    def app() -> float:
        return bench.tmux.first_paint(APP, texts, env)

    medians = alternating(bench.runs, minimal=bench.minimal_paint, app=app)
    return [ratio("first_paint_bundled_ratio", medians, "app", "minimal", bench.runs)]


def first_paint_large_warm(bench: Bench) -> list[Result]:
    argv, texts, env = [*APP, "--data", bench.kb_dir], bench.app_texts(), base_env(bench.temp("cache-"))
    cold = bench.cold_start(argv, texts, env, lambda pid: wait_idle(pid, bench.timeout))  # fills the cache
    bench.minimal_paint()

    def app() -> float:
        return bench.tmux.first_paint(argv, texts, env, bench.timeout)

    result = ratio(
        "first_paint_large_warm_ratio",
        alternating(bench.runs, minimal=bench.minimal_paint, app=app),
        "app",
        "minimal",
        bench.runs,
    )
    result.details["warm_up_cold_s"] = round(cold, 3)
    return [result]


def peak_rss(bench: Bench) -> list[Result]:
    argv, texts, env = [*APP, "--data", bench.kb_dir], bench.app_texts(), base_env(bench.temp("cache-"))
    peaks: dict[str, float] = {}

    def read_peak(label: str) -> Callable[[int], None]:
        def after(pid: int) -> None:
            wait_idle(pid, bench.timeout)  # fully loaded, the cache written
            peaks[label] = round(peak_rss_mib(pid), 1)

        return after

    bench.cold_start(argv, texts, env, read_peak("cold_mib"))  # the cache dir starts empty
    bench.tmux.first_paint(argv, texts, env, bench.timeout, read_peak("warm_mib"))
    return [Result("peak_rss_mib", max(peaks.values()), peaks)]


def validate_cold(bench: Bench) -> list[Result]:
    runs, files = max(1, min(bench.runs, 3)), sorted(str(p) for p in Path(bench.kb_dir).glob("*.y*ml"))

    def libyaml() -> float:
        return wall([PYTHON, "-c", LIBYAML, *files])

    def validate() -> float:
        return wall([*APP, "validate", "--data", bench.kb_dir], base_env(bench.temp("cache-")))

    return [
        ratio("validate_cold_ratio", alternating(runs, libyaml=libyaml, validate=validate), "validate", "libyaml", runs)
    ]


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


BENCHMARKS: list[tuple[tuple[str, ...], Callable[[Bench], list[Result]]]] = [
    (("version_ratio",), version),
    (("first_paint_bundled_ratio",), first_paint_bundled),
    (("search_keystroke_p95_ms",), search_keystrokes),
    (("tree_cursor_p95_ms", "list_cursor_p95_ms"), cursor_moves),
    (("expand_1000_children_ms",), expand_wide_node),
    (("validate_cold_ratio",), validate_cold),
    (("first_paint_large_warm_ratio",), first_paint_large_warm),
    (("peak_rss_mib",), peak_rss),
    (("first_screen_repaints", "tree_move_median_repaints", "tree_move_max_repaints"), terminal_bytes),
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
