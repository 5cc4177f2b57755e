"""`isis-explorer` without a command: open the explorer.

The region tree comes from the parse cache when it is fresh; the rest loads in a background thread.
Without a cache, small data is checked before the screen is drawn (errors print and exit 2 at once)
and large data loads behind a progress screen. Under textual-serve (`serve`) this is also each
browser tab's process (tui/web/tab_process.py).
"""

from __future__ import annotations

import os
import sys

from tui.cli.cache_key import cache_key, data_root
from tui.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.knowledge.region_index import RegionIndex
    from tui.settings.precedence import Settings
    from tui.ui.app import ExplorerApp

SMALL_DATA_BYTES = 2 * 1024 * 1024  # below this, read the data before drawing anything


def run(settings: Settings) -> int:
    if in_browser_tab():
        from tui.web.tab_process import become_tab_process

        become_tab_process()
    from tui.loading import parse_cache

    root = data_root(settings)
    key = cache_key(root)
    notices: list[str] = []

    def read_and_cache(progress: Callable[[int, int], None] | None = None) -> KnowledgeBase:
        from tui.loading.loader import load  # YAML, the records and the knowledge base: not before the tree

        kb = load(root, max_bytes=settings.max_bytes, progress=progress)
        why_not = parse_cache.write(key, kb)
        if why_not:
            notices.append(why_not)
        return kb

    def from_cache_or_files(progress: Callable[[int, int], None]) -> KnowledgeBase:
        return parse_cache.read_kb(key) or read_and_cache(progress)

    regions = parse_cache.read_tree(key)
    small = regions is None and sum(size for _, size, _, _ in key.stamp) <= SMALL_DATA_BYTES
    kb = read_and_cache() if small else None  # bad small data: its errors come first, screen or not
    no_terminal = why_no_terminal()
    if no_terminal:
        print(f"isis-explorer: {no_terminal}; `isis-explorer validate` and `keys` work without one", file=sys.stderr)
        return EXIT_BAD_INPUT
    theme = settings.theme.value
    if theme:  # the config file's theme was checked with the file; a flag's or $TEXTUAL_THEME's here
        from tui.ui.config_checks import theme_problem

        problem = theme_problem(theme)
        if problem:
            print(f"isis-explorer: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
    what, keymap, plain = f"Reading {root}", settings.keys, settings.ascii.value and not in_browser_tab()
    if regions is not None:
        app = make_app(
            regions=regions,
            background=from_cache_or_files,
            theme=theme,
            loading_what=what,
            keymap=keymap,
            ascii_only=plain,
        )
    elif kb is not None:
        app = make_app(kb, theme=theme, loading_what=what, keymap=keymap, ascii_only=plain)
    else:
        app = make_app(background=read_and_cache, theme=theme, loading_what=what, keymap=keymap, ascii_only=plain)
    app.notice = notices[0] if notices else None
    app.config_path = settings.config.value  # where the palette's "Save theme" writes
    app.run(mouse=settings.mouse.value)
    if app.load_error is not None:
        raise app.load_error
    return app.return_code or EXIT_OK


def in_browser_tab() -> bool:
    """Whether textual-serve runs this process for a browser tab (`serve`)."""
    if not os.environ.get("TEXTUAL_DRIVER"):
        return False  # the common case: tui.web is not imported before the first paint
    from tui.web.tab_process import under_web_driver

    return under_web_driver()


def why_no_terminal() -> str | None:
    """Why the explorer cannot run here, or None: it needs a real terminal on both ends."""
    if in_browser_tab():
        return None  # `serve`: textual-serve runs us on pipes, and the browser is the terminal
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return f"TERM={os.environ['TERM']} cannot show the explorer"
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return "the explorer needs a terminal (standard input and output are not both terminals)"
    try:
        with open("/dev/tty", "rb"):
            pass
    except OSError:
        return "there is no controlling terminal"
    return None


def make_app(
    kb: KnowledgeBase | None = None,
    *,
    regions: RegionIndex | None = None,
    background: Callable[[Callable[[int, int], None]], KnowledgeBase] | None = None,
    theme: str | None,
    loading_what: str,
    keymap: dict[str, str],
    ascii_only: bool = False,
) -> ExplorerApp:
    """The app, not yet running (tests replace this to drive it with run_test)."""
    from tui.ui.app import ExplorerApp

    return ExplorerApp(
        kb,
        regions=regions,
        background=background,
        loading_what=loading_what,
        keymap=keymap,
        theme=theme,
        ascii_only=ascii_only,
    )
