"""The derived store: a checked knowledge base written to SQLite, read back by query (issue 14)."""
