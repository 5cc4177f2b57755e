"""`isis-explorer` without a command: open the explorer.

The knowledge base comes from its store (tui/store) when there is one for the data as it is now:
opened in milliseconds at any size, and queried as the user browses. Without one (first launch,
changed data, or a store refused, said in one line), small data is read and checked before the
screen is drawn (errors print and exit 2 at once) and its store written for next time; large data
is built into a store by a child process behind a progress screen, so that this process never holds
it whole. Under textual-serve (`serve`) this is also each browser tab's process (tui/web/tab_process.py).
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
    from tui.marks.mark_book import MarkBook
    from tui.settings.precedence import Settings
    from tui.store.location import StoreKey
    from tui.ui.app import ExplorerApp

SMALL_DATA_BYTES = 2 * 1024 * 1024  # below this, read the data before drawing anything
NO_STORE_YET = "no store yet"  # the usual reason on a first launch: not worth a notice


def run(settings: Settings) -> int:
    if in_browser_tab():
        from tui.web.tab_process import become_tab_process

        become_tab_process()
    from tui.store.stored_kb import open_key

    root = data_root(settings)
    key = cache_key(root)
    notices: list[str] = []
    opened = open_key(key)
    stored = None if isinstance(opened, str) else opened
    if isinstance(opened, str) and opened != NO_STORE_YET:
        notices.append(f"{opened}: rebuilding it")

    def read_and_store(progress: Callable[[int, int], None] | None = None) -> KnowledgeBase:
        from tui.loading.loader import load  # YAML, the records and the knowledge base
        from tui.store.writer import write

        kb = load(root, max_bytes=settings.max_bytes, progress=progress)
        why_not = write(key, kb)
        if why_not:
            notices.append(why_not)
        return kb

    small = stored is None and key.data_bytes <= SMALL_DATA_BYTES
    kb: KnowledgeBase | None = stored or (read_and_store() if small else None)  # bad small data: errors first
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
    if kb is not None:
        app = make_app(kb, theme=theme, loading_what=what, keymap=keymap, ascii_only=plain)
    else:
        build = builder(key, settings, notices, read_and_store)

        def build_and_tell(progress: Callable[[int, int], None]) -> KnowledgeBase:
            kb = build(progress)
            app.notice = "\n".join(notices) if notices else None  # shown when the data is in
            return kb

        app = make_app(background=build_and_tell, theme=theme, loading_what=what, keymap=keymap, ascii_only=plain)
    app.notice = "\n".join(notices) if notices else None
    app.config_path = settings.config.value  # where the palette's "Save theme" writes
    app.marks_opener = marks_opener(settings.data.value, key)
    app.data_origin = origin_of(settings.data.value)
    app.run(mouse=settings.mouse.value)
    if app.load_error is not None:
        raise app.load_error
    return app.return_code or EXIT_OK


def builder(
    key: StoreKey,
    settings: Settings,
    notices: list[str],
    read_and_store: Callable[[Callable[[int, int], None]], KnowledgeBase],
) -> Callable[[Callable[[int, int], None]], KnowledgeBase]:
    """What the app runs in the background on a first launch on large data: a child process builds
    the store, which is then opened; where that fails (say a read-only cache directory), the data
    is read here, in memory, as before there was a store."""

    def build(progress: Callable[[int, int], None]) -> KnowledgeBase:
        if sys.platform != "win32":  # the child's progress comes through a pipe read with select()
            from tui.cli.store_build import build_in_child

            stored = build_in_child(key, settings.max_file_mib.value, progress, notices)
            if stored is not None:
                return stored
        return read_and_store(progress)

    return build


def marks_opener(data: str | None, key: StoreKey) -> Callable[[], tuple[MarkBook, str | None]]:
    """What opens the marks of this data (after the first frame): keyed by the data path (the
    bundled data under one key wherever it is installed), with the files' stamp to notice changes."""

    def open_marks() -> tuple[MarkBook, str | None]:
        import zlib

        from tui.marks.mark import data_key
        from tui.marks.mark_book import MarkBook

        fingerprint = f"{zlib.crc32(repr(key.stamp).encode('utf-8', 'surrogateescape')):08x}"
        return MarkBook.open(data_key(data), fingerprint)

    return open_marks


def origin_of(data: str | None) -> Callable[[], tuple[str, str]]:
    """What tells a briefing written in the app which data it was drawn from (see marked_export.py)."""

    def origin() -> tuple[str, str]:
        from tui.export.marked_export import data_origin

        return data_origin(data)

    return origin


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
