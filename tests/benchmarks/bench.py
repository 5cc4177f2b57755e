"""The performance benchmark: every target of the performance issue, measured, one line each.

    python tests/benchmarks/bench.py [--scale S] [--runs N] [--only NAME,...] [--keep DIR] [--json] [--strict]

Prints `name  value  target  PASS/FAIL` (with the figures behind each ratio indented below it), or with
`--json` a JSON list of {name, value, unit, target, passed, details}. Exits 0 even when a target is
missed, unless `--strict`. The reference knowledge base (tests/benchmarks/generate.py at `--scale`) is
generated into a temporary directory, or into `--keep DIR` and reused from there when it matches.

How each figure is taken:
- first paint: launch in a private tmux server (80x24, status line off) → the tree's first label is in
  `tmux capture-pane -p` (polled every 5 ms); median of alternating launches, minimal app first.
- the app's parse cache lives in a temporary ISIS_EXPLORER_CACHE_DIR: filled by an untimed warm-up
  launch where the issue says "warm", a fresh empty one per run where it says "cold".
- in-process figures use `App.run_test()`; each key is posted as a `textual.events.Key` (what
  `App.simulate_key` does) and awaited with `pilot.pause(0)` steps until the app's state shows the
  key's effect, then one more `pilot.pause(0)` paints it (headless: composited, not written out).
  `pilot.press` is not used for timing: it always sleeps ≥ 2 x 20 ms waiting for idle.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
_SCRIPT = Path(PYTHON).with_name("isis-explorer")
APP = [str(_SCRIPT)] if _SCRIPT.exists() else [PYTHON, "-m", "tui"]
MINIMAL, MINIMAL_TEXT = [PYTHON, str(HERE / "minimal_app.py")], "Regions"  # its tree's (collapsed) root
CACHE_ENV, DATA_ENV = "ISIS_EXPLORER_CACHE_DIR", "ISIS_EXPLORER_DATA"
SIZE, SEED = (80, 24), 2017
SEARCH_QUERIES = ("caliphate", "victorious front", "returnees", "wadi", "al-tamimi", "desert outposts", "brigade")
PRESSES = 120  # down keys per list; the p95 then rests on 6 samples
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
TMUX_FIGURES = {"first_paint_bundled_ratio", "first_paint_large_warm_ratio", "peak_rss_mib"}


def _import_generator():
    spec = importlib.util.spec_from_file_location("kb_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


generator = _import_generator()


@dataclass
class Result:
    name: str
    value: float | None  # None: the measurement itself failed (see details["error"])
    details: dict = field(default_factory=dict)

    @property
    def target(self) -> float:
        return TARGETS[self.name][0]

    @property
    def unit(self) -> str:
        return TARGETS[self.name][1]

    @property
    def passed(self) -> bool:
        return self.value is not None and self.value <= self.target

    def as_json(self) -> dict:
        return {"name": self.name, "value": self.value, "unit": self.unit, "target": self.target,
                "passed": self.passed, "details": self.details}


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def alternating(runs: int, **launches: Callable[[], float]) -> dict[str, float]:
    """Median seconds of each launch, run in turn (a, b, a, b, ...) so drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in launches}
    for _ in range(runs):
        for name, launch in launches.items():
            times[name].append(launch())
    return {name: statistics.median(values) for name, values in times.items()}


def ratio(name: str, medians: dict[str, float], app: str, baseline: str, runs: int) -> Result:
    details = {f"{key}_median_s": round(value, 4) for key, value in medians.items()}
    return Result(name, medians[app] / medians[baseline], details | {"runs": runs})


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
    """Until the process has used < `budget` s of CPU over `quiet` s: loading and cache writing are over."""
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
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


class Tmux:
    """A private tmux server (own socket), kept alive by a keeper session; every pane 80x24."""

    def __init__(self) -> None:
        self.socket, self.count = f"isis-bench-{os.getpid()}", 0
        self.run("new-session", "-d", "-s", "bench-keeper", "sleep 100000")
        self.run("set-option", "-g", "status", "off")  # else the pane is 80x23
        self.run("set-option", "-g", "remain-on-exit", "on")  # a crash stays readable
        self.socket_path = self.run("display-message", "-p", "#{socket_path}").strip()

    def run(self, *args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check).stdout

    def close(self) -> None:
        self.run("kill-session", "-t", "bench-keeper", check=False)  # the last session: the server exits
        Path(self.socket_path).unlink(missing_ok=True)

    def launch(self, argv: list[str], env: dict[str, str]) -> tuple[str, int, float]:
        """Start `argv` in a new pane: (session name, pid, perf_counter at launch)."""
        self.count += 1
        name = f"run-{self.count}"
        extra = [f"{k}={v}" for k, v in env.items() if os.environ.get(k) != v]
        command = shlex.join(["exec", "env", *[f"-u{k}" for k in os.environ if k not in env], *extra, *argv])
        start = time.perf_counter()
        out = self.run("new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", name, "-x", str(SIZE[0]),
                       "-y", str(SIZE[1]), "-c", str(HERE.parents[1]), command)
        return name, int(out), start

    def wait_for(self, name: str, text: str, timeout: float) -> float:
        """perf_counter when `text` is first on the pane's screen (polled every ~5 ms)."""
        end = time.perf_counter() + timeout
        while True:
            screen = self.run("capture-pane", "-p", "-t", name, check=False)
            if text in screen:
                return time.perf_counter()
            if self.run("display-message", "-p", "-t", name, "#{pane_dead}", check=False).strip() != "0" \
                    or time.perf_counter() > end:
                raise RuntimeError(f"{text!r} never shown; the pane shows:\n{screen.rstrip()}")
            time.sleep(0.005)

    def stop(self, name: str, pid: int) -> None:
        self.run("kill-session", "-t", name, check=False)  # SIGHUP: the app restores the terminal, exits
        end = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < end:
            time.sleep(0.01)
        if Path(f"/proc/{pid}").exists():
            os.kill(pid, signal.SIGKILL)

    def first_paint(self, argv: list[str], text: str, env: dict[str, str], timeout: float = 60,
                    after: Callable[[int], None] | None = None) -> float:
        """Seconds from launch to `text` on screen; `after(pid)` runs before the app is stopped."""
        name, pid, start = self.launch(argv, env)
        try:
            painted = self.wait_for(name, text, timeout) - start
            if after:
                after(pid)
            return painted
        finally:
            self.stop(name, pid)


# -- the benchmark run ---------------------------------------------------------------------------
class Bench:
    def __init__(self, args: argparse.Namespace, workdir: str) -> None:
        self.args, self.workdir, self.runs = args, workdir, args.runs
        self.timeout = 60 + 240 * args.scale  # seconds for a cold start (load, cache writing) at most
        self._kb_dir: str | None = None
        self._kb = None
        self._tmux: Tmux | None = None

    def temp(self, prefix: str) -> str:
        return tempfile.mkdtemp(prefix=prefix, dir=self.workdir)

    @property
    def kb_dir(self) -> str:
        """The reference knowledge base at --scale: generated once, or reused from --keep."""
        if self._kb_dir is None:
            out = self.args.keep or os.path.join(self.workdir, "kb")
            head = Path(out, "regions-0001.yaml")
            stamp = f"--scale {self.args.scale} --seed {SEED})"
            if not (head.exists() and stamp in head.read_text(encoding="utf-8").split("\n", 1)[0]):
                log(f"generating the knowledge base at scale {self.args.scale} in {out}")
                generator.generate(out, self.args.scale, SEED)
            self._kb_dir = out
        return self._kb_dir

    @property
    def files(self) -> list[str]:
        return sorted(str(p) for p in Path(self.kb_dir).iterdir() if p.suffix in (".yaml", ".yml"))

    @property
    def kb(self):
        if self._kb is None:
            from tui.model import load

            log("loading the knowledge base in-process")
            self._kb = load(self.kb_dir)
        return self._kb

    @property
    def tmux(self) -> Tmux:
        if self._tmux is None:
            self._tmux = Tmux()
        return self._tmux

    def close(self) -> None:
        if self._tmux:
            self._tmux.close()

    def world_text(self) -> str:
        """What first paint waits for in the generated data: the world region's name, then " (" ."""
        import yaml

        with open(Path(self.kb_dir, "regions-0001.yaml"), encoding="utf-8") as handle:
            regions = yaml.load(handle, Loader=yaml.CSafeLoader)["regions"]
        return next(r["name"] for r in regions if r.get("kind") == "world") + " ("


def first_paint_bundled(bench: Bench) -> list[Result]:
    from tui.model import load

    text, env = load().world.name + " (", base_env(bench.temp("cache-"))
    minimal = lambda: bench.tmux.first_paint(MINIMAL, MINIMAL_TEXT, base_env())
    app = lambda: bench.tmux.first_paint(APP, text, env, after=lambda pid: wait_idle(pid, 60))
    minimal(), app()  # warm-up: the OS file cache, and the app's parse cache
    app = lambda: bench.tmux.first_paint(APP, text, env)
    medians = alternating(bench.runs, minimal=minimal, app=app)
    return [ratio("first_paint_bundled_ratio", medians, "app", "minimal", bench.runs)]


def first_paint_large_warm(bench: Bench) -> list[Result]:
    argv, text, env = [*APP, "--data", bench.kb_dir], bench.world_text(), base_env(bench.temp("cache-"))
    minimal = lambda: bench.tmux.first_paint(MINIMAL, MINIMAL_TEXT, base_env())
    cold = bench.tmux.first_paint(argv, text, env, bench.timeout, lambda pid: wait_idle(pid, bench.timeout))
    minimal()
    app = lambda: bench.tmux.first_paint(argv, text, env, bench.timeout)
    medians = alternating(bench.runs, minimal=minimal, app=app)
    result = ratio("first_paint_large_warm_ratio", medians, "app", "minimal", bench.runs)
    result.details["warm_up_cold_s"] = round(cold, 3)
    return [result]


def peak_rss(bench: Bench) -> list[Result]:
    argv, text, env = [*APP, "--data", bench.kb_dir], bench.world_text(), base_env(bench.temp("cache-"))
    peaks: dict[str, float] = {}

    def measure(label: str) -> Callable[[int], None]:
        def after(pid: int) -> None:
            wait_idle(pid, bench.timeout)  # fully loaded (and the cache written) before reading the peak
            peaks[label] = round(peak_rss_mib(pid), 1)
        return after

    bench.tmux.first_paint(argv, text, env, bench.timeout, measure("cold_mib"))  # the cache dir starts empty
    bench.tmux.first_paint(argv, text, env, bench.timeout, measure("warm_mib"))
    return [Result("peak_rss_mib", max(peaks.values()), peaks)]


def validate_cold(bench: Bench) -> list[Result]:
    runs, files = max(1, min(bench.runs, 3)), bench.files
    libyaml = lambda: wall([PYTHON, "-c", LIBYAML, *files])
    validate = lambda: wall([*APP, "validate", "--data", bench.kb_dir], base_env(bench.temp("cache-")))
    medians = alternating(runs, libyaml=libyaml, validate=validate)
    return [ratio("validate_cold_ratio", medians, "validate", "libyaml", runs)]


def version(bench: Bench) -> list[Result]:
    medians = alternating(bench.runs, python=lambda: wall([PYTHON, "-c", "pass"]),
                          version=lambda: wall([*APP, "--version"]), help=lambda: wall([*APP, "--help"]))
    details = {f"{key}_median_s": round(value, 4) for key, value in medians.items()} | {"runs": bench.runs}
    return [Result("version_ratio", max(medians["version"], medians["help"]) / medians["python"], details)]


# -- in-process, with Pilot ----------------------------------------------------------------------
async def until(pilot, done: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not reach the expected state in time")
        await pilot.pause(0)


async def timed_key(pilot, key: str, done: Callable[[], bool], char: str | None = None) -> float:
    """Milliseconds from posting a key until `done()` and the next screen update."""
    from textual import events

    await pilot.pause()  # idle: nothing left over from the previous key
    start = time.perf_counter()
    pilot.app.post_message(events.Key(key, char))
    await until(pilot, done)
    await pilot.pause(0)  # pilot.pause runs the screen's update: layout and compositing
    return (time.perf_counter() - start) * 1000


def run_app(bench: Bench, scenario) -> list[Result]:
    """Run `scenario(pilot)` in the app on the reference data, once the region tree is filled."""
    from tui.app import ExplorerApp
    from tui.widgets.region_tree import RegionTree

    app, kb = ExplorerApp(bench.kb), bench.kb

    async def main() -> list[Result]:
        async with app.run_test(size=SIZE) as pilot:
            def ready() -> bool:  # fully loaded (the app may load in the background) and the tree filled
                trees = app.screen.query(RegionTree)
                return getattr(app, "kb", None) is not None and bool(trees) and bool(
                    trees.first().root.children or not kb.world)
            await until(pilot, ready, timeout=300)
            await pilot.pause()
            return await scenario(pilot)

    return asyncio.run(main())


def key_for(char: str) -> str:
    return {" ": "space", "-": "minus"}.get(char, char)


async def search_scenario(pilot) -> list[Result]:
    from textual.widgets import Input, Static

    opened = time.perf_counter()
    await pilot.press("slash")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.index.ready, timeout=300)
    details = {"open_and_index_s": round(time.perf_counter() - opened, 3)}
    field_, count = screen.query_one(Input), screen.query_one("#search-count", Static)
    samples: list[float] = []
    def updated(query: str, before: object) -> Callable[[], bool]:  # every update replaces the count line
        return lambda: field_.value == query and count.content is not before

    for query in SEARCH_QUERIES:
        if field_.value:
            done, field_.value = updated("", count.content), ""
            await until(pilot, done)
        for char in query:
            done = updated(field_.value + char, count.content)
            samples.append(await timed_key(pilot, key_for(char), done, char))
    details |= {"keystrokes": len(samples), "median_ms": round(statistics.median(samples), 2),
                "max_ms": round(max(samples), 2), "queries": list(SEARCH_QUERIES)}
    return [Result("search_keystroke_p95_ms", p95(samples), details)]


async def cursor_scenario(pilot) -> list[Result]:
    from textual.widgets import DataTable, Static

    from tui.widgets.region_tree import RegionTree

    app, explorer = pilot.app, pilot.app.screen
    tree = explorer.query_one(RegionTree)
    tree.select_region(generator.WIDE_ID)  # expands the way down; the wide node gives lines to walk
    await until(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data == generator.WIDE_ID)
    wide, children = tree.cursor_node, len(app.kb.children(generator.WIDE_ID))
    wide.expand()
    await until(pilot, lambda: len(wide.children) == children)
    tree.move_cursor(tree.root)
    await until(pilot, lambda: explorer.selection == ("regions", tree.root.data))
    def tree_moved(line: int) -> Callable[[], bool]:  # the cursor is on the line, the detail pane shows it
        return lambda: tree.cursor_line == line and explorer.selection == ("regions", getattr(tree.cursor_node, "data", 0))

    tree_ms: list[float] = []
    for _ in range(min(PRESSES, tree.last_line - tree.cursor_line)):
        tree_ms.append(await timed_key(pilot, "down", tree_moved(tree.cursor_line + 1)))
    opened = time.perf_counter()
    await pilot.press("4")
    await until(pilot, lambda: app.screen is not explorer and bool(app.screen.query(DataTable)), timeout=120)
    table, preview = app.screen.query_one(DataTable), app.screen.query_one("#preview", Static)
    await until(pilot, lambda: table.row_count > 0, timeout=120)
    open_s = time.perf_counter() - opened
    def list_moved(row: int, before: object) -> Callable[[], bool]:  # the cursor moved, the preview followed
        return lambda: table.cursor_row == row and preview.content is not before

    list_ms: list[float] = []
    for _ in range(min(PRESSES, table.row_count - 1 - table.cursor_row)):
        list_ms.append(await timed_key(pilot, "down", list_moved(table.cursor_row + 1, preview.content)))
    summary = lambda ms: {"presses": len(ms), "median_ms": round(statistics.median(ms), 2),
                          "max_ms": round(max(ms), 2)}
    return [Result("tree_cursor_p95_ms", p95(tree_ms), summary(tree_ms)),
            Result("list_cursor_p95_ms", p95(list_ms), summary(list_ms) | {"open_timeline_s": round(open_s, 3),
                                                                          "rows": table.row_count})]


def expand_scenario(runs: int):
    async def scenario(pilot) -> list[Result]:
        from tui.widgets.region_tree import RegionTree

        tree = pilot.app.screen.query_one(RegionTree)
        wanted = len(pilot.app.kb.children(generator.WIDE_ID))
        tree.select_region(generator.WIDE_ID)
        await until(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data == generator.WIDE_ID)
        node, samples = tree.cursor_node, []

        def expanded(lines: int) -> Callable[[], bool]:  # children added, and the tree rebuilt its lines
            return lambda: len(node.children) == wanted and tree.virtual_size.height >= lines + wanted
        for _ in range(runs):
            node.collapse()
            node.remove_children()  # so the app builds them again, as on a first expand
            await pilot.pause()
            samples.append(await timed_key(pilot, "right", expanded(tree.virtual_size.height)))
        details = {"children": wanted, "runs": runs, "all_ms": [round(s, 1) for s in samples]}
        return [Result("expand_1000_children_ms", statistics.median(samples), details)]
    return scenario


BENCHMARKS: list[tuple[tuple[str, ...], Callable[[Bench], list[Result]]]] = [
    (("version_ratio",), version),
    (("first_paint_bundled_ratio",), first_paint_bundled),
    (("search_keystroke_p95_ms",), lambda bench: run_app(bench, search_scenario)),
    (("tree_cursor_p95_ms", "list_cursor_p95_ms"), lambda bench: run_app(bench, cursor_scenario)),
    (("expand_1000_children_ms",), lambda bench: run_app(bench, expand_scenario(bench.runs))),
    (("validate_cold_ratio",), validate_cold),
    (("first_paint_large_warm_ratio",), first_paint_large_warm),
    (("peak_rss_mib",), peak_rss),
]


def run(args: argparse.Namespace) -> list[Result]:
    wanted = set(args.only.split(",")) if args.only else set(TARGETS)
    unknown = wanted - set(TARGETS)
    if unknown:
        raise SystemExit(f"bench: unknown name(s) {', '.join(sorted(unknown))}; choose from {', '.join(TARGETS)}")
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
                    except Exception as exc:  # noqa: BLE001 - a broken measurement is a failed target, not a crash
                        found = [Result(name, None, {"error": f"{type(exc).__name__}: {exc}"}) for name in names]
                    results += [r for r in found if r.name in wanted]
        finally:
            bench.close()
    order = list(TARGETS)  # the order
    return sorted(results, key=lambda r: order.index(r.name))


def table(results: list[Result]) -> str:
    lines = []
    for r in results:
        value = "error" if r.value is None else f"{r.value:.3g}"
        lines.append(f"{r.name:<30} {value:>8} {r.unit:<3}  ≤ {r.target:g}  {'PASS' if r.passed else 'FAIL'}")
        lines += [f"    {key}: {value}" for key, value in r.details.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the generated knowledge base (1.0)")
    parser.add_argument("--runs", type=int, default=7, help="launches per median (validate: at most 3)")
    parser.add_argument("--only", metavar="NAME,...", help=f"some of: {', '.join(TARGETS)}")
    parser.add_argument("--keep", metavar="DIR", help="generate the knowledge base here and reuse it")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of the table")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1 or not 0 < args.scale < 1000:
        parser.error("--runs must be at least 1 and --scale above 0")
    results = run(args)
    print(json.dumps([r.as_json() for r in results], indent=2) if args.json else table(results))
    return 1 if args.strict and not all(r.passed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
