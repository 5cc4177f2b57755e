"""The parse cache: a derived copy of a checked knowledge base, so the next start skips YAML.

One pair of files per data set, under the user cache dir (never in the data directory):
  <key>.tree   the region tree and its group counts: small, read before the first paint
  <key>.kb     every record, in chunks of at most CHUNK records; the indexes are rebuilt on reading
Both start with a fingerprint of every input file (path, size, mtime, inode); the .kb also holds a
content hash of all of them, checked before it is used. A file that is missing, unreadable, from
another version, not ours, or corrupt is ignored and rebuilt. Writes are atomic (temp file + rename);
a read-only or full cache directory just means no cache.

The files are pickles, so only files in a directory owned by the user and closed to others are read.
"""

from __future__ import annotations

import gc
import os
import pickle
import stat
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

from tui import __version__
from tui.knowledge.region_index import RegionIndex

TYPE_CHECKING = False  # the knowledge base's modules load after the first frame, not before
if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

FORMAT = 4  # 4: the fields of issue 13 (hedges, inferred dates, competes_with, ...)
# Records per pickle in the .kb file. Each pickle's memo holds every object it has written (16 bytes
# each, doubled while it grows): one pickle of 180k records cost ~100 MB of peak memory, a chunk ~5 MB.
# Chunks share nothing, so a string or citation used in several is stored once per chunk.
CHUNK = 20_000
CACHE_ENV = "ISIS_EXPLORER_CACHE_DIR"
Stamp = tuple[tuple[str, int, int, int], ...]
Header = tuple[int, str, str, Stamp]  # (FORMAT, app version, data root, stamp): what a file must start with
T = TypeVar("T")


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
class CacheKey:
    root: str
    files: tuple[str, ...]
    stamp: Stamp

    @classmethod
    def of(cls, root: str, files: list[str]) -> CacheKey:
        return cls(os.path.abspath(root), tuple(files), stamp(files))

    @property
    def base(self) -> Path:
        # 64 bits of checksum name the files; two roots that collide only evict each other's cache,
        # since the header (which holds the root) is checked on every read. zlib is loaded already.
        root = self.root.encode("utf-8", "surrogateescape")
        name = f"{zlib.crc32(root):08x}{zlib.adler32(root):08x}"
        return cache_dir() / name

    def header(self) -> Header:
        return (FORMAT, __version__, self.root, self.stamp)


def _safe_to_read(path: Path) -> bool:
    """Our own file in our own closed directory: anything else might not be what we wrote."""
    try:
        st, parent = path.stat(), path.parent.stat()
    except OSError:
        return False
    uid = os.getuid()
    closed = not (parent.st_mode & (stat.S_IWGRP | stat.S_IWOTH)) and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
    return st.st_uid == uid and parent.st_uid == uid and closed


def _read(path: Path, header: Header, body: Callable[[IO[bytes]], T]) -> T | None:
    """`body(handle)` after the header, when the file is ours and its header matches; else None."""
    if not _safe_to_read(path):
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects and no garbage: see loader.load
    try:
        with open(path, "rb") as handle:
            if pickle.load(handle) != header:
                return None
            return body(handle)
    except Exception:  # any failure: a corrupt cache is no cache
        return None
    finally:
        if was_enabled:
            gc.enable()


def read_tree(key: CacheKey) -> RegionIndex | None:
    found = _read(key.base.with_suffix(".tree"), key.header(), pickle.load)
    return found if isinstance(found, RegionIndex) else None


def read_kb(key: CacheKey) -> KnowledgeBase | None:
    """The cached knowledge base, if the inputs' content still matches it."""

    from tui.knowledge.knowledge_base import KnowledgeBase
    from tui.knowledge.records import KINDS, Record

    def body(handle: IO[bytes]) -> KnowledgeBase | None:
        if pickle.load(handle) != content_hash(list(key.files)):
            return None
        tables: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        while (chunk := pickle.load(handle)) is not None:
            kind, records = chunk
            cls, table = KINDS[kind], tables[kind]
            for record in records:
                if type(record) is not cls:
                    return None
                table[record.id] = record
        return KnowledgeBase(tables)

    kb = _read(key.base.with_suffix(".kb"), key.header(), body)
    if kb is not None:
        gc.freeze()
    return kb


def _write_kb(handle: IO[bytes], key: CacheKey, kb: KnowledgeBase) -> None:
    from tui.knowledge.records import KINDS

    pickle.dump(content_hash(list(key.files)), handle, protocol=pickle.HIGHEST_PROTOCOL)
    for kind in KINDS:
        records = kb.records(KINDS[kind])
        for start in range(0, len(records), CHUNK):
            pickle.dump((kind, records[start : start + CHUNK]), handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, handle)


def write(key: CacheKey, kb: KnowledgeBase) -> str | None:
    """Store both files; returns why not (read-only, full, …) or None when written."""
    import tempfile

    directory = key.base.parent
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        tree = kb.region_index()
        writers: dict[str, Callable[[IO[bytes]], None]] = {
            ".tree": lambda handle: pickle.dump(tree, handle, protocol=pickle.HIGHEST_PROTOCOL),
            ".kb": lambda handle: _write_kb(handle, key, kb),
        }
        for suffix, write_body in writers.items():
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".writing-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(key.header(), handle, protocol=pickle.HIGHEST_PROTOCOL)
                    write_body(handle)
                os.replace(tmp, key.base.with_suffix(suffix))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:
        return f"cache not written ({exc.strerror or exc}): {directory}"
    return None
