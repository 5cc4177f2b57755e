"""Reading files in worker processes (tui/loading/parallel_parse.py) gives what reading them here does:
the same records in the same order, the same problems (up to the same limit), and no process left
behind when the load is stopped."""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.loading.file_transport import Reader, dump
from tui.loading.loader import load
from tui.loading.parallel_parse import PARALLEL_MIN_BYTES, worker_count
from tui.loading.problems import DataError
from tui.loading.record_builder import Shared, read_file
from tui.loading.worker_pool import WorkerFailed

GENERATOR = Path(__file__).parent / "benchmarks" / "generate.py"
REPO = Path(__file__).resolve().parent.parent


def outcome(root: Path | None, **kwargs: object) -> tuple[object, ...]:
    """Every record of every kind in order, or every problem (sorted, as reported) and whether cut short."""
    try:
        kb = load(root, **kwargs)  # type: ignore[arg-type]
    except DataError as error:
        return ("refused", [str(p) for p in error.problems], error.truncated)
    return ("loaded", list(kb.all_records()))


def same_either_way(root: Path | None, **kwargs: object) -> tuple[object, ...]:
    serial = outcome(root, workers=0, **kwargs)
    for workers in (1, 2):
        assert outcome(root, workers=workers, **kwargs) == serial, f"{workers} workers"
    return serial


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "kb"
    done = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--scale", "0.02"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return out


def test_bundled_data_is_the_same_read_in_workers() -> None:
    result = same_either_way(None)
    assert result[0] == "loaded" and len(result[1]) > 100


def test_generated_data_is_the_same_read_in_workers(generated: Path) -> None:
    result = same_either_way(generated)
    assert result[0] == "loaded" and len(result[1]) > 1000


def test_records_and_problems_cross_the_process_boundary_unchanged(write_kb) -> None:
    root = write_kb(
        zz="""\
        sources:
          - id: article
            title: Again, and with no cite (reported only if it were kept)
            kind: article
        topics:
          - id: t-new
            name: New
            cite: [article/p2, elsewhere/p3-4]
          - id: Bad Id
        """
    )
    shared = Shared()
    for path in sorted(root.iterdir()):
        here = read_file(str(path), 1 << 20, 50, None, shared)
        back = Reader(Shared()).load(str(path), dump(here))
        assert back == here


def test_coordinates_cross_the_process_boundary_as_tuples(write_kb) -> None:
    """JSON gives a point back as a list: the record must hold the tuple the parser makes, or it is not
    equal to the same record read in the main process (a worker or not depends on timing)."""
    root = write_kb(
        zz="""\
        sources:
          - id: gaz
            title: A gazetteer
            kind: gazetteer
        regions:
          - id: town
            name: Town
            kind: city
            parent: iraq
            point: [33.5, 44.25]
            bbox: [33, 44, 34, 45]
            coords_source: gaz
            cite: article/p3
        """
    )
    path = root / "zz.yaml"
    here = read_file(str(path), 1 << 20, 50, None, Shared())
    back = Reader(Shared()).load(str(path), dump(here))
    assert back == here
    town = next(record for kind, record, *_ in back.records if kind == "regions")
    assert town.point == (33.5, 44.25) and isinstance(town.bbox, tuple)


def test_duplicates_across_files_are_reported_alike(write_kb) -> None:
    root = write_kb(
        zz="""\
        sources:
          - id: article
            title: Again
            kind: article
        topics:
          - id: returnees
            name: Again
            cite: article/p1
        """
    )
    result = same_either_way(root)
    assert result[0] == "refused"
    problems = result[1]
    assert isinstance(problems, list) and len(problems) == 2
    assert all("duplicate" in p for p in problems), problems  # the duplicate's own finding is not reported


def test_a_reference_into_another_file_is_checked_alike(write_kb) -> None:
    root = write_kb(
        aa="topics:\n  - id: t-aa\n    name: T\n    cite: article/p1\n",
        zz="assessments:\n  - id: z1\n    speaker: nobody-known\n    summary: S\n"
        "    topics: [t-aa, t-zz]\n    cite: article/p1\n",
    )
    result = same_either_way(root)
    assert result[0] == "refused"
    assert any("nobody-known" in p for p in result[1]), result  # type: ignore[union-attr]
    assert any("'t-zz'" in p for p in result[1]), result  # type: ignore[union-attr]


def test_a_file_that_does_not_parse_skips_the_link_checks_alike(write_kb) -> None:
    root = write_kb(
        aa="topics:\n  - id: t-aa\n   name: T\n",
        zz="assessments:\n  - id: z1\n    speaker: nobody-known\n    summary: S\n    cite: article/p1\n",
    )
    result = same_either_way(root)
    assert result[0] == "refused"
    assert len(result[1]) == 1 and "YAML syntax error" in result[1][0], result  # type: ignore[index,arg-type]


@pytest.mark.parametrize("limit", [1, 3, 7, 20, 21, 40, 41, 51, 52, 200])
def test_the_problem_limit_cuts_at_the_same_problem(write_kb, limit: int) -> None:
    many = "topics:\n" + "".join(f"  - id: t{i}\n    name: T\n" for i in range(20))  # 20 problems
    dups = "sources:\n" + "".join("  - id: article\n    title: T\n    kind: article\n" for _ in range(10))
    root = write_kb(a1=many, a2=dups, a3=many.replace("id: t", "id: u"), a4="topics: [oops\n")
    result = same_either_way(root, problem_limit=limit)
    assert result[0] == "refused"
    assert len(result[1]) == min(limit, 52)  # type: ignore[arg-type]  # 40 missing, 10 duplicates, 1 finding, 1 syntax
    assert result[2] == (limit < 52)


def test_source_texts_are_checked_in_the_workers_too(write_kb, tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_text("The group was founded in 2014.\nNothing else.\n", encoding="utf-8")
    result = same_either_way(write_kb(), source_texts={"article": str(text)})
    assert result[0] == "refused" and result[1], result


def test_a_small_knowledge_base_is_read_here() -> None:
    assert worker_count([1000, 2000]) == 0
    assert worker_count([PARALLEL_MIN_BYTES * 2]) == 0  # one file: nothing to share out
    if len(os.sched_getaffinity(0)) > 1:
        assert worker_count([PARALLEL_MIN_BYTES, PARALLEL_MIN_BYTES]) >= 1


class Stop(Exception):
    pass


@pytest.mark.parametrize("stop", [Stop, KeyboardInterrupt])
def test_stopping_through_progress_leaves_no_worker(generated: Path, stop: type[BaseException]) -> None:
    workers: list[int] = []

    def progress(done: int, total: int) -> None:
        if not workers:
            workers.extend(child.pid for child in multiprocessing.active_children() if child.pid)
            return
        raise stop

    with pytest.raises(stop):
        load(generated, workers=2, progress=progress)
    assert len(workers) == 2
    assert multiprocessing.active_children() == []
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_worker_that_dies_fails_the_load(generated: Path) -> None:
    def progress(done: int, total: int) -> None:
        if done == 0:
            for child in multiprocessing.active_children():
                child.kill()

    with pytest.raises(WorkerFailed):
        load(generated, workers=2, progress=progress)
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfd_open to wait on a worker")
def test_workers_die_with_a_terminated_loader(generated: Path) -> None:
    script = textwrap.dedent(
        f"""
        import multiprocessing, sys, threading
        from tui.loading.loader import load

        def progress(done, total):
            print(*[c.pid for c in multiprocessing.active_children()], flush=True)
            threading.Event().wait()  # held here until terminated

        load({str(generated)!r}, workers=2, progress=progress)
        """
    )
    loader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert loader.stdout is not None
    pids = [int(pid) for pid in loader.stdout.readline().split()]
    assert len(pids) == 2
    handles = [os.pidfd_open(pid) for pid in pids]
    try:
        loader.send_signal(signal.SIGTERM)
        assert loader.wait(timeout=60) == -signal.SIGTERM
        for handle in handles:  # readable once that worker has exited
            readable, _, _ = select.select([handle], [], [], 60)
            assert readable == [handle]
    finally:
        for handle in handles:
            os.close(handle)
