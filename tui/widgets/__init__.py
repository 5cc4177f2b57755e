"""Widgets: each renders part of the knowledge base; none parses data text as markup."""
