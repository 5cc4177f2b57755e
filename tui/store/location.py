"""Where a knowledge base's store lives, and what it must have been built from.

One SQLite file per data set, under the user cache dir (never in the data directory), named by a
checksum of the data root. A store holds the stamp of its inputs (path, size, mtime, inode of each
YAML file) and is used only while the files still carry that stamp. A file changed within
RACY_SECONDS of the build could change again without its stamp changing (coarse mtimes): such
files are recorded with a content hash too, and hashed again on opening.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from tui import __version__
from tui.store.schema import SCHEMA_VERSION

CACHE_ENV = "ISIS_EXPLORER_CACHE_DIR"
RACY_SECONDS = 3.0
Stamp = tuple[tuple[str, int, int, int], ...]


def cache_dir() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):  # what platformdirs answers here, without its import cost
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "isis-explorer"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("isis-explorer"))


def stamp(files: list[str]) -> Stamp:
    """What identifies the inputs cheaply: path, size, mtime (ns) and inode of each file."""
    out = []
    for file in files:
        st = os.stat(file)
        out.append((os.path.abspath(file), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def content_hash(files: list[str]) -> str:
    import hashlib  # here, not at start-up: it loads OpenSSL (~2.5 ms)

    digest = hashlib.blake2b(digest_size=20)
    for file in files:
        digest.update(os.path.abspath(file).encode("utf-8", "surrogateescape") + b"\0")
        with open(file, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoreKey:
    """The data a store is for: its root, its files, and their stamp when the key was taken."""

    root: str
    files: tuple[str, ...]
    stamp: Stamp

    @classmethod
    def of(cls, root: str, files: list[str]) -> StoreKey:
        return cls(os.path.abspath(root), tuple(files), stamp(files))

    @property
    def path(self) -> Path:
        # 64 bits of checksum name the file; two roots that collide only evict each other's store,
        # since the root is checked on every opening. zlib is loaded already.
        root = self.root.encode("utf-8", "surrogateescape")
        return cache_dir() / f"{zlib.crc32(root):08x}{zlib.adler32(root):08x}.sqlite3"

    @property
    def data_bytes(self) -> int:
        return sum(size for _, size, _, _ in self.stamp)

    def expect(self) -> dict[str, str]:
        """The meta rows a store for this key must hold (tui/store/opening.py checks them)."""
        return {
            "schema_version": str(SCHEMA_VERSION),
            "app_version": __version__,
            "root": self.root,
            "stamp": json.dumps(self.stamp),
        }

    def racy_files(self, built_at: float) -> list[str]:
        """Files modified so close to `built_at` that their stamp alone cannot be trusted."""
        return [path for path, _, mtime_ns, _ in self.stamp if built_at - mtime_ns / 1e9 < RACY_SECONDS]

    def meta(self) -> dict[str, str]:
        """What the writer records: `expect()`, plus content hashes of the racy files."""
        racy = self.racy_files(time.time())
        return self.expect() | {"racy": json.dumps([[path, content_hash([path])] for path in racy])}

    def racy_changed(self, racy_json: str) -> bool:
        """Whether a file recorded as racy no longer has the content it was built from."""
        try:
            racy = json.loads(racy_json)
            return any(content_hash([path]) != digest for path, digest in racy)
        except (ValueError, TypeError, OSError):
            return True
