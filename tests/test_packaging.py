"""The wheel carries the data, and an installed copy finds it without the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build from a copy of the repo elsewhere, as pipx would (no build isolation: offline)."""
    copy = tmp_path_factory.mktemp("src") / "isis-explorer"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "dist", "*.egg-info"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(copy)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_contains_every_yaml_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"tui/data/{p.name}" for p in (ROOT / "data").glob("*.yaml")}
    assert expected, "the repo has no data files"
    assert expected <= names
    assert "tui/data/isis-explorer.schema.json" in names  # the schema editors find beside the data
    assert "tui/ui/explorer.tcss" in names


def test_installed_copy_loads_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = (
        "from tui.loading.data_files import bundled_data_dir\nfrom tui.loading.loader import load\n"
        "d = bundled_data_dir(); kb = load()\n"
        "print(d); print(kb.counts()['groups'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    data_dir, groups = out.stdout.split()
    assert Path(data_dir) == target / "tui" / "data"
    assert int(groups) > 0
