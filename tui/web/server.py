"""The web server of `isis-explorer serve`: the explorer in a web browser, through textual-serve (the [web] extra).

textual-serve starts one explorer process (`python -m tui ...`, see tab_process.py) per browser tab,
with Textual's web driver, and relays its screen to xterm.js in the page. The page is our own copy of
textual-serve's (tui/web/app_index.html): it loads nothing from the internet and uses page-relative
URLs, so it works offline and through an SSH tunnel. The websocket refuses pages from other sites
(Origin) and, on a loopback address, other host names (DNS rebinding), so a web page open in the
same browser cannot drive the explorer.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from pathlib import Path
from urllib.parse import urlsplit

TYPE_CHECKING = False
if TYPE_CHECKING:
    from textual_serve.server import Server

TEMPLATES = Path(__file__).resolve().parent  # app_index.html
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def server_available() -> bool:
    """Whether textual-serve (the [web] extra) is installed."""
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        return False
    return True


def serve(command: str, host: str, port: int) -> None:
    """Serve the explorer on host:port until Ctrl+C; `command` is the shell command each browser tab
    runs. Raises OSError when it cannot listen."""
    explorer_server(command, host, port).serve()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def url_to_open(host: str, port: int) -> str:
    if host in ("", "0.0.0.0", "::"):
        return f"http://127.0.0.1:{port}/ (or this machine's address from elsewhere)"
    return f"http://{address(host, port)}/"


def explorer_server(command: str, host: str, port: int) -> Server:
    """textual-serve's Server, quieter (one line to say where to go, warnings only) and with the
    websocket closed to other sites. The class is made here because textual_serve is imported only on use."""
    import textual_serve.server
    from aiohttp import web

    statics = Path(textual_serve.server.__file__).resolve().parent / "static"

    class ExplorerServer(textual_serve.server.Server):
        def __init__(self) -> None:
            super().__init__(
                command, host=host, port=port, title="isis-explorer", templates_path=TEMPLATES, statics_path=statics
            )
            self.sessions: set[asyncio.Task[object]] = set()

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="isis-explorer serve: %(message)s")

        async def on_startup(self, app: web.Application) -> None:
            print(f"isis-explorer: open {url_to_open(self.host, self.port)} in a browser; Ctrl+C stops", flush=True)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            why_not = foreign_request(request.headers.get("Origin"), request.host, is_loopback(self.host))
            if why_not:
                raise web.HTTPForbidden(text=why_not)
            session = asyncio.current_task()
            assert session is not None  # aiohttp runs each request in a task
            self.sessions.add(session)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(session)

        async def on_shutdown(self, app: web.Application) -> None:
            """Ctrl+C: end each browser session, as closing its tab does (textual-serve then tells its
            app to quit), and let the apps exit before the event loop closes."""
            sessions = list(self.sessions)
            for session in sessions:
                session.cancel()
            if sessions:
                await asyncio.wait(sessions, timeout=10)
                await asyncio.sleep(0.2)  # asyncio reaps the app processes: else "Loop ... is closed"

    return ExplorerServer()


def foreign_request(origin: str | None, host: str, loopback: bool) -> str | None:
    """Why a websocket request does not come from our own page, or None. A browser always sends
    Origin; a page from another site must not drive the explorer (cross-site websocket hijacking),
    nor may a page whose host name merely resolves to 127.0.0.1 (DNS rebinding)."""
    if loopback and urlsplit(f"//{host}").hostname not in LOOPBACK_NAMES:
        return f"this server answers only to {', '.join(LOOPBACK_NAMES)}"
    if origin is not None and urlsplit(origin).netloc != host:
        return "this page belongs to another site"
    return None
