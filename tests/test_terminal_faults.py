"""Terminal faults: tiny sizes and resize storms, no terminal at all, signals while loading, read-only
data and cache directories, huge pastes and key floods. The app must neither crash nor hang."""

from __future__ import annotations

import contextlib
import errno
import os
import pty
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pty_reading
import pytest
from textual import events
from textual.geometry import Size
from textual.widgets import Input, OptionList
from textual_private import notification_messages, screen_text, set_driver_size, terminal_output

import tui.__main__ as cli
from tui.cli import explore_command
from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.search_screen import SearchScreen
from tui.ui.screens.table_view import TableView
from tui.ui.screens.too_small_screen import TooSmallScreen

REPO = Path(__file__).resolve().parent.parent
ALT_SCREEN_OFF, MOUSE_OFF = b"\x1b[?1049l", b"\x1b[?1000l"
TOO_SMALL = "Terminal too small"


@pytest.fixture(scope="module")
def kb():
    return load()


# -- sizes -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(20, 5), (30, 8), (39, 24), (80, 11), (40, 12), (60, 20), (200, 60)])
async def test_any_size_works_and_below_40x12_says_too_small(kb, size) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        small = size[0] < 40 or size[1] < 12
        assert isinstance(app.screen, TooSmallScreen) == small
        assert (TOO_SMALL in screen_text(app)) == small
        await pilot.press(
            "tab",
            "down",
            "enter",
            "right_square_bracket",
            "slash",
            "escape",
            "question_mark",
            "escape",
            "2",
            "j",
            "escape",
            "backspace",
        )
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, TooSmallScreen) == small
        await pilot.press("q")  # q quits even from the too-small screen
    assert app.return_code == 0


async def test_too_small_screen_comes_and_goes_with_the_size(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen)
        selection = app.screen.selection
        await pilot.resize_terminal(39, 24)
        assert isinstance(app.screen, TooSmallScreen) and TOO_SMALL in screen_text(app)
        await pilot.resize_terminal(30, 10)  # smaller still: one notice, not a stack of them
        assert sum(isinstance(s, TooSmallScreen) for s in app.screen_stack) == 1
        await pilot.resize_terminal(80, 24)
        assert isinstance(app.screen, ExplorerScreen) and app.screen.selection == selection
        assert TOO_SMALL not in screen_text(app)
        await pilot.press("3")  # a view goes away and comes back the same way
        view = app.screen
        await pilot.resize_terminal(40, 11)
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(40, 12)
        assert app.screen is view


async def test_started_too_small_leaves_no_stray_screen(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        assert isinstance(app.screen, ExplorerScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)


async def test_loading_that_ends_while_too_small_keeps_the_notice(kb) -> None:
    def slow(progress):
        time.sleep(0.3)
        return kb

    app = ExplorerApp(background=slow)
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await app.workers.wait_for_complete()  # loading is a worker: wait for it, not the clock
        await pilot.pause()
        assert app.kb is kb and isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        assert isinstance(app.screen, ExplorerScreen)


async def test_resize_storm_never_crashes(kb) -> None:
    rng = random.Random(1234)
    app = ExplorerApp(kb)
    keys = ["down", "tab", "enter", "2", "escape", "slash", "k", "escape", "question_mark", "escape"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.monotonic()
        for n in range(300):  # 200 with a minimal pause between them, then 100 in one burst
            set_driver_size(app, size := Size(rng.randint(10, 200), rng.randint(3, 60)))
            app.post_message(events.Resize(size, size))
            if n < 200:
                await pilot.pause(0.002)
            if n % 25 == 0:
                await pilot.press(rng.choice(keys))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await pilot.resize_terminal(30, 8)
        assert isinstance(app.screen, TooSmallScreen)
        assert sum(isinstance(s, TooSmallScreen) for s in app.screen_stack) == 1
        await pilot.resize_terminal(80, 24)
        assert not isinstance(app.screen, TooSmallScreen)
        await pilot.press("escape", "escape", "1")  # close a search or help the random keys left open
        assert isinstance(app.screen, ExplorerScreen) and TOO_SMALL not in screen_text(app)
        assert time.monotonic() - started < 60
        await pilot.press("q")
    assert app.return_code == 0


# -- no terminal -----------------------------------------------------------------------------------
def run_without_terminal(root: Path, how: str) -> tuple[subprocess.CompletedProcess, float]:
    """Start the explorer with stdio set up as `how`; stderr is always a pipe."""
    env = {**os.environ, "TERM": "dumb" if how == "TERM=dumb" else "xterm-256color"}
    master, slave = pty.openpty()
    stdin = stdout = slave
    if how in ("stdout pipe", "both pipes"):
        stdout = subprocess.PIPE
    if how == "both pipes":
        stdin = subprocess.DEVNULL
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--data", str(root)],
            cwd=REPO,
            env=env,
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=10,
            start_new_session=how == "no controlling terminal",
        )
    finally:
        os.close(slave)
        os.close(master)
    return done, time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize(
    "how, says",
    [
        ("TERM=dumb", "TERM=dumb cannot show the explorer"),
        ("stdout pipe", "standard input and output are not both terminals"),
        ("both pipes", "standard input and output are not both terminals"),
        ("no controlling terminal", "there is no controlling terminal"),  # setsid: stdio are ttys, /dev/tty is not
    ],
)
def test_without_a_terminal_says_why_and_exits_2(write_kb, how, says) -> None:
    done, took = run_without_terminal(write_kb(), how)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert took < 10
    assert err.startswith("isis-explorer: ") and says in err and "validate" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert not (done.stdout or b"").strip()  # nothing drawn on a pipe


# -- signals while loading -------------------------------------------------------------------------
def read_pty(fd: int, until: bytes | None, timeout: float) -> bytes:
    return pty_reading.read_pty(fd, timeout, pty_reading.showing(until))


def launch(args: list[str], env: dict[str, str], cwd: Path = REPO) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # child: the app, in an 80x24 pseudo-terminal
        os.chdir(cwd)
        os.execve(
            sys.executable,
            [sys.executable, "-m", "tui", *args],
            {**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "PYTHONPATH": str(REPO)},
        )
    return pid, fd


@contextlib.contextmanager
def in_pty(args: list[str], env: dict[str, str]) -> Iterator[tuple[int, int]]:
    """The app launched in an 80x24 pty: (pid, fd); killed (if still running) and closed after."""
    pid, fd = launch(args, env)
    try:
        yield pid, fd
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def wait_exit(pid: int, timeout: float) -> int | None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


@pytest.fixture(scope="module")
def big_kb(tmp_path_factory) -> Path:
    """~17 MB of valid YAML: without a cache, the loading screen stays up for seconds."""
    root = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(REPO / "tests/benchmarks/generate.py"), str(root), "--scale", "0.2"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return root


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, stop, code",
    [
        ("SIGHUP", lambda pid, fd: os.kill(pid, signal.SIGHUP), 128 + signal.SIGHUP),
        ("SIGTERM", lambda pid, fd: os.kill(pid, signal.SIGTERM), 128 + signal.SIGTERM),
        ("ctrl+c", lambda pid, fd: os.write(fd, b"\x03"), 0),
    ],
)
def test_signal_while_loading_restores_the_terminal(big_kb, tmp_path, name, stop, code) -> None:
    pid, fd = launch(["--data", str(big_kb)], {**os.environ, "ISIS_EXPLORER_CACHE_DIR": str(tmp_path / "cache")})
    try:
        out = read_pty(fd, b"Reading", 20)
        assert b"Reading" in out, out[-300:]
        assert b"Regions" not in out  # still loading: the explorer is not drawn yet
        stopped = time.monotonic()
        stop(pid, fd)
        out += read_pty(fd, None, 5)
        status = wait_exit(pid, 5)
        took = time.monotonic() - stopped
    finally:
        os.close(fd)
    assert status == code, name
    assert took < 5.5
    assert b"Regions" not in out and b"Traceback" not in out
    tail = out[out.rfind(ALT_SCREEN_OFF) :]
    assert ALT_SCREEN_OFF in out and MOUSE_OFF in tail, out[-300:]
    assert len(tail) < 200  # those come last: nothing is drawn after the terminal is given back


# -- what the app writes, and where ----------------------------------------------------------------
def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every path under `root` (and `root` itself) with its size and mtime: any write shows."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in [root, *root.rglob("*")]}


def explore_and_quit(root: Path, cache_dir: Path, cwd: Path) -> tuple[bytes, int | None]:
    """Open the explorer on `root` in a pty (cwd `cwd`), use it a little, quit with q."""
    pid, fd = launch(["--data", str(root)], {**os.environ, "ISIS_EXPLORER_CACHE_DIR": str(cache_dir)}, cwd)
    try:
        out = read_pty(fd, b"Regions", 20)
        assert b"Regions" in out, out[-300:]
        for keys in (b"2", b"\x1b", b"/", b"mosul", b"\r", b"?", b"\x1b"):
            os.write(fd, keys)
            out += read_pty(fd, None, 0.3)
        os.write(fd, b"q")
        out += read_pty(fd, ALT_SCREEN_OFF, 10)
        return out, wait_exit(pid, 10)
    finally:
        os.close(fd)


def validate(root: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "validate", "--data", str(root)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "read-only"])
def test_the_data_directory_is_never_written(write_kb, tmp_path, read_only) -> None:
    root = write_kb()
    if read_only:  # as root, 0o555 still allows writes: the snapshot is what proves nothing was written
        for path in root.iterdir():
            path.chmod(0o444)
        root.chmod(0o555)
    before = snapshot(root)
    try:
        out, status = explore_and_quit(root, tmp_path / "cache", cwd=root)  # cwd too: no stray files
        checked = validate(root, cwd=root)
        after = snapshot(root)
    finally:
        root.chmod(0o755)
    assert status == 0 and b"Traceback" not in out
    assert checked.returncode == 0 and "groups 2" in checked.stdout, checked.stderr
    assert after == before
    assert (tmp_path / "cache").is_dir() and any((tmp_path / "cache").iterdir())  # the cache went elsewhere


@pytest.mark.slow
def test_a_cache_directory_that_cannot_be_made_gives_a_notice(write_kb, tmp_path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a regular file where the cache directory's parent should be")
    out, status = explore_and_quit(write_kb(), blocker / "cache", cwd=tmp_path)
    assert status == 0 and b"Traceback" not in out
    assert b"store not written" in out and b"Not a directory" in out
    assert blocker.read_text().startswith("a regular file")


async def test_a_full_cache_directory_gives_a_notice_and_the_app_runs(write_kb, monkeypatch) -> None:
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    apps: list[ExplorerApp] = []

    def app_without_running(*args, **kwargs):
        app = ExplorerApp(*args, **kwargs)
        app.run = lambda **_: None  # the same app, driven by run_test below
        apps.append(app)
        return app

    from tui.store import writer

    monkeypatch.setattr(writer, "_build", full_disk)  # writing the store fails as on a full disk
    monkeypatch.setattr(explore_command, "why_no_terminal", lambda: None)
    monkeypatch.setattr(explore_command, "make_app", app_without_running)
    assert cli.main(["--data", str(write_kb())]) == 0
    app = apps[0]
    assert app.notice and app.notice.startswith("store not written (No space left on device)")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen) and app.screen.selection is not None
        assert notification_messages(app) == [app.notice]
        assert "store not written" in screen_text(app)


# -- floods ----------------------------------------------------------------------------------------
PASTE_UNIT = "[/]\x1b[2J漢字\u202e"  # 10 characters; pasted text is as hostile as data


async def test_pasting_10000_characters_into_search_stays_responsive(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"Khorasan")
        search = app.screen
        assert isinstance(search, SearchScreen) and search.hits
        field = search.query_one(Input)
        started = time.monotonic()
        field.post_message(events.Paste(PASTE_UNIT * 1000))
        await pilot.pause()
        assert time.monotonic() - started < 1.0
        assert len(field.value) == len("Khorasan") + 10_000
        assert search.hits == [] and "no match" in screen_text(app)  # the result list followed the paste
        assert "\u241b[2J" in field.value  # pasted controls are made visible, as in data text
        assert "\x1b" not in screen_text(app) and "\u202e" not in screen_text(app)
        written = terminal_output(app)
        assert "\x1b[2J" not in written and "\u202e" not in written
        started = time.monotonic()
        await pilot.press("backspace")
        assert len(field.value) == len("Khorasan") + 9_999 and time.monotonic() - started < 1.0
        field.value = ""
        await pilot.press(*"Mosul")
        assert search.hits and search.query_one(OptionList).option_count == len(search.hits)
        started = time.monotonic()
        await pilot.press("enter")
        assert isinstance(app.screen, ExplorerScreen) and time.monotonic() - started < 1.0


FLOOD_KEYS = {
    "up": None,
    "down": None,
    "left": None,
    "right": None,
    "j": "j",
    "k": "k",
    "tab": "\t",
    "enter": "\r",
    "backspace": "\x7f",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "2": "2",
    "3": "3",
    "4": "4",
    "5": "5",
    "escape": "\x1b",
}


async def test_1000_keys_as_fast_as_possible_leave_it_running(kb) -> None:
    rng = random.Random(99)
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.monotonic()
        for _ in range(1000):  # all queued at once, as a fast typist or a stuck key would
            key = rng.choice(list(FLOOD_KEYS))
            app.post_message(events.Key(key, FLOOD_KEYS[key]))
        quiet = 0
        while quiet < 2 and time.monotonic() - started < 90:  # until the app has handled them all
            paused = time.monotonic()
            await pilot.pause()
            quiet = quiet + 1 if time.monotonic() - paused < 0.1 else 0
        took = time.monotonic() - started
        assert app.is_running and app.return_code is None
        assert took < 60, f"1000 keys took {took:.1f}s"
        await pilot.press("escape", "escape", "1")
        assert isinstance(app.screen, ExplorerScreen) and app.screen.selection is not None
        started = time.monotonic()
        await pilot.press("2")
        assert isinstance(app.screen, TableView) and time.monotonic() - started < 1.0
        await pilot.press("q")  # q in a view returns to the explorer (issue 12); q there quits
        assert isinstance(app.screen, ExplorerScreen)
        await pilot.press("q")
    assert app.return_code == 0
