"""`isis-explorer keys`: every key as Markdown tables, with the config file's [keymap] applied."""

from __future__ import annotations

from tui.cli.exit_codes import EXIT_OK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.settings.precedence import Settings


def run(settings: Settings) -> int:
    from tui.knowledge.knowledge_base import MemoryKnowledgeBase
    from tui.ui.app import ExplorerApp
    from tui.ui.screens.help_screen import markdown_key_table

    keymap = settings.keys  # the config file's [keymap]: your keys, not the defaults
    app = ExplorerApp(MemoryKnowledgeBase({}), keymap=keymap)
    print(markdown_key_table(app.key_sections(), app.get_key_display, keymap), end="")
    return EXIT_OK
