"""`python -m tui`: the command line, in tui/cli/main.py (also the `isis-explorer` script)."""

import sys

from tui.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
