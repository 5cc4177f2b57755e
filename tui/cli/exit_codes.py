"""The exit status of every command, defined once."""

EXIT_OK = 0
EXIT_INTERNAL_ERROR = 1  # a bug: one line on standard error (the traceback with $ISIS_EXPLORER_DEBUG)
EXIT_BAD_INPUT = 2  # bad data, a bad config file or a bad argument (argparse's own usage errors exit 2 too)
EXIT_INTERRUPTED = 130  # Ctrl+C: 128 + SIGINT, as a shell reports it
