"""Word operations of sentence pairs seen before, on disk beside the vector cache.

The word diff (pure-Python diff-match-patch) was a sixth of a warm compare of Camp David vs Lima (235 of 1,371 M
instructions); a pair always diffs the same way, so its operations are stored, keyed by the word-diff code itself
and the pair's texts, and reused. The file is untrusted (a cache folder can come with a pull request): a row is
used only when it is a well-formed edit script of exactly its pair's texts, else the pair is diffed again and the
row replaced. A cache that cannot be opened only costs time: the vector cache already warns about it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache

from statediff import cachedb
from statediff.engine.worddiff import consistent, group_ops, rewrite_ops, word_ops
from statediff.model import Op, OpTag

Pair = tuple[tuple[str, ...], tuple[str, ...]]
"""The old and the new sentence texts of one change (one each, or a group on either side)."""
Result = tuple[tuple[Op, ...], bool]
"""Word operations and whether the pair is shown whole as a rewrite, as ``word_ops`` returns them."""

_TAGS: dict[str, OpTag] = {"=": "=", "-": "-", "+": "+"}


@lru_cache(maxsize=1)
def code_version() -> str | None:
    """A hash of the code that decides the word operations: worddiff.py, textnorm.py and diff-match-patch's own
    diff_match_patch.py as installed, and Python's version and Unicode tables (NFC, ``\\w``), see
    ``cachedb.code_version``. About 0.4 ms once per process; diff-match-patch is found, not imported."""
    from statediff import textnorm
    from statediff.engine import worddiff

    library = cachedb.package_file("diff_match_patch", "diff_match_patch.py")
    if library is None:
        return None
    return cachedb.code_version("", (str(worddiff.__file__), str(textnorm.__file__), library))


def key(version: str, pair: Pair) -> str:
    """The row of one pair: the code, whether it is one-to-one or a group, and every text of both sides in order."""
    old, new = pair
    shape = "pair" if len(old) == len(new) == 1 else "group"
    return hashlib.sha256(json.dumps([version, shape, old, new]).encode()).hexdigest()[:40]


def _compute(pair: Pair) -> Result:
    old, new = pair
    return word_ops(old[0], new[0]) if len(old) == len(new) == 1 else group_ops(list(old), list(new))


def _encode(result: Result) -> str:
    ops, rewritten = result
    return json.dumps([rewritten, [[op.tag, op.text] for op in ops]], separators=(",", ":"))


def _valid(raw: object, pair: Pair) -> Result | None:
    """A stored row of ``pair``, or ``None`` when it is not a result word_ops could have given for its texts."""
    old, new = (" ".join(side) for side in pair)  # as group_ops joins them
    # Ops hold at most both sides, grown at most threefold by NFC; in JSON a character takes at most 12 (an astral
    # one, escaped as two), an op at most 10 more.
    if not isinstance(raw, str) or len(raw) > 64 + 72 * (len(old) + len(new)):
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], bool) and isinstance(data[1], list)):
        return None
    ops: list[Op] = []
    for item in data[1]:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], str)):
            return None
        tag, text = _TAGS.get(item[0]), item[1]
        if tag is None or not text or (ops and ops[-1].tag == tag):  # word_ops merges neighbours of one tag
            return None
        ops.append(Op(tag, text))
    result = tuple(ops)
    if data[0]:
        return (result, True) if result == rewrite_ops(old, new) else None
    return (result, False) if consistent(result, old, new) else None


class WordCache:
    """``(old texts, new texts) -> (ops, rewritten)``, one SQLite file, shared safely by several processes."""

    def __init__(self) -> None:
        schema = "CREATE TABLE IF NOT EXISTS words (key TEXT PRIMARY KEY, ops TEXT)"
        self._db = cachedb.LazyCache(cachedb.cache_dir, "words.sqlite3", schema)  # the vector cache already warns if unusable

    def ops(self, pairs: Sequence[Pair]) -> list[Result]:
        """The word operations of every pair: from disk where a valid row is stored, else diffed (and then stored)."""
        version = code_version()
        conn = self._db.connect() if version is not None and pairs else None
        if conn is None or version is None:
            return [_compute(p) for p in pairs]
        keys = [key(version, p) for p in pairs]
        stored = cachedb.stored(conn, "words", "ops", keys)
        known: dict[str, Result] = {}
        fresh: dict[str, Result] = {}
        for k, pair in zip(keys, pairs, strict=True):
            if k in known or k in fresh:
                continue
            # A damaged row (not JSON, other tags, texts not of this pair) is a missing one: diff again.
            found = _valid(stored[k], pair) if k in stored else None
            if found is not None:
                known[k] = found
            else:
                fresh[k] = _compute(pair)
        if fresh:
            cachedb.put(conn, "words", [(k, _encode(r)) for k, r in fresh.items()])
        known.update(fresh)
        return [known[k] for k in keys]
