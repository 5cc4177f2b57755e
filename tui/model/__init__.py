"""The data layer: records, loading, validation and queries. Never imports Textual."""

from . import cache
from .dates import PartialDate, parse_date
from .errors import DataError, Problem
from .knowledge import KnowledgeBase
from .loader import bundled_data_dir, load
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
