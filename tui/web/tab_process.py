"""One browser tab's explorer: the process textual-serve starts (`python -m tui ARGS`) for each tab.

textual-serve runs the command it was given with Textual's web driver named in $TEXTUAL_DRIVER; the
explorer command sees that and calls `become_tab_process` before it opens the app.
"""

from __future__ import annotations

import os
import signal
import threading
import time

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve sets in $TEXTUAL_DRIVER


def under_web_driver() -> bool:
    """Whether textual-serve runs this process: the browser is the terminal, through pipes."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def become_tab_process() -> None:
    """Move into a process group of our own, so a Ctrl+C in the server's terminal reaches only the
    server, which ends each session in order (a Ctrl+C reaching the apps too raced their shutdown);
    and end this app if the server dies without ending the session."""
    if os.name != "posix":
        return
    os.setpgid(0, 0)
    threading.Thread(target=quit_when_orphaned, args=(os.getppid(),), name="orphan-watch", daemon=True).start()


def quit_when_orphaned(server: int) -> None:
    """If the server dies without ending the session (kill -9), end this app as SIGTERM does."""
    while os.getppid() == server:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)
