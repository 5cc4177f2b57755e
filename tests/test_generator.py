"""The benchmark generator (tests/benchmarks/generate.py), run small: valid, as promised, byte-stable."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import ACYCLIC_RELATIONS, RELATION_VERBS
from tui.loading.loader import load

GENERATOR = Path(__file__).parent / "benchmarks" / "generate.py"
SCALE, SEED = 0.01, 2017


def _import_generator():
    spec = importlib.util.spec_from_file_location("kb_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _import_generator()


def digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated once through the command line, as a benchmark run would."""
    out = tmp_path_factory.mktemp("generated") / "kb"
    done = subprocess.run(
        [sys.executable, str(GENERATOR), str(out), "--scale", str(SCALE)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def kb(generated: Path) -> KnowledgeBase:
    return load(generated)


def test_counts_are_the_promised_ones(kb: KnowledgeBase) -> None:
    assert kb.counts() == gen.expected_counts(SCALE)


def test_reference_scale_promises_the_reference_size() -> None:
    counts = gen.expected_counts(1.0)
    assert counts["regions"] >= 2_000 and counts["sources"] >= 20
    for kind, n in {"groups": 10_000, "relationships": 30_000, "assessments": 100_000, "events": 20_000}.items():
        assert counts[kind] == n
    assert gen.expected_counts(2.0)["assessments"] == 200_000  # linear
    assert gen.wide_children(1.0) >= 1_000


def test_same_seed_gives_the_same_bytes(generated: Path, tmp_path: Path) -> None:
    gen.generate(str(tmp_path), SCALE, SEED)
    assert digests(tmp_path) == digests(generated)


def test_another_seed_gives_other_bytes(generated: Path, tmp_path: Path) -> None:
    gen.generate(str(tmp_path), SCALE, SEED + 1)
    mine, theirs = digests(tmp_path), digests(generated)
    assert mine.keys() == theirs.keys()
    assert all(mine[name] != theirs[name] for name in mine)
    assert load(tmp_path).counts() == gen.expected_counts(SCALE)


def test_region_tree_is_deep_with_one_wide_node(kb: KnowledgeBase) -> None:
    assert [r.id for r in kb.regions if r.kind == "world"] == ["world"]
    assert max(len(kb.ancestors(r.id)) for r in kb.regions) >= 6  # depth >= 6 below the world
    assert len(kb.children(gen.WIDE_ID)) == gen.wide_children(SCALE) == max(10, int(1100 * SCALE + 0.5))
    isos = [r.iso for r in kb.regions if r.kind == "country"]
    assert len(isos) == len(set(isos)) and all(len(code) == 2 and code.isupper() for code in isos)


def test_shapes_are_varied(kb: KnowledgeBase) -> None:
    rels = kb.of_kind("relationships")
    assert {r.type for r in rels} == set(RELATION_VERBS)
    assert {r.certainty for r in rels} == {"stated", "implied", "inferred"}
    groups = {g.id: i for i, g in enumerate(kb.groups)}
    assert all(groups[r.from_] > groups[r.to] for r in rels if r.type in ACYCLIC_RELATIONS)
    assert {len(g.regions) for g in kb.groups} == {1, 2, 3, 4}
    dates = [e.date for e in kb.of_kind("events")]
    assert {d.precision for d in dates} == {"unknown", "year", "month", "day"}
    assert {d.part for d in dates} == {None, "early", "mid", "late"}
    quotes = [a.text for a in kb.of_kind("assessments") if a.text is not None]
    assert quotes and all(50 <= len(t) <= 600 for t in quotes)
    for marks in ("“", "’", "&", "[", "]", "*", '"', "\\"):
        assert any(marks in t for t in quotes), marks
    speakers = {a.speaker for a in kb.of_kind("assessments")}
    assert speakers & set(kb.table("people")) and speakers & set(kb.table("sources"))
    figures = list(kb.of_kind("figures"))
    assert any(f.value is not None for f in figures) and any(f.low is not None for f in figures)
    competing = [f for f in figures if kb.competing(f)]
    assert competing and len(competing) < len(figures)  # some estimates are set against each other, not all
    for fig in competing:
        scopes = {(f.measure, frozenset(f.regions), f.as_of.year) for f in kb.competing(fig)}
        assert len(scopes) == 1 and fig.as_of.year is not None
    assert {f.hedge for f in figures} > {None} and any(f.as_of.inferred for f in figures)
    assert any(e.until is not None for e in kb.of_kind("events"))
    assert any(p.collective for p in kb.of_kind("people"))
    assert any(a.via is not None for a in kb.of_kind("assessments"))
    countries = [r for r in kb.regions if r.iso]
    assert all(r.iso_source == gen.STANDARD for r in countries) and kb.get("sources", gen.STANDARD).kind == "standard"


def test_regions_below_the_subregions_have_clustered_coordinates_from_the_gazetteer(kb: KnowledgeBase) -> None:
    assert kb.get("sources", gen.GAZETTEER).kind == "gazetteer"
    mapped = {"country", "area", "city"}
    for region in kb.regions:
        if region.kind not in mapped:
            assert (region.point, region.bbox, region.coords_source) == (None, None, None), region.id
            continue
        assert region.point is not None and region.coords_source == gen.GAZETTEER, region.id
        lat, lon = region.point
        assert -90 <= lat <= 90 and -180 <= lon <= 180, region.id
        if region.kind == "country":
            assert -50 <= lat <= 70 and region.bbox is None, region.id
        if region.kind == "area":  # areas and districts: a box in order, around the point
            assert region.bbox is not None, region.id
            south, west, north, east = region.bbox
            assert south <= lat <= north and west <= lon <= east, region.id
        if region.kind == "city":  # inside its area's box
            parent = kb.get("regions", region.parent)
            assert parent.bbox is not None
            south, west, north, east = parent.bbox
            assert south <= lat <= north and west <= lon <= east, region.id
    countries = [r.point for r in kb.regions if r.kind == "country" and r.point]
    assert len(set(countries)) == len(countries) >= 2  # spread out, not one spot


def test_files_are_split_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gen, "MAX_FILE_BYTES", 40_000)
    files = [Path(f) for f in gen.generate(str(tmp_path), SCALE, SEED)]
    assert len([f for f in files if f.name.startswith("assessments-")]) > 5
    assert all(f.stat().st_size <= 40_000 for f in files)
    assert load(tmp_path).counts() == gen.expected_counts(SCALE)


def test_refuses_a_directory_with_other_yaml(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("groups: []\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        gen.generate(str(tmp_path), SCALE, SEED)


def test_the_cli_validator_accepts_it(generated: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "validate", "--data", str(generated)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == " · ".join(f"{k} {n}" for k, n in gen.expected_counts(SCALE).items())
