"""`isis-explorer serve`: the explorer in a web browser, through textual-serve (the [web] extra).

textual-serve starts one explorer process (`python -m tui.web.server ...`, see app_process) per browser
tab, with Textual's web driver, and relays its screen to xterm.js in the page. The page is our own copy of textual-serve's (tui/web/):
it loads nothing from the internet and uses page-relative URLs, so it works offline and through an
SSH tunnel. The websocket refuses pages from other sites (Origin) and, on a loopback address, other
host names (DNS rebinding), so a web page open in the same browser cannot drive the explorer.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_USAGE = 0, 2
DEFAULT_MAX_FILE_MIB = 32.0
TEMPLATES = Path(__file__).resolve().parent  # app_index.html
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve sets in $TEXTUAL_DRIVER
NEEDS_EXTRA = "isis-explorer: web mode needs the [web] extra: pip install 'isis-explorer[web]'"


def run_serve(args: argparse.Namespace) -> int:
    try:
        import textual_serve.server
    except ImportError:
        print(NEEDS_EXTRA, file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= args.port <= 65535:
        print(f"isis-explorer: --port {args.port}: choose a port from 1 to 65535", file=sys.stderr)
        return EXIT_USAGE
    status = check_data(args)
    if status != EXIT_OK:
        return status
    if args.theme and not theme_exists(args.theme):
        return EXIT_USAGE
    why_not = why_cannot_listen(args.host, args.port)
    if why_not:
        print(f"isis-explorer: cannot listen on {address(args.host, args.port)}: {why_not}", file=sys.stderr)
        return EXIT_USAGE
    if not is_loopback(args.host):
        print(
            f"isis-explorer: warning: listening on {args.host}, not only on this machine: anyone who can reach "
            f"port {args.port} can use the explorer, read the data it shows and write files in {os.getcwd()}",
            file=sys.stderr,
        )
    server = explorer_server_class(textual_serve.server.Server)(
        child_command(args),
        host=args.host,
        port=args.port,
        title="isis-explorer",
        templates_path=TEMPLATES,
        statics_path=Path(textual_serve.server.__file__).resolve().parent / "static",
    )
    try:
        server.serve()
    except OSError as exc:  # lost a race for the port since the check
        print(
            f"isis-explorer: cannot listen on {address(args.host, args.port)}: {exc.strerror or exc}", file=sys.stderr
        )
        return EXIT_USAGE
    return EXIT_OK


def explorer_options(args: argparse.Namespace) -> list[str]:
    """The options that choose what the explorer shows: the same data and settings in every process."""
    options = []
    if args.config:
        options += ["--config", os.path.abspath(args.config)]
    if args.data:
        options += ["--data", os.path.abspath(args.data)]
    if args.max_file_mib != DEFAULT_MAX_FILE_MIB:
        options += ["--max-file-mib", repr(args.max_file_mib)]
    if args.theme:
        options += ["--theme", args.theme]
    if args.no_mouse:
        options += ["--no-mouse"]
    return options


def child_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, this data, these settings
    (`python -m tui.web.server` is `python -m tui` in a process group of its own: see app_process)."""
    command = [sys.executable, "-m", "tui.web.server", *explorer_options(args)]
    if os.name != "posix":
        return subprocess.list2cmdline(command)
    return "exec " + shlex.join(command)  # exec: the app's parent is the server (see quit_when_orphaned)


def check_data(args: argparse.Namespace) -> int:
    """`isis-explorer validate --cache` on the same data before serving: bad data prints path:line:col
    and stops here; good data goes into the parse cache, so even the first tab starts at once. In a
    process of its own, so a large knowledge base's memory goes back to the system
    (in the server it stayed: 250 MiB for the 90 MB benchmark data). Its exit status."""
    command = [sys.executable, "-m", "tui", *explorer_options(args), "validate", "--cache"]
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False).returncode


def theme_exists(theme: str) -> bool:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.ui.app import ExplorerApp

    themes = ExplorerApp(KnowledgeBase({})).available_themes
    if theme in themes:
        return True
    print(f"isis-explorer: unknown theme {theme!r}; choose one of: {', '.join(sorted(themes))}", file=sys.stderr)
    return False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def why_cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not bind (host:port) — in use, not an address here, not allowed — or None."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return exc.strerror or str(exc)
    for family, kind, proto, _, sockaddr in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
            try:
                probe.bind(sockaddr)
            except OSError as exc:
                return exc.strerror or str(exc)
    return None


def url_to_open(host: str, port: int) -> str:
    if host in ("", "0.0.0.0", "::"):
        return f"http://127.0.0.1:{port}/ (or this machine's address from elsewhere)"
    return f"http://{address(host, port)}/"


def explorer_server_class(base: type) -> type:
    """textual-serve's Server, quieter (one line to say where to go, warnings only) and with the
    websocket closed to other sites. Built here because textual_serve is imported only on use."""
    from aiohttp import web

    class ExplorerServer(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.sessions: set[asyncio.Task] = set()

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="isis-explorer serve: %(message)s")

        async def on_startup(self, app: web.Application) -> None:
            print(f"isis-explorer: open {url_to_open(self.host, self.port)} in a browser; Ctrl+C stops", flush=True)

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            why_not = foreign_request(request.headers.get("Origin"), request.host, is_loopback(self.host))
            if why_not:
                raise web.HTTPForbidden(text=why_not)
            session = asyncio.current_task()
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

    return ExplorerServer


def foreign_request(origin: str | None, host: str, loopback: bool) -> str | None:
    """Why a websocket request does not come from our own page, or None. A browser always sends
    Origin; a page from another site must not drive the explorer (cross-site websocket hijacking),
    nor may a page whose host name merely resolves to 127.0.0.1 (DNS rebinding)."""
    if loopback and urlsplit(f"//{host}").hostname not in LOOPBACK_NAMES:
        return f"this server answers only to {', '.join(LOOPBACK_NAMES)}"
    if origin is not None and urlsplit(origin).netloc != host:
        return "this page belongs to another site"
    return None


def app_process(argv: list[str]) -> int:
    """One browser tab's explorer (`python -m tui.web.server ARGS`, run by textual-serve): `python -m tui
    ARGS` in a process group of its own, so a Ctrl+C in the server's terminal reaches only the
    server, which ends each session in order (a Ctrl+C reaching the apps too raced their shutdown)."""
    from tui.__main__ import main

    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER and os.name == "posix":
        os.setpgid(0, 0)
        threading.Thread(target=quit_when_orphaned, args=(os.getppid(),), name="orphan-watch", daemon=True).start()
    return main(argv)


def quit_when_orphaned(server: int) -> None:
    """If the server dies without ending the session (kill -9), end this app as SIGTERM does."""
    while os.getppid() == server:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    sys.exit(app_process(sys.argv[1:]))
