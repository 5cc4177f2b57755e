"""Web mode: the textual-serve server and the process each browser tab runs."""
