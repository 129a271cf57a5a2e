"""The on-disk caches (vectors, sentence spans, word diffs): one SQLite file each, shared safely by several processes.

A cache that cannot be opened costs time, never correctness: the connection is then ``None`` and callers
compute what they need.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from importlib.machinery import PathFinder
from pathlib import Path

CACHE_ENV = "STATEDIFF_CACHE_DIR"


def cache_dir() -> Path:
    """``$STATEDIFF_CACHE_DIR``, else the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``)/statediff."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "statediff"


class LazyCache:
    """A SQLite cache file opened on first use (creating its folder and table), at most one attempt."""

    def __init__(self, directory: Callable[[], Path], filename: str, schema: str,
                 on_error: Callable[[Path, Exception], None] | None = None, *, pragmas: tuple[str, ...] = ()) -> None:
        self._directory = directory
        self._filename = filename
        self._schema = schema
        self._pragmas = pragmas
        self._on_error = on_error
        self._conn: sqlite3.Connection | None = None
        self._tried = False

    def connect(self) -> sqlite3.Connection | None:
        """The open connection, or ``None`` when the file cannot be used."""
        if self._tried:
            return self._conn
        self._tried = True
        path = self._directory() / self._filename
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer in another process
            for pragma in self._pragmas:
                conn.execute(f"PRAGMA {pragma}")
            conn.execute(self._schema)
            self._conn = conn
        except (OSError, sqlite3.Error) as exc:
            if self._on_error is not None:
                self._on_error(path, exc)
        return self._conn


def stored(conn: sqlite3.Connection, table: str, column: str, keys: Sequence[str]) -> dict[str, object]:
    """``key -> column`` of the rows of ``keys`` that exist (500 keys a query, under SQLite's parameter limit);
    nothing when the file cannot be read, which costs time only. Unchecked: each cache checks its own rows."""
    found: dict[str, object] = {}
    unique = list(dict.fromkeys(keys))
    try:
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            rows = conn.execute(f"SELECT key, {column} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update((k, v) for k, v in rows)
    except sqlite3.Error:
        return {}
    return found


def put(conn: sqlite3.Connection, table: str, rows: Iterable[tuple[str, str]]) -> None:
    """Store ``(key, value)`` rows, replacing any (damaged) ones under the same keys, in one transaction; a read-only
    or busy file costs time next run, nothing else (nothing is said: the vector cache already warns once)."""
    try:
        with conn:
            conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
    except sqlite3.Error:
        pass


def code_version(salt: str, sources: Iterable[str]) -> str | None:
    """A hash of the code a cache's rows come from: ``salt`` (versions of libraries), Python's version and Unicode
    tables, and the bytes of every file of ``sources`` (each with its name). Read from the files, so no edit or
    upgrade meets rows of the old code; None (nothing cached) when one cannot be read."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}|{unicodedata.unidata_version}|{salt}|".encode())
    try:
        for source in sources:
            with open(source, "rb") as f:
                digest.update(f"{os.path.basename(source)}|".encode())
                digest.update(f.read())
    except OSError:
        return None
    return digest.hexdigest()[:20]


def package_file(package: str, *inside: str) -> str | None:
    """The path of a file in an installed package's folder, found without importing the package (PathFinder:
    importlib.util would be one more import for every compare); None when it is not installed."""
    spec = PathFinder.find_spec(package)
    return os.path.join(os.path.dirname(spec.origin), *inside) if spec is not None and spec.origin else None
