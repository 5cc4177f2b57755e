"""Hostile data files: `isis-explorer validate --data X` and launching `isis-explorer --data X` (no terminal)
both exit 2 with `path:line:col: one sentence` on stderr, never a traceback, within a time and memory bound.

The small inputs live in tests/hostile/ (`kb-*.yaml` are added to the valid base knowledge base, the others are
the whole --data); big or odd ones (deep nesting, 10 MB lines, FIFOs, symlink loops, a BOM, CRLF) are built in
tmp_path. Both commands run at once, each in a child limited to 1.5 GiB of address space, and its own peak
RSS is read back with wait4().
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.loading.safe_yaml import MAX_DEPTH

HOSTILE = Path(__file__).parent / "hostile"
SECONDS, PEAK_MIB, ADDRESS_SPACE = 10.0, 500, 3 * 2**29  # 1.5 GiB
NO_TERMINAL = (
    "isis-explorer: the explorer needs a terminal (standard input and output are not both terminals);"
    " `isis-explorer validate` and `keys` work without one"
)
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # anything but \n that could drive a terminal
pytestmark = pytest.mark.slow

# name -> (where, distinctive part of the one sentence). `where` is "line:col" in that file, "" for the whole
# file, or "other.yaml:line:col" when the problem is reported in a base file the hostile one collides with.
CORPUS = {
    "billion-laughs.yaml": ("1:4", "anchors are not allowed (&a)"),
    "recursive-alias.yaml": ("1:9", "anchors are not allowed (&t)"),
    "undefined-alias.yaml": ("3:11", "aliases are not allowed (*nowhere)"),
    "duplicate-key.yaml": ("4:5", "duplicate key 'name' (first at line 3, column 5)"),
    "duplicate-kind.yaml": ("3:1", "duplicate key 'topics' (first at line 1, column 1)"),
    "python-object-apply.yaml": ("2:9", "tags are not allowed (tag:yaml.org,2002:python/object/apply:os.system)"),
    "python-object-apply-root.yaml": ("1:1", "tags are not allowed (tag:yaml.org,2002:python/object/apply:os.sys"),
    "python-object-apply-mapping.yaml": ("1:1", "tags are not allowed (tag:yaml.org,2002:python/object/apply:"),
    "python-object-new.yaml": ("2:5", "tags are not allowed (tag:yaml.org,2002:python/object/new:subprocess.Popen)"),
    "python-name.yaml": ("3:11", "tags are not allowed (tag:yaml.org,2002:python/name:os.system)"),
    "binary.yaml": ("3:11", "tags are not allowed (tag:yaml.org,2002:binary)"),
    "tag-with-escape.yaml": ("3:9", r"tags are not allowed (tag:x,2000:\x1b[2Ja)"),  # %1B decoded, shown escaped
    "merge-key.yaml": ("3:5", "merge keys (<<) are not allowed"),
    "key-sequence.yaml": ("3:7", "keys must be plain strings"),
    "key-mapping.yaml": ("2:13", "keys must be plain strings"),
    "key-null.yaml": ("3:5", "empty key"),
    "invalid-utf8.yaml": ("3:16", "invalid UTF-8 (byte 0xff)"),
    "invalid-utf8-overlong.yaml": ("3:11", "invalid UTF-8 (byte 0xc0)"),
    "invalid-utf8-surrogate.yaml": ("3:12", "invalid UTF-8 (byte 0xed)"),
    "invalid-utf8-truncated.yaml": ("3:11", "invalid UTF-8 (byte 0xe2)"),
    "latin1.yaml": ("3:14", "invalid UTF-8 (byte 0xe9)"),
    "utf16.yaml": ("1:1", "invalid UTF-8 (byte 0xff)"),
    "nul.yaml": ("2:10", "control character U+0000 is not allowed"),
    "nul-first-byte.yaml": ("1:1", "control character U+0000 is not allowed"),
    "bell.yaml": ("3:15", "control character U+0007 is not allowed"),
    "escape-sequence.yaml": ("3:11", "control character U+001B is not allowed"),
    "delete.yaml": ("3:12", "control character U+007F is not allowed"),
    "form-feed.yaml": ("2:1", "control character U+000C is not allowed"),
    "c1-csi.yaml": ("3:12", "control character U+009B is not allowed"),
    "escaped-control-in-value.yaml": ("4:11", r"got '\x1b[2J\x1b]0;pwned\x07/p1'"),  # "\e" escapes: shown escaped
    "bom-mid-file.yaml": ("2:2", "YAML syntax error: did not find expected key"),
    "empty.yaml": ("1:1", "the file holds no data: expected a mapping such as `groups:`"),
    "blank.yaml": ("1:1", "the file holds no data"),
    "comment-only.yaml": ("1:1", "the file holds no data"),
    "bom-only.yaml": ("1:1", "the file holds no data"),
    "document-start.yaml": ("1:1", "the file holds no data"),  # `---`
    "document-null.yaml": ("1:1", "the file holds no data"),  # `--- ~`
    "document-end.yaml": ("1:1", "the file holds no data"),  # `---` then `...`
    "two-documents.yaml": ("2:1", "expected a single document in the stream, but found another document"),
    "root-scalar.yaml": ("1:1", "expected a mapping of kinds (e.g. `groups:`) at the top of the file"),
    "root-list.yaml": ("1:1", "expected a mapping of kinds"),
    "syntax-unclosed.yaml": ("2:1", "YAML syntax error: did not find expected ',' or ']'"),
    "tab-indent.yaml": ("2:1", "YAML syntax error: found character that cannot start any token"),
    "kb-region-cycle.yaml": ("7:5", "cycle in parents: ring-a -> ring-b -> ring-a"),
    "kb-region-self-parent.yaml": ("2:5", "cycle in parents: loop -> loop"),
    "kb-organization-cycle.yaml": ("7:5", "cycle in parents: org-a -> org-b -> org-a"),
    # the base has mosul-cell branch-of islamic-state; this file sorts first, so the base edge closes the cycle
    "kb-cycle-branch-of.yaml": (
        "relationships.yaml:2:5",
        "cycle in branch-of relationships: islamic-state -> mosul-cell -> islamic-state",
    ),
    "kb-cycle-affiliate-of.yaml": ("9:5", "cycle in affiliate-of relationships: mosul-cell -> islamic-state -> m"),
    "kb-cycle-splinter-of.yaml": ("9:5", "cycle in splinter-of relationships: mosul-cell -> islamic-state -> mo"),
    "kb-cycle-pledged-allegiance-to.yaml": ("9:5", "cycle in pledged-allegiance-to relationships: mosul-cell -> "),
    "kb-cycle-three-groups.yaml": ("23:5", "affiliate-of relationships: islamic-state -> third -> mosul-cell -> isl"),
    "kb-relationship-to-itself.yaml": ("2:5", "relationship 'core-splinter-of-core' links 'islamic-state' to itself"),
    "kb-duplicate-id.yaml": (
        "topics.yaml:2:5",
        "duplicate topic id 'returnees' (first at {kb}/kb-duplicate-id.yaml:2:5)",
    ),
    "kb-huge-integer.yaml": ("4:12", "value must be a plain decimal number (like 5600 or 0.5), got '17777"),
    "kb-huge-integer-quoted.yaml": ("4:10", "low must be a plain decimal number (like 5600 or 0.5), got '17777"),
    "kb-huge-year.yaml": ("6:12", "as_of: expected a date like 2017, 2017-10, 2017-10-17, 'late 2017-08', 'inferred"),
    "kb-huge-paragraph.yaml": ("4:11", "cite must look like SOURCE/pN or SOURCE/pN-M, got 'article/p17777"),
    "kb-date-month-13.yaml": ("4:11", "date: month 13 does not exist"),  # 2017-13-45
    "kb-date-february-30.yaml": ("4:11", "date: day 30 does not exist in February 2017"),
    "kb-date-february-29.yaml": ("4:11", "date: day 29 does not exist in February 2017"),
    "kb-date-year-zero.yaml": ("4:11", "date: year 0000 does not exist"),
    "kb-date-not-a-date.yaml": ("4:11", "date: expected a date like 2017, 2017-10, 2017-10-17"),
}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_both(data: Path | str, *options: str, cwd: Path) -> list[Run]:
    """`validate` and the launch, started together with no terminal; each waited for with wait4()."""
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("ISIS_EXPLORER_DEBUG", None)
    with contextlib.ExitStack() as stack:
        started = []
        for command in (["validate"], []):
            out, err = (stack.enter_context(tempfile.TemporaryFile()) for _ in "12")
            proc = subprocess.Popen(  # preexec_fn: the tests start no threads
                [sys.executable, "-m", "tui", *options, *command, "--data", str(data)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=cwd,
                env=env,
                preexec_fn=_limit_memory,  # the child only sets its own memory limit
            )
            started.append((proc, out, err, time.monotonic()))
        return [_wait(*entry) for entry in started]


def _wait(proc: subprocess.Popen, out, err, start: float) -> Run:
    """Reap `proc` with wait4() for its own peak RSS; kill it if it hangs (the time bound then fails)."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > 3 * SECONDS:
            proc.kill()
        time.sleep(0.005)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    texts = []
    for handle in (out, err):
        handle.seek(0)
        texts.append(handle.read().decode("utf-8", "replace"))
    return Run(proc.returncode, *texts, seconds, usage.ru_maxrss / 1024)


def assert_bounded(run: Run) -> None:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert not CONTROL.search(run.stderr), "a control character reached stderr"
    assert run.seconds < SECONDS, f"took {run.seconds:.1f} s"
    assert run.peak_mib < PEAK_MIB, f"peak RSS {run.peak_mib:.0f} MiB"


def assert_refused(runs: list[Run], *lines: tuple[str, str]) -> list[str]:
    """Both runs exit 2 with exactly these (prefix, part of the sentence) lines on stderr; returns them."""
    for run in runs:
        assert_bounded(run)
        assert run.code == 2, run
        assert run.stdout == ""
        got = run.stderr.splitlines()
        assert len(got) == len(lines), got
        for line, (prefix, sentence) in zip(got, lines, strict=True):
            assert line.startswith(prefix), (line, prefix)
            assert sentence in line[len(prefix) :], (line, sentence)
            assert len(line) < len(prefix) + 250, "one sentence, not a dump of the data"
    assert runs[0].stderr == runs[1].stderr  # launching reports exactly what validate reports
    return runs[0].stderr.splitlines()


def assert_loads(runs: list[Run], counts: str) -> None:
    """validate exits 0 and prints the counts; the launch gets past the data to the terminal check."""
    validate, launch = runs
    for run in runs:
        assert_bounded(run)
    assert (validate.code, validate.stderr) == (0, ""), validate.stderr
    assert counts in validate.stdout
    assert (launch.code, launch.stderr.strip()) == (2, NO_TERMINAL)


BASE_COUNTS = (
    "sources 2 · organizations 1 · regions 4 · groups 2 · relationships 1 · measures 1 · figures 2 · "
    "people 1 · works 1 · topics 1 · assessments 1 · events 1"
)


# -- the corpus ----------------------------------------------------------------------------------------------
def test_corpus_and_expectations_match():
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file(tmp_path, write_kb, name):
    where, sentence = CORPUS[name]
    if name.startswith("kb-"):
        data = write_kb()
        shutil.copy(HOSTILE / name, data / name)
        file, _, where = where.rpartition(".yaml:") if ".yaml:" in where else (name[:-5], "", where)
        path = data / f"{file}.yaml"
    else:
        data = path = tmp_path / name
        shutil.copy(HOSTILE / name, path)
    runs = run_both(data, cwd=tmp_path)
    assert_refused(runs, (f"{path}:{where}: " if where else f"{path}: ", sentence.format(kb=tmp_path / "kb")))
    assert not (tmp_path / "MARKER").exists(), "YAML ran a command"


# -- nesting -------------------------------------------------------------------------------------------------
# The first node deeper than MAX_DEPTH (64): the root mapping is level 1, `topics:`'s value level 2, ...
DEEP = 10_000
NESTING = {
    "flow-sequences": ("topics: " + "[" * DEEP + "]" * DEEP + "\n", 1, 9 + MAX_DEPTH - 1),
    "flow-mappings": ("topics: " + "{a: " * DEEP + "b" + "}" * DEEP + "\n", 1, 9 + 4 * (MAX_DEPTH - 1)),
    "block-sequences": ("- " * DEEP + "x\n", 1, 2 * MAX_DEPTH + 1),  # `- - - x`: block nesting on one line
    # 40 block sequences (levels 2-41, columns 1-79), then flow sequences from column 81
    "block-then-flow": ("topics:\n" + "- " * 40 + "[" * DEEP + "]" * DEEP + "\n", 2, 81 + (MAX_DEPTH + 1) - 42),
    # block mappings need one more indent per level: 1,500 levels is 1.1 MB (10,000 would be 50 MB)
    "block-mappings": ("".join(f"{' ' * i}k:\n" for i in range(1500)), MAX_DEPTH + 1, MAX_DEPTH + 1),
    # libyaml reads `key:<TAB>value`, PyYAML's parser (used to find the first node too deep) does not:
    # reported where libyaml gave up
    "after-a-tab": ("topics:\t[]\nsources: " + "[" * 1100 + "]" * 1100 + "\n", 2, 1009),
}


@pytest.mark.parametrize("text, line, col", NESTING.values(), ids=NESTING.keys())
def test_deep_nesting(tmp_path, text, line, col):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    assert_refused(run_both(path, cwd=tmp_path), (f"{path}:{line}:{col}: ", f"nesting deeper than {MAX_DEPTH} levels"))


# -- size ----------------------------------------------------------------------------------------------------
def test_file_over_the_size_cap(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("topics:\n" + "  # padding padding padding\n" * 450, encoding="utf-8")
    size = path.stat().st_size
    assert size > 10_485
    runs = run_both(path, "--max-file-mib", "0.01", cwd=tmp_path)
    assert_refused(runs, (f"{path}:1:1: ", f"file is {size:,} bytes, over the limit of 10,485"))


ONE_LINE = "{sources: [{id: s, title: t, kind: article, cite: s/p1}], topics: [{id: big, name: NAME, cite: CITE}]}\n"
TEN_MB = 10_000_000


def test_a_10_mb_line_loads_within_the_bounds(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_text(ONE_LINE.replace("NAME", "x" * TEN_MB).replace("CITE", "s/p1"), encoding="utf-8")
    # under the 32 MiB cap: validate loads it; the launch (over 2 MiB: no early load) stops at the terminal
    assert_loads(run_both(path, cwd=tmp_path), "sources 1 · organizations 0")


def test_a_10_mb_bad_value_is_not_echoed_whole(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_text(ONE_LINE.replace("NAME", "n").replace("CITE", "s/p" + "1" * TEN_MB), encoding="utf-8")
    validate, launch = run_both(path, cwd=tmp_path)
    assert_refused(
        [validate, validate], (f"{path}:1:93: ", "cite must look like SOURCE/pN or SOURCE/pN-M, got 's/p111")
    )
    assert (launch.code, launch.stderr.strip()) == (2, NO_TERMINAL)  # big data is read after the terminal check


def test_a_10_mb_line_over_a_lower_cap(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_text(ONE_LINE.replace("NAME", "x" * TEN_MB).replace("CITE", "s/p1"), encoding="utf-8")
    size = path.stat().st_size
    validate, launch = run_both(path, "--max-file-mib", "1", cwd=tmp_path)
    assert_refused([validate, validate], (f"{path}:1:1: ", f"file is {size:,} bytes, over the limit of 1,048,576"))
    assert (launch.code, launch.stderr.strip()) == (2, NO_TERMINAL)  # big data is read after the terminal check


def dense(path: Path, items: int) -> Path:
    path.write_text("topics: [" + "a," * items + "a]\n", encoding="utf-8")
    return path


def test_a_half_mb_line_of_tiny_values_is_refused_within_the_bounds(tmp_path):
    path = dense(tmp_path / "dense.yaml", 250_000)  # 250,000 values, each its own problem: stops at 50
    lines = assert_refused(
        run_both(path, cwd=tmp_path),
        *[(f"{path}:1:{10 + 2 * i}: ", "each topic must be a mapping of fields") for i in range(50)],
        ("(stopped after 50 problems)", ""),
    )
    assert len(lines) == 51


def test_a_3_mb_line_of_tiny_values_is_refused_before_it_is_composed(tmp_path):
    """~215 MiB per MB of `a,a,a` once composed (every value a node with two marks): a file under
    the 32 MiB cap could take 7 GB. Past MAX_NODES values the file is refused from the event stream."""
    from tui.loading.safe_yaml import MAX_NODES

    path = dense(tmp_path / "dense.yaml", 1_500_000)
    column = 10 + 2 * (MAX_NODES - 3)  # the value past the budget: the file's mapping, `topics` and the list come first
    validate, _ = run_both(path, cwd=tmp_path)  # (3 MB is past what a launch reads before the terminal check)
    assert_bounded(validate)
    assert (validate.code, validate.stdout) == (2, "")
    assert validate.stderr.splitlines() == [
        f"{path}:1:{column}: more than {MAX_NODES:,} values in one file: split it into smaller files"
    ]


def test_a_file_just_under_the_value_budget_stays_within_the_bounds(tmp_path):
    """The budget is what the time and memory bounds allow: MAX_NODES values composed (~420 MiB)."""
    from tui.loading.safe_yaml import MAX_NODES

    path = dense(tmp_path / "dense.yaml", MAX_NODES - 10)
    lines = assert_refused(
        run_both(path, cwd=tmp_path),
        *[(f"{path}:1:{10 + 2 * i}: ", "each topic must be a mapping of fields") for i in range(50)],
        ("(stopped after 50 problems)", ""),
    )
    assert len(lines) == 51


def test_the_value_budget_counts_exactly_at_its_edge(tmp_path, monkeypatch):
    """MAX_NODES values load (as far as the budget is concerned); one more is refused."""
    from tui.loading import safe_yaml
    from tui.loading.problems import Problems

    monkeypatch.setattr(safe_yaml, "MAX_NODES", 100)
    for items, refused in ((97, False), (98, True)):  # the mapping, `topics` and the list are 3 more
        text = "topics: [" + "a," * (items - 1) + "a]\n"
        problems = Problems()
        safe_yaml.parse("t.yaml", text, problems)
        assert any("values in one file" in p.message for p in problems.items) is refused, items


# -- line endings and BOM: these load ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "bom, newline",
    [(b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n"), (b"\xef\xbb\xbf", b"\r\n"), (b"", b"\r")],
    ids=["bom", "crlf", "bom-crlf", "cr"],
)
def test_bom_and_line_endings_load(tmp_path, write_kb, bom, newline):
    root = write_kb()
    for path in root.glob("*.yaml"):
        path.write_bytes(bom + path.read_bytes().replace(b"\n", newline))
    assert_loads(run_both(root, cwd=tmp_path), BASE_COUNTS)


def test_bom_and_crlf_keep_line_numbers(tmp_path, write_kb):
    path = write_kb() / "t.yaml"
    path.write_bytes(b"\xef\xbb\xbftopics:\r\n  - id: a\r\n    name: A\r\n    nme: b\r\n    cite: article/p1\r\n")
    assert_refused(
        run_both(path.parent, cwd=tmp_path), (f"{path}:4:5: ", "unknown field 'nme' in topic (did you mean 'name'?)")
    )


# -- what is not a readable regular file ---------------------------------------------------------------------
def test_directory_named_like_a_yaml_file(tmp_path, write_kb):
    root = write_kb()
    (root / "x.yaml").mkdir()
    assert_refused(run_both(root, cwd=tmp_path), (f"{root / 'x.yaml'}: ", "is a directory, expected a YAML file"))


def test_symlink_to_a_directory_named_like_a_yaml_file(tmp_path, write_kb):
    root = write_kb()
    (root / "x.yaml").symlink_to(tmp_path, target_is_directory=True)
    assert_refused(run_both(root, cwd=tmp_path), (f"{root / 'x.yaml'}: ", "is a directory, expected a YAML file"))


def test_data_is_an_empty_directory_named_like_a_yaml_file(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    assert_refused(
        run_both(tmp_path / "x.yaml", cwd=tmp_path), (f"{tmp_path / 'x.yaml'}: ", "no YAML files (*.yaml, *.yml) here")
    )


@pytest.mark.parametrize("alone", [False, True], ids=["in-a-directory", "as-data"])
def test_fifo_does_not_hang(tmp_path, write_kb, alone):
    root = tmp_path / "x.yaml" if alone else write_kb()
    fifo = root if alone else root / "x.yaml"
    os.mkfifo(fifo)
    assert_refused(run_both(root, cwd=tmp_path), (f"{fifo}: ", "is not a regular file"))


def test_device_named_like_a_yaml_file(tmp_path, write_kb):
    root = write_kb()
    (root / "zero.yaml").symlink_to("/dev/zero")  # would otherwise read NULs up to the cap
    assert_refused(run_both(root, cwd=tmp_path), (f"{root / 'zero.yaml'}: ", "is not a regular file"))


def test_socket_named_like_a_yaml_file(tmp_path, write_kb, monkeypatch):
    root = write_kb()
    monkeypatch.chdir(root)  # a socket's path must be short: bind the relative name
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("x.yaml")
        assert_refused(run_both(root, cwd=tmp_path), (f"{root / 'x.yaml'}: ", "cannot read: No such device or address"))


def test_dangling_symlink(tmp_path, write_kb):
    root = write_kb()
    (root / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert_refused(run_both(root, cwd=tmp_path), (f"{root / 'gone.yaml'}: ", "cannot read: No such file or directory"))


def test_dangling_symlink_as_data(tmp_path):
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert_refused(
        run_both(tmp_path / "gone.yaml", cwd=tmp_path), (f"{tmp_path / 'gone.yaml'}: ", "no such file or directory")
    )


def test_symlink_loops(tmp_path, write_kb):
    root = write_kb()
    (root / "self.yaml").symlink_to("self.yaml")
    (root / "a.yaml").symlink_to("b.yaml")
    (root / "b.yaml").symlink_to("a.yaml")
    (root / "sub").symlink_to(".", target_is_directory=True)  # a directory loop is not followed at all
    loop = "cannot read: Too many levels of symbolic links"
    assert_refused(run_both(root, cwd=tmp_path), *((f"{root / n}: ", loop) for n in ("a.yaml", "b.yaml", "self.yaml")))
