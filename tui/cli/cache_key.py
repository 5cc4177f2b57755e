"""The parse cache's key for the data a command reads: `validate --cache` (which `serve` runs first)
stores under the same key the explorer looks up."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.loading.parse_cache import CacheKey
    from tui.settings.precedence import Settings


def data_root(settings: Settings) -> str:
    """The data in effect: the path the settings give, else the bundled data."""
    from tui.loading.data_files import bundled_data_dir

    return settings.data.value or str(bundled_data_dir())


def cache_key(root: str) -> CacheKey:
    """The key of the files under `root` as they are now, before reading them; raises DataError
    when there are none to read."""
    from tui.loading import parse_cache
    from tui.loading.data_files import yaml_files
    from tui.loading.problems import Problems

    problems = Problems()
    files = yaml_files(root, problems)
    if problems:
        raise problems.error()
    return parse_cache.CacheKey.of(root, files)
