"""The data layer: records, loading, validation and queries. Never imports Textual.

The records and the knowledge base are imported on first use (module `__getattr__`): the explorer
draws the region tree from the parse cache before any of them is needed.
"""

from .errors import DataError, Problem
from .paths import bundled_data_dir

_LAZY = {
    "cache": (".cache", None),
    "KnowledgeBase": (".knowledge", "KnowledgeBase"),
    "PartialDate": (".dates", "PartialDate"),
    "parse_date": (".dates", "parse_date"),
    "KINDS": (".records", "KINDS"),
    "Cite": (".records", "Cite"),
    "Record": (".records", "Record"),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    module_name, attribute = _LAZY[name]
    module = import_module(module_name, __name__)
    return module if attribute is None else getattr(module, attribute)


def load(*args, **kwargs):
    """Read, check and index a knowledge base (see loader.load); imports the YAML parser on first use."""
    from .loader import load as load_from_files

    return load_from_files(*args, **kwargs)


__all__ = [
    "KINDS",
    "Cite",
    "DataError",
    "KnowledgeBase",
    "PartialDate",
    "Problem",
    "Record",
    "bundled_data_dir",
    "cache",
    "load",
    "parse_date",
]
