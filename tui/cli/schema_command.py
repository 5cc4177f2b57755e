"""`isis-explorer schema`: the JSON Schema of the YAML data files, for editors."""

from __future__ import annotations

from tui.cli.exit_codes import EXIT_OK


def run() -> int:
    from tui.export.json_schema import json_schema_text

    print(json_schema_text(), end="")
    return EXIT_OK
