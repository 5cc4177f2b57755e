"""Property-based: whatever a file holds, `load` returns a KnowledgeBase or raises DataError, and every
problem points into the data (path, line >= 0, column) with one printable line of message. Nothing else:
no other exception, no hang (each example has a deadline).

Inputs: random text, text over YAML's own punctuation, random bytes, the bundled files mutated line by line
and byte by byte (alone, and inside a copy of the whole bundled data), and random records written by
PyYAML from the real field names, ids and choices (so references, trees and cycles get exercised too).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from tui.knowledge.fields import specs_of
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import ACYCLIC_RELATIONS, KINDS, yaml_key
from tui.loading.data_files import bundled_data_dir
from tui.loading.loader import load
from tui.loading.problems import DataError

FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    database=None,  # leave no .hypothesis/ in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BUNDLED = sorted(p.name for p in bundled_data_dir().glob("*.yaml"))
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def lines_of(data: bytes) -> list[bytes]:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")


def note(outcome: str) -> None:
    """What happened, for `pytest --hypothesis-show-statistics`."""
    if currently_in_test_context():
        event(outcome)


def check(data_path: Path, files: dict[str, bytes]) -> KnowledgeBase | None:
    """Load `data_path`; `files` maps each path written (as str) to its bytes, to bound line and column."""
    try:
        kb = load(data_path)
    except DataError as exc:
        assert exc.problems, "a DataError without problems"
        assert len(exc.problems) <= 50 and exc.truncated == (len(exc.lines()) == 51)
        for p in exc.problems:
            assert isinstance(p.path, str) and isinstance(p.line, int) and isinstance(p.col, int)
            assert p.path == str(data_path) or p.path.startswith(str(data_path) + os.sep), p
            assert p.line >= 0 and p.col >= 0, p
            assert (p.line == 0) == (p.col == 0), p  # a place, or the whole file
            if p.line and p.path in files:
                lines = lines_of(files[p.path])
                assert p.line <= len(lines) + 1, p
                if p.line <= len(lines):  # columns count characters, fewer than bytes
                    assert p.col <= len(lines[p.line - 1]) + 1, p
            assert isinstance(p.message, str) and p.message.strip(), p
            assert "\n" not in p.message and not CONTROL.search(p.message), p
            assert len(p.message) < 400, p
            assert str(p).startswith(f"{p.path}:{p.line}:{p.col}: " if p.line else f"{p.path}: ")
        for what in {" ".join(re.sub(r"'.*", "", p.message).split()[:3]) for p in exc.problems}:
            note(f"refused: {what}")
        return None
    note("loads")
    assert isinstance(kb, KnowledgeBase)
    assert sum(kb.counts().values()) >= 0
    return kb


def check_file(tmp_path: Path, data: bytes) -> KnowledgeBase | None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    return check(path, {str(path): data})


# -- random input --------------------------------------------------------------------------------------------
YAML_BITS = [
    *":-?,[]{}&*!|>'\"#%@`<~. \n\t\r",
    "\\",
    "\x00",
    "\x1b",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
    "𝄞",
    "a",
    "b",
    "id",
    "topics",
    "groups",
    "name",
    "cite",
    "article/p1",
    "---",
    "...",
    "<<",
    "!!str",
    "!!python/object/apply:os.system",
    "%TAG ! tag:x:%1B",
    "&a",
    "*a",
    "1",
    "0x1",
    "1e3",
    "~",
    "null",
]


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_text(tmp_path, text):
    check_file(tmp_path, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(parts=st.lists(st.sampled_from(YAML_BITS), max_size=300))
def test_yaml_punctuation(tmp_path, parts):
    check_file(tmp_path, "".join(parts).encode("utf-8", "surrogatepass"))


@FUZZ
@given(parts=st.lists(st.sampled_from(YAML_BITS), max_size=20), deep=st.sampled_from(["[", "{a: ", "- ", "[{a: "]))
def test_yaml_punctuation_then_deep_nesting(tmp_path, parts, deep):
    """Past libyaml's 1,000 levels the Python parser finds the spot: the two must not disagree fatally."""
    check_file(tmp_path, ("".join(parts) + deep * 1100 + "\n").encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(tmp_path, data):
    check_file(tmp_path, data)


# -- the bundled files, mutated ------------------------------------------------------------------------------
INSERTS = [
    b"&a ",
    b"*a",
    b"!!str ",
    b"!!python/object/apply:os.system ['true'] ",
    b"!custom ",
    b"<<: ",
    b"\t",
    b"? ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b": ",
    b"'",
    b'"',
    b"#",
    b"|",
    b">",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\x00",
    b"\x07",
    b"\x1b[2J",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\\e",
    b"~",
    b"id: ",
    b"parent: world",
    b"cite: article/p1",
    b"2017-13-45",
    b"1" * 40,
    b"x" * 2000,
]


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """`original` after 1-8 line or byte mutations (delete, duplicate, swap, insert, truncate, set a byte)."""
    lines = original.split(b"\n")
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "indent", "truncate", "byte"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(INSERTS)) + lines[i][at:]
        elif op == "indent":
            lines[i] = draw(st.sampled_from([b" ", b"  ", b"\t", b"- "])) + lines[i]
        elif op == "truncate":
            data = b"\n".join(lines)
            lines = data[: draw(st.integers(0, len(data)))].split(b"\n")
        elif op == "byte" and lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:at] + bytes([draw(st.integers(0, 255))]) + lines[i][at + 1 :]
    return b"\n".join(lines)


@st.composite
def bundled_mutation(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(BUNDLED))
    return name, draw(mutated((bundled_data_dir() / name).read_bytes()))


@FUZZ
@given(case=bundled_mutation())
def test_mutated_bundled_file_alone(tmp_path, case):
    check_file(tmp_path, case[1])


@pytest.fixture(scope="module")
def bundled_copy(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A copy of the bundled data, and its counts (one kind per file: `groups.yaml` holds `groups:`)."""
    root = tmp_path_factory.mktemp("bundled") / "data"
    shutil.copytree(bundled_data_dir(), root)
    counts = check(root, {}).counts()
    assert all(counts[name.removesuffix(".yaml")] for name in BUNDLED)
    return root, counts


@FUZZ
@given(case=bundled_mutation())
def test_mutated_bundled_file_among_the_others(bundled_copy, case):
    (root, counts), (name, data) = bundled_copy, case
    target = root / name
    original = target.read_bytes()
    target.write_bytes(data)
    try:
        kb = check(root, {str(p): p.read_bytes() for p in root.glob("*.yaml")})
        if kb is not None:  # a mutation that still loads changed its own kind only
            kind = name.removesuffix(".yaml")
            assert {k: n for k, n in kb.counts().items() if k != kind} == {k: n for k, n in counts.items() if k != kind}
    finally:
        target.write_bytes(original)


# -- random records from the real schema ---------------------------------------------------------------------
IDS = ["world", "iraq", "a", "b", "c", "islamic-state", "article"]  # few: references resolve, trees form cycles
ANYTHING = st.one_of(
    st.text(max_size=8),
    st.sampled_from(["Bad", "", "a--b"]),
    st.integers(-3, 10**20),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True),
)


def value_for(spec, strict: bool) -> st.SearchStrategy:
    """A value of the field's type (from few ids, some impossible dates); unless `strict`, maybe anything."""
    if spec.type == "nested":
        typed = st.lists(record_for(spec.nested, strict, with_id=False), min_size=1, max_size=2)
    else:
        typed = {
            "enum": st.sampled_from(spec.choices or ("x",)),
            "ref": st.sampled_from(IDS),
            "refs": st.lists(st.sampled_from(IDS), min_size=1, max_size=3),
            "date": st.sampled_from(["2017", "2017-10", "late 2017-08", "unknown", "2017-13-45", "2017-02-30"]),
            "number": st.one_of(st.integers(-5, 10**30), st.sampled_from(["5600", "0.5", "1_000", "1e3", ".inf"])),
            "numbers": st.lists(
                st.one_of(st.integers(-200, 200), st.floats(-200, 200), st.sampled_from(["1e3", ".nan", "x"])),
                min_size=max(0, spec.count - 1),
                max_size=spec.count + 1,
            ),
            "bool": st.sampled_from([True, False, "yes"]),
            "cite": st.one_of(
                st.just("article/p1"),
                st.sampled_from(["article/p2-1", "nowhere/p3", "x/p0"]),
                st.lists(st.just("article/p1"), min_size=1, max_size=2),
            ),
            "text": st.text(min_size=1, max_size=10),
            "texts": st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=2),
        }[spec.type]
    return typed if strict else st.one_of(typed, ANYTHING)


def record_for(cls: type, strict: bool, with_id: bool = True) -> st.SearchStrategy:
    """A record of `cls`: required fields always when `strict`, optional ones maybe."""
    required, optional = {}, {}
    for name, spec in specs_of(cls).items():
        (required if spec.required and strict else optional)[yaml_key(name)] = value_for(spec, strict)
    if with_id:
        (required if strict else optional)["id"] = st.sampled_from(IDS)
    return st.fixed_dictionaries(required, optional=optional)


def document(strict: bool) -> st.SearchStrategy:
    kinds = {kind: st.lists(record_for(cls, strict), max_size=4) for kind, cls in KINDS.items()}
    if not strict:
        kinds = {kind: st.one_of(records, st.none()) for kind, records in kinds.items()} | {"grups": st.just([])}
    return st.fixed_dictionaries({}, optional=kinds)


@FUZZ
@given(
    document=st.one_of(document(strict=True), document(strict=False)),
    flow=st.booleans(),
    mutate=st.booleans(),
    data=st.data(),
)
def test_random_records(tmp_path, document, flow, mutate, data):
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True, sort_keys=False).encode()
    check_file(tmp_path, data.draw(mutated(text)) if mutate else text)


# -- trees and acyclic relationships: refused exactly when there is a cycle ---------------------------------
AREAS = [f"area-{i}" for i in range(5)]
GROUPS = ["islamic-state", "mosul-cell", "g-0", "g-1"]  # the first two (and one branch-of) are the base's
REL_TYPES = [*sorted(ACYCLIC_RELATIONS), "fights"]
PAIRS = [(a, b) for a in GROUPS for b in GROUPS if a != b] * 9 + [(g, g) for g in GROUPS]  # a few self-links


def cycles_of(parent: dict[str, str]) -> set[frozenset[str]]:
    """The cycles of a graph where each node has one parent (they are disjoint)."""
    found = set()
    for start in parent:
        seen: list[str] = []
        node = start
        while node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node in seen:
            found.add(frozenset(seen[seen.index(node) :]))
    return found


def has_cycle(edges: set[tuple[str, str]]) -> bool:
    """Kahn: a graph is acyclic when repeatedly removing nodes without incoming edges empties it."""
    edges = set(edges)
    while edges:
        sinks = {b for _, b in edges}
        removable = {a for a, _ in edges if a not in sinks}
        if not removable:
            return True
        edges = {(a, b) for a, b in edges if a not in removable}
    return False


def chain(message: str, prefix: str) -> list[str]:
    assert message.startswith(prefix), message
    return message.removeprefix(prefix).split(" -> ")


@FUZZ
@given(parents=st.lists(st.sampled_from(["world", "iraq", *AREAS]), min_size=len(AREAS), max_size=len(AREAS)))
def test_region_cycles_are_reported_exactly(write_kb, parents):
    parent = dict(zip(AREAS, parents, strict=True))
    extra = "regions:\n" + "".join(
        f"  - {{id: {a}, name: A, kind: area, parent: {p}, cite: article/p3}}\n" for a, p in parent.items()
    )
    expected = cycles_of(parent)
    try:
        kb = load(write_kb(extra=extra))
    except DataError as exc:
        reported = [chain(p.message, "cycle in parents: ") for p in exc.problems]
        assert all(c[0] == c[-1] and all(parent[a] == b for a, b in itertools.pairwise(c)) for c in reported)
        assert sorted(map(sorted, expected)) == sorted(sorted(set(c)) for c in reported)
        note(f"{len(reported)} region cycles")
    else:
        assert not expected
        assert kb.counts()["regions"] == 4 + len(AREAS)


@FUZZ
@given(
    edges=st.lists(
        st.tuples(st.sampled_from(REL_TYPES), st.sampled_from(PAIRS)).map(lambda e: (e[0], *e[1])), max_size=10
    )
)
def test_relationship_cycles_are_reported(write_kb, edges):
    extra = "groups:\n" + "".join(
        f"  - {{id: {g}, name: G, kind: isis-affiliate, regions: [iraq], summary: S, cite: article/p6}}\n"
        for g in GROUPS[2:]
    )
    extra += "relationships:\n" + "".join(
        f"  - {{id: r-{i}, type: {t}, from: {a}, to: {b}, certainty: stated, summary: S, cite: article/p6}}\n"
        for i, (t, a, b) in enumerate(edges)
    )
    typed = {t: {(a, b) for t2, a, b in edges if t2 == t and a != b} for t in ACYCLIC_RELATIONS}
    typed["branch-of"].add(("mosul-cell", "islamic-state"))
    cyclic = {t for t, es in typed.items() if has_cycle(es)}
    self_links = {f"r-{i}" for i, (_, a, b) in enumerate(edges) if a == b}
    try:
        kb = load(write_kb(extra=extra))
    except DataError as exc:
        reported_types, reported_self = set(), set()
        for p in exc.problems:
            if p.message.startswith("cycle in "):
                rel_type, _, rest = p.message.removeprefix("cycle in ").partition(" relationships: ")
                c = rest.split(" -> ")
                assert c[0] == c[-1] and all((a, b) in typed[rel_type] for a, b in itertools.pairwise(c)), p
                reported_types.add(rel_type)
            else:
                match = re.fullmatch(r"relationship '(r-\d+)' links '([a-z0-9-]+)' to itself", p.message)
                assert match, p
                reported_self.add(match.group(1))
        note(f"cycles in {len(reported_types)} types, {len(reported_self)} self-links")
        assert (reported_types, reported_self) == (cyclic, self_links)
    else:
        assert not cyclic and not self_links
        assert kb.counts()["relationships"] == 1 + len(edges)
