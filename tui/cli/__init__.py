"""Command line: parsing the arguments and one module per subcommand. The entry point is `tui.cli.main`."""
