"""Sentence boundaries of text blocks seen before, on disk beside the vector cache.

pysbd takes about 0.3 s for a pair of long statements, most of a warm run; the same block always splits the
same way, so its boundaries are stored (keyed by the splitter's version and the block text) and reused.
A cache that cannot be opened only costs time: the vector cache already warns about it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence

from statediff import cachedb

Spans = list[tuple[int, int]]

VERSION = "5"
"""Bump when the splitting rules in segment.py change, so stale boundaries are never reused."""


def _valid(raw: object, length: int) -> Spans | None:
    """Stored boundaries of a text of ``length`` characters, or ``None`` when they cannot be its own."""
    try:
        spans = [(int(a), int(b)) for a, b in json.loads(raw)]  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return None
    if not all(0 <= start <= stop <= length for start, stop in spans):
        return None
    return spans


class SpanCache:
    """``block text -> [(start, end), ...]``, one SQLite file, shared safely by several processes."""

    def __init__(self) -> None:
        schema = "CREATE TABLE IF NOT EXISTS spans (key TEXT PRIMARY KEY, spans TEXT)"
        self._db = cachedb.LazyCache(cachedb.cache_dir, "sentences.sqlite3", schema)  # the vector cache already warns if unusable

    @staticmethod
    def key(text: str, splitter: str) -> str:
        return hashlib.sha256(f"{VERSION}|{splitter}|{text}".encode()).hexdigest()[:40]

    def spans(self, texts: Sequence[str], splitter: str, split: Callable[[str], Spans]) -> list[Spans]:
        """Boundaries of every text: from disk where known, else from ``split`` (and then stored)."""
        keys = [self.key(t, splitter) for t in texts]
        conn = self._db.connect()
        stored = cachedb.stored(conn, "spans", "spans", keys) if conn is not None and keys else {}
        lengths = dict(zip(keys, (len(t) for t in texts), strict=True))
        # A damaged row (not JSON, or spans outside the text) is a missing one: split again.
        known = {k: spans for k, v in stored.items() if k in lengths and (spans := _valid(v, lengths[k])) is not None}
        fresh = {k: split(t) for k, t in zip(keys, texts, strict=True) if k not in known}
        if conn is not None and fresh:
            cachedb.put(conn, "spans", [(k, json.dumps(v)) for k, v in fresh.items()])
        known.update(fresh)
        return [known[k] for k in keys]
