"""The command line: version/help without Textual, validate's output and exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.__main__ import main


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_never_import_textual(flag: str) -> None:
    code = (
        "import sys\n"
        "from tui.__main__ import main\n"
        "try:\n"
        f"    main([{flag!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'yaml', 'rich', 'argparse'))\n"
        "print('IMPORTED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "IMPORTED []" in out.stdout


def test_version_prints_the_version() -> None:
    from tui import __version__

    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"isis-explorer {__version__}"


def test_validate_bundled_data_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    line = capsys.readouterr().out.strip()
    parts = dict(part.rsplit(" ", 1) for part in line.split(" · "))
    assert set(parts) == {
        "sources",
        "organizations",
        "regions",
        "groups",
        "relationships",
        "measures",
        "figures",
        "people",
        "works",
        "topics",
        "assessments",
        "events",
    }
    assert all(int(n) > 0 for n in parts.values())


def test_data_option_works_before_and_after_the_command(tmp_path: Path) -> None:
    broken = tmp_path / "kb.yaml"
    broken.write_text("groups:\n  - id: x\n    nme: y\n", encoding="utf-8")
    for args in (["--data", str(broken), "validate"], ["validate", "--data", str(broken)]):
        out = run_cli(*args)
        assert out.returncode == 2, out
        assert f"{broken}:3:5: unknown field 'nme' in group (did you mean 'name'?)" in out.stderr


def test_environment_variable_selects_data(tmp_path: Path) -> None:
    out = run_cli("validate", env={"ISIS_EXPLORER_DATA": str(tmp_path / "missing")})
    assert out.returncode == 2
    assert out.stderr.strip() == f"{tmp_path / 'missing'}: no such file or directory"


def test_broken_copy_of_bundled_data_fails_with_positions(tmp_path: Path) -> None:
    from tui.loading.data_files import bundled_data_dir

    copy = tmp_path / "data"
    copy.mkdir()
    for file in bundled_data_dir().glob("*.yaml"):
        (copy / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    groups = copy / "groups.yaml"
    text = groups.read_text(encoding="utf-8")
    groups.write_text(text.replace("regions: [", "regions: [atlantis, ", 1), encoding="utf-8")
    line = text[: text.index("regions: [")].count("\n") + 1
    out = run_cli("validate", "--data", str(copy))
    assert out.returncode == 2
    assert f"{groups}:{line}:" in out.stderr
    assert "unknown region 'atlantis'" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe garbage",
        b"groups: [",
        b"- just\n- a list\n",
        b"groups:\n  - !!python/object/apply:os.system [true]\n",
        b"",
    ],
)
def test_no_traceback_for_any_bad_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    for args in (["validate", "--data", str(path)], ["--data", str(path)]):
        out = run_cli(*args)
        assert out.returncode == 2
        assert out.stderr.startswith(str(path))
        assert "Traceback" not in out.stderr
        assert out.stdout == ""  # launching never drew a screen


def test_size_cap_is_settable(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("topics: []\n" + "# padding\n" * 120_000, encoding="utf-8")
    out = run_cli("validate", "--data", str(path), "--max-file-mib", "1")
    assert out.returncode == 2
    assert "over the limit of 1,048,576" in out.stderr


def test_readme_key_table_is_generated_from_the_bindings() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- keys:start -->\n", 1)[1].split("<!-- keys:end -->", 1)[0]
    out = run_cli("keys")
    assert out.returncode == 0
    assert "| `/` | Search |" in out.stdout
    assert block == out.stdout, "README key table is stale: paste the output of `isis-explorer keys`"


def test_fast_help_text_is_what_argparse_prints(monkeypatch) -> None:
    from tui.cli.parser import HELP_TEXT, build_parser

    monkeypatch.setenv("COLUMNS", "80")
    assert build_parser().format_help() == HELP_TEXT
    assert run_cli("--help").stdout == HELP_TEXT


@pytest.mark.parametrize("command", [["keys"], ["config"], ["schema"], ["validate"]])
def test_a_reader_that_stops_early_gets_no_error(command) -> None:
    """`isis-explorer keys | head -1`: a closed pipe ends the command quietly, not with a traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui", *command], stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0


def test_a_bare_launch_gets_what_argparse_would_give() -> None:
    from tui.cli.parser import bare_launch_args, build_parser

    assert vars(bare_launch_args()) == vars(build_parser().parse_args([]))


def test_validate_with_cache_writes_the_store_and_without_does_not(tmp_path, monkeypatch) -> None:
    """`validate --cache` (which `serve` runs first) writes the checked data to its store, so the
    explorer's first start on it opens at once; plain `validate` writes nothing."""
    from tui.cli.cache_key import cache_key
    from tui.loading.data_files import bundled_data_dir
    from tui.store.stored_kb import StoredKnowledgeBase, open_key

    monkeypatch.setenv("ISIS_EXPLORER_CACHE_DIR", str(tmp_path / "cache"))
    key = cache_key(str(bundled_data_dir()))  # what `validate` reads without --data
    assert main(["validate"]) == 0
    assert open_key(key) == "no store yet" and not (tmp_path / "cache").exists()
    assert main(["validate", "--cache"]) == 0
    kb = open_key(key)
    assert isinstance(kb, StoredKnowledgeBase) and kb.region_index().start == "iraq"
    assert kb.get("groups", "isis-khorasan") is not None


def test_serve_takes_its_options_after_the_command_too() -> None:
    """`isis-explorer serve --theme NAME --data DIR --port N`, as the README writes it (issue 12)."""
    from tui.cli.parser import build_parser

    after = build_parser().parse_args(["serve", "--theme", "nord", "--data", "kb", "--port", "9000"])
    before = build_parser().parse_args(["--theme", "nord", "--data", "kb", "serve", "--port", "9000"])
    for args in (after, before):
        assert (args.command, args.theme, args.data, args.port) == ("serve", "nord", "kb", 9000)
    assert build_parser().parse_args(["serve"]).theme is None  # not given: the global default stays
