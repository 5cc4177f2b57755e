"""`isis-explorer serve`: the explorer in a real (headless) Chromium, offline, and the server's refusals.

How the test reads the screen: xterm.js draws the text on a canvas and textual-serve keeps its
Terminal object private, so the DOM holds no text. The test reads what the browser itself
receives instead: Playwright reports every websocket frame, and `Screen` replays those bytes the
way xterm.js does for what Textual's web driver sends (cursor moves `ESC[row;colH` and text;
colours, modes and titles change no cell).
"""

from __future__ import annotations

import codecs
import contextlib
import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rich.cells import cell_len

from tui.cli.serve_command import tab_command
from tui.web.server import foreign_request

pytestmark = pytest.mark.slow  # runs under plain `pytest`: the suite does not deselect slow tests

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("ISIS_EXPLORER_REQUIRE_BROWSER") == "1"
# without the background-networking flags Chromium dials out at start, which a closed network refuses
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# -- a server in a subprocess ----------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`isis-explorer serve ...` in its own process group (so its app processes can be stopped with it)."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.out, self.err = tmp_path / "serve.out", tmp_path / "serve.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tui", "serve", *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )

    def output(self) -> tuple[str, str]:
        return self.out.read_text(), self.err.read_text()

    def wait_for_port(self, port: int, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}: {self.output()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"the server did not listen on port {port} within {timeout} s: {self.output()}")

    def interrupt(self, timeout: float = 15) -> int:
        """Ctrl+C as a terminal sends it: SIGINT to the whole process group. The exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGINT)
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        with contextlib.suppress(ProcessLookupError):  # app processes left behind, if any
            os.killpg(self.process.pid, signal.SIGKILL)


def app_processes(server: int) -> list[int]:
    """The explorer processes textual-serve started for `server` (its children), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def start(*args: str) -> ServerProcess:
        started.append(ServerProcess(tmp_path, *args))
        return started[-1]

    yield start
    for server in started:
        server.kill()


# -- reading what the browser draws ------------------------------------------------------------------
class Screen:
    """Just enough of a terminal to read what Textual's web driver draws into xterm.js."""

    TOKEN = re.compile(
        r"(?P<csi>\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~]))"
        r"|(?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))"
        r"|(?P<esc>\x1b[@-Z\\-_])"
        r"|(?P<partial>\x1b.*)"  # an unfinished sequence at the end of a frame: wait for the rest
        r"|(?P<newline>\n)|(?P<cr>\r)|(?P<control>[\x00-\x1f\x7f])"
        r"|(?P<text>[^\x00-\x1f\x7f]+)",
        re.DOTALL,
    )

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], str] = {}
        self.row = self.col = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""
        self.frames = 0

    def feed(self, payload: bytes | str) -> None:
        if isinstance(payload, str):  # JSON messages (pong, open_url): not screen content
            return
        self.frames += 1
        text, self.pending = self.pending + self.decoder.decode(payload), ""
        for match in self.TOKEN.finditer(text):
            kind = match.lastgroup
            if kind == "partial":
                self.pending = match.group()
            elif kind == "csi":
                self.control(match["params"], match["final"])
            elif kind == "newline":
                self.row += 1
            elif kind == "cr":
                self.col = 0
            elif kind == "text":
                self.write(match.group())

    def control(self, params: str, final: str) -> None:
        numbers = [int(n) if n.isdigit() else 0 for n in params.split(";")]
        if final == "H":  # cursor position, 1-based
            self.row = max(numbers[0], 1) - 1
            self.col = max(numbers[1] if len(numbers) > 1 else 1, 1) - 1
        elif final == "J" and numbers[0] == 2:
            self.cells.clear()
        elif final == "K":
            self.cells = {cell: ch for cell, ch in self.cells.items() if cell[0] != self.row or cell[1] < self.col}

    def write(self, text: str) -> None:
        for char in text:
            width = cell_len(char)
            if width == 0:
                continue
            self.cells[self.row, self.col] = char
            if width == 2:
                self.cells[self.row, self.col + 1] = ""
            self.col += width

    def text(self) -> str:
        if not self.cells:
            return ""
        rows = max(row for row, _ in self.cells) + 1
        cols = max(col for _, col in self.cells) + 1
        return "\n".join(
            "".join(self.cells.get((row, col), " ") for col in range(cols)).rstrip() for row in range(rows)
        )


def wait_for_screen(page, screen: Screen, shows: Callable[[str], bool], what: str, timeout: float = 15) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        page.wait_for_timeout(50)  # lets Playwright deliver the frames that arrived
        if shows(text := screen.text()):
            return text
    pytest.fail(f"the page did not show {what} within {timeout} s; it shows:\n{screen.text()}")


# -- the browser test ------------------------------------------------------------------------------
@pytest.fixture
def chromium():
    """Playwright's Chromium driving Debian's /usr/bin/chromium (no browser download)."""
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"{CHROMIUM} is missing and ISIS_EXPLORER_REQUIRE_BROWSER=1 (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (CI installs it and sets ISIS_EXPLORER_REQUIRE_BROWSER=1)")
    if REQUIRE_BROWSER:
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="playwright comes with the [test] extra")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_the_explorer_works_in_a_browser_offline(serve, chromium, tmp_path: Path) -> None:
    port = free_port()
    server = serve("--port", str(port))
    server.wait_for_port(port)
    out, _ = server.output()
    assert f"http://127.0.0.1:{port}/" in out

    context = chromium.new_context(viewport={"width": 1200, "height": 700})
    requests: list[str] = []
    problems: list[str] = []
    screen = Screen()
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: (requests.append(ws.url), ws.on("framereceived", screen.feed)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}")
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        first = wait_for_screen(
            page,
            screen,
            lambda text: re.search(r"[▶▼] Iraq\b", text) and re.search(r"[▶▼] Syria\b", text),
            "the region tree with Iraq and Syria",
        )
        assert "Regions" in first
        assert "ISIS-Khorasan" not in first and "Taliban" not in first  # so the search below shows them

        page.focus(".xterm-helper-textarea")  # where xterm.js takes keys; a person clicks the page
        page.keyboard.press("/")
        page.wait_for_timeout(300)
        page.keyboard.type("Khorasan")
        results = wait_for_screen(
            page,
            screen,
            lambda text: re.search(r"▊ +Khorasan +▎", text) and "ISIS-Khorasan · group" in text,
            "the results",
        )
        assert "Esc closes" in results
        page.keyboard.press("Enter")
        found = wait_for_screen(
            page,
            screen,
            lambda text: "Esc closes" not in text and "ISIS-Khorasan" in text and "Taliban" in text,
            "ISIS-Khorasan's record",
        )
        assert "Afghanistan" in found
        page.keyboard.press("6")  # the Map view works in the browser too: braille land, lettered markers
        shown = wait_for_screen(
            page, screen, lambda text: "I core" in text and "B3 Afghanistan" in text, "the map, Afghanistan labelled"
        )
        assert any(0x2800 < ord(ch) <= 0x28FF for ch in shown)
        fonts = page.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replaceAll('\"', ''))"
        )
        assert "Roboto Mono" in fonts  # the font came from the server, not from the internet
        page.screenshot(path=str(tmp_path / "web.png"))

        apps = app_processes(server.process.pid)
        assert len(apps) == 1
        assert server.interrupt() in (0, 130)  # Ctrl+C in the server's terminal, the tab still open
        page.wait_for_selector("body.-closed", state="attached", timeout=5000)  # the page says "Session ended."
    finally:
        context.close()

    out, err = server.output()
    assert "Traceback" not in out + err
    assert not any(running(pid) for pid in apps)  # the server ended the tab's explorer
    assert screen.frames > 0
    assert any(url.startswith(f"ws://127.0.0.1:{port}/ws") for url in requests), requests
    assert [url for url in requests if not url.startswith("data:") and urlsplit(url).hostname != "127.0.0.1"] == []
    assert problems == []


# -- the server's refusals and messages --------------------------------------------------------------
def run_cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )


def test_bad_data_is_reported_before_serving(write_kb) -> None:
    root = write_kb(groups="groups:\n  - id: broken\n    name: [unclosed\n")
    port = free_port()
    result = run_cli("serve", "--data", str(root), "--port", str(port))
    assert result.returncode == 2
    assert re.search(rf"^{re.escape(str(root / 'groups.yaml'))}:\d+:\d+: ", result.stderr, re.MULTILINE)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # no "open http://..." line: the server never started


def test_a_port_in_use_is_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.returncode == 2
    assert result.stderr == f"isis-explorer: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert result.stdout == ""


def test_without_the_web_extra_it_says_what_to_install() -> None:
    code = "import sys; sys.modules['textual_serve'] = None; from tui.__main__ import main; sys.exit(main(['serve']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == "isis-explorer: web mode needs the [web] extra: pip install 'isis-explorer[web]'\n"


def test_a_public_address_is_warned_about_and_ctrl_c_stops_it(serve) -> None:
    port = free_port()
    server = serve("--host", "0.0.0.0", "--port", str(port))
    server.wait_for_port(port)
    _, err = server.output()
    assert (
        f"isis-explorer: warning: listening on 0.0.0.0, not only on this machine: anyone who can reach port {port}"
        in err
    )
    assert server.interrupt() in (0, 130)
    out, err = server.output()
    assert "Traceback" not in out + err


WEBSOCKET_HEADERS = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def websocket_status(port: int, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/ws", headers={**WEBSOCKET_HEADERS, **headers})
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_websocket_refuses_other_sites(serve) -> None:
    port = free_port()
    server = serve("--port", str(port))
    server.wait_for_port(port)
    here = f"127.0.0.1:{port}"
    assert websocket_status(port, {"Origin": "http://evil.example"}) == 403  # cross-site websocket hijacking
    assert websocket_status(port, {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}) == 403
    assert websocket_status(port, {"Host": here, "Origin": f"http://{here}"}) == 101  # our own page


def test_apps_end_when_the_server_is_killed(serve) -> None:
    port = free_port()
    server = serve("--port", str(port))
    server.wait_for_port(port)
    session = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    session.request("GET", "/ws", headers=WEBSOCKET_HEADERS)
    assert session.getresponse().status == 101
    end = time.monotonic() + 15
    while not (apps := app_processes(server.process.pid)) and time.monotonic() < end:
        time.sleep(0.1)
    assert len(apps) == 1
    os.kill(server.process.pid, signal.SIGKILL)  # no chance to end its sessions
    server.process.wait(10)
    end = time.monotonic() + 10
    while running(apps[0]) and time.monotonic() < end:
        time.sleep(0.1)
    assert not running(apps[0])
    session.close()


def test_foreign_request_rules() -> None:
    assert foreign_request("http://127.0.0.1:8000", "127.0.0.1:8000", loopback=True) is None
    assert foreign_request("http://localhost:9000", "localhost:9000", loopback=True) is None  # an SSH tunnel
    assert foreign_request("http://[::1]:8000", "[::1]:8000", loopback=True) is None
    assert foreign_request(None, "127.0.0.1:8000", loopback=True) is None  # not a browser
    assert foreign_request("http://evil.example", "127.0.0.1:8000", loopback=True)
    assert foreign_request("http://rebound.example:8000", "rebound.example:8000", loopback=True)
    assert foreign_request("http://box.lan:8000", "box.lan:8000", loopback=False) is None
    assert foreign_request("http://evil.example", "box.lan:8000", loopback=False)


def test_the_app_command_passes_the_settings_through(tmp_path: Path, monkeypatch) -> None:
    from tui.settings.config_file import ConfigFile, default_path
    from tui.settings.precedence import resolve

    for name in ("ISIS_EXPLORER_DATA", "TEXTUAL_THEME"):
        monkeypatch.delenv(name, raising=False)
    data = tmp_path / "my data; $(touch pwned) 'quoted'"
    settings = resolve(
        ConfigFile(Path("conf.toml"), "--config"), data=str(data), max_file_mib=0.5, theme="ansi-dark", no_mouse=True
    )
    command = tab_command(settings)
    assert command.startswith("exec ")
    assert shlex.split(command.removeprefix("exec ")) == [
        sys.executable, "-m", "tui",
        "--config", os.path.abspath("conf.toml"),
        "--data", str(data),
        "--max-file-mib", "0.5",
        "--theme", "ansi-dark",
        "--no-mouse",
    ]  # fmt: skip
    defaults = resolve(ConfigFile(default_path(), ""), data=None, max_file_mib=None, theme=None, no_mouse=False)
    assert tab_command(defaults) == shlex.join(["exec", sys.executable, "-m", "tui"])
