"""The data layer: records, loading, validation and queries. Never imports Textual."""

from . import cache
from .dates import PartialDate, parse_date
from .errors import DataError, Problem
from .knowledge import KnowledgeBase
from .paths import bundled_data_dir


def load(*args, **kwargs) -> KnowledgeBase:
    """Read, check and index a knowledge base (see loader.load); imports the YAML parser on first use."""
    from .loader import load as load_from_files

    return load_from_files(*args, **kwargs)


from .records import KINDS, Cite, Record

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
