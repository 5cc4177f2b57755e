"""What the screen shows, as SVG snapshots (pytest-textual-snapshot): update with --snapshot-update
after checking the new pictures by eye in snapshot_report.html."""

from __future__ import annotations

import pytest

from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import TREE_SETTLE_SECONDS


async def settle(pilot) -> None:
    """Let the detail pane catch up with the tree cursor (it follows only where the cursor settles)."""
    await pilot.pause(TREE_SETTLE_SECONDS * 3)


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (160, 48)], ids=["80x24", "60x20", "160x48"])
def test_main_screen(snap_compare, kb, size) -> None:
    assert snap_compare(ExplorerApp(kb), terminal_size=size, run_before=settle)


def test_main_screen_without_colour(snap_compare, kb, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ExplorerApp(kb), terminal_size=(80, 24), run_before=settle)


def test_search_for_khorasan_then_open(snap_compare, kb) -> None:
    assert snap_compare(
        ExplorerApp(kb), press=["slash", *"Khorasan", "enter"], terminal_size=(80, 24), run_before=settle
    )


def test_search_results(snap_compare, kb) -> None:
    assert snap_compare(ExplorerApp(kb), press=["slash", *"dribs"], terminal_size=(60, 20), run_before=settle)


def test_help(snap_compare, kb) -> None:
    assert snap_compare(ExplorerApp(kb), press=["question_mark"], terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("key", ["2", "3", "4", "5"], ids=["groups", "analysts", "timeline", "figures"])
def test_views(snap_compare, kb, key) -> None:
    assert snap_compare(ExplorerApp(kb), press=[key], terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", [(40, 12), (80, 12)], ids=["40x12", "80x12"])
def test_short_screen(snap_compare, kb, size) -> None:
    """Short terminals: no header, the tree keeps >= 3 rows, the assessments shrink (80x12) or go (40x12)."""
    assert snap_compare(ExplorerApp(kb), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_map(snap_compare, kb, size) -> None:
    """The map key: land in braille, a marker per place (merged where they would touch), the list."""
    assert snap_compare(ExplorerApp(kb), press=["6"], terminal_size=size, run_before=settle)


def test_map_without_colour(snap_compare, kb, monkeypatch) -> None:
    """NO_COLOR: the selected marker reversed, markers bold, labels underlined."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(ExplorerApp(kb), press=["6", "n", "n"], terminal_size=(80, 24), run_before=settle)


def test_marked_view(snap_compare, kb) -> None:
    """Two marks made where a user makes them (a search result opened, a result marked in the
    dialog), a note on the first: kind, name, note and citation in the user's order."""
    keys = ["slash", *"khorasan", "enter", "m", "slash", *"byman", "down", "ctrl+t", "escape"]
    keys += ["7", "e", *"compare with the Taliban's view", "enter"]

    async def mark_then_settle(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        pilot.app.clear_notifications()  # the "Marked …" notices: they go by themselves

    assert snap_compare(ExplorerApp(kb), terminal_size=(80, 24), run_before=mark_then_settle)
