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
IN_PROCESS_AND_SUBPROCESS = (  # the tmux figures (first paint, peak RSS) are left to the real run
    "version_ratio",
    "validate_cold_ratio",
    "search_keystroke_p95_ms",
    "tree_cursor_p95_ms",
    "list_cursor_p95_ms",
    "expand_1000_children_ms",
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
    assert lines[3].split() == ["peak_rss_mib", "error", "MiB", "≤", "400", "FAIL"]


def test_p95_is_the_nearest_rank() -> None:
    assert bench_results.p95([float(n) for n in range(1, 101)]) == 95.0
    assert bench_results.p95([3.0]) == 3.0
    assert bench_results.p95([1.0, 2.0]) == 2.0


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(SystemExit, match="unknown name"):
        bench.main(["--only", "no_such_figure"])
