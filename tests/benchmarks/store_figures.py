"""The figures of the derived store: how long `validate --cache` takes to build it from nothing (against
libyaml's plain parse of the same files), and how big it is against the YAML it was built from, with what
the FTS5 trigram index costs.

The store is whichever SQLite file the cache directory holds (told by its header, not its name), so the
figure does not depend on how the app names it. The index's bytes come from SQLite's `dbstat` table (pages
per table and index); where `dbstat` is missing, from a copy of the store without the index, vacuumed.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from processes import APP, PYTHON, base_env, timed_run, wall
from results import Result, alternating, ratio

if TYPE_CHECKING:
    from bench import Bench

LIBYAML = "import sys, yaml\nfor f in sys.argv[1:]:\n    yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader)"
SQLITE_HEADER = b"SQLite format 3\x00"
FTS_PREFIX = "docs_fts"  # the FTS5 table and its shadow tables (tui/store/schema.py)
COUNTED = ("records", "links", "docs")


def build_store(bench: Bench, cache: str) -> float:
    """`validate --cache` of the reference data into `cache`: the seconds it took. Raises when no store
    came of it (validate says why on stderr, and still exits 0: a cache that cannot be written only
    costs speed)."""
    seconds, stderr = timed_run([*APP, "validate", "--cache", "--data", bench.kb_dir], base_env(cache))
    if not store_files(cache):
        raise RuntimeError(f"validate --cache wrote no store: {stderr.strip()[-600:] or 'and said nothing'}")
    return seconds


def validate_cold(bench: Bench) -> list[Result]:
    """`validate --cache` into an empty cache directory, in turn with CSafeLoader over the same files. The
    last run's store is kept as the bench's store (`bench.store_cache`) when it has none yet."""
    runs = max(1, min(bench.runs, 3))
    caches: list[str] = []

    def libyaml() -> float:
        return wall([PYTHON, "-c", LIBYAML, *bench.yaml_files])

    def validate() -> float:
        for old in caches:  # a store at scale 10 is gigabytes: one at a time
            shutil.rmtree(old, ignore_errors=True)
        caches[:] = [bench.temp("cache-")]
        return build_store(bench, caches[0])

    medians = alternating(runs, libyaml=libyaml, validate=validate)
    if "store_cache" not in bench.__dict__:
        bench.store_cache, bench.store_build_s = caches[0], round(medians["validate"], 3)
    else:
        shutil.rmtree(caches[0], ignore_errors=True)
    return [ratio("validate_cold_ratio", medians, "validate", "libyaml", runs)]


def store_files(cache_dir: str) -> list[Path]:
    """The SQLite databases under `cache_dir`."""
    found = []
    for path in sorted(Path(cache_dir).rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                    found.append(path)
    return found


def table_bytes(store: Path) -> tuple[dict[str, int], str]:
    """Bytes of each table and index of `store` (FTS5's shadow tables summed under FTS_PREFIX), and how
    they were measured."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        method = "dbstat"
    except sqlite3.OperationalError:
        rows, method = [], "a copy without the index, vacuumed"
    finally:
        db.close()
    if rows:
        sizes: dict[str, int] = {}
        for name, size in rows:
            key = FTS_PREFIX if name.startswith(FTS_PREFIX) else name
            sizes[key] = sizes.get(key, 0) + size
        return sizes, method
    copy = store.with_name(store.name + ".bench-copy")
    try:
        shutil.copyfile(store, copy)
        db = sqlite3.connect(copy)
        db.execute(f"DROP TABLE {FTS_PREFIX}")
        db.execute("VACUUM")
        db.close()
        return {FTS_PREFIX: store.stat().st_size - copy.stat().st_size}, method
    finally:
        copy.unlink(missing_ok=True)


def store_size(bench: Bench) -> list[Result]:
    """The store's bytes (with its -wal file, if any) over the YAML's; the index's share and the rows."""
    stores = store_files(bench.store_cache)
    if len(stores) != 1:
        raise RuntimeError(f"expected one store in the cache, found {[p.name for p in stores]}")
    store = stores[0]
    wal = store.with_name(store.name + "-wal")
    size = store.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    sizes, method = table_bytes(store)
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}
    finally:
        db.close()
    largest = dict(sorted(sizes.items(), key=lambda item: -item[1])[:6])
    details = {
        "store_mib": round(size / 2**20, 1),
        "yaml_mib": round(bench.yaml_bytes / 2**20, 1),
        "fts_index_mib": round(sizes.get(FTS_PREFIX, 0) / 2**20, 1),
        "fts_index_share": round(sizes.get(FTS_PREFIX, 0) / size, 3),
        "measured_by": method,
        "largest_mib": {name: round(value / 2**20, 1) for name, value in largest.items()},
        "store_file": store.name,
    } | counts
    return [Result("store_size_ratio", size / bench.yaml_bytes, details)]
