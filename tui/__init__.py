"""isis-explorer: a terminal explorer for a cited knowledge base on the Islamic State after 2017."""

__version__ = "0.1.0"
