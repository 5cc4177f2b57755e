"""The settings a command runs with: the config file read and checked, then flag > environment >
config file > default resolved (tui.settings). Every command that reads data comes through here."""

from __future__ import annotations

from tui.settings.config_file import read_config
from tui.settings.precedence import Settings, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def settings_for(args: argparse.Namespace, *, check_names: bool) -> Settings:
    """The settings in effect for `args`; raises ConfigError (exit 2 with `path:line: problem`).

    `check_names`: also check the theme, binding ids and keys the file names against Textual's
    tables — for the commands that open the explorer (explore, serve, keys) and for `config`;
    `validate` and `export` check only the file's form and never import Textual."""
    config = read_config(args.config)
    if check_names and config.names_textual_knows():  # Textual is not imported for nothing
        from tui.ui.config_checks import check_config_file

        check_config_file(config)
    return resolve(
        config,
        data=args.data,
        theme=args.theme,
        no_mouse=args.no_mouse,
        max_file_mib=args.max_file_mib,
        ascii_only=getattr(args, "ascii", False),
    )
