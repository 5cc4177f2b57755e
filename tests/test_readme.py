"""The README and docs/data-format.md show the real thing: screenshots that show what their captions
say, set-up commands that CI still finds, and example records copied from the bundled data."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tui.knowledge.fields import specs_of
from tui.knowledge.records import KINDS, yaml_key
from tui.loading.data_files import bundled_data_dir
from tui.loading.loader import load
from tui.loading.problems import Problems
from tui.loading.safe_yaml import parse
from tui.ui.screens.analysts_view import AnalystsView
from tui.ui.screens.figures_view import FiguresView
from tui.ui.screens.groups_view import GroupsView
from tui.ui.screens.timeline_view import TimelineView

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DATA_FORMAT = ROOT / "docs" / "data-format.md"
SCREENSHOTS = ROOT / "docs" / "screenshots"
SVG = "{http://www.w3.org/2000/svg}"
CELL_WIDTH = 12.2  # Rich's SVG export: 0.61 × its 20 px font

# What each screenshot must show: a stale or wrong picture (another view, the loading screen, an error)
# fails. The views' titles come from the code, so renaming a view needs new pictures.
SHOWS = {
    "explorer.svg": ["Regions", "Iraq", "group", "ISIS", "isis-core", "Branches", "Assessments 1/"],
    "groups.svg": [f"{GroupsView.TITLE}:", "ISIS-Khorasan", "Al Qaeda"],
    "analysts.svg": [f"{AnalystsView.TITLE}:", "Chris Maier", "Said"],
    "timeline.svg": [f"{TimelineView.TITLE}:", "ISIS at its territorial peak", "date unknown"],
    "figures.svg": [f"{FiguresView.TITLE}:", "Foreign fighters who joined", "20,000–30,000", "competing"],
    "search.svg": ["Search", "Soufan", "results", "· person"],
    "map.svg": ["Map", "Afghanistan", "B3", "Iraq", "Somalia", "Nigeria", "ISIS-Khorasan (branch)"],
    "marked.svg": ["Marked", "2 marked", "ISIS-Khorasan", "Daniel Byman", "Your note: compare with the", "¶34"],
}
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXAMPLE = re.compile(r"^<!-- example -->\n```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def readme() -> str:
    return README.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under `heading` up to the next heading of any level."""
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    following = re.search(r"^#{1,6} ", text[start:], re.MULTILINE)
    return text[start : start + following.start()] if following else text[start:]


def screen_of(path: Path) -> tuple[str, list[str]]:
    """(window title, screen lines) of a Rich/Textual SVG export; fails if it is not an SVG."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg", f"{path.name} is not an SVG"
    title = ""
    rows: dict[int, dict[int, str]] = {}
    for element in root.iter(f"{SVG}text"):
        text = (element.text or "").replace("\xa0", " ").replace("\n", "")
        clip = re.search(r"-line-(\d+)\)", element.get("clip-path", ""))
        if clip is None:
            title = text
            continue
        rows.setdefault(int(clip.group(1)), {})[round(float(element.get("x")) / CELL_WIDTH)] = text
    lines = []
    for y in range(max(rows, default=-1) + 1):
        line = ""
        for x, text in sorted(rows.get(y, {}).items()):
            line = line.ljust(x) + text
        lines.append(line)
    return title, lines


# -- screenshots -----------------------------------------------------------------------------------
def test_every_image_in_the_readme_exists_and_shows_what_it_should() -> None:
    images = IMAGE.findall(readme())
    assert images, "the README shows no screenshots"
    for caption, target in images:
        path = ROOT / target
        assert path.is_file(), f"README shows {target}, which does not exist"
        assert caption.strip(), f"{target} has no caption (alt text)"
        assert path.name in SHOWS, f"{target}: say in SHOWS what it must show"
        _, lines = screen_of(path)
        screen = "\n".join(lines)
        missing = [text for text in SHOWS[path.name] if text not in screen]
        assert not missing, f"{target} does not show {missing}:\n{screen}"


def test_the_main_screenshot_comes_first_and_every_picture_is_shown_once() -> None:
    targets = [target for _, target in IMAGE.findall(readme())]
    assert targets[0] == "docs/screenshots/explorer.svg"
    assert sorted(targets) == sorted(set(targets))
    on_disk = {f"docs/screenshots/{path.name}" for path in SCREENSHOTS.glob("*.svg")}
    assert set(targets) == on_disk, "a screenshot is not in the README, or the README shows a missing one"


def test_the_script_makes_exactly_the_pictures_the_readme_shows(monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location("make_screenshots", ROOT / "docs" / "make_screenshots.py")
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, script)  # its dataclass looks its module up there
    spec.loader.exec_module(script)
    made = {f"docs/screenshots/{shot.name}.svg" for shot in script.SHOTS}
    assert made == {target for _, target in IMAGE.findall(readme())}
    for shot in script.SHOTS:
        title, lines = screen_of(SCREENSHOTS / f"{shot.name}.svg")
        assert title == f"isis-explorer: {shot.title}"
        assert len(lines) == script.SIZE[1] and max(map(len, lines)) <= script.SIZE[0]  # drawn at its size


def test_screen_of_reads_the_lines_as_drawn() -> None:
    title, lines = screen_of(SCREENSHOTS / "groups.svg")
    assert title == "isis-explorer: Groups view"
    assert lines[1].startswith(" Groups: all kinds (18 of 18)")  # after the view's one-cell margin
    row = next(line for line in lines if "ISIS-Khorasan" in line)
    assert re.search(r"ISIS-Khorasan \(as some… +branch +Afghanistan", row), row  # the gaps between cells are kept


# -- set-up commands -------------------------------------------------------------------------------
def test_set_up_has_the_two_commands_and_ci_finds_the_test_command() -> None:
    text = readme()
    blocks = FENCE.findall(section(text, "## Set up"))
    assert [lang for lang, _ in blocks] == ["sh", "sh"]
    install, tests = (body.strip() for _, body in blocks)
    assert install.endswith(".venv/bin/pip install . && .venv/bin/isis-explorer")
    assert "pip install '.[test]'" in tests and tests.endswith("-m pytest")
    # .ci/run picks its command with awk: run that very awk program on the README.
    awk = re.search(r"command=\$\(awk '([^']*)' README\.md\)", (ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert awk, ".ci/run no longer reads the command the way this test expects"
    found = subprocess.run(["awk", awk.group(1), str(README)], capture_output=True, text=True, check=True).stdout
    assert found.strip() == tests


def test_install_as_a_command_with_pipx() -> None:
    part = section(readme(), "### Install as a command")
    assert "`pipx install .`" in part and "`pipx install '.[web]'`" in part
    assert "```" not in part  # no code block that could be taken for a set-up command
    assert readme().index("### Install as a command") > readme().index("<!-- ci:test-command")


# -- example records -------------------------------------------------------------------------------
def plain(node):
    """A composed YAML node as Python values (every scalar stays the string it was written as)."""
    if isinstance(node, yaml.MappingNode):
        return {key.value: plain(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(item) for item in node.value]
    return node.value


def parsed(path: str, text: str) -> dict:
    problems = Problems()
    node = parse(path, text, problems)
    assert not problems, "\n".join(map(str, problems.items))
    return plain(node)


def examples() -> list[tuple[str, dict]]:
    """(where, parsed block) for every block marked `<!-- example -->` in the docs."""
    found = []
    for path in (DATA_FORMAT, README):
        for number, block in enumerate(EXAMPLE.findall(path.read_text(encoding="utf-8")), 1):
            where = f"{path.name} example {number}"
            found.append((where, parsed(where, block)))
    return found


@pytest.fixture(scope="module")
def bundled_records() -> dict[tuple[str, str], dict]:
    records = {}
    for path in sorted(bundled_data_dir().glob("*.yaml")):
        for kind, items in parsed(str(path), path.read_text(encoding="utf-8")).items():
            records.update({(kind, item["id"]): item for item in items})
    return records


def test_there_is_an_example_of_every_kind() -> None:
    shown = {kind for _, block in examples() for kind in block}
    assert shown == set(KINDS)
    data_format = DATA_FORMAT.read_text(encoding="utf-8")
    assert "## Examples" in data_format
    assert "docs/data-format.md#examples" in section(readme(), "## Data format")


def test_examples_are_copied_from_the_bundled_data(bundled_records) -> None:
    for where, block in examples():
        for kind, items in block.items():
            optional = {yaml_key(name) for name, spec in specs_of(KINDS[kind]).items() if not spec.required}
            for item in items:
                original = bundled_records.get((kind, item["id"]))
                assert original is not None, f"{where}: {kind} {item['id']} is not in the bundled data"
                for field, value in item.items():
                    assert value == original.get(field), f"{where}: {kind} {item['id']}: {field} differs"
                left_out = set(original) - set(item)
                assert left_out <= optional, f"{where}: {kind} {item['id']} leaves out required {left_out}"


def test_examples_load_in_place_of_the_records_they_copy(tmp_path: Path) -> None:
    """The bundled data with an example's records standing in for their originals loads without
    errors, so what an example leaves out really is optional."""
    counts = load().counts()
    for number, (where, block) in enumerate(examples()):
        shown = {(kind, item["id"]) for kind, items in block.items() for item in items}
        data = tmp_path / f"data{number}"
        shutil.copytree(bundled_data_dir(), data)
        for path in data.glob("*.yaml"):
            content = parsed(str(path), path.read_text(encoding="utf-8"))
            kept = {
                kind: [item for item in items if (kind, item["id"]) not in shown] for kind, items in content.items()
            }
            path.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (data / "example.yaml").write_text(yaml.safe_dump(block, allow_unicode=True, sort_keys=False), encoding="utf-8")
        kb = load(data)
        for kind, record_id in shown:
            assert kb.get(kind, record_id) is not None, f"{where}: {kind} {record_id} did not load"
        assert kb.counts() == counts, where  # and the rest of the data is all there
