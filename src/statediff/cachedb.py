"""The on-disk caches (vectors, sentence spans): one SQLite file each, shared safely by several processes."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_cache(directory: Path, filename: str, schema: str) -> sqlite3.Connection:
    """Open (creating the folder and table as needed) ``directory/filename``; raises OSError or sqlite3.Error."""
    directory.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(directory / filename, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer in another process
    conn.execute(schema)
    return conn
