"""Make the README's screenshots: docs/screenshots/*.svg, drawn by Textual from the bundled data.

Run with the project's Python, from anywhere: `.venv/bin/python docs/make_screenshots.py [NAME ...]`.
The output is deterministic (same app and data, same bytes), so a file is rewritten only when what it
shows has changed; the script names the files it wrote. `--check` writes nothing and exits 1 when a
picture is out of date. tests/test_readme.py checks that each picture shows what its caption says.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (100, 30)  # the widest layout (quote panel beside the tree) starts at 100 columns; reads well on GitHub
SETTLE = 0.3  # seconds for the detail pane and the previews to follow the cursor (they wait for it to settle)
# Settings that would change the pictures: the default theme and full colour are what the README shows.
UNSET = ("NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_THEME", "COLUMNS", "LINES")


@dataclass(frozen=True)
class Shot:
    name: str  # file name, without .svg
    keys: tuple[str, ...]  # Pilot key names pressed once the explorer is on screen
    title: str  # the window title drawn in the picture


SHOTS = [
    # It opens on Iraq; Tab moves into the detail pane and Enter follows its first link, the group ISIS.
    Shot("explorer", ("tab", "enter"), "the explorer, on the group ISIS"),
    Shot("groups", ("2",), "Groups view"),
    Shot("analysts", ("3",), "Analysts view"),
    Shot("timeline", ("4",), "Timeline view"),
    # Down to US Central Command's count of foreign fighters, which the source sets against some
    # analysts' lower range (¶24): the only competing estimates; the preview lists the other.
    Shot("figures", ("5", *["down"] * 11), "Figures view"),
    Shot("search", ("slash", *"Soufan"), "searching for Soufan"),
    # The places go west to east: Afghanistan is the 13th, twelve `n` from Nigeria.
    Shot("map", ("6", *["n"] * 12), "Map view, on Afghanistan"),
    # The done-when of issue 16: ISIS-Khorasan and an assessment by Daniel Byman marked, a note on one.
    Shot(
        "marked",
        (
            *("slash", *"khorasan", "enter", "m"),
            *("slash", *"byman", "down", "ctrl+t", "escape"),
            *("7", "e", *"compare with the Taliban's view", "enter"),
        ),
        "Marked view",
    ),
]


async def take(kb, shot: Shot) -> str:
    """The SVG of the screen after pressing the shot's keys."""
    from tui.ui.app import ExplorerApp

    app = ExplorerApp(kb)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(SETTLE)
        for key in shot.keys:
            await pilot.press(key)
        await pilot.pause(SETTLE)
        await pilot.wait_for_scheduled_animations()
        return app.export_screenshot(title=f"isis-explorer: {shot.title}")


async def take_all(shots: list[Shot]) -> dict[str, str]:
    from tui.loading.loader import load

    kb = load()  # the bundled knowledge base
    return {shot.name: await take(kb, shot) for shot in shots}


def main(argv: list[str] | None = None) -> int:
    names = [shot.name for shot in SHOTS]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these pictures: " + ", ".join(names))
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a picture is out of date")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(names))
    if unknown:
        parser.error(f"no such picture: {', '.join(unknown)} (choose from {', '.join(names)})")
    for var in UNSET:  # before Textual is imported: it reads them once
        os.environ.pop(var, None)
    sys.path.insert(0, str(ROOT))
    pictures = asyncio.run(take_all([shot for shot in SHOTS if not args.names or shot.name in args.names]))
    stale = []
    for name, svg in pictures.items():
        path = OUT / f"{name}.svg"
        if path.exists() and path.read_text(encoding="utf-8") == svg:
            continue
        stale.append(path)
        if not args.check:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
    for path in stale:
        print(f"{'out of date' if args.check else 'written'}: {path.relative_to(ROOT)}")
    print(f"{len(pictures) - len(stale)} of {len(pictures)} unchanged")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
