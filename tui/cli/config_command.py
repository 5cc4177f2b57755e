"""`isis-explorer config [--path]`: where the config file and the marks are; or every setting in effect and
its source."""

from __future__ import annotations

import os

from tui.cli.command_settings import settings_for
from tui.cli.exit_codes import EXIT_OK
from tui.settings.precedence import DEFAULT, Setting

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    from tui.marks.location import data_dir, marks_path
    from tui.settings.config_file import chosen_path

    if args.path:  # neither file is opened: a broken one can still be found. The config file first (scripts)
        print(chosen_path(args.config)[0])
        print(f"marks: {marks_path()}")
        return EXIT_OK
    import textwrap

    from tui.loading.data_files import bundled_data_dir
    from tui.presentation.safe_text import clean
    from tui.ui.config_checks import binding_ids

    settings = settings_for(args, check_names=True)
    config = settings.config_file
    named = f"named by {config.named_by}" if config.named_by else "the default place"
    state = "exists" if config.exists else "not found: built-in defaults apply"
    data, theme, mouse = settings.data, settings.theme, settings.mouse
    rows: list[tuple[str, str, Setting[object]]] = [
        ("data", clean(str(data.value)) if data.value else f"bundled ({bundled_data_dir()})", data),
        ("theme", clean(str(theme.value or "automatic")), theme),
        ("mouse", "on" if mouse.value else "off", mouse),
        ("ascii", "on" if settings.ascii.value else "off", settings.ascii),
    ]
    rows += [(f"keymap {binding_id}", clean(str(s.value)), s) for binding_id, s in sorted(settings.keymap.items())]
    if not settings.keymap:
        rows.append(("keymap", "(no keys remapped)", Setting(None, DEFAULT)))
    width = max(len(name) for name, _, _ in rows) + 2
    value_width = max(len(value) for _, value, _ in rows) + 2
    print(f"config file: {clean(str(config.path))} ({named}; {state})")
    marks, marks_named_by = marks_path(), data_dir()[1]
    marks_named = f"named by {marks_named_by}" if marks_named_by else "the user data directory"
    marks_state = "exists" if os.path.exists(marks) else "not made yet: the explorer makes it"
    print(f"marks: {clean(str(marks))} ({marks_named}; {marks_state})")
    print()
    for name, value, setting in rows:
        print(f"{name:<{width}}{value:<{value_width}}{setting.describe()}")
    print()
    print(textwrap.fill("Binding ids for [keymap]: " + ", ".join(binding_ids()), width=80, break_on_hyphens=False))
    return EXIT_OK
