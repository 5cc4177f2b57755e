"""`isis-explorer [OPTIONS] [COMMAND]`: parse, resolve the settings, run one command, map errors to
exit statuses. Each command is a module of its own (tui/cli/*_command.py), imported only when run;
Textual is imported only by the commands that need it.
"""

from __future__ import annotations

import os
import sys

from tui.cli.exit_codes import EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED, EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

# the commands that open the explorer, or list its keys, check the names the config file gives
# against Textual's own tables (theme names, binding ids, keys); validate and export never import Textual
CHECKS_NAMES = (None, "serve", "keys")


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    # `--version`, `--help` and a bare launch (the common case) skip argparse: see tui/cli/parser.py
    if given == ["--version"]:
        from tui import __version__

        print(f"isis-explorer {__version__}")
        return EXIT_OK
    if given in (["--help"], ["-h"]):
        from tui.cli.parser import HELP_TEXT

        print(HELP_TEXT, end="")
        return EXIT_OK
    from tui.cli.parser import bare_launch_args, build_parser

    args = bare_launch_args() if given == [] else build_parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `isis-explorer keys | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_OK
    except Exception as exc:
        from tui.loading.problems import DataError

        if isinstance(exc, DataError):  # bad data or a bad config file: path:line[:col]: problem
            for line in exc.lines():
                print(line, file=sys.stderr)
            return EXIT_BAD_INPUT
        if os.environ.get("ISIS_EXPLORER_DEBUG"):
            raise
        print(f"isis-explorer: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("isis-explorer: set ISIS_EXPLORER_DEBUG=1 to see the traceback", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def run(args: argparse.Namespace) -> int:
    """Run the command `args` names; errors propagate to `main`."""
    command: str | None = args.command
    if command == "schema":  # reads no settings
        from tui.cli import schema_command

        return schema_command.run()
    if command == "config":  # reads the file itself: `config --path` must not
        from tui.cli import config_command

        return config_command.run(args)
    from tui.cli.command_settings import settings_for

    settings = settings_for(args, check_names=command in CHECKS_NAMES)  # flag > environment > config file
    if command == "validate":
        from tui.cli import validate_command

        return validate_command.run(settings, cache=args.cache, source_texts=args.source_text)
    if command == "keys":
        from tui.cli import keys_command

        return keys_command.run(settings)
    if command == "export":
        from tui.cli import export_command

        return export_command.run(settings, fmt=args.format, kind=args.kind, output=args.output, marked=args.marked)
    if command == "serve":
        from tui.cli import serve_command

        return serve_command.run(settings, host=args.host, port=args.port)
    from tui.cli import explore_command

    return explore_command.run(settings)
