"""The command line's grammar: `isis-explorer [OPTIONS] [COMMAND [OPTIONS]]`.

`--help`, `--version` and a bare launch never reach argparse (importing and building it costs about
as much as Python's own start-up): HELP_TEXT is argparse's help written out (a test checks it is
exactly what `build_parser().format_help()` prints at 80 columns), and `bare_launch_args` is what
`parse_args([])` gives (a test checks that too).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs the fast path ~3 ms
if TYPE_CHECKING:
    import argparse
    from argparse import Namespace as _Arguments
else:  # the same attribute bag without importing argparse
    from types import SimpleNamespace as _Arguments

PROG = "isis-explorer"

HELP_TEXT = """\
usage: isis-explorer [-h] [--version] [--data PATH] [--max-file-mib N]
                     [--no-mouse] [--theme NAME] [--ascii] [--config FILE]
                     COMMAND ...

Explore a cited knowledge base on the Islamic State after the fall of its
caliphate: regions, groups, figures, events and analysts' assessments.

positional arguments:
  COMMAND
    validate        check the data and print counts per kind
    keys            print every key as a Markdown table
    export          write the data as Markdown, JSON, CSV or GeoJSON
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
  --ascii           draw with ASCII only (default: when the locale is not
                    UTF-8, e.g. LANG=C)
  --config FILE     settings file (default: $ISIS_EXPLORER_CONFIG, else
                    config.toml in the user config dir)

Without a command, opens the explorer. Keys: ? for help, / to search, q to
quit.
"""


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from tui import __version__
    from tui.settings.config_file import CONFIG_ENV

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explore a cited knowledge base on the Islamic State after the fall of its "
        "caliphate: regions, groups, figures, events and analysts' assessments.",
        epilog="Without a command, opens the explorer. Keys: ? for help, / to search, q to quit.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # defaults None: tui.settings resolves flag > environment > config file > default
    add_data_options(parser, None, None, False)
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. ansi-dark to use the terminal's palette")
    parser.add_argument(
        "--ascii", action="store_true", help="draw with ASCII only (default: when the locale is not UTF-8, e.g. LANG=C)"
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        default=None,
        help=f"settings file (default: ${CONFIG_ENV}, else config.toml in the user config dir)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help="check the data and print counts per kind",
        description="Load and check every record; print counts, or every problem as path:line:col.",
    )
    # the same options after the command; SUPPRESS keeps the global value when not repeated
    add_data_options(validate, argparse.SUPPRESS, argparse.SUPPRESS, argparse.SUPPRESS)
    validate.add_argument(
        "--cache",
        action="store_true",
        help="also write the checked data to its store, so the explorer (or `serve`) starts at once",
    )
    validate.add_argument(
        "--source-text",
        metavar="ID=FILE",
        action="append",
        type=source_text_argument,
        help="also check the records citing source ID against its text: FILE has one paragraph a line (¶N is "
        "line N); every quote must be in its cited paragraphs, and every year they lack marked inferred "
        "(repeat for more sources)",
    )
    commands.add_parser("keys", help="print every key as a Markdown table", description="Print every key binding.")
    export = commands.add_parser(
        "export",
        help="write the data as Markdown, JSON, CSV or GeoJSON",
        description="Write the knowledge base (one kind of record, or the records marked in the explorer) "
        "as a Markdown briefing with "
        "footnoted citations, faithful JSON, spreadsheet-safe CSV, or GeoJSON of the regions "
        "that have coordinates (for QGIS or a web map).",
    )
    add_data_options(export, argparse.SUPPRESS, argparse.SUPPRESS, argparse.SUPPRESS)
    export.add_argument("--format", required=True, choices=("markdown", "json", "csv", "geojson"), help="output format")
    export.add_argument(
        "--kind", metavar="KIND", help="only this kind of record (e.g. groups, events); GeoJSON: regions only"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    export.add_argument(
        "--marked",
        action="store_true",
        help="only the records marked in the explorer (m), in their order, with their notes (markdown, json or csv)",
    )
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
    add_data_options(serve, argparse.SUPPRESS, argparse.SUPPRESS, argparse.SUPPRESS)
    serve.add_argument(  # after the command too, as the README writes it; SUPPRESS keeps the global one
        "--theme", metavar="NAME", default=argparse.SUPPRESS, help="colour theme of every tab (as before the command)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    config = commands.add_parser(
        "config",
        help="show the configuration file and its settings",
        description="Print the settings in effect and where they come from.",
    )
    config.add_argument("--path", action="store_true", help="print only where the configuration file is")
    return parser


def source_text_argument(value: str) -> tuple[str, str]:
    """`ID=FILE` as (source id, file)."""
    import argparse

    from tui.knowledge.fields import ID_PATTERN

    source, sep, file = value.partition("=")
    if not sep or not file or not ID_PATTERN.match(source):
        raise argparse.ArgumentTypeError(f"expected ID=FILE, e.g. article=article.txt; got {value!r}")
    return source, file


def bare_launch_args() -> argparse.Namespace:
    """What `build_parser().parse_args([])` gives, without argparse."""
    return _Arguments(data=None, max_file_mib=None, no_mouse=False, theme=None, ascii=False, config=None, command=None)


def add_data_options(parser: argparse.ArgumentParser, data: object, max_mib: object, no_mouse: object) -> None:
    """--data, --max-file-mib and --no-mouse, with these defaults (argparse.SUPPRESS after a command)."""
    from tui.settings.precedence import DATA_ENV, DEFAULT_MAX_FILE_MIB

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
        help=f"refuse YAML files larger than N MiB (default: {DEFAULT_MAX_FILE_MIB:g})",
    )
    parser.add_argument("--no-mouse", action="store_true", default=no_mouse, help="do not capture the mouse")
