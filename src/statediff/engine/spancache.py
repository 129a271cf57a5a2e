"""Sentence boundaries of text blocks seen before, on disk beside the vector cache.

pysbd takes about 0.3 s for a pair of long statements, most of a warm run; the same block always splits the
same way, so its boundaries are stored (keyed by the splitter's version and the block text) and reused.
A cache that cannot be opened only costs time: the vector cache already warns about it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence

Spans = list[tuple[int, int]]

VERSION = "4"
"""Bump when the splitting rules in segment.py change, so stale boundaries are never reused."""


class SpanCache:
    """``block text -> [(start, end), ...]``, one SQLite file, shared safely by several processes."""

    def __init__(self) -> None:
        from statediff.cachedb import LazyCache, cache_dir

        schema = "CREATE TABLE IF NOT EXISTS spans (key TEXT PRIMARY KEY, spans TEXT)"
        self._db = LazyCache(cache_dir, "sentences.sqlite3", schema)  # the vector cache already warns if unusable

    @staticmethod
    def key(text: str, splitter: str) -> str:
        return hashlib.sha256(f"{VERSION}|{splitter}|{text}".encode()).hexdigest()[:40]

    def spans(self, texts: Sequence[str], splitter: str, split: Callable[[str], Spans]) -> list[Spans]:
        """Boundaries of every text: from disk where known, else from ``split`` (and then stored)."""
        keys = [self.key(t, splitter) for t in texts]
        known: dict[str, Spans] = {}
        conn = self._db.connect()
        if conn is not None and keys:
            try:
                unique = list(dict.fromkeys(keys))
                for i in range(0, len(unique), 500):
                    chunk = unique[i : i + 500]
                    rows = conn.execute(f"SELECT key, spans FROM spans WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                    known.update((k, [(a, b) for a, b in json.loads(v)]) for k, v in rows)
            except sqlite3.Error:
                known = {}
        fresh = {k: split(t) for k, t in zip(keys, texts, strict=True) if k not in known}
        if conn is not None and fresh:
            try:
                with conn:
                    conn.executemany("INSERT OR REPLACE INTO spans VALUES (?, ?)", [(k, json.dumps(v)) for k, v in fresh.items()])
            except sqlite3.Error:
                pass  # a read-only or busy cache costs time next run, nothing else
        known.update(fresh)
        return [known[k] for k in keys]
