"""Command line: `isis-explorer [--data PATH] [COMMAND]`. Imports Textual only to open the explorer."""

from __future__ import annotations

import os
import sys

from tui import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path ~3 ms
if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_DATA = 0, 2
DATA_ENV = "ISIS_EXPLORER_DATA"
CONFIG_ENV = "ISIS_EXPLORER_CONFIG"


# `--help` and `--version` answer without importing argparse (which costs as much as Python's own
# start-up); a test checks that HELP_TEXT is exactly what argparse prints at 80 columns.
HELP_TEXT = """\
usage: isis-explorer [-h] [--version] [--data PATH] [--max-file-mib N]
                     [--no-mouse] [--theme NAME] [--config FILE]
                     COMMAND ...

Explore a cited knowledge base on the Islamic State after the fall of its
caliphate: regions, groups, figures, events and analysts' assessments.

positional arguments:
  COMMAND
    validate        check the data and print counts per kind
    keys            print every key as a Markdown table
    export          write the data as Markdown, JSON or CSV
    schema          print the JSON Schema of the data files
    serve           serve the explorer in a web browser
    config          show the configuration file and its settings

options:
  -h, --help        show this help message and exit
  --version         show program's version number and exit
  --data PATH       a directory of YAML files or one YAML file (default:
                    $ISIS_EXPLORER_DATA, else the bundled data)
  --max-file-mib N  refuse YAML files larger than N MiB (default: 32)
  --no-mouse        do not capture the mouse
  --theme NAME      colour theme, e.g. ansi-dark to use the terminal's palette
  --config FILE     settings file (default: $ISIS_EXPLORER_CONFIG, else
                    config.toml in the user config dir)

Without a command, opens the explorer. Keys: ? for help, / to search, q to
quit.
"""


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="isis-explorer",
        description="Explore a cited knowledge base on the Islamic State after the fall of its "
        "caliphate: regions, groups, figures, events and analysts' assessments.",
        epilog="Without a command, opens the explorer. Keys: ? for help, / to search, q to quit.",
    )
    parser.add_argument("--version", action="version", version=f"isis-explorer {__version__}")
    # defaults None: tui.settings.config_file fills in $ISIS_EXPLORER_DATA, the config file or the bundled data
    _add_data_options(parser, None, 32, False)
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. ansi-dark to use the terminal's palette")
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=None,  # tui.settings.config_file reads $ISIS_EXPLORER_CONFIG
        help=f"settings file (default: ${CONFIG_ENV}, else config.toml in the user config dir)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check the data and print counts per kind",
        description="Load and check every record; print counts, or every problem as path:line:col.",
    )
    # the same options after the command; SUPPRESS keeps the global value when not repeated
    _add_data_options(validate, argparse.SUPPRESS, argparse.SUPPRESS, argparse.SUPPRESS)
    validate.add_argument(
        "--cache",
        action="store_true",
        help="also store the checked data in the parse cache, so the explorer (or `serve`) starts at once",
    )
    commands.add_parser("keys", help="print every key as a Markdown table", description="Print every key binding.")
    export = commands.add_parser(
        "export",
        help="write the data as Markdown, JSON or CSV",
        description="Write the knowledge base (or one kind of record) as a Markdown briefing with "
        "footnoted citations, faithful JSON, or spreadsheet-safe CSV.",
    )
    _add_data_options(export, argparse.SUPPRESS, argparse.SUPPRESS, argparse.SUPPRESS)
    export.add_argument("--format", required=True, choices=("markdown", "json", "csv"), help="output format")
    export.add_argument("--kind", metavar="KIND", help="only this kind of record (e.g. groups, events)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    commands.add_parser(
        "schema",
        help="print the JSON Schema of the data files",
        description="Print a JSON Schema (draft 2020-12) of the YAML data files, for editors.",
    )
    serve = commands.add_parser(
        "serve",
        help="serve the explorer in a web browser",
        description="Serve the explorer to a web browser (needs the [web] extra).",
    )
    _add_data_options(serve, argparse.SUPPRESS, argparse.SUPPRESS, argparse.SUPPRESS)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    config = commands.add_parser(
        "config",
        help="show the configuration file and its settings",
        description="Print the settings in effect and where they come from.",
    )
    config.add_argument("--path", action="store_true", help="print only where the configuration file is")
    return parser


def bare_launch_args():
    """What `build_parser().parse_args([])` gives (a test checks they stay equal)."""
    from types import SimpleNamespace

    return SimpleNamespace(data=None, max_file_mib=32, no_mouse=False, theme=None, config=None, command=None)


def _add_data_options(parser: argparse.ArgumentParser, data, max_mib, no_mouse) -> None:
    parser.add_argument(
        "--data",
        metavar="PATH",
        default=data,
        help=f"a directory of YAML files or one YAML file (default: ${DATA_ENV}, else the bundled data)",
    )
    parser.add_argument(
        "--max-file-mib",
        metavar="N",
        type=float,
        default=max_mib,
        help="refuse YAML files larger than N MiB (default: 32)",
    )
    parser.add_argument("--no-mouse", action="store_true", default=no_mouse, help="do not capture the mouse")


def _load(args: argparse.Namespace):
    from tui.loading.loader import load

    return load(args.data, max_bytes=int(args.max_file_mib * 1024 * 1024))


def _validate(args: argparse.Namespace) -> int:
    key = _cache_key(args) if args.cache else None  # the files as they are before reading them
    kb = _load(args)
    print(" · ".join(f"{kind} {n}" for kind, n in kb.counts().items()))
    if key is not None:
        from tui.loading import parse_cache

        why_not = parse_cache.write(key, kb)
        if why_not:
            print(f"isis-explorer: {why_not}", file=sys.stderr)
    return EXIT_OK


def _cache_key(args: argparse.Namespace):
    """The parse cache's key for the data `args` name: the same one the explorer looks up."""
    from tui.loading import parse_cache
    from tui.loading.data_files import bundled_data_dir, yaml_files
    from tui.loading.problems import Problems

    root = args.data or str(bundled_data_dir())
    problems = Problems()
    files = yaml_files(root, problems)
    if problems:
        raise problems.error()
    return parse_cache.CacheKey.of(root, files)


def _keys(args: argparse.Namespace) -> int:
    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.ui.app import ExplorerApp
    from tui.ui.screens.help_screen import markdown_key_table

    keymap = getattr(args, "keymap", None) or {}  # the config file's [keymap]: your keys, not the defaults
    app = ExplorerApp(KnowledgeBase({}), keymap=keymap)
    print(markdown_key_table(app.key_sections(), app.get_key_display, keymap), end="")
    return EXIT_OK


SMALL_DATA_BYTES = 2 * 1024 * 1024  # below this, read the data before drawing anything


def _explore(args: argparse.Namespace) -> int:
    """Open the explorer. The region tree comes from the parse cache when it is fresh; the rest
    loads in a background thread. Without a cache, small data is checked before the screen is
    drawn (errors print and exit 2 at once) and large data loads behind a progress screen."""
    from tui.loading import parse_cache
    from tui.loading.data_files import bundled_data_dir
    from tui.loading.loader import load

    root = args.data or str(bundled_data_dir())
    max_bytes = int(args.max_file_mib * 1024 * 1024)
    key = _cache_key(args)
    notices: list[str] = []

    def read_and_cache(progress=None):
        kb = load(root, max_bytes=max_bytes, progress=progress)
        why_not = parse_cache.write(key, kb)
        if why_not:
            notices.append(why_not)
        return kb

    def from_cache_or_files(progress):
        return parse_cache.read_kb(key) or read_and_cache(progress)

    regions = parse_cache.read_tree(key)
    small = regions is None and sum(size for _, size, _, _ in key.stamp) <= SMALL_DATA_BYTES
    kb = read_and_cache() if small else None  # bad small data: its errors come first, screen or not
    no_terminal = _why_no_terminal()
    if no_terminal:
        print(f"isis-explorer: {no_terminal}; `isis-explorer validate` and `keys` work without one", file=sys.stderr)
        return EXIT_DATA
    kwargs = {
        "theme": args.theme or os.environ.get("TEXTUAL_THEME") or None,
        "loading_what": f"Reading {root}",
        "keymap": getattr(args, "keymap", None),
    }
    if regions is not None:
        app = _app(regions=regions, background=from_cache_or_files, **kwargs)
    elif kb is not None:
        app = _app(kb, **kwargs)
    else:
        app = _app(background=read_and_cache, **kwargs)
    if app is None:
        return EXIT_DATA
    app.notice = notices[0] if notices else None
    app.run(mouse=not args.no_mouse)
    if app.load_error is not None:
        raise app.load_error
    return app.return_code or EXIT_OK


def _why_no_terminal() -> str | None:
    """Why the explorer cannot run here, or None: it needs a real terminal on both ends."""
    if os.environ.get("TEXTUAL_DRIVER") == "textual.drivers.web_driver:WebDriver":
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


def _app(*args, theme: str | None, **kwargs):
    from tui.ui.app import ExplorerApp

    app = ExplorerApp(*args, theme=theme, **kwargs)
    if theme and theme not in app.available_themes:
        names = ", ".join(sorted(app.available_themes))
        print(f"isis-explorer: unknown theme {theme!r}; choose one of: {names}", file=sys.stderr)
        return None
    return app


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given == ["--version"]:
        print(f"isis-explorer {__version__}")
        return EXIT_OK
    if given in (["--help"], ["-h"]):
        print(HELP_TEXT, end="")
        return EXIT_OK
    # a bare launch (the common case) skips argparse too: importing and building it costs ~8 ms
    args = bare_launch_args() if given == [] else build_parser().parse_args(argv)
    try:
        if args.command in (None, "validate", "export", "serve", "keys"):  # flag > environment > config file
            from tui.settings.config_file import apply_config

            apply_config(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "keys":
            return _keys(args)
        if args.command == "export":
            from tui.cli.export_command import run_export

            return run_export(args)
        if args.command == "schema":
            from tui.export.json_schema import json_schema_text

            print(json_schema_text(), end="")
            return EXIT_OK
        if args.command == "serve":
            from tui.web.server import run_serve

            return run_serve(args)
        if args.command == "config":
            from tui.settings.config_file import run_config

            return run_config(args)
        return _explore(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `isis-explorer keys | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_OK
    except Exception as exc:
        from tui.loading.problems import DataError

        if isinstance(exc, DataError):
            for line in exc.lines():
                print(line, file=sys.stderr)
            return EXIT_DATA
        if os.environ.get("ISIS_EXPLORER_DEBUG"):
            raise
        print(f"isis-explorer: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("isis-explorer: set ISIS_EXPLORER_DEBUG=1 to see the traceback", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
