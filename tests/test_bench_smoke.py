"""The performance benchmark (tests/benchmarks/bench.py), run tiny so it cannot rot: every figure that
needs no tmux is measured at scale 0.01, once, and must come back as a positive number in the JSON shape."""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).parent / "benchmarks" / "bench.py"
IN_PROCESS_AND_SUBPROCESS = (  # the tmux figures (first paint, first search, peak RSS) are left to the real run
    "version_ratio",
    "validate_cold_ratio",
    "store_size_ratio",
    "search_keystroke_p95_ms",
    "search_code_p95_ms",
    "search_short_p95_ms",
    "tree_cursor_p95_ms",
    "list_cursor_p95_ms",
    "expand_1000_children_ms",
)
TERMINAL_BYTES = (
    "first_screen_repaints",
    "tree_move_median_repaints",
    "tree_move_max_repaints",
    "map_pan_median_repaints",
    "map_step_median_repaints",
)


def _import_bench():
    spec = importlib.util.spec_from_file_location("isis_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _import_bench()
bench_results = importlib.import_module("results")  # tests/benchmarks/results.py: bench.py put its folder on sys.path
terminal_bytes = importlib.import_module("terminal_bytes")  # tests/benchmarks/terminal_bytes.py, likewise
launch_figures = importlib.import_module("launch_figures")
growth = importlib.import_module("growth")


def test_every_figure_without_tmux_comes_back_as_a_positive_number(tmp_path: Path) -> None:
    only = ",".join(IN_PROCESS_AND_SUBPROCESS)
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--scale",
            "0.01",
            "--runs",
            "1",
            "--only",
            only,
            "--json",
            "--keep",
            str(tmp_path / "kb"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH.parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    assert isinstance(results, list)
    assert [r["name"] for r in results] == [name for name in bench_results.TARGETS if name in IN_PROCESS_AND_SUBPROCESS]
    for r in results:
        assert {"name", "value", "unit", "target", "passed"} <= r.keys(), r
        assert r["details"].get("error") is None, r
        assert isinstance(r["value"], float) and r["value"] > 0, r
        assert (r["target"], r["unit"]) == bench_results.TARGETS[r["name"]], r
        assert r["passed"] is (r["value"] <= r["target"]), r


def test_the_table_says_pass_or_fail_against_each_target() -> None:
    results = [
        bench_results.Result("version_ratio", 1.5, {"python_median_s": 0.02}),
        bench_results.Result("tree_cursor_p95_ms", 20.0),
        bench_results.Result("peak_rss_mib", None, {"error": "boom"}),
    ]
    lines = bench_results.table(results).splitlines()
    assert lines[0].split() == ["version_ratio", "1.5", "x", "≤", "2", "PASS"]
    assert lines[1] == "    python_median_s: 0.02"
    assert lines[2].split() == ["tree_cursor_p95_ms", "20", "ms", "≤", "16", "FAIL"]
    assert lines[3].split() == ["peak_rss_mib", "error", "MiB", "≤", "120", "FAIL"]


def test_the_growth_table_has_a_row_per_figure_and_a_column_per_scale() -> None:
    def result(name: str, value: float | None) -> dict:
        return bench_results.Result(name, value).as_json()

    runs = {
        "0.25": [result("peak_rss_mib", 50.0), result("store_size_ratio", 2.5)],
        "10": [result("peak_rss_mib", 130.0), result("store_size_ratio", None)],
    }
    lines = growth.growth_table(runs, {"0.25": 22, "10": None}).splitlines()
    assert lines[0] == "| figure | target | 0.25 (22 MB) | 10 (? MB) |"
    assert lines[2] == "| `store_size_ratio` | ≤ 3 x | 2.5 ✓ | error |"  # the targets' order
    assert lines[3] == "| `peak_rss_mib` | ≤ 120 MiB | 50 ✓ | 130 ✗ |"
    assert len(lines) == 4


SCREEN_LOADING = """\
┏━ Regions ━━━━━━━━━━━━━━━━━━━━┓╭─ Loading ────────────────────────────────────╮
┃└ ▼ Zananiya (37)             ┃│ Loading the knowledge base…                  │
┃  └ ▶ Mosrīpur (30)           ┃│                                              │
╭─ Assessments ────────────────────────────────────────────────────────────────╮
│ No assessments for this selection.                                           │"""
SCREEN_FULL = """\
┏━ Regions ━━━━━━━━━━━━━━━━━━━━┓╭─ region ─────────────────────────────────────╮
┃└ ▼ Zananiya (37)             ┃│ Mosrīpur                                     │
┃  └ ▶ Mosrīpur (30)           ┃│ area (our classification) · in Zananiya ›    │
╭─ Assessments 1/79 ───────────────────────────────────────────────────────────╮
│ Yusuf García, relayed by Zainab García                                       │"""


def test_the_first_full_screen_needs_the_detail_and_the_assessments_not_just_the_tree() -> None:
    full = launch_figures.full_screen("Mosrīpur")
    assert full(SCREEN_FULL)
    assert not full(SCREEN_LOADING)  # the name in the tree alone does not count
    assert not full(SCREEN_FULL.replace("Assessments 1/79", "Assessments ─────"))  # no card yet
    assert not launch_figures.full_screen("Anoran")(SCREEN_FULL)


def test_p95_is_the_nearest_rank() -> None:
    assert bench_results.p95([float(n) for n in range(1, 101)]) == 95.0
    assert bench_results.p95([3.0]) == 3.0
    assert bench_results.p95([1.0, 2.0]) == 2.0


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(SystemExit, match="unknown name"):
        bench.main(["--only", "no_such_figure"])


def test_the_terminal_bytes_figures_come_back_in_a_pty() -> None:
    """The app in a pty on the bundled data: the first screen, a full repaint and ten tree moves each wrote
    bytes, the shares of a repaint are what the details say, and they meet the targets."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--only", ",".join(TERMINAL_BYTES), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH.parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = {r["name"]: r for r in json.loads(done.stdout)}
    assert list(results) == list(TERMINAL_BYTES)
    for r in results.values():
        assert r["details"].get("error") is None, r
        assert (r["target"], r["unit"]) == bench_results.TARGETS[r["name"]], r
    first, median = results["first_screen_repaints"], results["tree_move_median_repaints"]
    repaint = first["details"]["full_repaint_bytes"]
    assert repaint > 5000, first  # 80x24 of borders, text and colours
    assert first["value"] == pytest.approx(first["details"]["first_screen_bytes"] / repaint, rel=1e-3)
    moves = median["details"]["move_bytes"]
    assert len(moves) == 10 and all(n > 0 for n in moves), median  # every move drew something
    assert results["tree_move_max_repaints"]["value"] == pytest.approx(max(moves) / repaint, rel=1e-3)
    pans = results["map_pan_median_repaints"]["details"]["pan_bytes"]
    assert len(pans) == 10 and all(n > 0 for n in pans)  # every pan drew the map again
    # The targets (first screen <= 1.5 repaints, move median <= 0.25, no move above 0.5); measured
    # 1.39, 0.229 and 0.357 when they were set
    assert all(r["passed"] for r in results.values()), {n: r["value"] for n, r in results.items()}


def test_the_terminal_bytes_figures_say_where_the_bytes_went() -> None:
    """The move figures of a run: bytes per move over the full repaint, each frame's rows decoded."""
    frame = b"\x1b[?2026h\x1b[3;33H\x1b[1mIraq\x1b[0m\x1b[4;77H  \x1b[1;1H\x1b[?2026l"
    frames = terminal_bytes.frames([(0.0, b"\x1b[?1049h"), (0.1, frame[:20]), (0.1, frame[20:] + frame)])
    assert frames == [b"\x1b[?1049h", frame, frame]
    decoded = terminal_bytes.decode(frame)
    assert decoded.size == len(frame)
    assert decoded.columns == {3: (33, 33), 4: (77, 77), 1: (1, 1)}
    assert decoded.rows[3] == len(b"\x1b[3;33H\x1b[1mIraq\x1b[0m") and decoded.rows[4] == len(b"\x1b[4;77H  ")
    assert decoded.sgr == len(b"\x1b[1m\x1b[0m")
    measured = terminal_bytes.Measured(40_000, 20_000.0, [4000, 6000, 12_000], [[frame]] * 3, [frame], [frame])
    first, median, most = terminal_bytes.results(measured)
    assert (first.name, first.value) == ("first_screen_repaints", 2.0)
    assert (median.name, median.value) == ("tree_move_median_repaints", 0.3)
    assert (most.name, most.value) == ("tree_move_max_repaints", 0.6)
    assert median.details["move_bytes"] == [4000, 6000, 12_000] and median.details["full_repaint_bytes"] == 20_000
