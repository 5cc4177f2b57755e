"""The performance benchmark: every target of the performance issue, measured, one line each.

    python tests/benchmarks/bench.py [--scale S] [--runs N] [--only NAME,...] [--keep DIR] [--json] [--strict]

Prints `name  value  target  PASS/FAIL`, the figures behind each value indented below it; `--json` prints
a list of {name, value, unit, target, passed, details}. Exits 0 even when a target is missed, unless
`--strict`. The knowledge base (generate.py at `--scale`) goes to a temporary directory, or to `--keep DIR`
and is reused from there.

First paint: launch in a private tmux server (80x24, no status line) until the tree shows in `tmux
capture-pane -p` (polled every 5 ms); medians of alternating launches. The parse cache is a temporary
ISIS_EXPLORER_CACHE_DIR, filled by a warm-up launch for "warm" figures, fresh and empty for "cold" ones.
In-process figures (`App.run_test()`) post each key as a `textual.events.Key` (as `App.simulate_key`
does) and step `pilot.pause(0)` until the app's state shows the key's effect, then once more to paint
it (headless: composited, not written out). `pilot.press` would add ≥ 2 x 20 ms of idle waiting.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate as generator  # tests/benchmarks/generate.py, beside this file

PYTHON = sys.executable
_SCRIPT = Path(PYTHON).with_name("isis-explorer")  # the console script beside this interpreter
APP = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "tui"]
MINIMAL, MINIMAL_TEXTS = [PYTHON, str(HERE / "minimal_app.py")], ("Regions",)  # its tree's (collapsed) root
# The app has painted when its tree shows the world ("World (18)") or the tree's border title: the same
# frame, and still there when the tree has already scrolled the world out of view (to the start region).
TREE_TITLE = "━ Regions ━"
CACHE_ENV, DATA_ENV = "ISIS_EXPLORER_CACHE_DIR", "ISIS_EXPLORER_DATA"
SIZE, SEED, PRESSES = (80, 24), 2017, 120  # PRESSES: down keys per list
IDLE_STUCK, COLD_ATTEMPTS = 3.0, 3  # a launch idle this long before painting is stuck; cold starts tried
SEARCH_QUERIES = ("caliphate", "victorious front", "returnees", "wadi", "al-tamimi", "desert outposts", "brigade")
LIBYAML = "import sys, yaml\nfor f in sys.argv[1:]:\n    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)"
TARGETS = {  # name: (target, unit); a value at or below the target passes
    "first_paint_bundled_ratio": (1.25, "x"),
    "validate_cold_ratio": (1.5, "x"),
    "first_paint_large_warm_ratio": (2.0, "x"),
    "search_keystroke_p95_ms": (50.0, "ms"),
    "tree_cursor_p95_ms": (16.0, "ms"),
    "list_cursor_p95_ms": (16.0, "ms"),
    "expand_1000_children_ms": (100.0, "ms"),
    "peak_rss_mib": (400.0, "MiB"),
    "version_ratio": (2.0, "x"),
}
POOL_THREADS = ("asyncio_", "ThreadPoolExecutor")  # idle pool threads live on: not background work
TMUX_FIGURES = {"first_paint_bundled_ratio", "first_paint_large_warm_ratio", "peak_rss_mib"}


@dataclass
class Result:
    name: str
    value: float | None  # None: the measurement itself failed (see details["error"])
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        target, unit = TARGETS[self.name]
        return {"name": self.name, "value": self.value, "unit": unit, "target": target,
                "passed": self.value is not None and self.value <= target, "details": self.details}


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    return sorted(samples)[max(0, math.ceil(0.95 * len(samples)) - 1)]


def spread(ms: list[float]) -> dict:
    return {"samples": len(ms), "median_ms": round(statistics.median(ms), 2), "max_ms": round(max(ms), 2)}


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


# -- processes and tmux --------------------------------------------------------------------------
def base_env(cache_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (DATA_ENV, CACHE_ENV)}
    return env | ({CACHE_ENV: cache_dir} if cache_dir else {})


def wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env or base_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"{shlex.join(argv[:4])} … exited {done.returncode}: {done.stderr[-800:]}")
    return elapsed


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def wait_idle(pid: int, timeout: float, quiet: float = 0.5, budget: float = 0.03) -> None:
    """Until the process used < `budget` s of CPU in `quiet` s: loading and cache writing are over."""
    end = time.monotonic() + timeout
    since, used = time.monotonic(), cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.1)
        now, spent = time.monotonic(), cpu_seconds(pid)
        if spent - used >= budget:
            since, used = now, spent
        elif now - since >= quiet:
            return
    raise TimeoutError(f"process {pid} still busy after {timeout:.0f} s")


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:", 1)[1].split()[0]) / 1024  # kB


class Tmux:
    """A private tmux server (own socket), kept alive by a keeper session that ends with this process
    at the latest; every pane is 80x24."""

    def __init__(self) -> None:
        self.socket, self.count = f"isis-bench-{os.getpid()}", 0
        self.run("new-session", "-d", "-s", "bench-keeper", f"tail --pid={os.getpid()} -f /dev/null")
        self.run("set-option", "-g", "status", "off")  # else the pane is 80x23
        self.run("set-option", "-g", "remain-on-exit", "on")  # a crash stays on screen, for the report
        self.socket_path = self.run("display-message", "-p", "#{socket_path}").strip()

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check).stdout

    def close(self) -> None:
        self.run("kill-server", check=False)  # the keeper and any pane left by an interruption
        Path(self.socket_path).unlink(missing_ok=True)

    def first_paint(self, argv: list[str], texts: tuple[str, ...], env: dict[str, str], timeout: float = 60,
                    after: Callable[[int], None] | None = None) -> float:
        """Seconds from launch until one of `texts` is on screen; `after(pid)` runs before the stop."""
        self.count += 1
        name = f"run-{self.count}"
        changed = [f"{k}={v}" for k, v in env.items() if os.environ.get(k) != v]
        command = shlex.join(["exec", "env", *[f"-u{k}" for k in os.environ if k not in env], *changed, *argv])
        start = time.perf_counter()
        pid = int(self.run("new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", name, "-x", str(SIZE[0]),
                           "-y", str(SIZE[1]), "-c", str(HERE.parents[1]), command))
        try:
            mark, stuck = (start, 0.0), False  # (when, CPU s): idle for IDLE_STUCK s without painting is stuck
            while True:  # one tmux call per poll: the screen, then whether the app has exited
                screen, _, dead = self.run("capture-pane", "-p", "-t", name, ";", "display-message", "-p", "-t",
                                           name, "#{pane_dead}").rstrip("\n").rpartition("\n")
                if any(text in screen for text in texts):
                    break
                now = time.perf_counter()
                if dead == "0" and now - mark[0] > IDLE_STUCK:
                    stuck, mark = cpu_seconds(pid) - mark[1] < 0.05, (now, cpu_seconds(pid))
                if dead != "0" or now - start > timeout or stuck:
                    why = "exited" if dead != "0" else "idle" if stuck else f"not done in {timeout:.0f} s"
                    raise RuntimeError(f"{texts[0]!r} never shown ({why}); the pane shows:\n{screen}")
                time.sleep(0.005)
            painted = time.perf_counter() - start
            if after:
                after(pid)
            return painted
        finally:
            self.run("kill-session", "-t", name, check=False)  # SIGHUP: the app restores the terminal
            end = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < end:
                time.sleep(0.01)
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)


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
        from tui.model import load

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
    from tui.model import load

    texts, env = (load().world.name + " (", TREE_TITLE), base_env(bench.temp("cache-"))
    bench.minimal_paint()  # warm-up: the OS file cache, and the app's parse cache
    bench.cold_start(APP, texts, env, lambda pid: wait_idle(pid, bench.timeout))
    app = lambda: bench.tmux.first_paint(APP, texts, env)
    medians = alternating(bench.runs, minimal=bench.minimal_paint, app=app)
    return [ratio("first_paint_bundled_ratio", medians, "app", "minimal", bench.runs)]


def first_paint_large_warm(bench: Bench) -> list[Result]:
    argv, texts, env = [*APP, "--data", bench.kb_dir], bench.app_texts(), base_env(bench.temp("cache-"))
    cold = bench.cold_start(argv, texts, env, lambda pid: wait_idle(pid, bench.timeout))  # fills the cache
    bench.minimal_paint()
    app = lambda: bench.tmux.first_paint(argv, texts, env, bench.timeout)
    result = ratio("first_paint_large_warm_ratio", alternating(bench.runs, minimal=bench.minimal_paint, app=app),
                   "app", "minimal", bench.runs)
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
    libyaml = lambda: wall([PYTHON, "-c", LIBYAML, *files])
    validate = lambda: wall([*APP, "validate", "--data", bench.kb_dir], base_env(bench.temp("cache-")))
    return [ratio("validate_cold_ratio", alternating(runs, libyaml=libyaml, validate=validate),
                  "validate", "libyaml", runs)]


def version(bench: Bench) -> list[Result]:
    medians = alternating(bench.runs, python=lambda: wall([PYTHON, "-c", "pass"]),
                          version=lambda: wall([*APP, "--version"]), help=lambda: wall([*APP, "--help"]))
    return [ratio("version_ratio", medians, ("version", "help"), "python", bench.runs)]


# -- figures in-process, with Pilot --------------------------------------------------------------
async def until(pilot, done: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not reach the expected state in time")
        await pilot.pause(0)


async def timed_key(pilot, key: str, done: Callable[[], bool], char: str | None = None) -> float:
    """Milliseconds from posting a key until `done()` and the screen update after it."""
    from textual import events

    await pilot.pause()  # idle: nothing left over from the previous key
    start = time.perf_counter()
    pilot.app.post_message(events.Key(key, char))
    await until(pilot, done)
    await pilot.pause(0)  # pilot.pause runs the screen's pending update: layout and compositing
    return (time.perf_counter() - start) * 1000


def in_app(scenario: Callable) -> Callable[[Bench], list[Result]]:
    """Runs `scenario(pilot, bench)` in the app on the reference data once it is fully loaded."""
    def measure(bench: Bench) -> list[Result]:
        from tui.app import ExplorerApp
        from tui.widgets.region_tree import RegionTree

        app, threads = ExplorerApp(bench.kb), set(threading.enumerate())

        def ready() -> bool:  # loaded, the tree filled, and the app's own threads (loading, indexing) done
            trees = app.screen.query(RegionTree)
            busy = [t for t in threading.enumerate() if t not in threads and not t.name.startswith(POOL_THREADS)]
            return getattr(app, "kb", None) is not None and bool(trees and trees.first().root.children) and not busy

        async def main() -> list[Result]:
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, ready, timeout=bench.timeout)
                await pilot.pause()
                return await scenario(pilot, bench)

        return asyncio.run(main())
    return measure


@in_app
async def search_keystrokes(pilot, bench: Bench) -> list[Result]:
    """Type each query a character at a time into search; each key is done when the results are."""
    from textual.widgets import Input, Static

    opened = time.perf_counter()
    await pilot.press("slash")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.index.ready, timeout=bench.timeout)
    details = {"open_and_index_s": round(time.perf_counter() - opened, 3)}
    query, count = screen.query_one(Input), screen.query_one("#search-count", Static)

    def updated(text: str, before: object) -> Callable[[], bool]:  # each update replaces the count line
        return lambda: query.value == text and count.content is not before

    samples: list[float] = []
    for text in SEARCH_QUERIES:
        if query.value:
            done, query.value = updated("", count.content), ""
            await until(pilot, done)
        for char in text:
            done = updated(query.value + char, count.content)
            samples.append(await timed_key(pilot, {" ": "space", "-": "minus"}.get(char, char), done, char))
    return [Result("search_keystroke_p95_ms", p95(samples), details | spread(samples))]


@in_app
async def cursor_moves(pilot, bench: Bench) -> list[Result]:
    """`down` in the region tree, then in the Timeline view's table: done when the cursor (and the
    screen's selection) moved and the screen was refreshed. The detail pane and the preview follow
    once the cursor settles (tui/widgets/settle.py), on purpose, so they are not part of a step."""
    from textual.widgets import DataTable

    from tui.widgets.region_tree import RegionTree

    app, explorer = pilot.app, pilot.app.screen
    tree = explorer.query_one(RegionTree)
    tree.select_region(generator.WIDE_ID)  # expands the way down; the wide node's children give lines
    await until(pilot, lambda: getattr(tree.cursor_node, "data", None) == generator.WIDE_ID)
    wide, children = tree.cursor_node, len(app.kb.children(generator.WIDE_ID))
    wide.expand()
    await until(pilot, lambda: len(wide.children) == children)
    tree.move_cursor(tree.root)
    await until(pilot, lambda: explorer.selection == ("regions", tree.root.data))

    def tree_moved(line: int) -> Callable[[], bool]:
        return lambda: tree.cursor_line == line and explorer.selection == ("regions", tree.cursor_node.data)

    tree_ms = [await timed_key(pilot, "down", tree_moved(tree.cursor_line + 1))
               for _ in range(min(PRESSES, tree.last_line - tree.cursor_line))]
    opened = time.perf_counter()
    await pilot.press("4")
    await until(pilot, lambda: app.screen is not explorer and bool(app.screen.query(DataTable)), bench.timeout)
    table = app.screen.query_one(DataTable)
    await until(pilot, lambda: table.row_count > 0, bench.timeout)
    opened_s = round(time.perf_counter() - opened, 3)

    def row_moved(row: int) -> Callable[[], bool]:
        return lambda: table.cursor_row == row

    list_ms = [await timed_key(pilot, "down", row_moved(table.cursor_row + 1))
               for _ in range(min(PRESSES, table.row_count - 1 - table.cursor_row))]
    return [Result("tree_cursor_p95_ms", p95(tree_ms), spread(tree_ms)),
            Result("list_cursor_p95_ms", p95(list_ms), spread(list_ms) | {"open_timeline_s": opened_s,
                                                                          "rows": table.row_count})]


@in_app
async def expand_wide_node(pilot, bench: Bench) -> list[Result]:
    """`right` on the wide node, its children removed first, until they are back and in the tree's lines."""
    from tui.widgets.region_tree import RegionTree

    tree = pilot.app.screen.query_one(RegionTree)
    wanted = len(pilot.app.kb.children(generator.WIDE_ID))
    tree.select_region(generator.WIDE_ID)
    await until(pilot, lambda: getattr(tree.cursor_node, "data", None) == generator.WIDE_ID)
    node, samples = tree.cursor_node, []

    def expanded(lines: int) -> Callable[[], bool]:
        return lambda: len(node.children) == wanted and tree.virtual_size.height >= lines + wanted

    for _ in range(bench.runs):
        node.collapse()
        node.remove_children()  # so that the app adds them again, as on a first expand
        await pilot.pause()
        samples.append(await timed_key(pilot, "right", expanded(tree.virtual_size.height)))
    return [Result("expand_1000_children_ms", statistics.median(samples), {"children": wanted} | spread(samples))]


BENCHMARKS: list[tuple[tuple[str, ...], Callable[[Bench], list[Result]]]] = [
    (("version_ratio",), version),
    (("first_paint_bundled_ratio",), first_paint_bundled),
    (("search_keystroke_p95_ms",), search_keystrokes),
    (("tree_cursor_p95_ms", "list_cursor_p95_ms"), cursor_moves),
    (("expand_1000_children_ms",), expand_wide_node),
    (("validate_cold_ratio",), validate_cold),
    (("first_paint_large_warm_ratio",), first_paint_large_warm),
    (("peak_rss_mib",), peak_rss),
]


def run(args: argparse.Namespace) -> list[Result]:
    wanted = set(args.only.split(",")) if args.only else set(TARGETS)
    if wanted - set(TARGETS):
        raise SystemExit(f"bench: unknown name(s) {', '.join(sorted(wanted - set(TARGETS)))}; "
                         f"choose from {', '.join(TARGETS)}")
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
                    except Exception as exc:  # noqa: BLE001 - a broken measurement is a missed target
                        found = [Result(name, None, {"error": one_line(exc)}) for name in names]
                    for result in found if bench.failed_launches else ():
                        result.details["failed_launches"] = list(bench.failed_launches)
                    bench.failed_launches.clear()
                    results += [r for r in found if r.name in wanted]
        finally:
            bench.close()
    return sorted(results, key=lambda r: list(TARGETS).index(r.name))  # the order


def table(results: list[Result]) -> str:
    lines = []
    for r in map(Result.as_json, results):
        value = "error" if r["value"] is None else f"{r['value']:.3g}"
        verdict = "PASS" if r["passed"] else "FAIL"
        lines.append(f"{r['name']:<30} {value:>8} {r['unit']:<3}  ≤ {r['target']:g}  {verdict}")
        lines += [f"    {key}: {value}" for key, value in r["details"].items()]
    return "\n".join(lines)


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
