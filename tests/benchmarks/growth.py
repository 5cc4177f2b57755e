"""How each benchmark figure grows with the data: bench.py --json at several scales, one table.

    python tests/benchmarks/growth.py [--scales 0.25,1,2,4,10] [--keep-root DIR] [--runs N] [--big-runs M]
                                      [--only NAME,...] [--out FILE] [--from FILE]

Runs bench.py in a subprocess at each scale (its knowledge base kept in DIR/scaleS, generated there when
missing), with N launches per median below scale 4, M from scale 4 on and one at scale 10 and above, and
prints the README's table: one row per figure, one column per scale, each value with ✓ (target met) or ✗;
then the JSON of every run ({scale: [results]}). The figures on the bundled data (BUNDLED) do not depend
on the scale: they are measured at the first scale only ("—" elsewhere). `--out` also writes that JSON
after each scale, so a failure late keeps the rest; `--from` prints the table of such a file without
measuring.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the modules beside this file, when run as a script from anywhere
from results import TARGETS  # noqa: E402

BIG_SCALE, HUGE_SCALE = 4.0, 10.0  # from here on, --big-runs launches per median; from here on, one
BUNDLED = {
    "version_ratio",
    "first_paint_bundled_ratio",
    "first_screen_repaints",
    "tree_move_median_repaints",
    "tree_move_max_repaints",
}


def yaml_mb(directory: Path) -> float | None:
    files = list(directory.glob("*.y*ml"))
    return round(sum(f.stat().st_size for f in files) / 1e6) if files else None


def measure(scale: str, args: argparse.Namespace, first: bool) -> list[dict]:
    """bench.py --json at `scale`; its progress goes to our stderr."""
    runs = 1 if float(scale) >= HUGE_SCALE else args.big_runs if float(scale) >= BIG_SCALE else args.runs
    wanted = args.only.split(",") if args.only else list(TARGETS)
    wanted = [name for name in wanted if first or name not in BUNDLED]
    if not wanted:
        return []
    argv = [sys.executable, str(HERE / "bench.py"), "--scale", scale, "--runs", str(runs), "--json"]
    argv += ["--keep", str(Path(args.keep_root, f"scale{scale}")), "--only", ",".join(wanted)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # the app's bytecode cached
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.PIPE, text=True, check=False)
    print(f"growth: scale {scale}: {time.perf_counter() - start:.0f} s, exit {done.returncode}", file=sys.stderr)
    return json.loads(done.stdout) if done.stdout.strip() else []


def cell(result: dict | None) -> str:
    if result is None:
        return "—"
    if result["value"] is None:
        return "error"
    value = result["value"]
    text = f"{value:.3g}" if value < 1000 else f"{value:,.0f}"
    return f"{text} {'✓' if result['passed'] else '✗'}"


def growth_table(runs: dict[str, list[dict]], sizes: dict[str, float | None]) -> str:
    """The Markdown table: a row per figure (in the targets' order), a column per scale."""
    scales = list(runs)
    by_scale = {scale: {r["name"]: r for r in results} for scale, results in runs.items()}
    names = [name for name in TARGETS if any(name in found for found in by_scale.values())]
    header = ["figure", "target", *[f"{s} ({sizes.get(s) or '?'} MB)" for s in scales]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        target, unit = TARGETS[name]
        row = [f"`{name}`", f"≤ {target:g} {unit}", *[cell(by_scale[s].get(name)) for s in scales]]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scales", default="0.25,1,2,4,10", help="comma-separated (0.25,1,2,4,10)")
    parser.add_argument("--keep-root", default="/tmp/bench-kb", help="knowledge bases in DIR/scaleS")
    parser.add_argument("--runs", type=int, default=5, help="launches per median below scale 4 (5)")
    parser.add_argument("--big-runs", type=int, default=2, help="launches per median from scale 4 on (2)")
    parser.add_argument("--only", metavar="NAME,...", help="passed on to bench.py")
    parser.add_argument("--out", metavar="FILE", help="write the JSON here after each scale")
    parser.add_argument("--from", dest="source", metavar="FILE", help="print the table of a saved run")
    args = parser.parse_args(argv)
    if args.source:
        runs = json.loads(Path(args.source).read_text(encoding="utf-8"))
    else:
        runs = {}
        for n, scale in enumerate(s.strip() for s in args.scales.split(",")):
            runs[scale] = measure(scale, args, first=n == 0)
            if args.out:
                Path(args.out).write_text(json.dumps(runs, indent=2), encoding="utf-8")
    sizes = {scale: yaml_mb(Path(args.keep_root, f"scale{scale}")) for scale in runs}
    print(growth_table(runs, sizes))
    print()
    print(json.dumps(runs, indent=2))
    return 0 if all(runs.values()) or args.source else 1


if __name__ == "__main__":
    sys.exit(main())
