"""The store key for the data a command reads: `validate --cache` (which `serve` runs first) writes
the store under the same key the explorer looks up."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.settings.precedence import Settings
    from tui.store.location import StoreKey


def data_root(settings: Settings) -> str:
    """The data in effect: the path the settings give, else the bundled data."""
    from tui.loading.data_files import bundled_data_dir

    return settings.data.value or str(bundled_data_dir())


def cache_key(root: str) -> StoreKey:
    """The store key of the files under `root` as they are now, before reading them; raises
    DataError when there are none to read."""
    from tui.loading.data_files import store_key

    return store_key(root)
