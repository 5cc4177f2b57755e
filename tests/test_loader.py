"""Reading YAML that may be hostile: every refusal with its exact place, and what must load fine."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tui.loading.loader import load
from tui.loading.problems import DataError
from tui.loading.safe_yaml import MAX_DEPTH

MINIMAL = "topics: []\n"  # a valid (empty) knowledge base in one file

BOMB = "".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
        *(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
        "topics: *i\n",
    ]
)


def write(tmp_path: Path, content: str | bytes, name: str = "t.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def only_problem(path: Path, **kwargs: int):
    with pytest.raises(DataError) as info:
        load(path, **kwargs)
    assert len(info.value.problems) == 1, info.value.lines()
    return info.value.problems[0]


# (content, line, col, distinctive part of the message)
REFUSALS = {
    "syntax-indent": ("groups:\n  - id: a\n   name: b\n", 3, 4, "YAML syntax error: "),  # wording: libyaml's
    "syntax-unclosed": ("groups:\n  - id: a\n    name: [x\n", 4, 1, "YAML syntax error: "),
    "duplicate-key": (
        "groups:\n  - id: a\n    name: b\n    name: c\n",
        4,
        5,
        "duplicate key 'name' (first at line 3, column 5)",
    ),
    "anchor": ("groups:\n  - id: &x a\n", 2, 9, "anchors are not allowed (&x)"),
    "anchor-on-key": ("groups:\n  - &r id: a\n", 2, 5, "anchors are not allowed (&r)"),
    "alias": ("groups:\n  - id: a\n    name: *x\n", 3, 11, "aliases are not allowed (*x)"),
    "billion-laughs": (BOMB, 1, 4, "anchors are not allowed (&a)"),
    "merge-key": ("groups:\n  - id: a\n    <<: {name: b}\n", 3, 5, "merge keys (<<) are not allowed"),
    "tag-str": ("groups:\n  - id: !!str a\n", 2, 9, "tags are not allowed (tag:yaml.org,2002:str)"),
    "tag-custom": ("groups:\n  - id: a\n    name: !custom b\n", 3, 11, "tags are not allowed (!custom)"),
    "tag-on-root": ("!!map\ngroups: []\n", 1, 1, "tags are not allowed (tag:yaml.org,2002:map)"),
    "complex-key": ("groups:\n  - id: a\n    ? [x, y]\n    : b\n", 3, 7, "keys must be plain strings"),
    "mapping-key": ("groups:\n  - id: a\n    {x: 1}: b\n", 3, 5, "keys must be plain strings"),
    "empty-key": ("groups:\n  - id: a\n    ? \n    : b\n", 3, 6, "empty key"),
    "null-key": ("groups:\n  - id: a\n    ~: b\n", 3, 5, "empty key"),
    "two-documents": (
        "groups: []\n---\ntopics: []\n",
        2,
        1,
        "expected a single document in the stream, but found another document",
    ),
    "empty-file": ("", 1, 1, "the file holds no data"),
    "only-comment": ("# nothing here\n", 1, 1, "the file holds no data"),
    "top-level-list": ("- groups\n", 1, 1, "expected a mapping of kinds"),
    "kind-not-a-list": ("groups: {a: b}\n", 1, 9, "groups must be a list of records"),
    "too-deep": (
        "groups: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
        1,
        9 + MAX_DEPTH - 1,
        f"nesting deeper than {MAX_DEPTH} levels",
    ),
    "too-deep-for-the-stack": (
        "groups: " + "[" * 5000 + "]" * 5000 + "\n",
        1,
        9 + MAX_DEPTH - 1,
        f"nesting deeper than {MAX_DEPTH} levels",
    ),
    "deep-block-mappings": (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 1)),
        MAX_DEPTH + 1,
        2 * MAX_DEPTH + 1,
        f"nesting deeper than {MAX_DEPTH} levels",
    ),
    "nul": (b"groups:\n  - id: a\x00b\n", 2, 10, "control character U+0000 is not allowed"),
    "esc": (b"groups:\n  - id: a\n    name: x\x1b[31m\n", 3, 12, "control character U+001B is not allowed"),
    "c1-csi": ("groups:\n  - id: a\n    name: x\u009by\n".encode(), 3, 12, "control character U+009B"),
    "c1-nel": ("groups:\n  - id: a\n    name: x\u0085y\n".encode(), 3, 12, "control character U+0085"),
    "c1-raw-byte": (b"groups:\n  - id: a\n    name: x\x9by\n", 3, 12, "invalid UTF-8 (byte 0x9b)"),
    "invalid-utf8": (
        "groups:\n  - id: a\n    name: café ".encode() + b"\xff tail\n",
        3,
        16,
        "invalid UTF-8 (byte 0xff)",
    ),
}


@pytest.mark.parametrize("content, line, col, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_at_line_and_column(tmp_path, content, line, col, message):
    path = write(tmp_path, content)
    problem = only_problem(path)
    assert (problem.path, problem.line, problem.col) == (str(path), line, col)
    assert message in problem.message
    assert str(problem) == f"{path}:{line}:{col}: {problem.message}"


def test_billion_laughs_is_refused_without_expanding(tmp_path):
    path = write(tmp_path, BOMB)  # 9**9 strings if expanded
    start = time.perf_counter()
    with pytest.raises(DataError):
        load(path)
    assert time.perf_counter() - start < 1.0


def test_alias_bomb_of_an_undefined_anchor_is_refused_at_the_first_alias(tmp_path):
    path = write(tmp_path, "topics: [" + ", ".join(["*boom"] * 10_000) + "]\n")
    problem = only_problem(path)
    assert (problem.line, problem.col) == (1, 10)
    assert "aliases are not allowed (*boom)" in problem.message


@pytest.mark.parametrize("where", ["value", "root"])
def test_python_tags_are_refused_and_never_run(tmp_path, where):
    marker = tmp_path / "pwned"
    payload = f'!!python/object/apply:os.system ["touch {marker}"]'
    content = f"groups:\n  - id: {payload}\n" if where == "value" else payload + "\n"
    problem = only_problem(write(tmp_path, content))
    assert (problem.line, problem.col) == ((2, 9) if where == "value" else (1, 1))
    assert "tags are not allowed (tag:yaml.org,2002:python/object/apply:os.system)" in problem.message
    assert not marker.exists()


def test_file_over_the_size_cap(tmp_path):
    path = write(tmp_path, MINIMAL * 20)
    problem = only_problem(path, max_bytes=100)
    assert (problem.line, problem.col) == (1, 1)
    assert f"file is {len(MINIMAL) * 20} bytes, over the limit of 100" in problem.message


def test_size_cap_is_inclusive(tmp_path):
    path = write(tmp_path, MINIMAL)
    assert load(path, max_bytes=len(MINIMAL)).counts()["topics"] == 0
    assert "over the limit" in only_problem(path, max_bytes=len(MINIMAL) - 1).message


# -- paths ---------------------------------------------------------------------------------------
def test_directory_named_like_a_yaml_file(write_kb):
    root = write_kb()
    (root / "extra.yaml").mkdir()
    problem = only_problem(root)
    assert (problem.path, problem.line) == (str(root / "extra.yaml"), 0)
    assert str(problem) == f"{root / 'extra.yaml'}: is a directory, expected a YAML file"


def test_missing_path(tmp_path):
    problem = only_problem(tmp_path / "nowhere")
    assert str(problem) == f"{tmp_path / 'nowhere'}: no such file or directory"


def test_directory_without_yaml_files(tmp_path):
    (tmp_path / "notes.txt").write_text("groups: []\n")
    (tmp_path / ".hidden.yaml").write_text("not: [valid\n")  # hidden files are not read
    problem = only_problem(tmp_path)
    assert str(problem) == f"{tmp_path}: no YAML files (*.yaml, *.yml) here"


def test_unreadable_file(write_kb, monkeypatch):
    root = write_kb()
    path = root / "groups.yaml"
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads anything: make open() fail as it would for others
            real_open = open

            def refusing_open(file, *args, **kwargs):
                if str(file) == str(path):
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(file, *args, **kwargs)

            monkeypatch.setattr("builtins.open", refusing_open)
        problem = only_problem(root)
        assert (problem.path, problem.line) == (str(path), 0)
        assert "cannot read: Permission denied" in problem.message
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("links", [{"loop.yaml": "loop.yaml"}, {"a.yaml": "b.yaml", "b.yaml": "a.yaml"}])
def test_symlink_loop_is_refused(write_kb, links):
    root = write_kb()
    for name, target in links.items():
        (root / name).symlink_to(target)
    with pytest.raises(DataError) as info:
        load(root)
    assert [(p.path, p.line) for p in info.value.problems] == [(str(root / n), 0) for n in sorted(links)]
    assert all("too many levels of symbolic links" in p.message.lower() for p in info.value.problems)


def test_symlinked_directory_loop_is_not_followed(write_kb):
    root = write_kb()
    (root / "sub").symlink_to(".", target_is_directory=True)
    assert load(root).counts()["groups"] == 2


# -- what loads fine -----------------------------------------------------------------------------
def test_utf8_bom_is_accepted_and_columns_are_unshifted(write_kb, tmp_path):
    root = write_kb()
    groups = root / "groups.yaml"
    groups.write_bytes(b"\xef\xbb\xbf" + groups.read_bytes())
    assert load(root).counts()["groups"] == 2
    problem = only_problem(write(tmp_path, "\ufeffgrups: []\n"))
    assert (problem.line, problem.col) == (1, 1)
    assert "unknown kind 'grups' (did you mean 'groups'?)" in problem.message


def test_crlf_line_endings(write_kb, tmp_path):
    root = write_kb()
    for path in root.glob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    kb = load(root)
    assert kb.counts()["regions"] == 4
    assert kb.get("groups", "islamic-state").summary == "The core group."  # no stray \r
    problem = only_problem(
        write(
            tmp_path,
            b"topics:\r\n  - id: a\r\n    name: b\r\n    nme: c\r\n    cite: x/p1\r\n"
            b"sources:\r\n  - {id: x, title: t, kind: article, cite: x/p1}\r\n",
        )
    )
    assert (problem.line, problem.col) == (4, 5)
    assert "unknown field 'nme' in topic (did you mean 'name'?)" in problem.message


def test_yaml_11_surprises_stay_strings(write_kb):
    kb = load(
        write_kb(
            extra="""\
        regions:
          - id: norway
            name: NO
            kind: country
            iso: NO
            iso_source: iso-3166
            parent: world
            aliases: [on, yes, off, null, ~x]
            summary: 1e3
            cite: article/p3
        topics:
          - id: odd-names
            name: 2017-10-17
            summary: yes
            cite: article/p9
          - id: quoted-null
            name: "null"
            summary: 0x10
            cite: article/p9
        """
        )
    )
    norway = kb.get("regions", "norway")
    assert (norway.name, norway.iso, norway.summary) == ("NO", "NO", "1e3")
    assert norway.aliases == ("on", "yes", "off", "null", "~x")
    odd = kb.get("topics", "odd-names")
    assert (odd.name, odd.summary) == ("2017-10-17", "yes")
    assert (kb.get("topics", "quoted-null").name, kb.get("topics", "quoted-null").summary) == ("null", "0x10")


NUMBER_FIGURE = """\
    figures:
      - id: number-test
        measure: fighters
        {field}: {value}
        qualifier: about
        as_of: 2017
        summary: A number.
        cite: article/p7
    """


@pytest.mark.parametrize(
    "value, expected",
    [("5600", 5600), ('"5600"', 5600), ("'5600'", 5600), ("0", 0), ("-3", -3), ("0.5", 0.5), ('"12.25"', 12.25)],
)
def test_numbers_convert(write_kb, value, expected):
    kb = load(write_kb(extra=NUMBER_FIGURE.format(field="value", value=value)))
    got = kb.get("figures", "number-test").value
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("value", ["1_000", "0x10", "1e3", "1,000", "+5", "007", ".5", "5.", ".inf", "NaN", '"1e3"'])
@pytest.mark.parametrize("field", ["value", "low"])
def test_non_decimal_numbers_are_refused(write_kb, field, value):
    root = write_kb(extra=NUMBER_FIGURE.format(field=field, value=value))
    problem = only_problem(root)
    assert (problem.path, problem.line, problem.col) == (str(root / "extra.yaml"), 4, len(field) + 7)
    shown = value.strip('"')
    assert f"{field} must be a plain decimal number (like 5600 or 0.5), got {shown!r}" in problem.message


def test_too_deep_file_in_a_directory_is_named_and_other_files_still_checked(write_kb):
    root = write_kb(deep="topics: " + "[" * 3000 + "]" * 3000 + "\n", zz="topics:\n  - id: Bad\n")
    with pytest.raises(DataError) as info:
        load(root)
    assert [(Path(p.path).name, p.line, p.col) for p in info.value.problems] == [
        ("deep.yaml", 1, 9 + MAX_DEPTH - 1),
        ("zz.yaml", 2, 9),
    ]


ODD_BREAKS = {
    "line-separator": ("topics:\n  - name: a\u2028b\n".encode(), 2, 12, "control character U+2028"),
    "paragraph-separator": ("topics:\n  - name: a\u2029b\n".encode(), 2, 12, "control character U+2029"),
    "cr-only-yaml-error": (b"topics:\r  - name: a\r    name: c\r", 3, 5, "duplicate key 'name' (first at line 2"),
    "cr-only-control": (b"topics:\r  - name: a\r    name: c\x01\r", 3, 12, "control character U+0001"),
    "cr-only-utf8": (b"topics:\r  - name: a\r    name: c\xff\r", 3, 12, "invalid UTF-8 (byte 0xff)"),
    "crlf-utf8": (b"topics:\r\n  - name: a\r\n    name: \xc3\xa9\xff\r\n", 3, 12, "invalid UTF-8 (byte 0xff)"),
    "bom-utf8": (b"\xef\xbb\xbftopics: \xff\n", 1, 9, "invalid UTF-8 (byte 0xff)"),
}


@pytest.mark.parametrize("content, line, col, message", ODD_BREAKS.values(), ids=ODD_BREAKS.keys())
def test_line_numbers_agree_whatever_the_line_breaks(tmp_path, content, line, col, message):
    problem = only_problem(write(tmp_path, content))
    assert (problem.line, problem.col) == (line, col)
    assert message in problem.message


def test_libyaml_is_used_when_pyyaml_has_it():
    import yaml

    from tui.loading import safe_yaml

    assert yaml.__with_libyaml__ == safe_yaml.HAVE_LIBYAML
    if yaml.__with_libyaml__:
        assert issubclass(safe_yaml._StringLoader, yaml.cyaml.CParser)
