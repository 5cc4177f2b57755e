"""`isis-explorer serve [--host H] [--port P]`: the checks, messages and exit codes around the web
server (tui/web/server.py). Every refusal is one line on standard error and exit status 2, before
the server starts: no [web] extra, a bad port, bad data, an unknown theme, a port that cannot be bound.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys

from tui.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from tui.settings.precedence import DEFAULT_MAX_FILE_MIB, FLAG

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.settings.precedence import Settings

NEEDS_EXTRA = "web mode needs the [web] extra: pip install 'isis-explorer[web]'"


def run(settings: Settings, *, host: str, port: int) -> int:
    from tui.web.server import address, is_loopback, serve, server_available

    if not server_available():
        return _fail(NEEDS_EXTRA)
    if not 1 <= port <= 65535:
        return _fail(f"--port {port}: choose a port from 1 to 65535")
    status = check_data(settings)
    if status != EXIT_OK:
        return status
    if settings.theme.value:
        from tui.ui.config_checks import theme_problem

        problem = theme_problem(settings.theme.value)
        if problem:
            return _fail(problem)
    why_not = why_cannot_listen(host, port)
    if why_not:
        return _fail(f"cannot listen on {address(host, port)}: {why_not}")
    if not is_loopback(host):
        print(
            f"isis-explorer: warning: listening on {host}, not only on this machine: anyone who can reach "
            f"port {port} can use the explorer, read the data it shows and write files in {os.getcwd()}",
            file=sys.stderr,
        )
    try:
        serve(tab_command(settings), host, port)
    except OSError as exc:  # lost a race for the port since the check
        return _fail(f"cannot listen on {address(host, port)}: {exc.strerror or exc}")
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"isis-explorer: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def explorer_options(settings: Settings) -> list[str]:
    """The options that choose what the explorer shows: the same data and settings in every process."""
    options = []
    if settings.config.source == FLAG:  # a config file named by the environment: the environment is inherited
        options += ["--config", os.path.abspath(settings.config.value)]
    if settings.data.value:
        options += ["--data", os.path.abspath(settings.data.value)]
    if settings.max_file_mib.value != DEFAULT_MAX_FILE_MIB:
        options += ["--max-file-mib", repr(settings.max_file_mib.value)]
    if settings.theme.value:
        options += ["--theme", settings.theme.value]
    if not settings.mouse.value:
        options += ["--no-mouse"]
    return options


def tab_command(settings: Settings) -> str:
    """The shell command textual-serve runs for each browser tab: the explorer (`python -m tui`) with
    this Python, this data and these settings; it sees the web driver and becomes a tab process
    (tui/web/tab_process.py)."""
    command = [sys.executable, "-m", "tui", *explorer_options(settings)]
    if os.name != "posix":
        return subprocess.list2cmdline(command)
    return "exec " + shlex.join(command)  # exec: the app's parent is the server (see quit_when_orphaned)


def check_data(settings: Settings) -> int:
    """`isis-explorer validate --cache` on the same data before serving: bad data prints path:line:col
    and stops here; good data goes into its store, so even the first tab starts at once. In a
    process of its own, so a large knowledge base's memory goes back to the system
    (in the server it stayed: 250 MiB for the 90 MB benchmark data). Its exit status."""
    command = [sys.executable, "-m", "tui", *explorer_options(settings), "validate", "--cache"]
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False).returncode


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
